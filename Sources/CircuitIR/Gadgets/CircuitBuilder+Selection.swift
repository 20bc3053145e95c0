import Field

// Choosing between values: select, ReLU, abs, min/max, argmax.
extension CircuitBuilder {
    /// c ? a : b for c ∈ {0, 1} (checked unless proven): b + c·(a − b).
    /// No hint; the result is determined by c, a and b.
    public func select(_ c: Value, _ a: Value, _ b: Value) throws -> Value {
        if let k = constantValue(of: c), k == .zero || k == .one { return k == .one ? a : b }
        return try scope("select") {
            try assertBoolean(c)
            return add(b, mul(c, sub(a, b)))
        }
    }

    /// max(x, 0) = [0 < x]·x, for x with a proven bound.
    public func relu(_ x: Value) throws -> Value {
        try scope("relu") { mul(try lessThan(constant(0), x), x) }
    }

    /// |x| = x − 2·[x < 0]·x, for x with a proven bound.
    public func abs(_ x: Value) throws -> Value {
        try scope("abs") { linear([(Int64(1), x), (Int64(-2), mul(try lessThan(x, constant(0)), x))]) }
    }

    /// (min(a, b), max(a, b)) from one comparison s = [a < b]:
    /// min = b + s·(a − b), max = a − s·(a − b).
    public func minMax(_ a: Value, _ b: Value) throws -> (min: Value, max: Value) {
        try scope("min_max") {
            let t = mul(try lessThan(a, b), sub(a, b))
            return (add(b, t), sub(a, t))
        }
    }

    /// min(a, b), as `minMax`.
    public func min(_ a: Value, _ b: Value) throws -> Value { try minMax(a, b).min }
    /// max(a, b), as `minMax`.
    public func max(_ a: Value, _ b: Value) throws -> Value { try minMax(a, b).max }

    /// The index of the first maximum of xs, and the maximum, for values with
    /// proven bounds (signed comparison).
    ///
    /// Constraints: a hinted one-hot s (sᵢ ∈ {0,1}, Σsᵢ = 1); m = Σ sᵢ·xᵢ;
    /// index = Σ i·sᵢ; with the prefix sums tⱼ = Σ_{i≤j} sᵢ (0 before the chosen
    /// position, 1 from it on), yⱼ = m − xⱼ − 1 + tⱼ ∈ [0, 2^k) for every j,
    /// where 2^k exceeds the spread of all bounds. Before the chosen position
    /// this says xⱼ < m, from it on xⱼ ≤ m: m is the maximum and the chosen
    /// position the first one attaining it, so the witness is unique.
    public func argmax(_ xs: [Value]) throws -> (index: Value, maximum: Value) {
        guard let first = xs.first else { throw error(.invalidOperand, "argmax of no values") }
        if xs.count == 1 { return (constant(0), first) }
        var hull = bound(of: first)
        for x in xs {
            guard !bound(of: x).isFull else { throw error(.mayWrap, "argmax input \(x) has no proven bound") }
            hull = hull.hull(bound(of: x))
        }
        let (spread, overflow) = hull.hi.subtractingReportingOverflow(hull.lo)
        guard !overflow, spread < Int64(1) << 61 else { throw error(.mayWrap, "argmax inputs spread over \(hull)") }
        let k = CircuitBuilder.bitsFor(spread)
        return try scope("argmax") {
            let s = try hint(.argmaxOneHot, xs, results: xs.count)
            for b in s { try rangeCheck(b, bits: 1) }
            assertEqual(linear(s.map { (Int64(1), $0) }), constant(1))
            let m = try dot(s, xs)
            let index = linear(s.enumerated().map { (Int64($0.offset), $0.element) })
            var prefix = s[0]
            for (j, x) in xs.enumerated() {
                if j > 0 { prefix = add(prefix, s[j]) }
                try rangeCheck(linear([(Int64(1), m), (Int64(-1), x), (Int64(1), prefix)], constant: -1), bits: k)
            }
            return (index, m)
        }
    }
}
