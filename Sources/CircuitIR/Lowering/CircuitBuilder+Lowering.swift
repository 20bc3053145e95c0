import Field

// Gadgets the lowering needs beyond CircuitIR's: exact domain checks, a
// clamp whose result has a tight proven bound, and small helpers. Every one
// has a unique witness for given inputs (argued at each), which the
// under-constraint tests rely on.
extension CircuitBuilder {
    /// Constraint lower ≤ v ≤ upper, exactly: one range check of v − lower
    /// when the domain holds 2^k values, else two (v − lower and upper − v,
    /// each to k = bits(upper − lower) bits). Nothing when v's proven bound
    /// already lies inside. The builder back-propagates both checks, so v's
    /// bound becomes the domain.
    func checkDomain(_ v: Value, lower: Int64, upper: Int64) throws {
        guard lower <= upper else { throw error(.invalidOperand, "the empty domain \(lower)...\(upper)") }
        if bound(of: v).isSubset(of: Interval(lower, upper)) { return }
        let (width, overflow) = upper.subtractingReportingOverflow(lower)
        guard !overflow, width < Int64.max else { throw error(.invalidBitWidth, "the domain \(lower)...\(upper) is too wide") }
        let bits = CircuitBuilder.bitsFor(width)
        guard bits <= 63 else { throw error(.invalidBitWidth, "the domain \(lower)...\(upper) is too wide") }
        if lower == 0 {
            try rangeCheck(v, bits: bits)
        } else {
            try rangeCheck(linear([(Int64(1), v)], constant: -lower), bits: bits)
        }
        // A domain of exactly 2^bits values is closed by the first check.
        if bits < 63, width == (Int64(1) << bits) - 1 { return }
        try rangeCheck(linear([(Int64(-1), v)], constant: upper), bits: bits)
    }

    /// min(max(x, lower), upper), either side optional, for x with a proven
    /// bound; the result's proven bound is [lower, upper] (clipped to x's).
    ///
    /// Witness: c_lo = [x < lower] and c_hi = [upper < x] (hinted booleans).
    /// Constraints: y = x + c_lo·(lower − x) + c_hi·(upper − x);
    /// y − lower ∈ [0, 2^m) and upper − y ∈ [0, 2^m) (m = bits(upper − lower));
    /// u = c_lo·(lower − 1 − x) + c_hi·(x − upper − 1) ∈ [0, 2^w).
    /// Unique: with neither flag, y = x and the two checks say lower ≤ x ≤
    /// upper; with c_lo alone, y = lower and u ≥ 0 says x < lower (c_hi alike);
    /// with both, u = lower − upper − 2 < 0 fails. Nothing wraps: all of these
    /// lie within the proven bound of x plus the constants.
    func clamp(_ x: Value, lower: Int64?, upper: Int64?) throws -> Value {
        let B = bound(of: x)
        guard !B.isFull else { throw error(.mayWrap, "cannot clamp \(x): it has no proven bound") }
        if let lower, let upper, lower > upper { throw error(.invalidOperand, "clamp to the empty range \(lower)...\(upper)") }
        if let lower, B.hi <= lower { return constant(Int(lower)) }
        if let upper, B.lo >= upper { return constant(Int(upper)) }
        let needLower = lower.map { B.lo < $0 } ?? false
        let needUpper = upper.map { B.hi > $0 } ?? false
        if !needLower && !needUpper { return x }
        let lo = needLower ? lower! : B.lo
        let hi = needUpper ? upper! : B.hi
        return try scope("clamp") {
            var terms: [(Int64, Value)] = [(1, x)]
            var slack: [(Int64, Value)] = []
            var slackBound: Int64 = 0
            if needLower {
                let c = try hint(.lessThan, [x, constant(Int(lo))], results: 1)[0]
                try rangeCheck(c, bits: 1)
                terms.append((1, mul(c, linear([(Int64(-1), x)], constant: lo))))
                slack.append((1, mul(c, linear([(Int64(-1), x)], constant: lo - 1))))
                slackBound = Swift.max(slackBound, lo - 1 - B.lo)
            }
            if needUpper {
                let c = try hint(.lessThan, [constant(Int(hi)), x], results: 1)[0]
                try rangeCheck(c, bits: 1)
                terms.append((1, mul(c, linear([(Int64(-1), x)], constant: hi))))
                slack.append((1, mul(c, linear([(Int64(1), x)], constant: -hi - 1))))
                slackBound = Swift.max(slackBound, B.hi - hi - 1)
            }
            let y = linear(terms)
            let u = slack.count == 1 && slack[0].0 == 1 ? slack[0].1 : linear(slack)
            try rangeCheck(u, bits: CircuitBuilder.bitsFor(slackBound))
            let m = CircuitBuilder.bitsFor(hi - lo)
            try rangeCheck(lo == 0 ? y : linear([(Int64(1), y)], constant: -lo), bits: m)
            try rangeCheck(linear([(Int64(-1), y)], constant: hi), bits: m)
            return y
        }
    }

    /// |x| with the proven bound [0, max|x|].
    ///
    /// Witness: c = [x < 0] (hinted). Constraints: v = x − 2c·x − c ∈ [0, 2^m)
    /// with 2^m > max|x|; the result is v + c. If c = 0 this says x ≥ 0 and the
    /// result is x; if c = 1, that −x − 1 ≥ 0 and the result is −x. Unique.
    func absolute(_ x: Value) throws -> Value {
        let B = bound(of: x)
        guard !B.isFull else { throw error(.mayWrap, "cannot take |\(x)|: it has no proven bound") }
        if B.lo >= 0 { return x }
        if B.hi < 0 { return linear([(Int64(-1), x)]) }
        return try scope("abs") {
            let c = try hint(.lessThan, [x, constant(0)], results: 1)[0]
            try rangeCheck(c, bits: 1)
            let v = linear([(Int64(1), x), (Int64(-2), mul(c, x)), (Int64(-1), c)])
            try rangeCheck(v, bits: CircuitBuilder.bitsFor(Swift.max(-B.lo, B.hi)))
            return linear([(Int64(1), v), (Int64(1), c)])
        }
    }

    /// Constraint v ≥ 1, skipped when v's bound proves it. With a guard g
    /// (proven boolean), only where g = 1: g·(v − 1) ∈ [0, 2^k).
    func checkPositive(_ v: Value, guard g: Value?) throws {
        let B = bound(of: v)
        guard !B.isFull else { throw error(.mayWrap, "\(v) has no proven bound") }
        if B.lo >= 1 { return }
        let bits = CircuitBuilder.bitsFor(Swift.max(B.hi - 1, 0))
        let shifted = linear([(Int64(1), v)], constant: -1)
        if let g, constantValue(of: g) != .one {
            try rangeCheck(mul(g, shifted), bits: bits)
        } else {
            try rangeCheck(shifted, bits: bits)
        }
    }

    /// a·b, as a `linear` when one side is a constant (no multiplication gate).
    func product(_ a: Value, _ b: Value) -> Value {
        if let c = constantValue(of: a) { return c == .one ? b : linear([(c, b)]) }
        if let c = constantValue(of: b) { return c == .one ? a : linear([(c, a)]) }
        return mul(a, b)
    }

    /// k·v (v itself when k = 1).
    func scaled(_ v: Value, by k: Int64) -> Value {
        k == 1 ? v : linear([(k, v)])
    }

    /// Σ values (0 for none).
    func sum(_ values: [Value]) -> Value {
        if values.isEmpty { return constant(0) }
        if values.count == 1 { return values[0] }
        return linear(values.map { (Int64(1), $0) })
    }

    /// Σ aᵢ·bᵢ, with `nil` standing for a column of ones on either side.
    func weightedSum(_ a: [Value]?, _ b: [Value]?, count: Int) throws -> Value {
        switch (a, b) {
        case (nil, nil): return constant(count)
        case (let x?, nil), (nil, let x?): return sum(x)
        case (let x?, let y?): return x.isEmpty ? constant(0) : try dot(x, y)
        }
    }

    /// Floor division a = q·d + r, 0 ≤ r < d, where the caller knows the
    /// quotient of every honest input lies in `quotientIn` (narrower than what
    /// the bounds of a and d imply; e.g. |a| ≤ d·2^k). The same constraints as
    /// `divRem` with q range-checked to that interval: any input whose true
    /// quotient lies outside fails at witness time, and nothing can wrap.
    func divRem(_ a: Value, by d: Value, quotientIn q: Interval) throws -> (quotient: Value, remainder: Value) {
        let A = bound(of: a), D = bound(of: d)
        guard !A.isFull else { throw error(.mayWrap, "the dividend \(a) has no proven bound") }
        guard D.lo >= 1 else { throw error(.mayBeNonPositive, "the divisor \(d) ∈ \(D) may be zero or negative") }
        return try scope("div_rem") {
            let results = try hint(.divRem, [a, d], results: 2)
            let (quotient, remainder) = (results[0], results[1])
            let kr = CircuitBuilder.bitsFor(D.hi - 1)
            try rangeCheck(remainder, bits: kr)
            try rangeCheck(linear([(Int64(1), d), (Int64(-1), remainder)], constant: -1), bits: kr)
            try checkDomain(quotient, lower: q.lo, upper: q.hi)
            let recombined = add(mul(quotient, d), remainder)
            try requireBounded(recombined, "q·d + r")
            assertEqual(a, recombined)
            return (quotient, remainder)
        }
    }

    /// Narrows a value's proven bound to `interval` with a domain check, when
    /// its bound is wider (the interval must contain every honest value).
    func tighten(_ v: Value, to interval: Interval) throws {
        if bound(of: v).isSubset(of: interval) { return }
        try checkDomain(v, lower: interval.lo, upper: interval.hi)
    }
}
