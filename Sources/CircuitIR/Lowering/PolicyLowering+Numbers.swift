import Field
import PolicySemantics

// Exact arithmetic and comparison on fractions (docs/language.md, "Numbers
// in the circuit"): constant denominators are brought to their least common
// multiple; otherwise products are cross-multiplied. The gadgets refuse any
// step whose proven bounds could wrap modulo p (the checker proved the same
// integers stay within ±2^62 for up to 2^24 rows).
extension PolicyLowering {
    func arithmetic(_ op: ArithmeticOperator, _ x: Fraction, _ y: Fraction, divisorNonPositive: Bool,
                    guard g: Value?, checkDivisor: Bool) throws -> LValue {
        switch op {
        case .add, .subtract:
            let sign: Int64 = op == .add ? 1 : -1
            if let dx = x.constantDenominator, let dy = y.constantDenominator {
                let l = try lcm(dx, dy)
                let numerator = b.linear([(l / dx, x.numerator), (sign * (l / dy), y.numerator)])
                return .number(Fraction(numerator: numerator, denominator: .constant(l)))
            }
            let left = times(x.numerator, y.denominator), right = times(y.numerator, x.denominator)
            let numerator = b.linear([(Int64(1), left), (sign, right)])
            return .number(Fraction(numerator: numerator, denominator: try multiply(x.denominator, y.denominator)))
        case .multiply:
            return .number(Fraction(numerator: b.product(x.numerator, y.numerator),
                                    denominator: try multiply(x.denominator, y.denominator)))
        case .divide:
            // (nx / dx) / (ny / dy) = (nx·dy) / (dx·ny), both negated for a non-positive divisor.
            var numerator = times(x.numerator, y.denominator)
            var denominator: Fraction.Denominator
            if let c = b.constantValue(of: y.numerator)?.signedValue, let dx = x.constantDenominator {
                denominator = .constant(try checkedProduct(dx, divisorNonPositive ? -c : c))
            } else {
                let product = times(y.numerator, x.denominator)
                denominator = .value(divisorNonPositive ? b.linear([(Int64(-1), product)]) : product)
            }
            if divisorNonPositive { numerator = b.linear([(Int64(-1), numerator)]) }
            switch denominator {
            case .constant(let d):
                guard d >= 1 else { throw LoweringError.unsupported("division by the constant \(d)", at: nil) }
            case .value(let d):
                if checkDivisor { try b.scope("divisor is not zero") { try b.checkPositive(d, guard: g) } }
            }
            return .number(Fraction(numerator: numerator, denominator: denominator))
        }
    }

    /// v · d for a denominator d.
    func times(_ v: Value, _ d: Fraction.Denominator) -> Value {
        switch d {
        case .constant(let c): return b.scaled(v, by: c)
        case .value(let w): return b.product(v, w)
        }
    }

    func multiply(_ x: Fraction.Denominator, _ y: Fraction.Denominator) throws -> Fraction.Denominator {
        switch (x, y) {
        case (.constant(let p), .constant(let q)): return .constant(try checkedProduct(p, q))
        case (.constant(let p), .value(let v)), (.value(let v), .constant(let p)): return .value(b.scaled(v, by: p))
        case (.value(let v), .value(let w)): return .value(b.mul(v, w))
        }
    }

    func checkedProduct(_ p: Int64, _ q: Int64) throws -> Int64 {
        let (r, overflow) = p.multipliedReportingOverflow(by: q)
        guard !overflow, r.magnitude < UInt64(1) << 62 else {
            throw LoweringError.unsupported("a constant denominator \(p)·\(q) beyond 2^62", at: nil)
        }
        return r
    }

    func lcm(_ p: Int64, _ q: Int64) throws -> Int64 {
        var (a, c) = (p, q)
        while c != 0 { (a, c) = (c, a % c) }
        return try checkedProduct(p / a, q)
    }

    /// The two integers a comparison of x and y compares: the numerators over
    /// the least common multiple of constant denominators, else the cross products.
    func crossTerms(_ x: Fraction, _ y: Fraction) throws -> (Value, Value) {
        if let dx = x.constantDenominator, let dy = y.constantDenominator {
            let l = try lcm(dx, dy)
            return (b.scaled(x.numerator, by: l / dx), b.scaled(y.numerator, by: l / dy))
        }
        return (times(x.numerator, y.denominator), times(y.numerator, x.denominator))
    }

    /// [x < y].
    func less(_ x: Fraction, _ y: Fraction) throws -> Value {
        let (l, r) = try crossTerms(x, y)
        return try b.less(l, r)
    }

    func compare(_ op: ComparisonOperator, _ x: LValue, _ y: LValue, _ kind: ComparisonKind) throws -> Value {
        let equal: Value
        switch kind {
        case .numeric:
            let (l, r) = try crossTerms(number(x), number(y))
            switch op {
            case .less: return try b.less(l, r)
            case .lessEqual: return try b.lessOrEqualWide(l, r)
            case .greater: return try b.less(r, l)
            case .greaterEqual: return try b.lessOrEqualWide(r, l)
            case .equal, .notEqual: equal = try b.isEqual(l, r)
            }
        case .bool:
            // 1 − (p − q)² = 1 − p − q + 2pq, boolean for boolean p and q.
            let p = try bool(x), q = try bool(y)
            equal = b.linear([(Int64(-1), p), (Int64(-1), q), (Int64(2), b.product(p, q))], constant: 1)
            try b.assertBoolean(equal)
        case .enumeration:
            guard case .enumeration(let p) = x, case .enumeration(let q) = y, p.count == q.count else {
                throw LoweringError.unsupported("comparison of enums of different cases", at: nil)
            }
            // Σ pₖ·qₖ: 1 exactly when both indicate the same case.
            equal = b.sum(Swift.zip(p, q).map { b.product($0, $1) })
            try b.assertBoolean(equal)
        case .digest:
            guard case .digest(let p) = x, case .digest(let q) = y, p.count == q.count else {
                throw LoweringError.unsupported("comparison of digests of different lengths", at: nil)
            }
            equal = try b.all(Swift.zip(p, q).map { try b.isEqual($0, $1) })
        }
        switch op {
        case .equal: return equal
        case .notEqual: return try b.not(equal)
        default: throw LoweringError.unsupported("ordering of \(kind) values", at: nil)
        }
    }

    /// The smallest / largest of fractions: pairwise comparisons, the first
    /// operand kept on ties. With `tighten`, the result's proven bounds are
    /// narrowed back to the operands' hull (a few range checks, worth it for
    /// values computed once; per row the looser bound is kept).
    func extremum(_ which: Extremum, _ values: [Fraction], tighten: Bool) throws -> Fraction {
        guard var current = values.first else { throw LoweringError.unsupported("min/max of nothing", at: nil) }
        for v in values.dropFirst() {
            let better = which == .min ? try less(v, current) : try less(current, v)
            current = try select(better, v, current)
        }
        if tighten && values.count > 1 { try narrow(&current, to: values) }
        return current
    }

    /// Narrows the proven bounds of a chosen fraction to those of the candidates.
    func narrow(_ f: inout Fraction, to candidates: [Fraction]) throws {
        var numerators = b.bound(of: candidates[0].numerator)
        for c in candidates { numerators = numerators.hull(b.bound(of: c.numerator)) }
        try b.tighten(f.numerator, to: numerators)
        if case .value(let d) = f.denominator {
            var denominators = b.bound(of: denominatorValue(candidates[0]))
            for c in candidates { denominators = denominators.hull(b.bound(of: denominatorValue(c))) }
            try b.tighten(d, to: denominators)
        }
    }

    /// `max(...)` / `min(...)` over groups: the groups left out by `skip empty`
    /// (present = 0) are never chosen, and if no group has rows the rule fails
    /// (where its guard holds).
    func reduce(_ which: Extremum, _ groups: [GroupValue], guard g: Value?) throws -> Fraction {
        guard !groups.isEmpty else { throw LoweringError.unsupported("a reduction over no groups", at: nil) }
        if groups.allSatisfy({ $0.present == nil }) {
            return try extremum(which, groups.map(\.value), tighten: true)
        }
        var current = groups[0].value
        var present = groups[0].present ?? b.constant(1)
        for group in groups.dropFirst() {
            let p = group.present ?? b.constant(1)
            let better = which == .min ? try less(group.value, current) : try less(current, group.value)
            // Take this group if it has rows and (nothing was taken yet or it is better).
            let take = try b.and(p, b.not(b.and(present, b.not(better))))
            current = try select(take, group.value, current)
            present = try b.or(present, p)
        }
        try b.scope("some group has rows") {
            if let g {
                b.assertEqual(b.product(g, try b.not(present)), b.constant(0))
            } else {
                b.assertEqual(present, b.constant(1))
            }
        }
        try narrow(&current, to: groups.map(\.value))
        return current
    }
}
