import BigNumber

// The tallies of `Evaluator.evaluate(_:_:)` over aggregates: one pass over some
// rows, and the merge of passes over consecutive runs of rows.
extension Evaluator {
    /// Adds `rows` of `aggregate` to `tally`, in order; throws what the
    /// first failing row throws.
    mutating func tally(_ aggregate: Aggregate, _ table: ArraySlice<[String: RuntimeValue]>, groups groupCount: Int,
                        into tally: inout AggregateTally) throws {
        let saved = rows[aggregate.binder.id]
        defer { rows[aggregate.binder.id] = saved }
        for row in table {
            rows[aggregate.binder.id] = row
            if let filter = aggregate.filter, !(try truth(value(filter), filter)) { continue }
            var group = 0
            if let grouping = aggregate.grouping {
                guard case .enumCase(let index) = try value(grouping.key), (0..<groupCount).contains(index) else {
                    throw failure("group key is not a case of \(grouping.groups)", grouping.key)
                }
                group = index
            }
            tally.count[group] += 1
            guard let body = aggregate.body else { continue }
            switch aggregate.function {
            case .rate, .all, .any: tally.add(truth: try truth(value(body), body), to: group)
            default: tally.add(number: try number(value(body), body), to: group)
            }
        }
    }
}

/// What one pass over some rows of an aggregate has seen, per group.
struct AggregateTally {
    var count: [Int]
    var trues: [Int]
    var sums: [Rational]
    var lows: [Rational?]
    var highs: [Rational?]
    var all = true, any = false

    init(groups: Int) {
        count = [Int](repeating: 0, count: groups)
        trues = count
        sums = [Rational](repeating: .zero, count: groups)
        lows = [Rational?](repeating: nil, count: groups)
        highs = lows
    }

    /// Adds one row's truth (a `rate`, `all` or `any` body) to group g.
    mutating func add(truth holds: Bool, to g: Int) {
        if holds { trues[g] += 1 }
        all = all && holds
        any = any || holds
    }

    /// Adds one row's number to group g.
    mutating func add(number x: Rational, to g: Int) {
        sums[g] = sums[g] + x
        include(low: x, high: x, in: g)
    }

    /// Widens group g's minimum and maximum to take in [low, high].
    private mutating func include(low: Rational, high: Rational, in g: Int) {
        lows[g] = lows[g].map { Rational.min($0, low) } ?? low
        highs[g] = highs[g].map { Rational.max($0, high) } ?? high
    }

    /// Adds the tally of other rows (exact: the order of the rows does not matter).
    mutating func merge(_ other: AggregateTally) {
        for g in count.indices {
            count[g] += other.count[g]
            trues[g] += other.trues[g]
            sums[g] = sums[g] + other.sums[g]
            // Both are set once the other rows gave group g a number.
            if let low = other.lows[g], let high = other.highs[g] { include(low: low, high: high, in: g) }
        }
        all = all && other.all
        any = any || other.any
    }
}
