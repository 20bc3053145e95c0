import BigNumber
import Field
import Foundation
import ModelGraph
import PolicySemantics
import PolicySyntax
import Testing
@testable import CircuitIR

/// The quantized program of every ModelGraph fixture, lowered over a few rows
/// at once, against `IntegerEvaluator` (the reference semantics): every
/// output of every row must be equal, bit for bit.
@Suite struct LoweringModelTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ModelGraphTests/Fixtures")

    static let names = ["credit_logreg", "credit_mlp", "credit_gbt", "digits_cnn", "lenet5", "iris_logreg", "iris_gbt",
                        "iris_linreg", "iris_gbr", "onehot_logreg", "ops_dense", "ops_conv", "ops_ml", "ops_pool",
                        "linear_one_column", "rf_binary"]

    /// The fixture's model quantized on its samples, and its samples.
    static func load(_ name: String) throws -> (QuantizedModel, [[FloatTensor]]) {
        let graph = try ModelGraph(bytes: [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name + ".onnx"))))
        let text = try String(contentsOf: fixtures.appendingPathComponent(name + ".inputs.csv"), encoding: .utf8)
        let table = try CSVTable(parsing: text, file: name)
        let samples = try ModelCSV.floatInputs(table, graph: graph, file: name)
        return (try Quantizer().quantize(graph, calibration: samples), samples)
    }

    /// A circuit applying the model to `rows` rows of raw quantized inputs
    /// (private), revealing every output of every row.
    static func circuit(_ model: QuantizedModel, rows: Int) throws -> CircuitIR.Program {
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

    /// The witness values: weights, then inputs (element-major, then row).
    static func inputs(_ model: QuantizedModel, _ quantized: [[IntTensor]]) -> WitnessInputs {
        var values = model.weights.values.flatMap { $0.map { Goldilocks(signed: $0) } }
        for k in model.architecture.inputs.indices {
            let count = quantized[0][k].count
            for e in 0..<count {
                for row in quantized { values.append(Goldilocks(signed: row[k].scalars[e])) }
            }
        }
        return WitnessInputs(private: values)
    }

    @Test(arguments: names)
    func agreesWithIntegerEvaluator(_ name: String) throws {
        let (model, samples) = try Self.load(name)
        let rows = name == "lenet5" ? 2 : 4
        let evaluator = IntegerEvaluator(model: model)
        let quantized = try samples.prefix(rows).map { try evaluator.quantize($0) }
        let program = try Self.circuit(model, rows: rows)
        try program.validate()
        let witness = try Evaluator(program).generate(Self.inputs(model, quantized))
        var expected: [Goldilocks] = []
        let outputs = try quantized.map { try evaluator.run($0) }
        for (o, _) in model.architecture.outputs.enumerated() {
            let count = outputs[0][o].count
            for e in 0..<count {
                for r in 0..<rows { expected.append(Goldilocks(signed: outputs[r][o].scalars[e])) }
            }
        }
        #expect(witness.publicOutputs == expected, "\(name): the circuit's outputs differ from IntegerEvaluator's")
    }
}
