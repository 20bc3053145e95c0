/// Runs a `ModelGraph` in Double: the float reference semantics, one sample
/// at a time (batch of one). onnxruntime computes in float32, so the two
/// agree to float32 rounding (docs/models.md gives the measured bound).
public struct FloatEvaluator: Sendable {
    public let graph: ModelGraph

    public init(graph: ModelGraph) { self.graph = graph }

    /// Evaluates one sample. `inputs` holds one tensor per graph input, in
    /// order, each with that input's element count (any shape: it is reshaped).
    /// Returns one tensor per graph output.
    public func run(_ inputs: [FloatTensor]) throws -> [FloatTensor] {
        let values = try runRecording(inputs)
        return graph.outputs.map { values[$0.valueName]! }
    }

    /// Evaluates one sample and returns every value by name (constants included).
    public func runRecording(_ inputs: [FloatTensor]) throws -> [String: FloatTensor] {
        guard inputs.count == graph.inputs.count else {
            throw ModelError(.input, "the model takes \(graph.inputs.count) inputs, \(inputs.count) given")
        }
        var values = graph.constants
        for (input, tensor) in zip(graph.inputs, inputs) {
            guard tensor.count == input.count else {
                throw ModelError(.input, "input '\(input.name)' takes \(input.count) values, \(tensor.count) given")
            }
            guard tensor.scalars.allSatisfy(\.isFinite) else {
                throw ModelError(.input, "input '\(input.name)' holds a value that is not a finite number")
            }
            values[input.name] = tensor.reshaped(input.shape)
        }
        for node in graph.nodes {
            let operands = node.inputs.map { $0.isEmpty ? nil : values[$0] }
            let results = try FloatKernels.evaluate(node.operation, operands, node.reference)
            for (name, value) in zip(node.outputs, results) where !name.isEmpty { values[name] = value }
        }
        return values
    }
}
