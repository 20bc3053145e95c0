import BigNumber
import Field
import PolicySemantics

// Lowering graph nodes: dispatch, memoisation, and the per-row plumbing.
extension PolicyLowering {
    /// The lowered value of node `id` under guard `g`, lowered once per
    /// (node, guard) — once per node when it cannot fail.
    func lower(_ id: Int, _ g: Int) throws -> Lowered {
        let node = graph[id]
        let key = MemoKey(node: id, guardID: node.fallible ? g : Guards.always)
        if let value = memo[key] { return value }
        let value = try b.withOrigin(origin(node)) {
            try located(node.span) { try lowerNode(id, node, g) }
        }
        memo[key] = value
        return value
    }

    private func lowerNode(_ id: Int, _ node: PolicyGraph.Node, _ g: Int) throws -> Lowered {
        switch node.op {
        case .bool(let v):
            return .scalar(.bool(b.constant(v ? 1 : 0)))
        case .number(let r):
            return .scalar(.number(try constant(r, node)))
        case .param(let name):
            guard let value = params[name] else { throw LoweringError.mismatch("unknown parameter `\(name)`") }
            return .scalar(value)
        case .commitment(let name):
            guard let value = commitments[name] else { throw LoweringError.mismatch("unknown commitment `\(name)`") }
            return .scalar(.digest(value))
        case .commit(let asset):
            return .scalar(.digest(try digest(asset)))
        case .inline(_, let bound, let body):
            for binding in bound { _ = try lower(binding, g) }
            return try lower(body, g)
        case .field(let table, let field):
            guard let values = fieldValues[table]?[field] else { throw LoweringError.mismatch("unknown field `\(table).\(field)`") }
            return .rows(table: table, values)
        case .enumCase(let k):
            guard case .enumeration(let type) = node.type, let cases = type.cases, k < cases.count else {
                throw LoweringError.unsupported("an enum case without its enum", at: locate(node.span))
            }
            return .scalar(.enumeration(cases.indices.map { b.constant($0 == k ? 1 : 0) }))
        case .index(let base, let indices):
            return try lowerIndex(base, indices, g)
        case .applyModel:
            return try modelOutputs(id, g, elements: nil)
        case .negate(let x):
            return try map(lower(x, g)) { v in
                let f = try number(v)
                return .number(Fraction(numerator: b.linear([(Int64(-1), f.numerator)]), denominator: f.denominator))
            }
        case .not(let x):
            return try map(lower(x, g)) { .bool(try b.not(try bool($0))) }
        case .absolute(let x):
            return try map(lower(x, g)) { v in
                let f = try number(v)
                return .number(Fraction(numerator: try b.absolute(f.numerator), denominator: f.denominator))
            }
        case .arithmetic(let op, let x, let y):
            let operands = [try lower(x, g), try lower(y, g)]
            let checkDivisor = op == .divide && !(node.range?.denominator.isPositive ?? false)
            let rowGuard = checkDivisor ? try guardValue(g) : nil
            let isScalar = operands.allSatisfy { $0.scalar != nil }
            let oneGuard = isScalar ? try scalarGuard(rowGuard) : nil
            let sign = graph[y].range?.value
            let nonPositive = sign?.isNonPositive == true && sign?.isNonNegative != true
            return try zip(operands) { v, r in
                let guardValue = isScalar ? oneGuard : try rowGuard.map { try bool($0.at(r)) }
                return try arithmetic(op, number(v[0]), number(v[1]), divisorNonPositive: nonPositive,
                                      guard: guardValue, checkDivisor: checkDivisor)
            }
        case .and(let x, let y):
            let left = try lower(x, g)
            let right = try lower(y, guards.conjoin(g, x, negated: false))
            return try zip([left, right]) { v, _ in .bool(try b.and(bool(v[0]), bool(v[1]))) }
        case .or(let x, let y):
            let left = try lower(x, g)
            let right = try lower(y, guards.conjoin(g, x, negated: true))
            return try zip([left, right]) { v, _ in .bool(try b.or(bool(v[0]), bool(v[1]))) }
        case .compare(let op, let x, let y, let kind):
            return try zip([lower(x, g), lower(y, g)]) { v, _ in .bool(try compare(op, v[0], v[1], kind)) }
        case .extremum(let which, let operands):
            let lowered = try operands.map { try lower($0, g) }
            let scalar = lowered.allSatisfy { $0.scalar != nil }
            return try zip(lowered) { v, _ in
                .number(try extremum(which, v.map(number), tighten: scalar))
            }
        case .conditional(let c, let x, let y):
            let condition = try lower(c, g)
            let then = try lower(x, guards.conjoin(g, c, negated: false))
            let otherwise = try lower(y, guards.conjoin(g, c, negated: true))
            return try zip([condition, then, otherwise]) { v, _ in try select(bool(v[0]), v[1], v[2]) }
        case .aggregate(let a):
            return .scalar(try aggregate(a, node, id: id, g))
        case .reduce(let which, let x):
            guard case .groups(let groups)? = try lower(x, g).scalar else {
                throw LoweringError.unsupported("a reduction of something other than per-group values", at: locate(node.span))
            }
            return .scalar(.number(try reduce(which, groups, guard: try scalarGuard(guardValue(g)))))
        }
    }

    // MARK: Guards

    /// The value of guard g (nil: always true), computed once.
    func guardValue(_ g: Int) throws -> Lowered? {
        if g == Guards.always { return nil }
        if let v = guards.values[g] { return v }
        guard let key = guards.keys[g] else { return nil }
        var condition = try lower(key.condition, key.parent)
        if key.negated { condition = try map(condition) { .bool(try b.not(try bool($0))) } }
        let value: Lowered
        if let parent = try guardValue(key.parent) {
            value = try zip([parent, condition]) { v, _ in .bool(try b.and(bool(v[0]), bool(v[1]))) }
        } else {
            value = condition
        }
        guards.values[g] = value
        return value
    }

    /// The guard of a value computed once for all rows: it is evaluated when
    /// the guard holds for some row (nil: always).
    func scalarGuard(_ g: Lowered?) throws -> Value? {
        switch g {
        case nil: return nil
        case .scalar(let v)?: return try bool(v)
        case .rows(_, let values)?: return try b.any(values.map(bool))
        }
    }

    // MARK: Rows

    /// Applies `f` to the value of every row (or to the one value).
    func map(_ x: Lowered, _ f: (LValue) throws -> LValue) throws -> Lowered {
        switch x {
        case .scalar(let v): return .scalar(try f(v))
        case .rows(let table, let values): return .rows(table: table, try values.map(f))
        }
    }

    /// Combines operands row by row; a scalar operand is the same for every
    /// row. `f` gets the operands' values and the row (0 for scalars).
    func zip(_ operands: [Lowered], _ f: ([LValue], Int) throws -> LValue) throws -> Lowered {
        var table: String?
        var count = 0
        for operand in operands {
            if case .rows(let t, let values) = operand {
                if let table, table != t { throw LoweringError.unsupported("rows of `\(table)` and `\(t)` combined", at: nil) }
                table = t
                count = values.count
            }
        }
        guard let table else { return .scalar(try f(operands.map { $0.scalar! }, 0)) }
        return .rows(table: table, try (0..<count).map { r in try f(operands.map { $0.at(r) }, r) })
    }

    /// The booleans of a row expression for every row of a table with `count` rows.
    func rowBooleans(_ x: Lowered, count: Int) throws -> [Value] {
        switch x {
        case .scalar(let v): return [Value](repeating: try bool(v), count: count)
        case .rows(_, let values): return try values.map(bool)
        }
    }

    // MARK: Value kinds

    func bool(_ v: LValue) throws -> Value {
        guard case .bool(let x) = v else { throw LoweringError.unsupported("expected a boolean, found \(v)", at: nil) }
        return x
    }

    func number(_ v: LValue) throws -> Fraction {
        guard case .number(let f) = v else { throw LoweringError.unsupported("expected a number, found \(v)", at: nil) }
        return f
    }

    /// A constant p/q (the checker keeps both within ±2^62).
    func constant(_ r: Rational, _ node: PolicyGraph.Node) throws -> Fraction {
        guard let p = r.numerator.asInt, let q = r.denominator.asInt else {
            throw LoweringError.unsupported("the constant \(r) does not fit in 64 bits", at: locate(node.span))
        }
        return Fraction(numerator: b.constant(p), denominator: .constant(Int64(q)))
    }

    /// c ? x : y for values of any kind.
    func select(_ c: Value, _ x: LValue, _ y: LValue) throws -> LValue {
        switch (x, y) {
        case (.bool(let p), .bool(let q)):
            return .bool(try b.select(c, p, q))
        case (.number(let p), .number(let q)):
            return .number(try select(c, p, q))
        case (.enumeration(let p), .enumeration(let q)) where p.count == q.count:
            return .enumeration(try zipValues(p, q) { try b.select(c, $0, $1) })
        case (.tensor(let p), .tensor(let q)) where p.count == q.count:
            return .tensor(try Swift.zip(p, q).map { try select(c, $0, $1) })
        case (.digest(let p), .digest(let q)) where p.count == q.count:
            return .digest(try zipValues(p, q) { try b.select(c, $0, $1) })
        case (.groups(let p), .groups(let q)) where p.count == q.count:
            return .groups(try Swift.zip(p, q).map { u, v in
                let present: Value?
                switch (u.present, v.present) {
                case (nil, nil): present = nil
                default: present = try b.select(c, u.present ?? b.constant(1), v.present ?? b.constant(1))
                }
                return GroupValue(value: try select(c, u.value, v.value), present: present)
            })
        default:
            throw LoweringError.unsupported("the branches of `if` have different kinds", at: nil)
        }
    }

    func zipValues(_ p: [Value], _ q: [Value], _ f: (Value, Value) throws -> Value) throws -> [Value] {
        try Swift.zip(p, q).map(f)
    }

    /// c ? x : y for numbers: numerators and denominators chosen together.
    func select(_ c: Value, _ x: Fraction, _ y: Fraction) throws -> Fraction {
        let numerator = try b.select(c, x.numerator, y.numerator)
        if let dx = x.constantDenominator, let dy = y.constantDenominator, dx == dy {
            return Fraction(numerator: numerator, denominator: .constant(dx))
        }
        return Fraction(numerator: numerator, denominator: .value(try b.select(c, denominatorValue(x), denominatorValue(y))))
    }

    func denominatorValue(_ f: Fraction) -> Value {
        switch f.denominator {
        case .constant(let d): return b.constant(Int(d))
        case .value(let v): return v
        }
    }
}
