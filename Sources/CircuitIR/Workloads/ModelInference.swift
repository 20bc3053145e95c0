import Field
import ModelGraph
import PolicySemantics
import PolicySyntax

/// A circuit of a quantized model alone, outside any policy: the model
/// applied to `rows` private input rows, every output revealed. What the
/// model tests compare with `IntegerEvaluator` and what
/// `zkpolicy-bench model` proves (rows per inference, prove time).
public enum ModelInference {
    /// The circuit: private weights (each checked against its domain), then
    /// private inputs (element-major, then row; signed 62-bit), the model's
    /// lowering, and public outputs `y<o>[<e>][<r>]`.
    public static func circuit(_ model: QuantizedModel, rows: Int) throws -> Program {
        let b = CircuitBuilder(name: "model")
        let a = model.architecture
        let weights = try a.weights.enumerated().map { i, spec in
            try (0..<spec.count).map { e -> Value in
                let v = try b.privateInput("w\(i)[\(e)]")
                try b.checkDomain(v, lower: spec.lower, upper: spec.upper)
                return v
            }
        }
        let inputs = try a.inputs.enumerated().map { k, input in
            try (0..<a.tensors[input.tensor].count).map { e in
                try (0..<rows).map { r -> Value in
                    let v = try b.privateInput("x\(k)[\(e)][\(r)]")
                    try b.signedRangeCheck(v, bits: 62)
                    return v
                }
            }
        }
        let context = ModelContext(name: "m", binding: ModelBinding(architecture: a, output: 0), weights: weights,
                                   span: SourceSpan(file: FileID(0), start: 0, end: 0), outputRange: .unbounded, outputKind: .fixed)
        var hints: [String: HintKind] = [:]
        let application = ModelApplication(b, model: context, rows: rows, inputs: inputs) { name in
            if let kind = hints[name] { return kind }
            let kind = try b.registerHint(name: name, LoweringHints.function(named: name)!)
            hints[name] = kind
            return kind
        }
        for (o, output) in a.outputs.enumerated() {
            let values = try application.tensor(output.tensor)
            for (e, column) in values.enumerated() {
                for (r, v) in column.enumerated() { try b.publicOutput("y\(o)[\(e)][\(r)]", v) }
            }
        }
        return b.finish()
    }

    /// The private inputs of `circuit` for quantized input rows: the
    /// weights, then the inputs (element-major, then row).
    public static func inputs(_ model: QuantizedModel, _ quantized: [[IntTensor]]) -> WitnessInputs {
        var values = model.weights.values.flatMap { $0.map { Goldilocks(signed: $0) } }
        for k in model.architecture.inputs.indices {
            let count = quantized[0][k].count
            for e in 0..<count {
                for row in quantized { values.append(Goldilocks(signed: row[k].scalars[e])) }
            }
        }
        return WitnessInputs(private: values)
    }
}
