import CircuitIR
import Field
import Foundation
import ModelGraph
import Testing
@testable import ConstraintSystem
@testable import Stark

/// One inference of each fixture model (ModelGraph's committed ONNX files),
/// laid out into the prover's table: the honest witness proves and verifies;
/// a tampered weight or activation cell is refused by the prover and a proof
/// forced past its checks is rejected by the verifier.
@Suite struct ModelInferenceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ModelGraphTests/Fixtures")

    static func laid(_ name: String) throws -> Laid {
        let graph = try ModelGraph(bytes: [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name + ".onnx"))))
        let csv = try String(contentsOf: fixtures.appendingPathComponent(name + ".inputs.csv"), encoding: .utf8)
        let samples = try ModelEvaluation(graph: graph, csv: csv, file: name).samples
        let model = try Quantizer().quantize(graph, calibration: samples)
        let evaluator = IntegerEvaluator(model: model)
        let program = PassPipeline.optimisation.run(try ModelInference.circuit(model, rows: 1)).0
        return try Laid(program, ModelInference.inputs(model, [try evaluator.quantize(samples[0])]))
    }

    /// A cell holding the first result of the first instruction with `opcode` at or after `fraction` of the program.
    static func cell(of opcode: Opcode, after fraction: Double, in laid: Laid) throws -> (row: Int, column: Int) {
        let program = laid.program
        let start = Int(Double(program.instructionCount) * fraction)
        for i in start ..< program.instructionCount where program.instruction(i).opcode == opcode {
            guard let value = program.results(of: i).first else { continue }
            let key = Key.value(value)
            if let cell = laid.cells(where: { r, j in laid.cs.cellKeys[r * laid.cs.shape.C + j] == key }).first { return cell }
        }
        throw CellNotFound()
    }
    struct CellNotFound: Error {}

    func expectRefusedAndRejected(_ laid: Laid, _ cell: (row: Int, column: Int), _ what: String) throws {
        var advice = laid.advice
        advice[cell.column][cell.row] += .one
        #expect(throws: StarkError.self, "\(what)") {
            try StarkProver.prove(key: laid.cs.provingKey, witness: advice, publicInputs: laid.publicInputs)
        }
        let forged = try laid.forge(advice, laid.publicInputs)
        #expect(throws: VerificationError.self, "\(what)") { try laid.verify(forged) }
    }

    @Test(arguments: ["credit_logreg", "credit_mlp", "credit_gbt", "digits_cnn", "lenet5"])
    func inferenceProvesAndTamperingIsRejected(_ name: String) throws {
        let laid = try Self.laid(name)
        try laid.verify(try laid.prove())
        // The first private input is the first weight (ModelInference declares weights first).
        try expectRefusedAndRejected(laid, try Self.cell(of: .privateInput, after: 0, in: laid), "\(name): weight")
        // An activation: a rescaled value (a hint's result) in the middle of the network.
        try expectRefusedAndRejected(laid, try Self.cell(of: .hint, after: 0.5, in: laid), "\(name): activation")
    }
}
