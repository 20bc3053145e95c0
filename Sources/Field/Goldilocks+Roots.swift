/// Multiplicative structure of the Goldilocks field: the generator of its
/// multiplicative group and the two-adic roots of unity that NTTs run on.
extension Goldilocks {
    /// 7 generates the whole multiplicative group of order p − 1 = 2^32 · (2^32 − 1).
    public static let multiplicativeGenerator = Goldilocks(canonical: 7)

    /// The largest k with 2^k dividing p − 1.
    public static let twoAdicity = 32

    /// A primitive 2^32-th root of unity, 7^(2^32 − 1).
    public static let twoAdicRoot: Goldilocks = multiplicativeGenerator.power(0xFFFF_FFFF)

    /// A primitive `2^logOrder`-th root of unity (the same family for every order,
    /// so `rootOfUnity(k).power(2) == rootOfUnity(k − 1)`).
    ///
    /// - Precondition: `0 <= logOrder <= 32`.
    @inlinable
    public static func rootOfUnity(logOrder: Int) -> Goldilocks {
        precondition(logOrder >= 0 && logOrder <= twoAdicity, "no root of unity of order 2^\(logOrder)")
        var root = twoAdicRoot
        for _ in 0 ..< (twoAdicity - logOrder) { root *= root }
        return root
    }

    /// A uniformly random element, by rejection sampling.
    @inlinable
    public static func random<R: RandomNumberGenerator>(using rng: inout R) -> Goldilocks {
        while true {
            let v = rng.next() as UInt64
            if v < modulus { return Goldilocks(canonical: v) }
        }
    }

    /// A uniformly random element from the system generator.
    @inlinable
    public static func random() -> Goldilocks {
        var rng = SystemRandomNumberGenerator()
        return random(using: &rng)
    }

    /// `self · 2^k`'s cheap cousin: the element doubled.
    @inlinable public var doubled: Goldilocks { self + self }

    /// Halving, `self / 2`: p is odd, so an odd value becomes (v + p) / 2.
    @inlinable
    public var halved: Goldilocks {
        if value & 1 == 0 { return Goldilocks(canonical: value >> 1) }
        // (v + p) / 2 without overflow: v/2 + p/2 + 1 (both odd).
        return Goldilocks(canonical: (value >> 1) &+ (Goldilocks.modulus >> 1) &+ 1)
    }
}
