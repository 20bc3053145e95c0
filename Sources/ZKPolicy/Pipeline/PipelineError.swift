/// Why a `commit`, `prove`, `verify` or `inspect` run stopped. Each case maps
/// to one exit status of the command-line tool (docs/cli.md).
public enum PipelineError: Error, Sendable, CustomStringConvertible {
    /// Bad input: a missing or malformed file, a CSV error, a bad option (exit 1).
    case input(String)
    /// The policy does not hold on the data: which rules, measured against what (exit 3).
    case violated([String])
    /// The verifier rejects the proof, and why (exit 4).
    case rejected(String)

    public var description: String {
        switch self {
        case let .input(message): return message
        case let .violated(lines): return lines.joined(separator: "\n")
        case let .rejected(reason): return "REJECTED: \(reason)"
        }
    }
}
