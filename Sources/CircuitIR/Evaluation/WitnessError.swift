/// Why witness generation or checking stopped: the first instruction that
/// failed, printed, with the origin chain it came from.
public struct WitnessError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A constraint does not hold.
        case constraintViolated = "constraint violated"
        /// A value-defining instruction does not match the assignment (checking only).
        case definitionMismatch = "definition mismatch"
        /// A hint could not compute its advice (e.g. a division by zero).
        case hintFailed = "hint failed"
        /// The inputs do not match the program's interface.
        case badInputs = "bad inputs"
    }

    public let kind: Kind
    /// The failing instruction's index, or nil for interface errors.
    public let instruction: Int?
    /// The instruction in textual form (`range_check %7, 16`).
    public let instructionText: String
    /// The origin chain, innermost first ("divRem, in rule r1 at policy.zkp:3:1").
    public let origin: String
    /// What exactly failed, with the values involved.
    public let message: String

    public var description: String {
        guard let i = instruction else { return "\(kind.rawValue): \(message)" }
        return "\(kind.rawValue) at instruction \(i) `\(instructionText)` (\(origin)): \(message)"
    }
}
