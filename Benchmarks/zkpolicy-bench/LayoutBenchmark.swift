import ArgumentParser
import CircuitIR
import ConstraintSystem
import Foundation
import Stark

/// `zkpolicy-bench layout`: lays the synthetic MLP-over-a-table circuit out
/// into the prover's table, assigns the witness, proves and verifies it.
struct LayoutBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layout",
        abstract: "Measure layout, witness assignment, proving and verification of the synthetic MLP circuit.")

    @Option(help: "Table rows scored by the model.") var rows = 1000
    @Option(help: "Layer widths, input first, separated by x.") var widths = "20x64x64x1"
    @Option(help: "Security preset: conjectured-100, proven-100 or proven-128.") var security = "conjectured-100"
    @Option(help: "Advice cells per row (default: 12, or 32 for programs of a million instructions or more).") var cells: Int?
    @Option(help: "Constraint slots per row (default: 4, or 8 with wide rows).") var slots: Int?
    @Flag(help: "Print the layout statistics.") var stats = false
    @Flag(help: "Print the prover's stages with their CPU time (standard error).") var stages = false

    func run() throws {
        let layers = widths.split(separator: "x").compactMap { Int($0) }
        guard layers.count >= 2, layers.allSatisfy({ $0 >= 1 }) else { throw ValidationError("bad --widths \(widths)") }
        guard let preset = SecurityPreset(rawValue: security) else { throw ValidationError("unknown preset \(security)") }
        let workload = SyntheticMLP(rows: rows, widths: layers)
        var start = Date(), cpuStart = cpuSeconds()
        func lap() -> (wall: Double, cpu: Double) {
            defer { start = Date(); cpuStart = cpuSeconds() }
            return (Date().timeIntervalSince(start), cpuSeconds() - cpuStart)
        }
        func f(_ t: (wall: Double, cpu: Double)) -> String { String(format: "%.2f", t.wall) }
        let program = PassPipeline.optimisation.run(try workload.build()).0
        let build = lap()
        var parameters = LayoutParameters(preset: preset)
        // An explicit row shape is used as given (no wide rows).
        if cells != nil || slots != nil { parameters.wideRows = nil }
        if let cells { parameters.cells = cells }
        if let slots { parameters.constraintsPerRow = slots }
        let cs = try ConstraintSystem.layout(program, parameters: parameters)
        let layout = lap()
        let irWitness = try Evaluator(program).generate(workload.inputs())
        let evaluate = lap()
        let (advice, publicInputs) = try cs.assign(irWitness)
        let assign = lap()
        let showStages = stages
        let proveCPUStart = cpuSeconds()
        let options = ProverOptions(progress: { stage, _ in
            if showStages {
                FileHandle.standardError.write(Data("  cpu \(format(cpuSeconds() - proveCPUStart)) s: \(stage)\n".utf8))
            }
        })
        let proof = try StarkProver.prove(key: cs.provingKey, witness: advice, publicInputs: publicInputs, options: options)
        let prove = lap()
        try StarkVerifier.verify(key: cs.verifyingKey, publicInputs: publicInputs, proof: proof)
        let verify = lap()
        let s = cs.stats
        print("layout rows=\(rows) widths=\(widths) security=\(security) instructions=\(program.instructionCount) "
              + "table=2^\(s.logRows) used_rows=\(s.usedRows) advice=\(s.adviceColumns) fixed=\(s.fixedColumns) "
              + "build_s=\(f(build)) layout_s=\(f(layout)) evaluate_s=\(f(evaluate)) assign_s=\(f(assign)) "
              + "prove_s=\(f(prove)) prove_cpu_s=\(String(format: "%.2f", prove.cpu)) verify_ms=\(String(format: "%.1f", verify.wall * 1000)) "
              + "proof_kb=\(proof.encoded().count / 1024) peak_rss_mib=\(peakRSSMiB()) load=\(loadAverage())")
        if stats {
            let bytes = cs.serialized()
            print(cs.statsText)
            print("serialised constraint system: \(bytes.count / 1_000_000) MB in \(f(lap())) s")
        }
    }
}
