/// What an instruction does. Operands live in one flat `[UInt32]` array of the
/// program; the layout of each opcode's operands is given here and is the only
/// place that defines it. "v" marks a value id, "k" an index into the
/// program's constant pool, "s" an index into its string pool, "n" a plain count.
public enum Opcode: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// `[k]` → 1 result: the constant.
    case constant = 0
    /// `[s]` → 1 result: the next public input (declaration order), named s.
    case publicInput = 1
    /// `[s]` → 1 result: the next private input (declaration order), named s.
    case privateInput = 2
    /// `[v a, v b]` → a + b.
    case add = 3
    /// `[v a, v b]` → a − b.
    case sub = 4
    /// `[v a, v b]` → a · b.
    case mul = 5
    /// `[k c₀, k c₁, v x₁, …, k cₙ, v xₙ]` → c₀ + Σ cᵢ·xᵢ.
    case linear = 6
    /// `[v a₁, v b₁, …, v aₙ, v bₙ]` → Σ aᵢ·bᵢ (n ≥ 1).
    case dot = 7
    /// `[n kind, n parameter, n results, v inputs…]` → `results` values computed
    /// at witness time by the hint (`HintKind`), and constrained by later instructions.
    case hint = 8
    /// `[v x₀ … v x₁₁]` → the 12 lanes of the Poseidon2 permutation of x.
    case poseidon2 = 9
    /// `[n rows, n inner, n columns, v X (rows×inner, row-major), v W (inner×columns)]`
    /// → the rows×columns entries of X·W, row-major.
    case matmul = 10
    /// `[v a, v b]`: constraint a = b.
    case assertEqual = 11
    /// `[v x, n bits]`: constraint 0 ≤ x < 2^bits (x's canonical integer), 1 ≤ bits ≤ 63.
    case rangeCheck = 12
    /// `[n table, v x₁ … v x_w]`: constraint (x₁ … x_w) is a row of the table (w = its width).
    case lookup = 13
    /// `[s, v x]`: x is revealed to the verifier under the name s.
    case publicOutput = 14

    /// The mnemonic used by the textual form.
    public var description: String {
        switch self {
        case .constant: "const"
        case .publicInput: "public_input"
        case .privateInput: "private_input"
        case .add: "add"
        case .sub: "sub"
        case .mul: "mul"
        case .linear: "linear"
        case .dot: "dot"
        case .hint: "hint"
        case .poseidon2: "poseidon2"
        case .matmul: "matmul"
        case .assertEqual: "assert_eq"
        case .rangeCheck: "range_check"
        case .lookup: "lookup"
        case .publicOutput: "public_output"
        }
    }

    /// Whether the instruction states a fact every witness must satisfy
    /// (as opposed to defining values). Constraints are never dead code.
    public var isConstraint: Bool {
        switch self {
        case .assertEqual, .rangeCheck, .lookup: true
        default: false
        }
    }

    /// Whether the results are a function of the operands alone, so that two
    /// instructions with equal operands have equal results (hints excluded:
    /// a custom hint is a closure the IR cannot see into).
    public var isPure: Bool {
        switch self {
        case .constant, .add, .sub, .mul, .linear, .dot, .poseidon2, .matmul: true
        default: false
        }
    }

    /// Whether the instruction is part of the circuit's interface to the
    /// outside (inputs and outputs), which no pass may remove or reorder.
    public var isInterface: Bool {
        switch self {
        case .publicInput, .privateInput, .publicOutput: true
        default: false
        }
    }
}
