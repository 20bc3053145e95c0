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

    @Test(arguments: names)
    func agreesWithIntegerEvaluator(_ name: String) throws {
        let (model, samples) = try Self.load(name)
        let rows = name == "lenet5" ? 2 : 4
        let evaluator = IntegerEvaluator(model: model)
        let quantized = try samples.prefix(rows).map { try evaluator.quantize($0) }
        let program = try ModelInference.circuit(model, rows: rows)
        try program.validate()
        let witness = try Evaluator(program).generate(ModelInference.inputs(model, quantized))
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
