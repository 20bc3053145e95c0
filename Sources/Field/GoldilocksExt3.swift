/// An element of the cubic extension F_p[u] / (u³ − 7) of Goldilocks.
///
/// 7 generates F_p^*, and 3 divides p − 1, so 7 is not a cube
/// (7^((p−1)/3) ≠ 1): u³ − 7 has no root in F_p and, being cubic, is
/// irreducible. The extension has about 2^192 elements. Its purpose is
/// soundness: the STARK's field terms (out-of-domain sampling, batching,
/// FRI folding) are about deg / |F|, which caps a quadratic extension at
/// 128 − log₂|D| bits (docs/security.md §5); here the cap is 192 − log₂|D|.
@frozen
public struct GoldilocksExt3: Hashable, Sendable {
    /// The constant coefficient.
    public var c0: Goldilocks
    /// The coefficient of u.
    public var c1: Goldilocks
    /// The coefficient of u².
    public var c2: Goldilocks

    /// u³ = nonResidue.
    public static let nonResidue = Goldilocks(canonical: 7)

    @inlinable
    public init(_ c0: Goldilocks, _ c1: Goldilocks, _ c2: Goldilocks) {
        self.c0 = c0
        self.c1 = c1
        self.c2 = c2
    }

    /// The base-field element `c0` embedded in the extension.
    @inlinable
    public init(_ c0: Goldilocks) {
        self.init(c0, .zero, .zero)
    }

    public static let zero = GoldilocksExt3(.zero)
    public static let one = GoldilocksExt3(.one)
    /// The generator u of the extension over the base field.
    public static let u = GoldilocksExt3(.zero, .one, .zero)

    @inlinable public var isZero: Bool { c0.isZero && c1.isZero && c2.isZero }
    /// Whether the element lies in the base field.
    @inlinable public var isBase: Bool { c1.isZero && c2.isZero }

    @inlinable
    public static func + (a: GoldilocksExt3, b: GoldilocksExt3) -> GoldilocksExt3 {
        GoldilocksExt3(a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2)
    }

    @inlinable
    public static func - (a: GoldilocksExt3, b: GoldilocksExt3) -> GoldilocksExt3 {
        GoldilocksExt3(a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2)
    }

    @inlinable
    public static prefix func - (a: GoldilocksExt3) -> GoldilocksExt3 {
        GoldilocksExt3(-a.c0, -a.c1, -a.c2)
    }

    @inlinable
    public static func * (a: GoldilocksExt3, b: GoldilocksExt3) -> GoldilocksExt3 {
        // Schoolbook with u³ = 7, the three cross sums by Karatsuba:
        // (a_i + a_j)(b_i + b_j) − a_i b_i − a_j b_j = a_i b_j + a_j b_i.
        let p0 = a.c0 * b.c0, p1 = a.c1 * b.c1, p2 = a.c2 * b.c2
        let s01 = (a.c0 + a.c1) * (b.c0 + b.c1) - p0 - p1
        let s02 = (a.c0 + a.c2) * (b.c0 + b.c2) - p0 - p2
        let s12 = (a.c1 + a.c2) * (b.c1 + b.c2) - p1 - p2
        return GoldilocksExt3(p0 + GoldilocksExt2.mulByNonResidue(s12),
                              s01 + GoldilocksExt2.mulByNonResidue(p2),
                              s02 + p1)
    }

    /// Multiplication by a base-field element.
    @inlinable
    public static func * (a: GoldilocksExt3, b: Goldilocks) -> GoldilocksExt3 {
        GoldilocksExt3(a.c0 * b, a.c1 * b, a.c2 * b)
    }

    @inlinable
    public static func * (a: Goldilocks, b: GoldilocksExt3) -> GoldilocksExt3 { b * a }

    @inlinable
    public static func + (a: GoldilocksExt3, b: Goldilocks) -> GoldilocksExt3 {
        GoldilocksExt3(a.c0 + b, a.c1, a.c2)
    }

    @inlinable
    public static func - (a: GoldilocksExt3, b: Goldilocks) -> GoldilocksExt3 {
        GoldilocksExt3(a.c0 - b, a.c1, a.c2)
    }

    /// The cofactor of `self`: the product of its two conjugates σ(a)·σ²(a),
    /// written out. a·adjugate is the norm, a base-field element.
    ///
    /// With u³ = W the adjugate of a0 + a1 u + a2 u² is
    /// (a0² − W a1 a2) + (W a2² − a0 a1) u + (a1² − a0 a2) u².
    @inlinable
    public var adjugate: GoldilocksExt3 {
        GoldilocksExt3(c0 * c0 - GoldilocksExt2.mulByNonResidue(c1 * c2),
                       GoldilocksExt2.mulByNonResidue(c2 * c2) - c0 * c1,
                       c1 * c1 - c0 * c2)
    }

    /// The norm a·σ(a)·σ²(a) ∈ F_p of an element with adjugate `adj`: zero
    /// only for zero (u³ − 7 is irreducible).
    @inlinable
    func norm(adjugate adj: GoldilocksExt3) -> Goldilocks {
        c0 * adj.c0 + GoldilocksExt2.mulByNonResidue(c1 * adj.c2 + c2 * adj.c1)
    }

    /// The multiplicative inverse; zero maps to zero. The adjugate over the norm.
    @inlinable
    public var inverse: GoldilocksExt3 {
        let adj = adjugate
        return adj * norm(adjugate: adj).inverse
    }

    /// The Frobenius map a ↦ a^p: u^p = ω·u with ω = 7^((p−1)/3), a primitive
    /// cube root of unity, so it scales c1 by ω and c2 by ω².
    @inlinable
    public var frobenius: GoldilocksExt3 {
        GoldilocksExt3(c0, c1 * GoldilocksExt3.omega, c2 * GoldilocksExt3.omegaSquared)
    }

    /// 7^((p−1)/3), a primitive cube root of unity in F_p.
    public static let omega = Goldilocks(canonical: 7).power((Goldilocks.modulus - 1) / 3)
    public static let omegaSquared = omega * omega

    /// A uniformly random element.
    @inlinable
    public static func random<R: RandomNumberGenerator>(using rng: inout R) -> GoldilocksExt3 {
        GoldilocksExt3(Goldilocks.random(using: &rng), Goldilocks.random(using: &rng), Goldilocks.random(using: &rng))
    }
}

extension GoldilocksExt3: CustomStringConvertible {
    public var description: String {
        isBase ? "\(c0)" : "\(c0) + \(c1)·u + \(c2)·u²"
    }
}
