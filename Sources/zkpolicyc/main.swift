import ArgumentParser
import Field

/// The command-line tool: thin; every command calls the `ZKPolicy` library.
struct Zkpolicyc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zkpolicyc",
        abstract: "Compile compliance policies over ML models and prove them in zero knowledge.",
        discussion: """
        A policy (.zkp) states rules about a private model and private data: fairness across \
        groups, accuracy on a hold-out set, that the model is the registered one. `check` \
        type-checks it, `fmt` formats it, `explain` describes an error code, `compile` prints \
        a compiler stage, `model` inspects and runs an ONNX model. The language reference is docs/language.md.
        """,
        subcommands: [CheckCommand.self, FmtCommand.self, ExplainCommand.self, CompileCommand.self,
                      ModelCommand.self, CommitCommand.self, ProveCommand.self, VerifyCommand.self,
                      InspectCommand.self])
}

// A command runs once and exits: memory its stages free serves the next
// stages instead of going back to the kernel (ProcessMemory.swift says why).
ProcessMemory.keepFreedMemory()
Zkpolicyc.main()
