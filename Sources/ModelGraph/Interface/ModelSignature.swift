/// What the policy type checker needs to know about a model: its inputs and
/// outputs with per-sample shapes (batch axis removed), and which output is
/// the default "scores" output and which (if any) the label.
///
/// For `model scorer: onnx tensor[20] -> tensor[2]`, `inputs[0].shape` is
/// [20] and `outputs[scoresOutput].shape` is [2]. A classifier's probability
/// output is the scores output; its label output is `labelOutput` (a model
/// without one derives labels as the argmax of the scores).
public struct ModelSignature: Sendable, Equatable {
    public struct Value: Sendable, Equatable {
        public var name: String
        public var elementType: ElementType
        /// Per-sample shape; [] for a scalar.
        public var shape: [Int]
        public var count: Int { shape.reduce(1, *) }
    }

    public var inputs: [Value]
    public var outputs: [Value]
    /// Index into `outputs` of the default output (the scores or probabilities).
    public var scoresOutput: Int
    /// Index into `outputs` of the label output of a classifier, if it has one.
    public var labelOutput: Int?
}

extension ModelGraph {
    /// The model's signature (see `ModelSignature`).
    public var signature: ModelSignature {
        let inputs = self.inputs.map { ModelSignature.Value(name: $0.name, elementType: $0.elementType, shape: $0.sampleShape) }
        let outputs = self.outputs.map { ModelSignature.Value(name: $0.name, elementType: $0.elementType, shape: $0.sampleShape) }
        // A label: an integer output with one value per sample, when other outputs exist.
        let label = outputs.count > 1 ? outputs.firstIndex { !$0.elementType.isFloatingPoint && $0.count == 1 } : nil
        let scores = outputs.indices.first { $0 != label && outputs[$0].elementType.isFloatingPoint } ?? (label == 0 && outputs.count > 1 ? 1 : 0)
        return ModelSignature(inputs: inputs, outputs: outputs, scoresOutput: scores, labelOutput: label)
    }
}
