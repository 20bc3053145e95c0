import Field

// Gadgets the lowering needs beyond CircuitIR's: exact domain checks, a
// clamp whose result has a tight proven bound, and small helpers. Every one
// has a unique witness for given inputs (argued at each), which the
// under-constraint tests rely on.
extension CircuitBuilder {
    /// The width a range check that only has to prove non-negativity (or an
    /// upper bound that need not be exact) can be given for free: the layout
    /// expands a check into 16-bit limb lookups, plus one more lookup for a
    /// top limb of fewer than 16 bits, so 17 to 31 bits cost 3 lookups but 32
    /// bits 2. Rounded up to 16, 32 or 48; wider checks keep their width
    /// (rounding up to 64 is not possible: checks stop at 63 bits, and the
    /// builder learns bounds only from checks of at most 62).
    static func lookupWidth(_ bits: Int) -> Int {
        bits > 48 ? bits : (bits + 15) / 16 * 16
    }

    /// Constraint v ≥ 0 for a value whose honest values are at most `upper`:
    /// a range check widened to a multiple of 16 bits (a negative value is a
    /// field element above 2^63 and fails any check). Nothing when proven.
    func checkNonNegative(_ v: Value, upper: Int64) throws {
        if bound(of: v).lo >= 0 { return }
        try rangeCheck(v, bits: CircuitBuilder.lookupWidth(CircuitBuilder.bitsFor(Swift.max(upper, 0))))
    }

    /// Constraint lower ≤ v ≤ upper, exactly; afterwards v's proven bound is
    /// the domain (the checks are on v − lower and upper − v, which the
    /// builder back-propagates to v), or one more than it in the second case
    /// below. Nothing when v's bound already lies inside. By the domain's
    /// width W = upper − lower:
    /// - W + 1 = 2^k: one k-bit check of v − lower;
    /// - W + 2 = 2^k (W > 0): that check and v − lower ≠ 2^k − 1 (an inverse
    ///   hint h with (v − lower − 2^k + 1)·h = 1) — the symmetric ±(2^b − 1)
    ///   ranges of the quantizer's clamps (the bound then reaches upper + 1);
    /// - otherwise two checks, v − lower ≥ 0 and upper − v ≥ 0, each widened to
    ///   a multiple of 16 bits (only their non-negativity matters).
    func checkDomain(_ v: Value, lower: Int64, upper: Int64) throws {
        guard lower <= upper else { throw error(.invalidOperand, "the empty domain \(lower)...\(upper)") }
        if bound(of: v).isSubset(of: Interval(lower, upper)) { return }
        let (width, overflow) = upper.subtractingReportingOverflow(lower)
        guard !overflow, width < Int64.max else { throw error(.invalidBitWidth, "the domain \(lower)...\(upper) is too wide") }
        let bits = CircuitBuilder.bitsFor(width)
        guard bits <= 63 else { throw error(.invalidBitWidth, "the domain \(lower)...\(upper) is too wide") }
        let shifted = lower == 0 ? v : linear([(Int64(1), v)], constant: -lower)
        if bits < 63, width == (Int64(1) << bits) - 1 {
            try rangeCheck(shifted, bits: bits)
            return
        }
        if bits < 63, width > 0, width == (Int64(1) << bits) - 2 {
            try rangeCheck(shifted, bits: bits)
            let excluded = linear([(Int64(1), v)], constant: -(lower + width + 1))
            let inverse = try hint(.inverseOrZero, [excluded], results: 1)[0]
            assertEqual(mul(excluded, inverse), constant(1))
            return
        }
        let wide = CircuitBuilder.lookupWidth(bits)
        try rangeCheck(shifted, bits: wide)
        try rangeCheck(linear([(Int64(-1), v)], constant: upper), bits: wide)
    }

    /// min(max(x, lower), upper), either side optional, for x with a proven
    /// bound; the result's proven bound is [lower, upper] (clipped to x's).
    ///
    /// Witness: c_lo = [x < lower] and c_hi = [upper < x] (hinted booleans),
    /// p = c_lo·x, s = c_hi·x. Constraints: y = x − p − s + lower·c_lo +
    /// upper·c_hi; lower ≤ y ≤ upper (`checkDomain`); u = (lower − 1)·c_lo − p
    /// + s − (upper + 1)·c_hi ≥ 0. Unique: with neither flag, y = x and the
    /// domain check says lower ≤ x ≤ upper; with c_lo alone, y = lower and u =
    /// lower − 1 − x ≥ 0 says x < lower (c_hi alike); with both, u = lower −
    /// upper − 2 < 0 fails. Nothing wraps: every term lies within x's proven
    /// bound times 0 or 1, plus constants.
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
                let p = mul(c, x)
                terms += [(-1, p), (lo, c)]
                slack += [(lo - 1, c), (-1, p)]
                slackBound = Swift.max(slackBound, lo - 1 - B.lo)
            }
            if needUpper {
                let c = try hint(.lessThan, [constant(Int(hi)), x], results: 1)[0]
                try rangeCheck(c, bits: 1)
                let s = mul(c, x)
                terms += [(-1, s), (hi, c)]
                slack += [(1, s), (-(hi + 1), c)]
                slackBound = Swift.max(slackBound, B.hi - hi - 1)
            }
            let y = linear(terms)
            try rangeCheck(linear(slack), bits: CircuitBuilder.lookupWidth(CircuitBuilder.bitsFor(slackBound)))
            try checkDomain(y, lower: lo, upper: hi)
            return y
        }
    }

    /// clamp(⌊(x + 2^(k−1)) / 2^k⌋, lower, upper): a rounding rescale and a
    /// clamp in one gadget, without range-checking the unclamped quotient
    /// (the quantized model's `rescale` then `clamp`, and `relu` after them
    /// with lower = 0). `hintFor` gives the `rescale_clamp k lower upper` custom hint.
    ///
    /// With X = x + 2^(k−1). Witness (hinted): y, r, c_lo, c_hi; p = c_lo·X,
    /// s = c_hi·X. Constraints: c_lo, c_hi ∈ {0, 1}; lower ≤ y ≤ upper;
    /// 0 ≤ r < 2^k;
    ///     X − p − s + 2^k·lower·c_lo + 2^k·upper·c_hi = 2^k·y + r
    /// (the left side is X without flags, 2^k·lower with c_lo, 2^k·upper with
    /// c_hi); u = (2^k·lower − 1)·c_lo − p + s − 2^k·(upper + 1)·c_hi ≥ 0.
    /// Exact and unique: every term is far below 2^62, so the equation holds
    /// over the integers. Without flags it makes y = ⌊X / 2^k⌋ (in range by the
    /// domain check). With c_lo alone, 2^k·lower = 2^k·y + r with y ≥ lower and
    /// 0 ≤ r forces y = lower, r = 0, and u = 2^k·lower − 1 − X ≥ 0 says
    /// ⌊X / 2^k⌋ < lower (c_hi alike); both flags give u < 0.
    /// Either bound may be nil (no clamping on that side).
    func rescaleClamp(_ x: Value, shift k: Int, lower: Int64?, upper: Int64?,
                      hintFor: (Int, Int64, Int64) throws -> HintKind) throws -> Value {
        guard (1...62).contains(k) else { throw error(.invalidOperand, "rescale_clamp by 2^\(k)") }
        let half = Int64(1) << (k - 1), unit = Int64(1) << k
        let X = linear([(Int64(1), x)], constant: half)
        let A = bound(of: X)
        guard !A.isFull else { throw error(.mayWrap, "cannot rescale \(x): it has no proven bound") }
        let qLo = A.lo >> Int64(k), qHi = A.hi >> Int64(k)
        let lo = lower ?? qLo, hi = upper ?? qHi
        guard lo <= hi else { throw error(.invalidOperand, "rescale_clamp to the empty range \(lo)...\(hi)") }
        if qLo >= lo && qHi <= hi { return try rescale(x, shift: k, rounding: .nearestTiesUp) }
        if qHi <= lo { return constant(Int(lo)) }
        if qLo >= hi { return constant(Int(hi)) }
        let (low, o1) = lo.multipliedReportingOverflow(by: unit)
        let (high, o2) = (hi + 1).multipliedReportingOverflow(by: unit)
        guard !o1, !o2, low.magnitude < UInt64(1) << 61, high.magnitude < UInt64(1) << 61 else {
            throw error(.mayWrap, "rescale_clamp bounds \(lo), \(hi) at 2^\(k) are too wide")
        }
        let kind = try hintFor(k, lo, hi)
        return try scope("rescale_clamp") {
            let results = try hint(kind, [X], results: 4)
            let (y, r, cLo, cHi) = (results[0], results[1], results[2], results[3])
            let zero = constant(0)
            try checkDomain(y, lower: lo, upper: hi)
            try rangeCheck(r, bits: k)
            var dividend: [(Int64, Value)] = [(1, X)]
            var slack: [(Int64, Value)] = []
            var slackBound: Int64 = 0
            if qLo < lo {
                try rangeCheck(cLo, bits: 1)
                let p = mul(cLo, X)
                dividend += [(-1, p), (low, cLo)]
                slack += [(low - 1, cLo), (-1, p)]
                slackBound = Swift.max(slackBound, low - 1 - A.lo)
            } else {
                assertEqual(cLo, zero)
            }
            if qHi > hi {
                try rangeCheck(cHi, bits: 1)
                let s = mul(cHi, X)
                dividend += [(-1, s), (unit * hi, cHi)]
                slack += [(1, s), (-high, cHi)]
                slackBound = Swift.max(slackBound, A.hi - high)
            } else {
                assertEqual(cHi, zero)
            }
            assertEqual(linear(dividend + [(-unit, y), (-1, r)]), zero)
            try rangeCheck(linear(slack), bits: CircuitBuilder.lookupWidth(CircuitBuilder.bitsFor(slackBound)))
            return y
        }
    }

    /// [a < b] for values with proven bounds: `lessThan`'s constraints with
    /// the check widened to a multiple of 16 bits (at most 62), which keeps
    /// the argument (|b − a| < 2^k ≤ 2^k') and saves lookups.
    func less(_ a: Value, _ b: Value) throws -> Value {
        if let x = constantInteger(a), let y = constantInteger(b) { return constant(x < y ? 1 : 0) }
        let difference = bound(of: b) - bound(of: a)
        guard !difference.isFull, difference.magnitudeBits <= 62 else {
            throw error(.mayWrap, "cannot compare \(a) ∈ \(bound(of: a)) with \(b) ∈ \(bound(of: b)): their difference is not proven to be below 2^62 in magnitude")
        }
        let k = CircuitBuilder.lookupWidth(Swift.max(1, difference.magnitudeBits))
        return try scope("less_than") {
            let lt = try hint(.lessThan, [a, b], results: 1)[0]
            try rangeCheck(lt, bits: 1)
            let twoK = Int64(1) << k
            try rangeCheck(linear([(Int64(1), b), (Int64(-1), a), (-twoK, lt)], constant: twoK - 1), bits: k)
            return lt
        }
    }

    /// [a ≤ b] = 1 − [b < a].
    func lessOrEqualWide(_ a: Value, _ b: Value) throws -> Value { try not(less(b, a)) }

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
        let bits = CircuitBuilder.lookupWidth(CircuitBuilder.bitsFor(Swift.max(B.hi - 1, 0)))
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
