import Field
import PolicySemantics

// Aggregates over all rows of a table at once: the filter F, the group
// indicators gₖ (one-hot per row) and the body are row vectors; counts and
// sums are dot products (count_k = Σ F·gₖ, a rate's numerator Σ F·B·gₖ).
extension PolicyLowering {
    /// An aggregate's per-row inputs: the filter F, the group indicators gₖ
    /// and the body, each lowered for every row.
    struct AggregateRows {
        var rows: Int
        var filter: [Value]?
        var indicators: [[Value]]?
        var body: Lowered?
    }

    /// An aggregate's reductions over rows (`LoweringTarget`): the counts
    /// per group, then the reduced values — a rate's numerators, the sums of
    /// a sum or mean, the extremes of a minimum or maximum, the number of
    /// rows where an `all`/`any` body holds — and the values' constant scale.
    struct Reductions {
        var counts: [Value]
        var values: [Value]
        var scale: Int64
    }

    func aggregate(_ a: PolicyGraph.AggregateNode, _ node: PolicyGraph.Node, id: Int, _ g: Int) throws -> LValue {
        // The aggregate is evaluated where its guard holds; its body and key
        // only for the rows passing the filter.
        let outer = try scalarGuard(guardValue(g))
        let rows: AggregateRows?
        let counts: [Value]
        switch target {
        case .whole:
            let r = try aggregateRows(a, node, g)
            rows = r
            counts = try groupCounts(r.filter, r.indicators, rows: r.rows)
        case .part:
            // A part lowers the rules' aggregates directly (`runPart`); one
            // reached here is inside another aggregate's rows.
            throw LoweringError.unsupported("an aggregate inside another aggregate's rows cannot be split into parts (its value needs every part's rows)",
                                            at: locate(node.span))
        case .combine:
            rows = nil
            counts = try combinedReductions(id).counts
        }
        let groupNames = a.groups ?? [""]

        // Which groups take part: all (checked to have rows where needed), or
        // with `skip empty` those with rows.
        var present: [Value?] = groupNames.map { _ in nil }
        let needsRows: Bool
        switch a.function {
        case .rate, .mean, .min, .max: needsRows = true
        default: needsRows = false
        }
        if a.empty == .skip {
            present = try counts.map { try b.not(b.isZero($0)) }
        } else if needsRows {
            for (k, count) in counts.enumerated() {
                let what = a.groups == nil ? "there are rows to take the \(a.function.rawValue) of"
                                           : "group `\(groupNames[k])` has rows"
                try b.scope(what) { try b.checkPositive(count, guard: outer) }
            }
        }

        let reduced = try rows.map { try reductions(a, node, $0, counts: counts) } ?? combinedReductions(id)
        var values: [Fraction] = []
        switch a.function {
        case .count:
            values = counts.map { Fraction(numerator: $0, denominator: .constant(1)) }
        case .rate:
            values = Swift.zip(reduced.values, counts).map { Fraction(numerator: $0, denominator: denominator($1)) }
        case .sum:
            values = reduced.values.map { Fraction(numerator: $0, denominator: .constant(reduced.scale)) }
        case .mean:
            values = try Swift.zip(reduced.values, counts).map {
                Fraction(numerator: $0, denominator: try multiply(denominator($1), .constant(reduced.scale)))
            }
        case .min, .max:
            values = reduced.values.map { Fraction(numerator: $0, denominator: .constant(reduced.scale)) }
        case .all:
            return .bool(try b.isZero(b.linear([(Int64(1), counts[0]), (Int64(-1), reduced.values[0])])))
        case .any:
            return .bool(try b.not(b.isZero(reduced.values[0])))
        }
        if a.groups == nil { return .number(values[0]) }
        return .groups(Swift.zip(values, present).map { GroupValue(value: $0, present: $1) })
    }

    /// The filter, group indicators and body of an aggregate for every row,
    /// lowered under guard g (conjoined with the filter for the key and body).
    func aggregateRows(_ a: PolicyGraph.AggregateNode, _ node: PolicyGraph.Node, _ g: Int) throws -> AggregateRows {
        guard let n = rowCounts[a.table] else { throw LoweringError.mismatch("no row count for `\(a.table)`") }
        var filter: [Value]?
        var inner = g
        if let f = a.filter {
            filter = try rowBooleans(lower(f, g), count: n)
            inner = guards.conjoin(g, f, negated: false)
        }
        var indicators: [[Value]]?
        if let key = a.key, let cases = a.groups {
            let lowered = try lower(key, inner)
            var columns = [[Value]](repeating: [], count: cases.count)
            for r in 0..<n {
                guard case .enumeration(let onehot) = lowered.at(r), onehot.count == cases.count else {
                    throw LoweringError.unsupported("a group key that is not a case of \(cases)", at: locate(node.span))
                }
                for k in cases.indices { columns[k].append(onehot[k]) }
            }
            indicators = columns
        }
        let body = try a.body.map { try lower($0, inner) }
        return AggregateRows(rows: n, filter: filter, indicators: indicators, body: body)
    }

    /// The reduced values of an aggregate over its rows (`Reductions`), given
    /// its counts.
    func reductions(_ a: PolicyGraph.AggregateNode, _ node: PolicyGraph.Node, _ rows: AggregateRows,
                    counts: [Value]) throws -> Reductions {
        let n = rows.rows, filter = rows.filter, indicators = rows.indicators
        switch a.function {
        case .count:
            return Reductions(counts: counts, values: [], scale: 1)
        case .rate:
            let holds = try rowBooleans(rows.body!, count: n)
            let selected = filter.map { f in Swift.zip(f, holds).map { b.product($0, $1) } } ?? holds
            return Reductions(counts: counts, values: try groupCounts(selected, indicators, rows: n), scale: 1)
        case .sum, .mean:
            let (numerators, scale) = try bodyNumerators(rows.body!, rows: n, node)
            let weighted = filter.map { f in Swift.zip(f, numerators).map { b.product($0, $1) } } ?? numerators
            return Reductions(counts: counts, values: try groupSums(weighted, indicators, rows: n), scale: scale)
        case .min, .max:
            let (numerators, scale) = try bodyNumerators(rows.body!, rows: n, node)
            var extremes: [Value] = []
            for k in counts.indices {
                let mask: [Value]? = {
                    switch (filter, indicators?[k]) {
                    case (nil, nil): return nil
                    case (let f?, nil): return f
                    case (nil, let i?): return i
                    case (let f?, let i?): return Swift.zip(f, i).map { b.product($0, $1) }
                    }
                }()
                let extreme = try b.scope(a.groups == nil ? "extreme row" : "extreme row of group `\(a.groups![k])`") {
                    try maskedExtremum(a.function == .max ? .max : .min, numerators, mask: mask,
                                       hasRows: b.not(b.isZero(counts[k])))
                }
                extremes.append(extreme)
            }
            return Reductions(counts: counts, values: extremes, scale: scale)
        case .all, .any:
            let holds = try rowBooleans(rows.body!, count: n)
            return Reductions(counts: counts, values: [try b.weightedSum(filter, holds, count: n)], scale: 1)
        }
    }

    /// A count as a denominator: the constant when it is one (≥ 1), else the value.
    func denominator(_ count: Value) -> Fraction.Denominator {
        if let c = b.constantValue(of: count)?.signedValue, c >= 1 { return .constant(c) }
        return .value(count)
    }

    /// The numerators of a numeric body for every row, and their common constant denominator.
    func bodyNumerators(_ body: Lowered, rows n: Int, _ node: PolicyGraph.Node) throws -> ([Value], Int64) {
        var scale: Int64?
        var numerators: [Value] = []
        for r in 0..<n {
            let f = try number(body.at(r))
            guard let d = f.constantDenominator, scale == nil || scale == d else {
                throw LoweringError.unsupported("this aggregate needs values with one constant scale", at: locate(node.span))
            }
            scale = d
            numerators.append(f.numerator)
        }
        if scale == nil, case .number(let f)? = body.scalar { scale = f.constantDenominator }
        if scale == nil, n == 0 { scale = 1 }
        guard let scale else { throw LoweringError.unsupported("this aggregate needs values with one constant scale", at: locate(node.span)) }
        return (numerators, scale)
    }

    /// Σ_r w_r·g_k,r per group (w = nil: every row counts 1), for booleans
    /// w: the last-but-one trick computes group 0 as the total minus the
    /// others (one dot product fewer), re-bounded to 0…rows.
    func groupCounts(_ w: [Value]?, _ indicators: [[Value]]?, rows n: Int) throws -> [Value] {
        let total = try b.weightedSum(w, nil, count: n)
        guard let indicators else { return [total] }
        let others = try indicators.dropFirst().map { try b.weightedSum(w, $0, count: n) }
        let first = b.linear([(Int64(1), total)] + others.map { (Int64(-1), $0) })
        try b.tighten(first, to: Interval(0, Int64(n)))
        return [first] + others
    }

    /// Σ_r v_r·g_k,r per group, one dot product each.
    func groupSums(_ v: [Value], _ indicators: [[Value]]?, rows n: Int) throws -> [Value] {
        guard let indicators else { return [try b.weightedSum(v, nil, count: n)] }
        return try indicators.map { try b.weightedSum(v, $0, count: n) }
    }

    /// The largest (smallest) x_r over the rows whose mask is 1, or an
    /// arbitrary row's value when there are none (`hasRows` = 0).
    ///
    /// Witness: s, the one-hot indicator of the first extreme masked row
    /// (hinted as the argmax of v_r·(x_r − lo + 1), resp. v_r·(hi + 1 − x_r)).
    /// Constraints: sᵣ ∈ {0, 1}, Σ sᵣ = 1; m = Σ sᵣ·xᵣ; Σ sᵣ·vᵣ = hasRows; with the
    /// prefix sums tᵣ = Σ_{j≤r} sⱼ, yᵣ = vᵣ·(m − xᵣ − 1 + tᵣ) ∈ [0, 2^k) (for the
    /// maximum; x − m for the minimum): masked rows before the chosen one are
    /// strictly below m, the others at most m; and (1 − hasRows)·(1 − s₀) = 0.
    /// So m is the extreme of the masked rows, the chosen row the first to
    /// reach it, and with no masked rows s is pinned to row 0: unique.
    func maskedExtremum(_ which: Extremum, _ xs: [Value], mask: [Value]?, hasRows: Value) throws -> Value {
        let n = xs.count
        guard n > 0 else { return b.constant(0) }
        var hull = b.bound(of: xs[0])
        for x in xs {
            guard !b.bound(of: x).isFull else { throw b.error(.mayWrap, "\(x) has no proven bound") }
            hull = hull.hull(b.bound(of: x))
        }
        let (spread, overflow) = hull.hi.subtractingReportingOverflow(hull.lo)
        guard !overflow, spread < Int64(1) << 60 else { throw b.error(.mayWrap, "values spread over \(hull)") }
        let keys = xs.enumerated().map { r, x -> Value in
            let shifted = which == .max ? b.linear([(Int64(1), x)], constant: 1 - hull.lo)
                                        : b.linear([(Int64(-1), x)], constant: hull.hi + 1)
            return mask.map { b.product($0[r], shifted) } ?? shifted
        }
        let s = try b.hint(.argmaxOneHot, keys, results: n)
        for x in s { try b.rangeCheck(x, bits: 1) }
        b.assertEqual(b.sum(s), b.constant(1))
        let m = try b.dot(s, xs)
        let chosenIsMasked = try mask.map { try b.dot(s, $0) } ?? b.constant(1)
        b.assertEqual(chosenIsMasked, hasRows)
        b.assertEqual(b.product(try b.not(hasRows), b.linear([(Int64(-1), s[0])], constant: 1)), b.constant(0))
        let k = CircuitBuilder.bitsFor(spread + 1)
        var prefix = s[0]
        for (r, x) in xs.enumerated() {
            if r > 0 { prefix = b.add(prefix, s[r]) }
            let gap = which == .max ? b.linear([(Int64(1), m), (Int64(-1), x), (Int64(1), prefix)], constant: -1)
                                    : b.linear([(Int64(1), x), (Int64(-1), m), (Int64(1), prefix)], constant: -1)
            try b.rangeCheck(mask.map { b.product($0[r], gap) } ?? gap, bits: k)
        }
        try b.tighten(m, to: hull)
        return m
    }
}
