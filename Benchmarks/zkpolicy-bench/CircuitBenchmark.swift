import ArgumentParser
import CircuitIR
import Foundation

/// `zkpolicy-bench circuit`: builds the synthetic MLP-over-a-table circuit,
/// optimises, lowers and evaluates it, and prints sizes and times.
struct CircuitBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "circuit",
        abstract: "Measure the circuit IR: build, optimise, lower and evaluate a synthetic MLP over a table.")

    @Option(help: "Table rows.") var rows = 1000
    @Option(help: "Layer widths, input first, separated by x.") var widths = "20x64x64x1"
    @Flag(help: "Use one dot per row and unit instead of one matmul per layer.") var scalar = false

    func run() throws {
        let layers = widths.split(separator: "x").compactMap { Int($0) }
        guard layers.count >= 2, layers.allSatisfy({ $0 >= 1 }) else { throw ValidationError("bad --widths \(widths)") }
        let workload = SyntheticMLP(rows: rows, widths: layers, useMatmul: !scalar)
        let form = scalar ? "scalar" : "matmul"
        var start = Date()
        func lap() -> String {
            let t = Date().timeIntervalSince(start)
            start = Date()
            return String(format: "%.2fs", t)
        }
        let program = try workload.build()
        let build = lap()
        print("circuit rows=\(rows) widths=\(widths) form=\(form) build=\(build)")
        print("  built:     \(summary(program))")
        var optimised = program
        for pass in PassPipeline.optimisation.passes {
            let (next, reports) = PassPipeline([pass]).run(optimised)
            optimised = next
            print("    \(reports[0]) in \(lap())")
        }
        print("  optimised: \(summary(optimised))")
        let inputs = workload.inputs()
        let witness = try Evaluator(optimised).generate(inputs)
        print("  evaluated: \(witness.values.count) values in \(lap()), approved=\(witness.publicOutputs.last!)")
        let lowered = PassPipeline([.expandMatmul, .expandRangeChecks]).run(optimised).0
        let lower = lap()
        print("  lowered:   \(summary(lowered)) in \(lower)")
        _ = try Evaluator(lowered).generate(inputs)
        print("  evaluated lowered in \(lap())")
        let bytes = optimised.serialized()
        print("  serialised optimised: \(bytes.count / 1_000_000) MB in \(lap()); peak RSS \(peakResidentMegabytes()) MB")
    }

    func summary(_ p: Program) -> String {
        let s = ProgramStats(p)
        return "\(s.instructions) instructions, \(s.values) values, \(s.operands) operands, "
            + "\(s.constraints) constraints, \(p.storageBytes / 1_000_000) MB storage"
    }

    /// VmHWM from /proc (Linux); 0 elsewhere.
    func peakResidentMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
