import Field

/// How a fixed-point rescale rounds the exact quotient v / 2^s.
public enum Rounding: String, Sendable, CaseIterable {
    /// ⌊v / 2^s⌋: toward −∞, the arithmetic shift right.
    case floor
    /// ⌊(v + 2^(s−1)) / 2^s⌋: to nearest, ties toward +∞ ("round half up";
    /// −2.5 → −2, 2.5 → 3).
    case nearestTiesUp = "nearest-ties-up"

    /// The reference semantics on integers, for tests and quantizers.
    public func apply(_ v: Int64, shift: Int) -> Int64 {
        guard shift > 0 else { return v }
        let offset: Int64 = self == .floor ? 0 : Int64(1) << (shift - 1)
        return CircuitBuilder.floorDivision(v + offset, Int64(1) << shift).0
    }
}

extension CircuitBuilder {
    /// x / 2^shift rounded as `rounding` says, for x with a proven bound
    /// (0 ≤ shift ≤ 62). A `divRem` by the constant 2^shift, after adding
    /// 2^(shift−1) for round-to-nearest.
    public func rescale(_ x: Value, shift: Int, rounding: Rounding) throws -> Value {
        guard (0...62).contains(shift) else { throw error(.invalidBitWidth, "rescale by 2^\(shift)") }
        guard shift > 0 else { return x }
        return try scope("rescale") {
            let shifted = rounding == .floor ? x : linear([(Int64(1), x)], constant: Int64(1) << (shift - 1))
            return try divRem(requireBounded(shifted, "the value to rescale"), byConstant: Int64(1) << shift).quotient
        }
    }

    /// The fixed-point product of a (scale 2^sa) and b (scale 2^sb) at scale
    /// 2^(sa + sb − shift): rescale(a·b, shift). The product must be proven
    /// not to wrap.
    public func fixedMul(_ a: Value, _ b: Value, shift: Int, rounding: Rounding) throws -> Value {
        try scope("fixed_mul") {
            try rescale(checkedMul(a, b), shift: shift, rounding: rounding)
        }
    }
}
