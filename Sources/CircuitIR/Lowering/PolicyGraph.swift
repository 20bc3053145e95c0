import BigNumber
import PolicySemantics
import PolicySyntax

/// The HIR of a policy as a hash-consed graph: structurally equal
/// expressions become one node, so that the lowering computes each of them
/// once — a model applied to the same rows by several rules, the same
/// per-group rates used by a gap and a ratio (common-subexpression
/// elimination over the HIR).
///
/// Two rewrites make equal things equal:
/// - a row variable is replaced by its table: `r#1.features` and
///   `a#2.features` are the same column, because the lowering computes a
///   row expression for every row of its table at once;
/// - a bound value (`.local`) is replaced by the node of the value it is
///   bound to; the `inline` node that bound it is kept (with its bindings
///   as operands) so that bound values are still evaluated where the HIR
///   evaluates them.
struct PolicyGraph {
    /// An operation on child nodes (by index).
    enum Op: Hashable {
        case bool(Bool)
        case number(Rational)
        case param(String)
        case commitment(String)
        case commit(Asset)
        /// Evaluates `bindings` (in order), then `body`.
        case inline(function: String, bindings: [Int], body: Int)
        case field(table: String, field: String)
        case enumCase(Int)
        case index(Int, [Int])
        case applyModel(String, Int)
        case negate(Int)
        case not(Int)
        case absolute(Int)
        case arithmetic(ArithmeticOperator, Int, Int)
        case and(Int, Int)
        case or(Int, Int)
        case compare(ComparisonOperator, Int, Int, ComparisonKind)
        case extremum(Extremum, [Int])
        case conditional(Int, Int, Int)
        case aggregate(AggregateNode)
        case reduce(Extremum, Int)
    }

    /// An aggregate over the rows of `table`.
    struct AggregateNode: Hashable {
        var function: AggregateFunction
        var table: String
        var filter: Int?
        var key: Int?
        /// The grouping enum's cases (nil without `by`).
        var groups: [String]?
        var empty: EmptyGroups?
        var body: Int?
    }

    struct Node {
        var op: Op
        var type: ValueType
        var range: NumericRange?
        /// Where the first occurrence was written.
        var span: SourceSpan
        /// The table whose current row the value depends on (nil: the same for every row).
        var rowTable: String?
        /// Whether evaluating it can fail on some data (a division by a value
        /// that may be zero, an aggregate over possibly no rows): such a node
        /// is lowered separately under each distinct guard (see `ExpressionLowering`).
        var fallible: Bool
    }

    private(set) var nodes: [Node] = []
    private var index: [NodeKey: Int] = [:]
    /// The node a `.local` refers to, while its `inline` is being converted.
    private var locals: [Int: Int] = [:]

    struct NodeKey: Hashable {
        var op: Op
        var type: ValueType
    }

    subscript(id: Int) -> Node { nodes[id] }

    /// Adds an expression (and its sub-expressions); returns its node.
    mutating func add(_ expr: Expr) throws -> Int {
        let op: Op
        switch expr.kind {
        case .bool(let b): op = .bool(b)
        case .number(let r): op = .number(r)
        case .param(let name): op = .param(name)
        case .commitment(let name): op = .commitment(name)
        case .commit(let asset): op = .commit(asset)
        case .local(let id, let name):
            guard let node = locals[id] else { throw LoweringError(.unsupported, "`\(name)` is used outside the call that binds it") }
            return node
        case .inline(let call):
            var bindings: [Int] = []
            for binding in call.bindings {
                let node = try add(binding.value)
                locals[binding.id] = node
                bindings.append(node)
            }
            let body = try add(call.body)
            if bindings.isEmpty { return body }
            op = .inline(function: call.function, bindings: bindings, body: body)
        case .field(let binder, let name): op = .field(table: binder.table, field: name)
        case .enumCase(let index, _): op = .enumCase(index)
        case .index(let base, let indices): op = .index(try add(base), indices)
        case .applyModel(let model, let input): op = .applyModel(model, try add(input))
        case .negate(let x): op = .negate(try add(x))
        case .not(let x): op = .not(try add(x))
        case .absolute(let x): op = .absolute(try add(x))
        case .arithmetic(let o, let a, let b): op = .arithmetic(o, try add(a), try add(b))
        case .and(let a, let b): op = .and(try add(a), try add(b))
        case .or(let a, let b): op = .or(try add(a), try add(b))
        case .compare(let o, let a, let b, let kind): op = .compare(o, try add(a), try add(b), kind)
        case .extremum(let which, let values): op = .extremum(which, try values.map { try add($0) })
        case .conditional(let c, let a, let b): op = .conditional(try add(c), try add(a), try add(b))
        case .aggregate(let a):
            op = .aggregate(AggregateNode(
                function: a.function, table: a.table, filter: try a.filter.map { try add($0) },
                key: try a.grouping.map { try add($0.key) }, groups: a.grouping?.groups.cases,
                empty: a.grouping?.empty, body: try a.body.map { try add($0) }))
        case .reduce(let which, let x): op = .reduce(which, try add(x))
        case .opaque, .error:
            throw LoweringError(.unsupported, "the program has unchecked parts")
        }
        let key = NodeKey(op: op, type: expr.type)
        if let id = index[key] { return id }
        let children = PolicyGraph.children(op)
        var rowTable: String?
        if case .field(let table, _) = op { rowTable = table }
        if case .aggregate = op {
            rowTable = nil   // an aggregate is one value, whatever row encloses it
        } else {
            for child in children {
                guard let table = nodes[child].rowTable else { continue }
                if let other = rowTable, other != table {
                    throw LoweringError(.unsupported, "an expression uses rows of both `\(other)` and `\(table)`")
                }
                rowTable = table
            }
        }
        nodes.append(Node(op: op, type: expr.type, range: expr.range, span: expr.span, rowTable: rowTable,
                          fallible: children.contains { nodes[$0].fallible } || PolicyGraph.canFail(op, range: expr.range)))
        index[key] = nodes.count - 1
        return nodes.count - 1
    }

    /// Whether the operation itself can fail on some data.
    static func canFail(_ op: Op, range: NumericRange?) -> Bool {
        switch op {
        case .arithmetic(.divide, _, _):
            return !(range?.denominator.isPositive ?? false)
        case .aggregate(let a):
            switch a.function {
            case .rate, .mean, .min, .max: return a.empty != .skip
            default: return false
            }
        case .reduce:
            return true
        default:
            return false
        }
    }

    /// The operands of an operation, in order.
    static func children(_ op: Op) -> [Int] {
        switch op {
        case .bool, .number, .param, .commitment, .commit, .field, .enumCase: return []
        case .inline(_, let bindings, let body): return bindings + [body]
        case .index(let x, _), .applyModel(_, let x), .negate(let x), .not(let x), .absolute(let x), .reduce(_, let x):
            return [x]
        case .arithmetic(_, let a, let b), .and(let a, let b), .or(let a, let b), .compare(_, let a, let b, _):
            return [a, b]
        case .extremum(_, let values): return values
        case .conditional(let c, let a, let b): return [c, a, b]
        case .aggregate(let a): return [a.filter, a.key, a.body].compactMap { $0 }
        }
    }
}
