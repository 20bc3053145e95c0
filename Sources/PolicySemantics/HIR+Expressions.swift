import BigNumber
import PolicySyntax

/// A checked expression: its kind, type, range and the span it came from.
///
/// Spans: a node keeps the span of the source it was elaborated from, which
/// for an inlined function body lies inside that function (possibly in a
/// standard module); `ExprKind.inline` records the call site.
public struct Expr: Sendable {
    /// What the node computes.
    public let kind: ExprKind
    /// Its type (never `.error` in a `Program`).
    public let type: ValueType
    /// For numeric types (and tensors and per-group values of numbers: the
    /// range of each element); nil otherwise.
    public let range: NumericRange?
    /// Where it was written (inside the function for an inlined body).
    public let span: SourceSpan

    public init(_ kind: ExprKind, type: ValueType, range: NumericRange? = nil, span: SourceSpan) {
        self.kind = kind
        self.type = type
        self.range = range
        self.span = span
    }

    static func error(at span: SourceSpan) -> Expr { Expr(.error, type: .error, span: span) }

    public var isError: Bool { type == .error }
}

/// A row variable of an aggregate or quantifier, unique in the program.
public struct Binder: Hashable, Sendable, CustomStringConvertible {
    public let id: Int
    public let name: String
    /// The table it ranges over.
    public let table: String
    public var description: String { "\(name)#\(id)" }
}

/// A value bound once and referenced by `ExprKind.local` (an inlined
/// function's value parameter).
public struct Binding: Sendable {
    public let id: Int
    public let name: String
    public let value: Expr
}

/// An inlined call of a `fn` or `let`: the value parameters bound in order,
/// then the body (which refers to them by `.local(id)`). Function, table,
/// model and row arguments are substituted, so they leave no binding.
public struct InlinedCall: Sendable {
    /// `fairness.parity_gap`, or `approved` for a function of the policy.
    public let function: String
    /// The definition's name (where the function is declared).
    public let definition: SourceSpan
    public let bindings: [Binding]
    public let body: Expr
}

/// A private input whose commitment `commit(...)` computes.
public enum Asset: Sendable, Hashable {
    case model(String)
    case table(String)
}

/// Exact arithmetic (see docs/language.md, "Numbers in the circuit").
public enum ArithmeticOperator: String, Sendable, Hashable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
}

/// The comparisons; orderings only between numbers.
public enum ComparisonOperator: String, Sendable, Hashable {
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}

/// How the operands of a comparison are compared.
public enum ComparisonKind: Sendable, Hashable, CustomStringConvertible {
    /// Numbers, after widening both sides to this kind. The operands keep
    /// their own types and ranges; compare as fractions (cross-multiplied
    /// unless they share a constant denominator).
    case numeric(NumericKind)
    case bool
    /// Case indices of enums with the same cases.
    case enumeration
    /// Equality of commitments.
    case digest

    public var description: String {
        switch self {
        case .numeric(let kind): return kind.description
        case .bool: return "bool"
        case .enumeration: return "enum"
        case .digest: return "digest"
        }
    }
}

/// Which end of a choice: the smallest or the largest.
public enum Extremum: String, Sendable, Hashable {
    case min, max
}

/// What an aggregate computes over the rows of a table that pass its filter.
public enum AggregateFunction: String, Sendable, Hashable {
    /// The number of rows (int).
    case count
    /// count(filter and body) / count(filter), exact (ratio). An empty set of rows is an error when proving.
    case rate
    /// The sum of the body (int or fixed).
    case sum
    /// sum / count, exact (ratio). Empty: an error when proving.
    case mean
    /// The smallest / largest body value. Empty: an error when proving.
    case min, max
    /// The body holds for every row (true when empty) / for some row (false when empty).
    case all, any
}

/// What a grouped aggregate does with a group that has no rows (after the filter).
public enum EmptyGroups: String, Sendable, Hashable {
    /// Proving fails with a message naming the group.
    case error
    /// The group is left out of later reductions (`skip empty`); if every group is empty, proving fails.
    case skip
}

/// `by KEY`: one result per case of the key's enum.
public struct Grouping: Sendable {
    /// An enum-typed expression of the binder's row (usually a field).
    public let key: Expr
    public let groups: EnumType
    public let empty: EmptyGroups
}

/// `FUNCTION(BINDER in TABLE where FILTER by KEY: BODY)`: one pass over the rows of a table.
public struct Aggregate: Sendable {
    public let function: AggregateFunction
    public let table: String
    public let binder: Binder
    /// Rows failing the filter are ignored.
    public let filter: Expr?
    public let grouping: Grouping?
    /// nil only for `count`.
    public let body: Expr?
}

/// The operations of the HIR. Every call is inlined (`inline`); there are no
/// names left to resolve, only parameters, commitments, binders and bindings.
public indirect enum ExprKind: Sendable {
    case bool(Bool)
    /// An exact number; its type says how it is used (`int`, `fixed`, `ratio`).
    case number(Rational)
    /// A public parameter (the declared value or the prover's override).
    case param(String)
    /// A published commitment (public digest).
    case commitment(String)
    /// The commitment of a private model or table, computed in the circuit.
    case commit(Asset)
    /// A value bound by an enclosing `inline`.
    case local(id: Int, name: String)
    case inline(InlinedCall)
    /// A field of the current row of a binder.
    case field(Binder, String)
    /// A case of the node's enum type, by index.
    case enumCase(Int, String)
    /// Constant indices into a tensor (fewer indices than dimensions give a sub-tensor).
    case index(Expr, [Int])
    /// The model applied to a tensor.
    case applyModel(String, Expr)
    case negate(Expr)
    case not(Expr)
    case absolute(Expr)
    case arithmetic(ArithmeticOperator, Expr, Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case compare(ComparisonOperator, Expr, Expr, ComparisonKind)
    /// The smallest / largest of two or more numbers.
    case extremum(Extremum, [Expr])
    case conditional(Expr, Expr, Expr)
    case aggregate(Aggregate)
    /// The smallest / largest value of a per-group value over its groups
    /// (present groups only, when the aggregate skips empty groups).
    case reduce(Extremum, Expr)
    /// Only inside a `fn` checked on its own (never in a `Program`): a value
    /// that depends on a parameter not yet known.
    case opaque
    /// Only in programs with errors (never in a `Program`).
    case error
}
