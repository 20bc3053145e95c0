// zkpolicy-bench: release-mode benchmarks of the prover and the pipeline.
import ArgumentParser

struct ZkpolicyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zkpolicy-bench",
        abstract: "Release-mode benchmarks of zkpolicyc.",
        subcommands: [CircuitBenchmark.self])
}

ZkpolicyBench.main()
