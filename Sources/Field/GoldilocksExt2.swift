/// An element of the quadratic extension F_p[u] / (u² − 7) of Goldilocks.
///
/// 7 generates F_p^*, so it is a non-residue and u² − 7 is irreducible. The
/// extension has about 2^128 elements: verifier challenges are drawn from it so
/// that Schwartz–Zippel style errors are about deg / 2^128 rather than deg / 2^64.
@frozen
public struct GoldilocksExt2: Hashable, Sendable {
    /// The constant coefficient.
    public var c0: Goldilocks
    /// The coefficient of u.
    public var c1: Goldilocks

    /// u² = nonResidue.
    public static let nonResidue = Goldilocks(canonical: 7)

    @inlinable
    public init(_ c0: Goldilocks, _ c1: Goldilocks) {
        self.c0 = c0
        self.c1 = c1
    }

    /// The base-field element `c0` embedded in the extension.
    @inlinable
    public init(_ c0: Goldilocks) {
        self.c0 = c0
        self.c1 = .zero
    }

    public static let zero = GoldilocksExt2(.zero, .zero)
    public static let one = GoldilocksExt2(.one, .zero)
    /// The generator u of the extension over the base field.
    public static let u = GoldilocksExt2(.zero, .one)

    @inlinable public var isZero: Bool { c0.isZero && c1.isZero }
    /// Whether the element lies in the base field.
    @inlinable public var isBase: Bool { c1.isZero }

    @inlinable
    public static func + (a: GoldilocksExt2, b: GoldilocksExt2) -> GoldilocksExt2 {
        GoldilocksExt2(a.c0 + b.c0, a.c1 + b.c1)
    }

    @inlinable
    public static func - (a: GoldilocksExt2, b: GoldilocksExt2) -> GoldilocksExt2 {
        GoldilocksExt2(a.c0 - b.c0, a.c1 - b.c1)
    }

    @inlinable
    public static prefix func - (a: GoldilocksExt2) -> GoldilocksExt2 {
        GoldilocksExt2(-a.c0, -a.c1)
    }

    @inlinable
    public static func * (a: GoldilocksExt2, b: GoldilocksExt2) -> GoldilocksExt2 {
        // (a0 + a1 u)(b0 + b1 u) = a0 b0 + 7 a1 b1 + (a0 b1 + a1 b0) u, with Karatsuba's
        // middle term (a0 + a1)(b0 + b1) − a0 b0 − a1 b1.
        let p0 = a.c0 * b.c0
        let p1 = a.c1 * b.c1
        let mid = (a.c0 + a.c1) * (b.c0 + b.c1) - p0 - p1
        return GoldilocksExt2(p0 + mulByNonResidue(p1), mid)
    }

    /// `7 · x`, by shifts and adds.
    @inlinable
    static func mulByNonResidue(_ x: Goldilocks) -> Goldilocks {
        let x2 = x + x
        let x4 = x2 + x2
        return x4 + x2 + x
    }

    /// Multiplication by a base-field element.
    @inlinable
    public static func * (a: GoldilocksExt2, b: Goldilocks) -> GoldilocksExt2 {
        GoldilocksExt2(a.c0 * b, a.c1 * b)
    }

    @inlinable
    public static func * (a: Goldilocks, b: GoldilocksExt2) -> GoldilocksExt2 {
        GoldilocksExt2(a * b.c0, a * b.c1)
    }

    @inlinable
    public static func + (a: GoldilocksExt2, b: Goldilocks) -> GoldilocksExt2 {
        GoldilocksExt2(a.c0 + b, a.c1)
    }

    @inlinable
    public static func - (a: GoldilocksExt2, b: Goldilocks) -> GoldilocksExt2 {
        GoldilocksExt2(a.c0 - b, a.c1)
    }

    /// The multiplicative inverse; zero maps to zero.
    ///
    /// (a0 + a1 u)^−1 = (a0 − a1 u) / (a0² − 7 a1²), the norm being a base-field element.
    @inlinable
    public var inverse: GoldilocksExt2 {
        let norm = c0 * c0 - GoldilocksExt2.mulByNonResidue(c1 * c1)
        let normInverse = norm.inverse
        return GoldilocksExt2(c0 * normInverse, -(c1 * normInverse))
    }

    /// A uniformly random element.
    @inlinable
    public static func random<R: RandomNumberGenerator>(using rng: inout R) -> GoldilocksExt2 {
        GoldilocksExt2(Goldilocks.random(using: &rng), Goldilocks.random(using: &rng))
    }
}

extension GoldilocksExt2: CustomStringConvertible {
    public var description: String { c1.isZero ? "\(c0)" : "\(c0) + \(c1)·u" }
}
