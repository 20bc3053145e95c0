import BigNumber

/// Why a policy or model could not be lowered, or why concrete inputs do not
/// fit a lowered policy. `location` names the policy place when there is one.
public struct LoweringError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// A construct or operation the lowering does not implement (yet).
        case unsupported
        /// The policy and the models (or row counts) do not fit together.
        case mismatch
        /// Inputs for the witness do not fit the lowered policy.
        case badInput
        /// A gadget refused an operation (a value may wrap modulo p, ...).
        case circuit
    }

    public let kind: Kind
    public let message: String
    /// `file:line:column`, when known.
    public let location: OriginLocation?

    public init(_ kind: Kind, _ message: String, at location: OriginLocation? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    static func unsupported(_ message: String, at location: OriginLocation?) -> LoweringError {
        LoweringError(.unsupported, message, at: location)
    }

    static func mismatch(_ message: String, at location: OriginLocation? = nil) -> LoweringError {
        LoweringError(.mismatch, message, at: location)
    }

    static func badInput(_ message: String) -> LoweringError { LoweringError(.badInput, message) }

    public var description: String {
        location.map { "\($0): \(message)" } ?? message
    }
}

/// The Int64 of a big integer, if it fits.
func int64(_ n: BigInt) -> Int64? {
    n.asInt.map { Int64($0) }
}
