/// Errors of setup and proving (verification has `VerificationError`).
public enum StarkError: Error, Equatable, CustomStringConvertible {
    case invalidParameters(String)
    /// The circuit is malformed (a column index out of range, a table too long…).
    case invalidCircuit(String)
    /// The witness has the wrong shape.
    case invalidWitness(String)
    /// A gate constraint does not vanish: gate name, constraint index, usable row.
    case gateNotSatisfied(gate: String, constraint: Int, row: Int)
    /// A copy constraint's cells differ.
    case copyConstraintViolated(Cell, Cell)
    /// A looked-up tuple is not in its table.
    case lookupFailed(lookup: String, row: Int, values: [UInt64])
    /// The LogUp bus does not balance: a tuple's multiplicities do not sum to
    /// zero; the first row and term that produce it.
    case busUnbalanced(term: String, row: Int, values: [UInt64])
    /// A public-input cell does not hold the given value.
    case publicInputMismatch(index: Int, cell: Cell)
    /// A challenge phase's fill closure returned the wrong shape.
    case phaseFillInvalid(phase: String, String)
    /// An invariant of the prover does not hold (a bug, not a bad witness: the
    /// witness passed every check); the message says which.
    case internalInconsistency(String)

    public var description: String {
        switch self {
        case let .invalidParameters(m): return "invalid parameters: \(m)"
        case let .invalidCircuit(m): return "invalid circuit: \(m)"
        case let .invalidWitness(m): return "invalid witness: \(m)"
        case let .gateNotSatisfied(g, c, r): return "gate '\(g)' constraint \(c) does not hold on row \(r)"
        case let .copyConstraintViolated(a, b): return "copy constraint violated: \(a) ≠ \(b)"
        case let .lookupFailed(l, r, v): return "lookup '\(l)' on row \(r): \(v) is not in the table"
        case let .busUnbalanced(t, r, v): return "bus term '\(t)' on row \(r): the tuple \(v) is not balanced by the other terms"
        case let .publicInputMismatch(i, c): return "public input \(i) does not match \(c)"
        case let .phaseFillInvalid(p, m): return "challenge phase '\(p)': \(m)"
        case let .internalInconsistency(m): return "prover bug: \(m)"
        }
    }
}
