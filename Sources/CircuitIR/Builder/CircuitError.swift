/// An error while building a circuit: a gadget refused its inputs, or an
/// instruction was malformed. Names the origin the builder was in.
public struct CircuitError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A value's proven bound does not rule out wrap-around modulo p
        /// where the gadget needs an exact integer.
        case mayWrap = "may-wrap"
        /// A bit width outside what the instruction or gadget supports.
        case invalidBitWidth = "invalid-bit-width"
        /// A table that is malformed or not functional.
        case invalidTable = "invalid-table"
        /// Two inputs, outputs or tables with one name.
        case duplicateName = "duplicate-name"
        /// Operands of the wrong number or kind.
        case invalidOperand = "invalid-operand"
        /// A value that must be positive (a divisor) may not be.
        case mayBeNonPositive = "may-be-non-positive"
        /// A serialised program that is malformed.
        case malformed = "malformed"
    }

    public let kind: Kind
    public let message: String
    /// The origin chain the builder was in ("no origin" if none).
    public let origin: String

    public init(_ kind: Kind, _ message: String, origin: String = "no origin") {
        self.kind = kind
        self.message = message
        self.origin = origin
    }

    public var description: String { "\(kind.rawValue): \(message) (\(origin))" }

    static func invalidTable(name: String, reason: String) -> CircuitError {
        CircuitError(.invalidTable, "table \(name): \(reason)")
    }
}
