import ModelGraph

/// A one-line description of a quantized model's public architecture, for the
/// statement (`inspect`): its layers in order and how many weights it has.
enum ArchitectureSummary {
    static func describe(_ architecture: QuantizedArchitecture) -> String {
        var layers: [String] = []
        for step in architecture.steps {
            let name: String?
            switch step.op {
            case .dense(let w, _):
                let shape = architecture.weights[w].shape
                name = "dense \(shape.map(String.init).joined(separator: "×"))"
            case .conv(let w, _, _, _):
                let shape = architecture.weights[w].shape
                name = "conv \(shape.map(String.init).joined(separator: "×"))"
            case .relu: name = "relu"
            case .leakyRelu: name = "leaky relu"
            case .lookup(let t): name = architecture.tables[t].function
            case .maxPool: name = "max pool"
            case .sumPool: name = "average pool"
            case .argMax: name = "argmax"
            default: name = nil
            }
            if let name, layers.last != name || name.hasPrefix("dense") || name.hasPrefix("conv") { layers.append(name) }
        }
        let weights = architecture.weights.reduce(0) { $0 + $1.count }
        let inputs = architecture.inputs.map { $0.sampleShape.map(String.init).joined(separator: "×") }.joined(separator: ", ")
        return "input [\(inputs)] → \(layers.isEmpty ? "linear" : layers.joined(separator: " → ")); \(weights) weights"
    }
}
