import ArgumentParser
import Foundation
import ModelGraph

/// `zkpolicyc model …`: inspect and run ONNX models as zkpolicyc sees them.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect an ONNX model and run it as the circuit will.",
        discussion: """
            zkpolicyc reads ONNX files exported by skl2onnx or torch.onnx, evaluates them in a \
            float reference, and quantizes them to the fixed-point integer program that the proof \
            reproduces. docs/models.md lists the supported operators and the quantization rules.
            """,
        subcommands: [ModelInfoCommand.self, ModelEvalCommand.self])
}

/// A failure worth one line to the user (ArgumentParser prints it after "Error: ").
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

/// Reads a whole file, with the path in the error.
func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CommandFailure(description: "\(path): cannot read the file (does it exist?)")
    }
    return [UInt8](data)
}

func readText(_ path: String) throws -> String {
    guard let text = String(bytes: try readFile(path), encoding: .utf8) else {
        throw CommandFailure(description: "\(path): not UTF-8 text")
    }
    return text
}

/// Runs `body`, turning model errors into one line naming the file.
func reporting<T>(_ path: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ModelError {
        throw CommandFailure(description: error.message.hasPrefix(path) ? error.message : "\(path): \(error.message)")
    }
}
