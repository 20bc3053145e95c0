import ArgumentParser
import CircuitIR
import ConstraintSystem
import Foundation
import ModelGraph
import Stark

/// `zkpolicy-bench model`: one model alone (no policy) applied to a few input
/// rows — quantized on its sample inputs, lowered, laid out, proven and
/// verified — with the constraint rows per inference.
struct ModelBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Prove inferences of an ONNX model (rows per inference, prove time).",
        discussion: """
        --onnx and --inputs name the model and a CSV of sample inputs (the model-eval format; \
        the ModelGraph fixtures ship one per model: Tests/ModelGraphTests/Fixtures/NAME.inputs.csv). \
        The model is calibrated on all samples and applied to the first --rows of them.
        """)

    @Option(help: "The ONNX model.") var onnx: String
    @Option(help: "Sample inputs (CSV, model-eval format).") var inputs: String
    @Option(help: "Inferences in the circuit.") var rows = 1
    @Option(help: "Security preset: conjectured-100, proven-100 or proven-128.") var security = "conjectured-100"

    func run() throws {
        guard let preset = SecurityPreset(rawValue: security) else { throw ValidationError("unknown preset \(security)") }
        let graph = try ModelGraph(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: onnx))))
        let samples = try ModelEvaluation(graph: graph, csv: try String(contentsOfFile: inputs, encoding: .utf8), file: inputs).samples
        guard samples.count >= rows, rows >= 1 else { throw ValidationError("\(inputs) has \(samples.count) samples; --rows \(rows)") }
        let model = try Quantizer().quantize(graph, calibration: samples)
        let evaluator = IntegerEvaluator(model: model)
        let quantized = try samples.prefix(rows).map { try evaluator.quantize($0) }

        var start = Date()
        func lap() -> String { defer { start = Date() }; return String(format: "%.2f", Date().timeIntervalSince(start)) }
        let program = PassPipeline.optimisation.run(try ModelInference.circuit(model, rows: rows)).0
        let compile = lap()
        let cs = try ConstraintSystem.layout(program, parameters: LayoutParameters(preset: preset))
        let layout = lap()
        let (advice, publicInputs) = try cs.assign(try Evaluator(program).generate(ModelInference.inputs(model, quantized)))
        let witness = lap()
        let proof = try StarkProver.prove(key: cs.provingKey, witness: advice, publicInputs: publicInputs)
        let prove = lap()
        try StarkVerifier.verify(key: cs.verifyingKey, publicInputs: publicInputs, proof: proof)
        let verify = Date().timeIntervalSince(start)
        let s = cs.stats
        print("model=\((onnx as NSString).lastPathComponent) inferences=\(rows) weights=\(model.weights.values.map(\.count).reduce(0, +)) "
              + "instructions=\(program.instructionCount) used_rows=\(s.usedRows) rows_per_inference=\(s.usedRows / rows) "
              + "range_lookups=\(s.rangeLookups) table=2^\(s.logRows)×\(s.adviceColumns) compile_s=\(compile) layout_s=\(layout) "
              + "witness_s=\(witness) prove_s=\(prove) verify_ms=\(String(format: "%.1f", verify * 1000)) "
              + "proof_kb=\(proof.encoded().count / 1024) peak_rss_mib=\(peakRSSMiB()) security=\(security)")
    }
}
