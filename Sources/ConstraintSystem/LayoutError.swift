import CircuitIR

/// Why a program could not be laid out, or a witness not assigned.
public enum LayoutError: Error, Equatable, CustomStringConvertible {
    /// The layout parameters are out of range.
    case invalidParameters(String)
    /// The program uses something the layout does not support (with the instruction).
    case unsupported(String)
    /// The circuit needs more rows than the prover supports.
    case tooLarge(String)
    /// The IR witness does not fit the program (wrong size, or re-evaluation failed).
    case badWitness(String)
    /// A constraint of the table does not hold: the IR instruction it comes
    /// from (index and text), its origin chain, and what failed.
    case constraintViolated(instruction: Int, text: String, origin: String, message: String)

    public var description: String {
        switch self {
        case let .invalidParameters(m): return "invalid layout parameters: \(m)"
        case let .unsupported(m): return "unsupported: \(m)"
        case let .tooLarge(m): return "circuit too large: \(m)"
        case let .badWitness(m): return "bad witness: \(m)"
        case let .constraintViolated(i, text, origin, message):
            return "constraint violated at instruction \(i) `\(text)` (\(origin)): \(message)"
        }
    }
}
