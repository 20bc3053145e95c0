import Testing
@testable import Field

/// The `ExtensionField` requirements the STARK's hot loops use, for both
/// extensions: strided storage, batch products and Horner steps (both
/// kernels, masked tails, aliased operands), batch inversion and the closed
/// form of z − x. Each is checked against the element operators.
@Suite struct ExtensionBatchTests {
    static let edges: [Goldilocks] = [0, 1, 2, Goldilocks(Goldilocks.modulus - 1), Goldilocks(1 << 32), Goldilocks((1 << 32) - 1)]

    /// `count` elements mixing edge coefficients and random ones.
    static func elements<E: ExtensionField>(_: E.Type, _ count: Int, salt: Int) -> [E] {
        var rng = SystemRandomNumberGenerator()
        return (0 ..< count).map { i in
            i % 3 == 0 ? E(coefficients: (0 ..< E.degree).map { edges[(i + salt + 5 * $0) % edges.count] })
                       : E.random(using: &rng)
        }
    }

    /// The elements stored by coefficient with `stride` (coefficient k of element i at k·stride + i).
    static func strided<E: ExtensionField>(_ values: [E], stride: Int) -> [Goldilocks] {
        var words = [Goldilocks](repeating: 0, count: E.degree * stride)
        words.withUnsafeMutableBufferPointer { p in
            for (i, v) in values.enumerated() { v.store(to: p.baseAddress! + i, stride: stride) }
        }
        return words
    }

    static func unstrided<E: ExtensionField>(_ words: [Goldilocks], count: Int, stride: Int, as _: E.Type) -> [E] {
        words.withUnsafeBufferPointer { p in (0 ..< count).map { E(p.baseAddress! + $0, stride: stride) } }
    }

    static var kernels: [FieldKernel] { FieldKernel.allCases.filter(\.isAvailable) }

    static func checkBatches<E: ExtensionField>(_: E.Type) {
        let stride = 40
        for count in Array(0 ... 17) + [33, 40] {
            let a = elements(E.self, count, salt: 1), b = elements(E.self, count, salt: 4)
            let alpha = elements(E.self, 2, salt: count)[1]
            for kernel in kernels {
                var x = strided(a, stride: stride), y = strided(b, stride: stride)
                var out = [Goldilocks](repeating: 7, count: E.degree * stride)
                x.withUnsafeMutableBufferPointer { x in y.withUnsafeMutableBufferPointer { y in
                    out.withUnsafeMutableBufferPointer { o in
                        E.multiplyBatch(o.baseAddress!, x.baseAddress!, y.baseAddress!, stride: stride, count: count, kernel: kernel)
                        E.hornerBatch(x.baseAddress!, y.baseAddress!, alpha: alpha, stride: stride, count: count, kernel: kernel)
                    }
                } }
                #expect(unstrided(out, count: count, stride: stride, as: E.self) == zip(a, b).map { $0 * $1 },
                        "product, degree \(E.degree), \(kernel), \(count)")
                #expect(unstrided(x, count: count, stride: stride, as: E.self) == zip(a, b).map { $0 * alpha + $1 },
                        "Horner, degree \(E.degree), \(kernel), \(count)")
                // Past the count nothing is written (the masked tail).
                #expect(out.indices.filter { $0 % stride >= count }.allSatisfy { out[$0] == 7 }, "tail, \(kernel), \(count)")

                // Aliased: the product into its first operand, Horner with x = acc.
                var z = strided(a, stride: stride), w = strided(b, stride: stride)
                z.withUnsafeMutableBufferPointer { z in w.withUnsafeMutableBufferPointer { w in
                    E.multiplyBatch(z.baseAddress!, z.baseAddress!, w.baseAddress!, stride: stride, count: count, kernel: kernel)
                    E.hornerBatch(w.baseAddress!, w.baseAddress!, alpha: alpha, stride: stride, count: count, kernel: kernel)
                } }
                #expect(unstrided(z, count: count, stride: stride, as: E.self) == zip(a, b).map { $0 * $1 }, "aliased product")
                #expect(unstrided(w, count: count, stride: stride, as: E.self) == b.map { $0 * (alpha + .one) }, "aliased Horner")
            }
        }
    }

    @Test func batchProductsAndHornerStepsMatchTheOperators() {
        Self.checkBatches(GoldilocksExt2.self)
        Self.checkBatches(GoldilocksExt3.self)
    }

    /// The vector kernels reached through `BatchArithmetic` directly agree
    /// with its scalar loops in the cubic extension.
    @Test func cubicKernelsAgree() throws {
        try #require(FieldKernel.avx512.isAvailable, "this processor has no AVX-512F")
        let count = 121
        let a = Self.elements(GoldilocksExt3.self, count, salt: 2), b = Self.elements(GoldilocksExt3.self, count, salt: 3)
        var results: [[Goldilocks]] = []
        for kernel in [FieldKernel.scalar, .avx512] {
            var x = Self.strided(a, stride: count), y = Self.strided(b, stride: count)
            var o = [Goldilocks](repeating: 0, count: 3 * count)
            x.withUnsafeMutableBufferPointer { x in y.withUnsafeMutableBufferPointer { y in o.withUnsafeMutableBufferPointer { o in
                let (p, q, r) = (x.baseAddress!, y.baseAddress!, o.baseAddress!)
                BatchArithmetic.multiplyExtension3(r, r + count, r + 2 * count, p, p + count, p + 2 * count,
                                                   q, q + count, q + 2 * count, count: count, kernel: kernel)
                // x = (acc2, acc0, acc1): every input read before any write.
                BatchArithmetic.hornerStep3(p, p + count, p + 2 * count, p + 2 * count, p, p + count,
                                            alpha: b[5], count: count, kernel: kernel)
            } } }
            results.append(o + x)
        }
        #expect(results[0] == results[1])
        let rotated = a.map { GoldilocksExt3($0.c2, $0.c0, $0.c1) }
        #expect(Self.unstrided(Array(results[1][(3 * count)...]), count: count, stride: count, as: GoldilocksExt3.self)
                == zip(a, rotated).map { $0 * b[5] + $1 })
    }

    static func checkInversion<E: ExtensionField>(_: E.Type) {
        var values = elements(E.self, 50, salt: 0)
        values[7] = .zero
        let original = values
        E.batchInvert(&values)
        for (v, inverse) in zip(original, values) {
            if v.isZero { #expect(inverse.isZero) } else { #expect(v * inverse == .one, "degree \(E.degree)") }
        }
        var empty: [E] = []
        E.batchInvert(&empty)
        #expect(empty.isEmpty)
    }

    @Test func batchInversion() {
        Self.checkInversion(GoldilocksExt2.self)
        Self.checkInversion(GoldilocksExt3.self)
    }

    static func checkDifferenceForms<E: ExtensionField>(_: E.Type) {
        var rng = SystemRandomNumberGenerator()
        for z in elements(E.self, 30, salt: 2) {
            let (norm, adjugate) = E.differenceForms(from: z)
            #expect(norm.count == E.degree + 1 && adjugate.count == E.degree)
            for x in edges + [Goldilocks.random(using: &rng), z.coefficient(0)] {
                let difference = z - E(x), d = z.coefficient(0) - x
                var n = Goldilocks.zero, a = E.zero, power = Goldilocks.one
                for k in norm.indices {
                    n += norm[k] * power
                    if k < adjugate.count { a += adjugate[k] * power }
                    power *= d
                }
                #expect(n == difference.norm, "norm, degree \(E.degree)")
                #expect(a == difference.adjugate, "adjugate, degree \(E.degree)")
                if !difference.isZero { #expect(a * n.inverse == difference.inverse) }
            }
        }
    }

    @Test func differenceFormsAreTheNormAndAdjugate() {
        Self.checkDifferenceForms(GoldilocksExt2.self)
        Self.checkDifferenceForms(GoldilocksExt3.self)
    }

    @Test func stridedStorageRoundTrips() {
        let a = Self.elements(GoldilocksExt3.self, 9, salt: 1)
        let words = Self.strided(a, stride: 11)
        #expect(Self.unstrided(words, count: 9, stride: 11, as: GoldilocksExt3.self) == a)
        #expect(words[11 + 4] == a[4].c1 && words[22 + 8] == a[8].c2)
        #expect(GoldilocksExt2.u * GoldilocksExt2.u == GoldilocksExt2(7))
        #expect(GoldilocksExt3.u * GoldilocksExt3.u * GoldilocksExt3.u == GoldilocksExt3(7))
    }
}
