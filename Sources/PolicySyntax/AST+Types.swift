/// A type as written.
public struct TypeExpr: Sendable {
    public var kind: TypeKind
    public var span: SourceSpan
    public init(kind: TypeKind, span: SourceSpan) { self.kind = kind; self.span = span }
}

/// `in LO..HI`
public struct RangeExpr: Sendable, Hashable {
    public let lower: NumberLiteral
    public let upper: NumberLiteral
    public let span: SourceSpan
}

public enum ScalarKind: String, Sendable, Hashable {
    case int, fixed
}

public indirect enum TypeKind: Sendable {
    case bool
    case int(RangeExpr?)
    case fixed(RangeExpr?)
    case ratio(RangeExpr?)
    case digest
    /// `tensor[20]`, `tensor[2, 3] int in 0..9`
    case tensor(dimensions: [NumberLiteral], element: ScalarKind?, range: RangeExpr?)
    /// `enum { female, male }`; `enum` alone (no cases) in a row function result.
    case enumeration([Identifier]?)
    /// `table` alone, as a `fn` parameter (the schema form only appears in `data`).
    case table
    /// `model`, as a `fn` parameter.
    case model
    /// `rows -> bool`: a function of one row of table `rows`.
    case rowFunction(table: Identifier, result: TypeExpr)
    /// `ratio per group`
    case perGroup(TypeExpr)
    case error
}
