/// Everything that can go wrong with a model: an unreadable file, an operator
/// or configuration zkpolicyc does not support, a shape mismatch, a bad input
/// row, or a quantized program that could overflow the field.
///
/// `description` is one line meant for the user; it names the node (operator
/// and node name) whenever one node is at fault.
public struct ModelError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// The bytes are not a well-formed ONNX protobuf (or are truncated).
        case malformed
        /// Well-formed, but uses something zkpolicyc does not implement.
        case unsupported
        /// Well-formed protobuf whose contents contradict the ONNX rules.
        case invalidModel
        /// Operand shapes that do not fit the operator.
        case shape
        /// A bad input row or value given to an evaluator.
        case input
        /// The quantizer or interval analysis refused the model.
        case quantization
        /// An integer evaluation left the range the analysis promised.
        case overflow
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func malformed(_ message: String) -> ModelError { ModelError(.malformed, message) }
    static func invalid(_ message: String) -> ModelError { ModelError(.invalidModel, message) }
    static func unsupported(_ message: String) -> ModelError { ModelError(.unsupported, message) }

    /// An error about one node, prefixed with its operator and name.
    static func node(_ node: NodeReference, _ kind: Kind, _ message: String) -> ModelError {
        ModelError(kind, "\(node): \(message)")
    }
}

/// How errors name a node: `Gemm node '/fc1/Gemm'`, or `Gemm node #3` (its
/// 1-based position in the file's node list) when it has no name.
struct NodeReference: CustomStringConvertible, Sendable {
    var opType: String
    var name: String
    /// 0-based position in the file's node list.
    var index: Int

    var description: String {
        name.isEmpty ? "\(opType) node #\(index + 1)" : "\(opType) node '\(name)'"
    }
}
