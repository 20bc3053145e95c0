// zkpolicy-bench: release-mode benchmarks of the prover and the pipeline.
// One subcommand per file: `stark` (StarkBenchmark.swift), `circuit`
// (CircuitBenchmark.swift), `layout`, `audit` (AuditBenchmark.swift), `model` (ModelBenchmark.swift).
import ArgumentParser

struct ZKPolicyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zkpolicy-bench",
        abstract: "Benchmarks of zkpolicyc (run with swift run -c release).",
        subcommands: [StarkBenchmark.self, CircuitBenchmark.self, LayoutBenchmark.self, AuditBenchmark.self, ModelBenchmark.self])
}

ZKPolicyBench.main()
