import BigNumber
import Field

extension Goldilocks {
    /// (p − 1) / 2: every element has exactly one signed representative in
    /// −halfModulus … halfModulus.
    public static let halfModulus: Int64 = 0x7FFF_FFFF_8000_0000

    /// The signed representative: `value` if it is at most (p − 1)/2,
    /// otherwise `value − p`. This is how circuits read a field element as an
    /// integer, and what `Interval` bounds.
    @inlinable
    public var signedValue: Int64 {
        value <= UInt64(Goldilocks.halfModulus) ? Int64(value) : -Int64(Goldilocks.modulus - value)
    }

    /// The element for a big integer of any size, reduced modulo p.
    public init(reducing n: BigInt) {
        let p = BigInt(Goldilocks.modulus)
        // INVARIANT: floorModulo of a positive divisor is in 0 ..< p, which fits in UInt64.
        self.init(n.floorModulo(p).asUInt64!)
    }

    /// The element whose signed representative is `n`, or nil when |n| > (p − 1)/2
    /// (so that reading it back as a signed integer would not give `n`).
    public init?(exactly n: BigInt) {
        let h = BigInt(Int(Goldilocks.halfModulus))
        guard !(n < -h), !(h < n) else { return nil }
        self.init(reducing: n)
    }

    /// The signed representative as a big integer.
    public var signedBigInt: BigInt { BigInt(Int(signedValue)) }
}
