/// A finite extension F_p[u] / (u^d − 7) of Goldilocks: the field a STARK
/// draws its challenges from, so that its Schwartz–Zippel errors are about
/// deg / p^d. `GoldilocksExt2` (d = 2, about 2^128 elements) and
/// `GoldilocksExt3` (d = 3, about 2^192) conform, so that code written
/// against this protocol runs with either. The STARK is written against it
/// and instantiated once per degree (docs/security.md §5).
///
/// Besides the ring operations it asks for what the prover's hot loops need:
/// elements stored by coefficient in separate strided arrays (coefficient k
/// of element i at `p[k·stride + i]`), batch products and Horner steps over
/// such arrays (vector kernels where the processor has them), a batch
/// inversion, and the closed form of 1/(z − x) for base x.
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

    /// The generator u of the extension over the base field.
    static var u: Self { get }
    /// The element whose coefficient k is `coefficient(k)` (k < d), for
    /// coefficients kept in separate columns; inlined, the closure costs nothing.
    init(generating coefficient: (Int) -> Goldilocks)
    /// The element whose coefficient k is `p[k·stride]`.
    init(_ p: UnsafePointer<Goldilocks>, stride: Int)
    /// Writes coefficient k to `p[k·stride]`.
    func store(to p: UnsafeMutablePointer<Goldilocks>, stride: Int)

    /// out[i] = a[i]·b[i] for i < count, elements stored by coefficient with
    /// `stride` (coefficient k of element i at `p[k·stride + i]`). `out` may
    /// alias an input element for element.
    static func multiplyBatch(_ out: UnsafeMutablePointer<Goldilocks>, _ a: UnsafeMutablePointer<Goldilocks>,
                              _ b: UnsafeMutablePointer<Goldilocks>, stride: Int, count: Int, kernel: FieldKernel)
    /// acc[i] = acc[i]·α + x[i] for i < count, stored as in `multiplyBatch`
    /// (`x` may alias `acc`).
    static func hornerBatch(_ acc: UnsafeMutablePointer<Goldilocks>, _ x: UnsafeMutablePointer<Goldilocks>,
                            alpha: Self, stride: Int, count: Int, kernel: FieldKernel)
    /// Replaces every nonzero element of the buffer by its inverse (zero stays zero).
    static func batchInvert(_ values: UnsafeMutableBufferPointer<Self>)

    /// The norm and the adjugate of z − x for a base-field x, as polynomials
    /// in d = z.coefficient(0) − x (coefficients lowest degree first):
    /// norm(z − x) = Σ_k norm[k]·d^k and adjugate(z − x) = Σ_k adjugate[k]·d^k.
    /// So 1/(z − x) = Σ_k adjugate[k]·(d^k / N(d)) with one base inversion
    /// per x: how the verifier evaluates the fixed columns at z (`FixedColumns`).
    static func differenceForms(from z: Self) -> (norm: [Goldilocks], adjugate: [Self])
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
        squareAndMultiply(self, exponent, one: .one, *)
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

    @inlinable
    public init(generating coefficient: (Int) -> Goldilocks) { self.init(coefficient(0), coefficient(1)) }

    @inlinable
    public init(_ p: UnsafePointer<Goldilocks>, stride: Int) { self.init(p[0], p[stride]) }

    @inlinable
    public func store(to p: UnsafeMutablePointer<Goldilocks>, stride: Int) { p[0] = c0; p[stride] = c1 }

    /// Today's quadratic kernels (`BatchArithmetic.multiplyExtension`).
    @inlinable
    public static func multiplyBatch(_ out: UnsafeMutablePointer<Goldilocks>, _ a: UnsafeMutablePointer<Goldilocks>,
                                     _ b: UnsafeMutablePointer<Goldilocks>, stride: Int, count: Int, kernel: FieldKernel) {
        BatchArithmetic.multiplyExtension(out, out + stride, a, a + stride, b, b + stride, count: count, kernel: kernel)
    }

    @inlinable
    public static func hornerBatch(_ acc: UnsafeMutablePointer<Goldilocks>, _ x: UnsafeMutablePointer<Goldilocks>,
                                   alpha: GoldilocksExt2, stride: Int, count: Int, kernel: FieldKernel) {
        BatchArithmetic.hornerStep(acc, acc + stride, x, x + stride, alpha: alpha, count: count, kernel: kernel)
    }

    @inlinable
    public static func batchInvert(_ values: UnsafeMutableBufferPointer<GoldilocksExt2>) { BatchInverse.invert(values) }

    /// z − x = d + b·u: norm d² − 7b², adjugate d − b·u.
    @inlinable
    public static func differenceForms(from z: GoldilocksExt2) -> (norm: [Goldilocks], adjugate: [GoldilocksExt2]) {
        let b = z.c1
        return ([-(nonResidue * b * b), .zero, .one], [GoldilocksExt2(.zero, -b), .one])
    }
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

    @inlinable
    public init(generating coefficient: (Int) -> Goldilocks) {
        self.init(coefficient(0), coefficient(1), coefficient(2))
    }

    @inlinable
    public init(_ p: UnsafePointer<Goldilocks>, stride: Int) { self.init(p[0], p[stride], p[2 * stride]) }

    @inlinable
    public func store(to p: UnsafeMutablePointer<Goldilocks>, stride: Int) {
        p[0] = c0; p[stride] = c1; p[2 * stride] = c2
    }

    @inlinable
    public static func multiplyBatch(_ out: UnsafeMutablePointer<Goldilocks>, _ a: UnsafeMutablePointer<Goldilocks>,
                                     _ b: UnsafeMutablePointer<Goldilocks>, stride: Int, count: Int, kernel: FieldKernel) {
        BatchArithmetic.multiplyExtension3(out, out + stride, out + 2 * stride, a, a + stride, a + 2 * stride,
                                           b, b + stride, b + 2 * stride, count: count, kernel: kernel)
    }

    @inlinable
    public static func hornerBatch(_ acc: UnsafeMutablePointer<Goldilocks>, _ x: UnsafeMutablePointer<Goldilocks>,
                                   alpha: GoldilocksExt3, stride: Int, count: Int, kernel: FieldKernel) {
        BatchArithmetic.hornerStep3(acc, acc + stride, acc + 2 * stride, x, x + stride, x + 2 * stride,
                                    alpha: alpha, count: count, kernel: kernel)
    }

    @inlinable
    public static func batchInvert(_ values: UnsafeMutableBufferPointer<GoldilocksExt3>) { BatchInverse.invert(extension: values) }

    /// z − x = d + b·u + c·u² (W = 7): norm d³ − 3W·bc·d + W·b³ + W²·c³,
    /// adjugate (d² − W·bc) + (W·c² − b·d)·u + (b² − c·d)·u².
    @inlinable
    public static func differenceForms(from z: GoldilocksExt3) -> (norm: [Goldilocks], adjugate: [GoldilocksExt3]) {
        let (b, c, w) = (z.c1, z.c2, nonResidue)
        let bc = b * c
        return ([w * b * b * b + w * w * c * c * c, -(Goldilocks(canonical: 3) * w * bc), .zero, .one],
                [GoldilocksExt3(-(w * bc), w * c * c, b * b), GoldilocksExt3(.zero, -b, -c), .one])
    }
}

extension ExtensionField {
    /// Replaces every nonzero element of `values` by its inverse (zero stays zero).
    public static func batchInvert(_ values: inout [Self]) {
        values.withUnsafeMutableBufferPointer { batchInvert($0) }
    }
}

extension BatchInverse {
    /// Replaces every nonzero element of `values` by its inverse, in any
    /// extension: 1/a = adjugate(a) / norm(a), with one batch inversion of
    /// the norms in the base field.
    public static func invert<E: ExtensionField>(extension values: inout [E]) {
        values.withUnsafeMutableBufferPointer { invert(extension: $0) }
    }

    /// As `invert(extension:)`, on a buffer.
    public static func invert<E: ExtensionField>(extension values: UnsafeMutableBufferPointer<E>) {
        let n = values.count
        if n == 0 { return }
        let norms = UnsafeMutableBufferPointer<Goldilocks>.allocate(capacity: n)
        defer { norms.deallocate() }
        for i in 0 ..< n { (norms.baseAddress! + i).initialize(to: values[i].norm) }
        invert(norms)
        for i in 0 ..< n { values[i] = values[i].adjugate * norms[i] }
    }
}
