// zkpolicy-bench: release-mode benchmarks of the prover and, later, the pipeline.
// One subcommand per file: `stark` lives in StarkBenchmark.swift; `model` and
// `audit` can be added beside it.
import ArgumentParser

struct ZKPolicyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zkpolicy-bench",
        abstract: "Benchmarks of zkpolicyc (run with swift run -c release).",
        subcommands: [StarkBenchmark.self])
}

ZKPolicyBench.main()
