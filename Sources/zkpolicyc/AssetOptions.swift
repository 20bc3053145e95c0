import ArgumentParser
import ZKPolicy

/// The files of a policy's models and tables: `--model scorer=M.onnx` names
/// the model; a bare path goes to the policy's models in declaration order.
struct AssetOptions: ParsableArguments {
    @Option(name: .customLong("model"), help: ArgumentHelp("A model's ONNX file (repeatable).", valueName: "[NAME=]PATH"))
    var models: [String] = []

    @Option(name: .customLong("data"), help: ArgumentHelp("A table's CSV file (repeatable).", valueName: "[NAME=]PATH"))
    var data: [String] = []

    /// `NAME=VALUE` split at the first `=` when NAME is an identifier; otherwise no name.
    static func split(_ text: String) -> (name: String?, value: String) {
        guard let eq = text.firstIndex(of: "="), !text[..<eq].isEmpty,
              text[..<eq].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return (nil, text) }
        return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }

    /// `NAME=VALUE` options into a dictionary; a bare value is an error naming the option.
    static func named(_ options: [String], option: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for text in options {
            let (name, value) = split(text)
            guard let name else { throw ValidationError("\(option) takes NAME=VALUE, not `\(text)`") }
            guard result[name] == nil else { throw ValidationError("\(option) \(name) is given twice") }
            result[name] = value
        }
        return result
    }

    /// The named and unnamed files of one kind.
    static func files(_ options: [String]) -> (named: [String: String], unnamed: [String]) {
        var named: [String: String] = [:]
        var unnamed: [String] = []
        for text in options {
            let (name, path) = split(text)
            if let name { named[name] = path } else { unnamed.append(path) }
        }
        return (named, unnamed)
    }

    func apply(to request: inout CompileRequest) {
        (request.models, request.unnamedModels) = Self.files(models)
        (request.data, request.unnamedData) = Self.files(data)
    }
}
