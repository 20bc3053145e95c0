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
            case .rate, .all, .any:
                let holds = try truth(value(body), body)
                if holds { tally.trues[group] += 1 }
                tally.all = tally.all && holds
                tally.any = tally.any || holds
            default:
                let x = try number(value(body), body)
                tally.sums[group] = tally.sums[group] + x
                tally.lows[group] = tally.lows[group].map { Rational.min($0, x) } ?? x
                tally.highs[group] = tally.highs[group].map { Rational.max($0, x) } ?? x
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

    /// Adds the tally of other rows (exact: the order of the rows does not matter).
    mutating func merge(_ other: AggregateTally) {
        for g in count.indices {
            count[g] += other.count[g]
            trues[g] += other.trues[g]
            sums[g] = sums[g] + other.sums[g]
            if let low = other.lows[g] { lows[g] = lows[g].map { Rational.min($0, low) } ?? low }
            if let high = other.highs[g] { highs[g] = highs[g].map { Rational.max($0, high) } ?? high }
        }
        all = all && other.all
        any = any || other.any
    }
}
