/// A finite extension F_p[u] / (u^d − 7) of Goldilocks: the field a STARK
/// draws its challenges from, so that its Schwartz–Zippel errors are about
/// deg / p^d. `GoldilocksExt2` (d = 2, about 2^128 elements) and
/// `GoldilocksExt3` (d = 3, about 2^192) conform, so that code written
/// against this protocol runs with either. The STARK's transcript, proof
/// encoding and FRI folding are written against it; its prover and verifier
/// still use `GoldilocksExt2` directly (docs/security.md §5).
public protocol ExtensionField: Hashable, Sendable, CustomStringConvertible {
    /// The degree d of the extension over Goldilocks.
    static var degree: Int { get }
    static var zero: Self { get }
    static var one: Self { get }

    /// The base-field element embedded in the extension.
    init(_ base: Goldilocks)
    /// The element Σ cᵢ uⁱ from its d coefficients.
    init(coefficients: [Goldilocks])
    /// Coefficient i (0 ≤ i < d) of the element in the basis 1, u, …, u^(d−1).
    func coefficient(_ i: Int) -> Goldilocks

    var isZero: Bool { get }
    /// Whether the element lies in the base field.
    var isBase: Bool { get }

    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func * (a: Self, b: Goldilocks) -> Self
    static func + (a: Self, b: Goldilocks) -> Self
    static func - (a: Self, b: Goldilocks) -> Self

    /// The product of the element's conjugates other than itself; the
    /// element times it is `norm`. For an inversion that shares one base
    /// inversion among many elements (`BatchInverse.invert(extension:)`).
    var adjugate: Self { get }
    /// The norm: the product of all conjugates, a base-field element that
    /// is zero only for zero.
    var norm: Goldilocks { get }

    /// The element divided by 2 (each coefficient halved; cheaper than a product).
    var halved: Self { get }
    /// The multiplicative inverse; zero maps to zero.
    var inverse: Self { get }
    /// `self` raised to `exponent`.
    func power(_ exponent: UInt64) -> Self
    /// A uniformly random element.
    static func random<R: RandomNumberGenerator>(using rng: inout R) -> Self
}

extension ExtensionField {
    @inlinable public static func += (a: inout Self, b: Self) { a = a + b }
    @inlinable public static func -= (a: inout Self, b: Self) { a = a - b }
    @inlinable public static func *= (a: inout Self, b: Self) { a = a * b }

    @inlinable
    public var squared: Self { self * self }

    /// `self` raised to `exponent`, by square-and-multiply (both extensions).
    @inlinable
    public func power(_ exponent: UInt64) -> Self {
        var result = Self.one
        var base = self
        var e = exponent
        while e != 0 {
            if e & 1 == 1 { result *= base }
            base *= base
            e >>= 1
        }
        return result
    }
}

extension GoldilocksExt2: ExtensionField {
    public static var degree: Int { 2 }

    /// c0 + c1·u from [c0, c1].
    @inlinable
    public init(coefficients: [Goldilocks]) {
        precondition(coefficients.count == 2, "a quadratic extension element has 2 coefficients")
        self.init(coefficients[0], coefficients[1])
    }

    @inlinable
    public func coefficient(_ i: Int) -> Goldilocks {
        precondition((0 ..< 2).contains(i), "coefficient \(i) of a quadratic extension element")
        return i == 0 ? c0 : c1
    }

    /// The conjugate c0 − c1·u.
    @inlinable
    public var adjugate: GoldilocksExt2 { GoldilocksExt2(c0, -c1) }

    /// c0² − 7·c1².
    @inlinable
    public var norm: Goldilocks { c0 * c0 - GoldilocksExt2.mulByNonResidue(c1 * c1) }

    @inlinable
    public var halved: GoldilocksExt2 { GoldilocksExt2(c0.halved, c1.halved) }
}

extension GoldilocksExt3: ExtensionField {
    public static var degree: Int { 3 }

    /// c0 + c1·u + c2·u² from [c0, c1, c2].
    @inlinable
    public init(coefficients: [Goldilocks]) {
        precondition(coefficients.count == 3, "a cubic extension element has 3 coefficients")
        self.init(coefficients[0], coefficients[1], coefficients[2])
    }

    @inlinable
    public func coefficient(_ i: Int) -> Goldilocks {
        precondition((0 ..< 3).contains(i), "coefficient \(i) of a cubic extension element")
        switch i {
        case 0: return c0
        case 1: return c1
        default: return c2
        }
    }

    @inlinable
    public var norm: Goldilocks { norm(adjugate: adjugate) }

    @inlinable
    public var halved: GoldilocksExt3 { GoldilocksExt3(c0.halved, c1.halved, c2.halved) }
}

extension BatchInverse {
    /// Replaces every nonzero element of `values` by its inverse, in any
    /// extension: 1/a = adjugate(a) / norm(a), with one batch inversion of
    /// the norms in the base field.
    public static func invert<E: ExtensionField>(extension values: inout [E]) {
        if values.isEmpty { return }
        var norms = values.map(\.norm)
        invert(&norms)
        for i in values.indices { values[i] = values[i].adjugate * norms[i] }
    }
}
