import Field

/// What a hint computes at witness time. A hint's results are advice: the
/// verifier never runs it, so the gadget that emits a hint must follow it with
/// constraints that admit exactly the honest results.
public enum HintKind: Hashable, Sendable, CustomStringConvertible {
    /// `(a, d) → (q, r)` with a = q·d + r, 0 ≤ r < d: floor division of the
    /// signed a by d ≥ 1.
    case divRem
    /// `(a, b) → 1` if a < b as signed integers, else 0.
    case lessThan
    /// `x → x⁻¹`, or 0 when x = 0.
    case inverseOrZero
    /// `x → count` little-endian 16-bit limbs of x's canonical integer.
    case limbs(count: Int)
    /// `x → count` little-endian bits of x's canonical integer.
    case bits(count: Int)
    /// `keys → ` the remaining columns of the table row with these key columns.
    case tableLookup(TableID)
    /// `x₁ … xₙ → s₁ … sₙ`, the one-hot indicator of the first maximum (signed).
    case argmaxOneHot
    /// A closure the lowering registered: `Program.customHints[index]`.
    case custom(Int)

    /// The tag and parameter stored in the instruction's operands.
    var encoded: (tag: UInt32, parameter: UInt32) {
        switch self {
        case .divRem: (0, 0)
        case .lessThan: (1, 0)
        case .inverseOrZero: (2, 0)
        case .limbs(let n): (3, UInt32(n))
        case .bits(let n): (4, UInt32(n))
        case .tableLookup(let t): (5, t.raw)
        case .argmaxOneHot: (6, 0)
        case .custom(let i): (7, UInt32(i))
        }
    }

    init?(tag: UInt32, parameter: UInt32) {
        switch tag {
        case 0: self = .divRem
        case 1: self = .lessThan
        case 2: self = .inverseOrZero
        case 3: self = .limbs(count: Int(parameter))
        case 4: self = .bits(count: Int(parameter))
        case 5: self = .tableLookup(TableID(raw: parameter))
        case 6: self = .argmaxOneHot
        case 7: self = .custom(Int(parameter))
        default: return nil
        }
    }

    /// Why `inputs` inputs and `results` results do not fit this kind in a
    /// program with these tables and this many custom hints; nil if they do.
    func shapeError(inputs: Int, results: Int, tables: [LookupTable], customHints: Int) -> String? {
        switch self {
        case .divRem: inputs == 2 && results == 2 ? nil : "divrem takes 2 inputs and has 2 results"
        case .lessThan: inputs == 2 && results == 1 ? nil : "less_than takes 2 inputs and has 1 result"
        case .inverseOrZero: inputs == 1 && results == 1 ? nil : "inverse_or_zero takes 1 input and has 1 result"
        case .limbs(let n): inputs == 1 && results == n && (1...4).contains(n) ? nil : "limbs16 takes 1 input and has 1…4 results"
        case .bits(let n): inputs == 1 && results == n && (1...64).contains(n) ? nil : "bits takes 1 input and has 1…64 results"
        case .argmaxOneHot: inputs >= 1 && results == inputs ? nil : "argmax_one_hot has one result per input"
        case .tableLookup(let t):
            if t.index >= tables.count {
                "the hint reads table #\(t.raw), which does not exist"
            } else if inputs != tables[t.index].keyColumns || results != tables[t.index].width - tables[t.index].keyColumns {
                "table_lookup into \(tables[t.index].name) takes its key columns and returns the others"
            } else {
                nil
            }
        case .custom(let h):
            if h < 0 || h >= customHints { "custom hint #\(h) is not registered" }
            else if results < 1 || results > 1 << 16 { "a custom hint returns 1…65536 values" }
            else { nil }
        }
    }

    /// Whether equal inputs always give equal results (all built-in hints).
    public var isDeterministic: Bool {
        if case .custom = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .divRem: "divrem"
        case .lessThan: "less_than"
        case .inverseOrZero: "inverse_or_zero"
        case .limbs(let n): "limbs16<\(n)>"
        case .bits(let n): "bits<\(n)>"
        case .tableLookup(let t): "table_lookup<\(t.raw)>"
        case .argmaxOneHot: "argmax_one_hot"
        case .custom(let i): "custom<\(i)>"
        }
    }
}

/// A hint closure registered by the lowering: `inputs → results`. It may
/// throw `HintFailure` (e.g. an empty group), which the evaluator reports with
/// the instruction and its origin.
public typealias HintFunction = @Sendable ([Goldilocks]) throws -> [Goldilocks]

/// A named custom hint. The name is what the textual and serialised forms
/// carry; the closure is supplied again when a serialised program is loaded.
public struct CustomHint: Sendable {
    public let name: String
    public let compute: HintFunction

    public init(name: String, compute: @escaping HintFunction) {
        self.name = name
        self.compute = compute
    }
}

/// An error a hint raises at witness time.
public struct HintFailure: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
