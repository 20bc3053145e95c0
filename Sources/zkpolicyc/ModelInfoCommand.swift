import ArgumentParser
import ModelGraph

/// `zkpolicyc model info M.onnx`
struct ModelInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print a model's inputs, outputs, operators and parameter count.",
        discussion: """
            Shapes are shown as declared and per sample (the leading batch axis removed), the \
            default output (a classifier's probabilities) and the label output are marked, and \
            every unsupported operator is named with its node. Exits with status 1 when the model \
            cannot be used.
            """)

    @Argument(help: "The ONNX model file.")
    var model: String

    func run() throws {
        let bytes = try readFile(model)
        let summary = try reporting(model) { try ModelSummary(bytes: bytes) }
        print(summary.render(file: model))
        if !summary.problems.isEmpty { throw ExitCode(1) }
    }
}
