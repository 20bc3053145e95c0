import Field

/// Which row of the table a column reference reads, relative to the row a
/// constraint is checked on.
public enum Rotation: Int, Hashable, Sendable {
    case current = 0
    /// The following row; on the last row of the table it wraps to row 0.
    case next = 1
}

/// A column of the table.
public enum ColumnRef: Hashable, Sendable {
    /// A preprocessed column (part of the verifying key), base field.
    case fixed(Int)
    /// A witness column filled before any challenge, base field.
    case advice(Int)
    /// Column `column` of challenge phase `phase` (1-based, in the order of
    /// `Circuit.phases`), extension field, filled after that phase's challenges.
    case phase(Int, column: Int)
}

/// Selectors the prover adds to every circuit (they are fixed columns of the
/// verifying key). Row indices count usable rows: `Circuit.usableRows`.
public enum BuiltinSelector: Int, Hashable, Sendable, CaseIterable {
    /// 1 on every usable row, 0 on the blinding rows. Every constraint is multiplied by it.
    case usable = 0
    /// 1 on row 0 only.
    case first = 1
    /// 1 on the last usable row only.
    case lastUsable = 2
    /// 1 on usable rows whose next row is usable too (all but the last usable row):
    /// the selector for constraints that read `.next`.
    case transition = 3
}

/// A polynomial expression over the cells of one row and the next, verifier
/// challenges and constants: a gate, a lookup input, a fraction of a LogUp sum.
///
/// Build expressions with the static helpers and the operators:
/// `.advice(0) * .advice(1) - .advice(2)`, `.advice(3, .next) - .advice(3)`.
public indirect enum Expression: Hashable, Sendable {
    case constant(Goldilocks)
    case column(ColumnRef, Rotation)
    /// Challenge `index` of challenge phase `phase` (1-based), an extension-field element.
    case challenge(phase: Int, index: Int)
    case selector(BuiltinSelector)
    /// The polynomial interpolating the public inputs of one advice column
    /// (internal: `Circuit.publicInputs` creates the constraints that use it).
    case instance(Int)
    /// The evaluation point itself, X (ω^row on the table).
    case x
    case sum(Expression, Expression)
    case difference(Expression, Expression)
    case product(Expression, Expression)
    case negation(Expression)

    public static func advice(_ i: Int, _ rotation: Rotation = .current) -> Expression {
        .column(.advice(i), rotation)
    }

    public static func fixed(_ i: Int, _ rotation: Rotation = .current) -> Expression {
        .column(.fixed(i), rotation)
    }

    public static func phaseColumn(_ phase: Int, _ column: Int, _ rotation: Rotation = .current) -> Expression {
        .column(.phase(phase, column: column), rotation)
    }

    public static let zero = Expression.constant(.zero)
    public static let one = Expression.constant(.one)

    public static func + (a: Expression, b: Expression) -> Expression { .sum(a, b) }
    public static func - (a: Expression, b: Expression) -> Expression { .difference(a, b) }
    public static func * (a: Expression, b: Expression) -> Expression { .product(a, b) }
    public static prefix func - (a: Expression) -> Expression { .negation(a) }

    /// The sum of `terms` (zero when empty).
    public static func sum(of terms: [Expression]) -> Expression {
        guard var acc = terms.first else { return .zero }
        for t in terms.dropFirst() { acc = acc + t }
        return acc
    }

    /// The degree of the expression as a polynomial in X when every column is
    /// a polynomial of degree < n (the table has n rows).
    public func degree(rows n: Int) -> Int {
        switch self {
        case .constant, .challenge: return 0
        case .column, .selector, .instance: return n - 1
        case .x: return 1
        case let .sum(a, b), let .difference(a, b): return Swift.max(a.degree(rows: n), b.degree(rows: n))
        case let .product(a, b): return a.degree(rows: n) + b.degree(rows: n)
        case let .negation(a): return a.degree(rows: n)
        }
    }

    /// The degree counted in columns: how many column polynomials multiply
    /// together at most (X and constants count 0).
    public var columnDegree: Int {
        switch self {
        case .constant, .challenge, .x: return 0
        case .column, .selector, .instance: return 1
        case let .sum(a, b), let .difference(a, b): return Swift.max(a.columnDegree, b.columnDegree)
        case let .product(a, b): return a.columnDegree + b.columnDegree
        case let .negation(a): return a.columnDegree
        }
    }

    /// Calls `visit` on every node, children first.
    func forEachNode(_ visit: (Expression) -> Void) {
        switch self {
        case let .sum(a, b), let .difference(a, b), let .product(a, b):
            a.forEachNode(visit); b.forEachNode(visit)
        case let .negation(a): a.forEachNode(visit)
        default: break
        }
        visit(self)
    }

    /// The expression with every node rewritten by `transform` (applied bottom-up
    /// on leaves only).
    func mapLeaves(_ transform: (Expression) -> Expression) -> Expression {
        switch self {
        case let .sum(a, b): return .sum(a.mapLeaves(transform), b.mapLeaves(transform))
        case let .difference(a, b): return .difference(a.mapLeaves(transform), b.mapLeaves(transform))
        case let .product(a, b): return .product(a.mapLeaves(transform), b.mapLeaves(transform))
        case let .negation(a): return .negation(a.mapLeaves(transform))
        default: return transform(self)
        }
    }
}

extension Expression: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: UInt64) { self = .constant(Goldilocks(value)) }
}
