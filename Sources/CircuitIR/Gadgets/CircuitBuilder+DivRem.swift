import Field

extension CircuitBuilder {
    /// Floor division with remainder of a signed bounded a by a positive
    /// bounded d: a = q·d + r with 0 ≤ r < d.
    ///
    /// Bounds: a must have a proven bound and d a proven bound with lower end
    /// ≥ 1 (else `mayWrap` / `mayBeNonPositive`); q's range [q_lo, q_hi]
    /// follows from the corners of a's and d's bounds.
    ///
    /// Constraints: (q, r) hinted; r ∈ [0, 2^k_r) and d − 1 − r ∈ [0, 2^k_r)
    /// with 2^k_r ≥ d_max (the second check is dropped for a constant power-of-two
    /// d = 2^k_r); q − q_lo ∈ [0, 2^k_q); a = q·d + r. The bound of q·d + r is
    /// then checked to be free of wrap-around, so the last equation holds over
    /// the integers, and 0 ≤ r < d makes (q, r) the unique floor division.
    public func divRem(_ a: Value, by d: Value) throws -> (quotient: Value, remainder: Value) {
        let A = bound(of: a), D = bound(of: d)
        guard !A.isFull else { throw error(.mayWrap, "the dividend \(a) has no proven bound") }
        guard D.lo >= 1 else { throw error(.mayBeNonPositive, "the divisor \(d) ∈ \(D) may be zero or negative") }
        let constantDivisor = constantInteger(d)
        if let c = constantDivisor, c == 1 { return (a, constant(0)) }
        if let x = constantInteger(a), let c = constantDivisor {
            let (q, r) = CircuitBuilder.floorDivision(x, c)
            return (constant(Int(q)), constant(Int(r)))
        }
        return try scope("div_rem") {
            let qLo = Swift.min(CircuitBuilder.floorDivision(A.lo, D.lo).0, CircuitBuilder.floorDivision(A.lo, D.hi).0)
            let qHi = Swift.max(CircuitBuilder.floorDivision(A.hi, D.lo).0, CircuitBuilder.floorDivision(A.hi, D.hi).0)
            let results = try hint(.divRem, [a, d], results: 2)
            let (q, r) = (results[0], results[1])
            let kr = CircuitBuilder.bitsFor(D.hi - 1)
            try rangeCheck(r, bits: kr)
            if constantDivisor != (Int64(1) << kr) {
                try rangeCheck(linear([(Int64(1), d), (Int64(-1), r)], constant: -1), bits: kr)
            }
            let (span, overflow) = qHi.subtractingReportingOverflow(qLo)
            guard !overflow, span < Int64(1) << 62 else { throw error(.mayWrap, "the quotient range [\(qLo), \(qHi)] is too wide") }
            try rangeCheck(linear([(Int64(1), q)], constant: -qLo), bits: CircuitBuilder.bitsFor(span))
            let product = constantDivisor.map { linear([($0, q)]) } ?? mul(q, d)
            let recombined = add(product, r)
            try requireBounded(recombined, "q·d + r")
            assertEqual(a, recombined)
            return (q, r)
        }
    }

    /// `divRem(a, by: constant(d))` for a constant divisor d ≥ 1.
    public func divRem(_ a: Value, byConstant d: Int64) throws -> (quotient: Value, remainder: Value) {
        guard d >= 1 else { throw error(.mayBeNonPositive, "division by the constant \(d)") }
        return try divRem(a, by: constant(Int(d)))
    }

    /// ⌊a / d⌋ and a mod d for d ≥ 1 (remainder in 0 ..< d).
    static func floorDivision(_ a: Int64, _ d: Int64) -> (Int64, Int64) {
        var q = a / d, r = a % d
        if r < 0 { q -= 1; r += d }
        return (q, r)
    }
}
