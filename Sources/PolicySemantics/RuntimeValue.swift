import BigNumber

/// A value of the checked program on concrete data, exact.
public enum RuntimeValue: Hashable, Sendable, CustomStringConvertible {
    case bool(Bool)
    /// Any number (`int`, `fixed`, `ratio`), as an exact rational.
    case number(Rational)
    /// The index of an enum case.
    case enumCase(Int)
    /// The elements in row-major order (the type gives the dimensions).
    case tensor([Rational])
    /// A commitment, as its published text (e.g. hex digits).
    case digest(String)
    /// One value per case of the grouping enum; nil for a group left out (`skip empty`).
    case perGroup([Rational?])

    public var description: String {
        switch self {
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return value.description
        case .enumCase(let index): return "case \(index)"
        case .tensor(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .digest(let text): return text
        case .perGroup(let values): return "{" + values.map { $0?.description ?? "-" }.joined(separator: ", ") + "}"
        }
    }
}

/// The concrete inputs a program is evaluated on.
public struct EvaluationInputs {
    /// The rows of each table: field name → value (numbers exact, enums by
    /// case index, tensors flattened in row-major order).
    public var tables: [String: [[String: RuntimeValue]]]
    /// Overrides of parameters (the declared values apply otherwise).
    public var params: [String: Param.Value]
    /// The published value of each `commitment`.
    public var commitments: [String: String]
    /// The commitment of a model or table, as computed by the prover.
    /// Called from several threads at once on large tables (`Evaluator`).
    public var commit: (Asset) -> String
    /// Applies a model to its input tensor (row-major), giving its output.
    /// Called from several threads at once on large tables (`Evaluator`).
    public var model: (String, [Rational]) -> [Rational]

    public init(tables: [String: [[String: RuntimeValue]]] = [:], params: [String: Param.Value] = [:],
                commitments: [String: String] = [:], commit: @escaping (Asset) -> String = { _ in "" },
                model: @escaping (String, [Rational]) -> [Rational] = { _, _ in [] }) {
        self.tables = tables
        self.params = params
        self.commitments = commitments
        self.commit = commit
        self.model = model
    }
}

/// Why a program cannot be evaluated on the data: proving fails the same way.
public struct EvaluationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    /// The expression that failed.
    public let span: SourceSpanValue

    public var description: String { message }
}

/// A span as a plain value (file id and byte offsets), for errors.
public struct SourceSpanValue: Hashable, Sendable {
    public let file: Int
    public let start: Int
    public let end: Int
}
