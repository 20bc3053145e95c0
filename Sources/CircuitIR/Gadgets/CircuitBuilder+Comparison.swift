import Field

// Comparison of bounded signed integers.
extension CircuitBuilder {
    /// 1 if a < b as signed integers, else 0.
    ///
    /// Bound: the proven bounds of a and b must give |b − a| ≤ 2^k − 1 for some
    /// k ≤ 62; otherwise this throws `mayWrap` (range-check the inputs first,
    /// e.g. with `signedRangeCheck`). Cost: one hint, one boolean check and one
    /// k-bit range check.
    ///
    /// Constraints, with d = b − a: lt ∈ {0, 1} and
    /// y = d − 1 + 2^k·(1 − lt) ∈ [0, 2^k). If lt = 1 this says 1 ≤ d ≤ 2^k; if
    /// lt = 0 it says 1 − 2^k ≤ d ≤ 0. As |d| < 2^k exactly one holds, so
    /// lt = [a < b] is the only witness (y never wraps: |y| < 2^(k+1) ≪ p).
    public func lessThan(_ a: Value, _ b: Value) throws -> Value {
        if let x = constantInteger(a), let y = constantInteger(b) { return constant(x < y ? 1 : 0) }
        let difference = bound(of: b) - bound(of: a)
        guard !difference.isFull, difference.magnitudeBits <= 62 else {
            throw error(.mayWrap, "cannot compare \(a) ∈ \(bound(of: a)) with \(b) ∈ \(bound(of: b)): their difference is not proven to be below 2^62 in magnitude")
        }
        let k = Swift.max(1, difference.magnitudeBits)
        return try scope("less_than") {
            let lt = try hint(.lessThan, [a, b], results: 1)[0]
            try rangeCheck(lt, bits: 1)
            let twoK = Int64(1) << k
            let y = linear([(Int64(1), b), (Int64(-1), a), (-twoK, lt)], constant: twoK - 1)
            try rangeCheck(y, bits: k)
            return lt
        }
    }

    /// 1 if a ≤ b, else 0.
    public func lessOrEqual(_ a: Value, _ b: Value) throws -> Value { try not(lessThan(b, a)) }

    /// 1 if a > b, else 0.
    public func greaterThan(_ a: Value, _ b: Value) throws -> Value { try lessThan(b, a) }

    /// 1 if a ≥ b, else 0.
    public func greaterOrEqual(_ a: Value, _ b: Value) throws -> Value { try not(lessThan(a, b)) }

    /// Constraint a < b (no result): a range check of b − a − 1 to k bits,
    /// with the same bound requirement as `lessThan`.
    public func assertLessThan(_ a: Value, _ b: Value) throws {
        let difference = bound(of: b) - bound(of: a)
        guard !difference.isFull, difference.magnitudeBits <= 62 else {
            throw error(.mayWrap, "cannot compare \(a) ∈ \(bound(of: a)) with \(b) ∈ \(bound(of: b)): their difference is not proven to be below 2^62 in magnitude")
        }
        try scope("assert_less_than") {
            try rangeCheck(linear([(Int64(1), b), (Int64(-1), a)], constant: -1), bits: Swift.max(1, difference.magnitudeBits))
        }
    }
}
