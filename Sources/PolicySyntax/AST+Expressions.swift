/// An expression as written.
public struct SyntaxExpr: Sendable {
    public var kind: SyntaxExprKind
    public var span: SourceSpan
    public init(_ kind: SyntaxExprKind, span: SourceSpan) { self.kind = kind; self.span = span }

    public static func error(at span: SourceSpan) -> SyntaxExpr { SyntaxExpr(.error, span: span) }

    public var isError: Bool { if case .error = kind { return true } else { return false } }
}

public enum UnaryOperator: String, Sendable, Hashable {
    case negate = "-"
    case not = "not"
}

public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/"

    /// Binding strength: higher binds tighter.
    public var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return 4
        case .add, .subtract: return 5
        case .multiply, .divide: return 6
        }
    }

    public var isComparison: Bool { precedence == 4 }
}

public enum QuantifierKind: String, Sendable, Hashable {
    case all, any
}

/// The aggregate functions (`count(a in t ...)` and friends).
public enum AggregateKind: String, Sendable, Hashable, CaseIterable {
    case count, sum, mean, rate, min, max
}

/// `f(x, by: g)`: an optional label and a value.
public struct CallArgument: Sendable {
    public let label: Identifier?
    public let value: SyntaxExpr
    public var span: SourceSpan { label.map { $0.span.union(value.span) } ?? value.span }
}

/// `by a.group` or `by a.group skip empty`
public struct GroupClause: Sendable {
    public let key: SyntaxExpr
    /// The span of `skip empty` when present: empty groups are left out
    /// instead of being an error at prove time.
    public let skipEmpty: SourceSpan?
}

/// `rate(a in applicants where a.repaid by a.group: approved(a))`
public struct AggregateExpr: Sendable {
    public let kind: AggregateKind
    public let keyword: SourceSpan
    public let binder: Identifier
    public let table: SyntaxExpr
    public let filter: SyntaxExpr?
    public let group: GroupClause?
    public let body: SyntaxExpr?
}

/// `all a in applicants where a.repaid: a.age >= 18`
public struct QuantifierExpr: Sendable {
    public let kind: QuantifierKind
    public let keyword: SourceSpan
    public let binder: Identifier
    public let table: SyntaxExpr
    public let filter: SyntaxExpr?
    public let body: SyntaxExpr
}

public enum Literal: Sendable, Hashable {
    case number(NumberLiteral)
    case bool(Bool)
}

public indirect enum SyntaxExprKind: Sendable {
    case name(String)
    case literal(Literal)
    /// `a.group`, `fairness.parity_gap`
    case member(SyntaxExpr, Identifier)
    /// `t[1]`, `t[0, 2]`
    case index(SyntaxExpr, [SyntaxExpr])
    /// `f(x, by: y)`, `scorer(a.features)`, `abs(x)`
    case call(SyntaxExpr, [CallArgument])
    case unary(UnaryOperator, SyntaxExpr)
    case binary(BinaryOperator, SyntaxExpr, SyntaxExpr)
    /// `if c then a else b`
    case conditional(SyntaxExpr, SyntaxExpr, SyntaxExpr)
    case aggregate(AggregateExpr)
    case quantifier(QuantifierExpr)
    /// Parentheses are kept so the formatter reproduces them.
    case parenthesized(SyntaxExpr)
    case error
}
