import Field

extension CircuitBuilder {
    /// Range check 0 ≤ x < 2^bits (1 ≤ bits ≤ 63) built from lookups into the
    /// 16-bit table `range16`, the form the layout proves (`expand-range-checks`
    /// rewrites every `range_check` into this):
    ///
    /// - bits = 1: x·x = x.
    /// - bits ≤ 16: lookup(x); if bits < 16 also lookup(2^(16−bits)·x).
    /// - bits > 16: n = ⌈bits/16⌉ hinted limbs ℓᵢ, lookup(ℓᵢ) for each, and the
    ///   top limb also lookup(2^(16−r)·ℓ_top) when r = bits − 16(n−1) < 16;
    ///   then x = Σ 2^(16i)·ℓᵢ.
    ///
    /// Why it is sound and the limbs unique: each ℓᵢ < 2^16 and the shifted
    /// lookup forces ℓ_top < 2^r (2^(16−r)·ℓ_top < 2^32 cannot wrap), so
    /// Σ 2^(16i)·ℓᵢ < 2^bits ≤ 2^63 < p is an integer below p, x's canonical
    /// value equals it, and base-2^16 digits are unique.
    public func rangeCheckByLimbs(_ x: Value, bits: Int) throws {
        guard (1...63).contains(bits) else { throw error(.invalidBitWidth, "range check to \(bits) bits (1…63 allowed)") }
        try scope("range_check_limbs") {
            if bits == 1 {
                assertEqual(mul(x, x), x)
                return
            }
            let range16 = try table(.range16)
            if bits <= 16 {
                try lookup(range16, [x])
                if bits < 16 { try lookup(range16, [linear([(Int64(1) << (16 - bits), x)])]) }
                return
            }
            let n = (bits + 15) / 16
            let limbs = try hint(.limbs(count: n), [x], results: n)
            for limb in limbs { try lookup(range16, [limb]) }
            let top = bits - 16 * (n - 1)
            if top < 16 { try lookup(range16, [linear([(Int64(1) << (16 - top), limbs[n - 1])])]) }
            let sum = linear(limbs.enumerated().map { (Goldilocks(UInt64(1) << (16 * UInt64($0.offset))), $0.element) })
            assertEqual(x, sum)
        }
    }
}
