/// Why a `commit`, `prove`, `verify` or `inspect` run stopped. Each case maps
/// to one exit status of the command-line tool (docs/cli.md).
public enum PipelineError: Error, Sendable, CustomStringConvertible {
    /// Bad input: a missing or malformed file, a CSV error, a bad option (exit 1).
    case input(String)
    /// The policy does not hold on the data: which rules, measured against what (exit 3).
    case violated([String])
    /// The verifier rejects the proof, and why (exit 4).
    case rejected(String)

    /// A compile failure as an input error (rendered diagnostics kept as they are).
    static func compile(_ failure: CompileFailure) -> PipelineError {
        var text = failure.description
        if text.hasPrefix("error: ") { text.removeFirst("error: ".count) }
        return .input(text)
    }

    public var description: String {
        switch self {
        case let .input(message): return message
        case let .violated(lines): return lines.joined(separator: "\n")
        case let .rejected(reason): return "REJECTED: \(reason)"
        }
    }
}
