import Testing
@testable import Field

/// Naive DFT: evaluations Σ_j c_j (shift·ω^i)^j, O(n²).
func naiveDFT(_ coefficients: [Goldilocks], shift: Goldilocks = .one) -> [Goldilocks] {
    let n = coefficients.count
    let w = Goldilocks.rootOfUnity(logOrder: n.trailingZeroBitCount)
    return (0 ..< n).map { i in Polynomial.evaluate(coefficients, at: shift * w.power(UInt64(i))) }
}

private func randomVector(_ n: Int, _ rng: inout SystemRandomNumberGenerator) -> [Goldilocks] {
    (0 ..< n).map { _ in Goldilocks.random(using: &rng) }
}

@Suite struct ExtensionFieldTests {
    static let edges: [Goldilocks] = [0, 1, 2, Goldilocks(Goldilocks.modulus - 1), Goldilocks(1 << 32), Goldilocks((1 << 32) - 1)]

    /// Reference product (a0 + a1 u)(b0 + b1 u) with u² = 7, schoolbook through UInt128.
    private func reference(_ a: GoldilocksExt2, _ b: GoldilocksExt2) -> GoldilocksExt2 {
        let p = UInt128(Goldilocks.modulus)
        func m(_ x: Goldilocks, _ y: Goldilocks) -> UInt128 { UInt128(x.value) * UInt128(y.value) % p }
        let c0 = (m(a.c0, b.c0) + 7 * m(a.c1, b.c1)) % p
        let c1 = (m(a.c0, b.c1) + m(a.c1, b.c0)) % p
        return GoldilocksExt2(Goldilocks(UInt64(c0)), Goldilocks(UInt64(c1)))
    }

    @Test func multiplicationMatchesReference() {
        var rng = SystemRandomNumberGenerator()
        var samples = Self.edges.flatMap { x in Self.edges.map { GoldilocksExt2(x, $0) } }
        for _ in 0 ..< 2000 { samples.append(.random(using: &rng)) }
        for (i, a) in samples.enumerated() {
            let b = samples[(i * 13 + 5) % samples.count]
            #expect(a * b == reference(a, b))
        }
    }

    @Test func inverseAndPowers() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0 ..< 500 {
            let a = GoldilocksExt2.random(using: &rng)
            if a.isZero { continue }
            #expect(a * a.inverse == .one)
            #expect(a.power(5) == a * a * a * a * a)
        }
        #expect(GoldilocksExt2.zero.inverse == .zero)
        #expect(GoldilocksExt2.u * GoldilocksExt2.u == GoldilocksExt2(7))
    }

    @Test func batchInversionMatchesSingleInversions() {
        var rng = SystemRandomNumberGenerator()
        var base = randomVector(300, &rng) + [0, 1, 0]
        let expected = base.map(\.inverse)
        BatchInverse.invert(&base)
        #expect(base == expected)
        var ext = (0 ..< 100).map { _ in GoldilocksExt2.random(using: &rng) } + [.zero]
        let extExpected = ext.map(\.inverse)
        BatchInverse.invert(&ext)
        #expect(ext == extExpected)
    }

    /// Every length around the interleaved chains (whole chunks of 8, partial
    /// last chunks, fewer values than chains), zeros anywhere (a whole chain of
    /// zeros included), edge values, base-field and u-only extension elements.
    @Test func batchInversionAtEveryLengthWithZeros() {
        var rng = SystemRandomNumberGenerator()
        let edges: [Goldilocks] = [1, 2, 7, Goldilocks(Goldilocks.modulus - 1), Goldilocks(1 << 32), Goldilocks((1 << 32) - 1)]
        for n in Array(0 ... 41) + [64, 1000] {
            var base = randomVector(n, &rng)
            for i in stride(from: 0, to: n, by: 3) { base[i] = .zero }     // lanes 0, 3, 6, 1, … get zeros
            for i in stride(from: 5, to: n, by: 8) { base[i] = .zero }     // lane 5 is all zeros
            for (k, e) in edges.enumerated() where 8 * k + 1 < n { base[8 * k + 1] = e }
            let expected = base.map(\.inverse)
            BatchInverse.invert(&base)
            #expect(base == expected, "base field, \(n) values")

            var ext = (0 ..< n).map { i -> GoldilocksExt2 in
                switch i % 4 {
                case 0: return .zero
                case 1: return GoldilocksExt2(.random(using: &rng))               // in the base field
                case 2: return GoldilocksExt2(.zero, .random(using: &rng))        // a multiple of u
                default: return .random(using: &rng)
                }
            }
            let extExpected = ext.map(\.inverse)
            BatchInverse.invert(&ext)
            #expect(ext == extExpected, "extension, \(n) values")
        }
    }

    @Test func halvingAndRoots() {
        for x in Self.edges { #expect(x.halved.doubled == x) }
        for k in 0 ... 32 {
            let w = Goldilocks.rootOfUnity(logOrder: k)
            var y = w
            for _ in 0 ..< k { y *= y }
            #expect(y == .one)  // order divides 2^k
            if k > 0 { #expect(w.power(UInt64(1) << (k - 1)) == -Goldilocks.one) }  // and is exactly 2^k
        }
    }
}

@Suite struct NTTTests {
    @Test(arguments: [1, 2, 4, 8, 64, 256])
    func forwardMatchesNaiveDFT(n: Int) {
        var rng = SystemRandomNumberGenerator()
        var values = randomVector(n, &rng)
        if n >= 4 { values[0] = 0; values[1] = Goldilocks(Goldilocks.modulus - 1); values[2] = Goldilocks(1 << 32) }
        let expected = naiveDFT(values)
        var transformed = values
        NTT.forward(&transformed)
        #expect(transformed == expected)
        NTT.inverse(&transformed)
        #expect(transformed == values)
    }

    @Test func cosetForwardMatchesNaive() {
        var rng = SystemRandomNumberGenerator()
        let values = randomVector(128, &rng)
        var transformed = values
        NTT.forwardCoset(&transformed, shift: 7)
        #expect(transformed == naiveDFT(values, shift: 7))
        NTT.inverseCoset(&transformed, shift: 7)
        #expect(transformed == values)
    }

    @Test func parallelLargeTransformRoundTripsAndMatchesPointEvaluation() {
        var rng = SystemRandomNumberGenerator()
        let n = 1 << 16  // above the parallel threshold
        let values = randomVector(n, &rng)
        var transformed = values
        NTT.forward(&transformed)
        let w = Goldilocks.rootOfUnity(logOrder: 16)
        for i in [0, 1, 12345, n - 1] {
            #expect(transformed[i] == Polynomial.evaluate(values, at: w.power(UInt64(i))))
        }
        NTT.inverse(&transformed)
        #expect(transformed == values)
    }

    @Test func productByNTTMatchesSchoolbook() {
        var rng = SystemRandomNumberGenerator()
        let a = randomVector(50, &rng), b = randomVector(70, &rng)
        let expected = Polynomial.multiply(a, b)
        var fa = a + [Goldilocks](repeating: 0, count: 128 - 50)
        var fb = b + [Goldilocks](repeating: 0, count: 128 - 70)
        NTT.forward(&fa); NTT.forward(&fb)
        var product = zip(fa, fb).map { $0 * $1 }
        NTT.inverse(&product)
        #expect(Array(product.prefix(expected.count)) == expected)
        #expect(product.dropFirst(expected.count).allSatisfy { $0.isZero })
    }

    @Test func interpolationAndLowDegreeExtension() {
        var rng = SystemRandomNumberGenerator()
        let coefficients = randomVector(32, &rng)
        let values = naiveDFT(coefficients)
        #expect(Polynomial.interpolate(values) == coefficients)
        let lde = Polynomial.lowDegreeExtension(coefficients: coefficients, blowup: 4, shift: 7)
        let w = Goldilocks.rootOfUnity(logOrder: 7)
        for i in [0, 5, 127] { #expect(lde[i] == Polynomial.evaluate(coefficients, at: 7 * w.power(UInt64(i)))) }
    }

    @Test func bitReversal() {
        #expect(NTT.bitReverse(1, bits: 3) == 4)
        #expect(NTT.bitReverse(6, bits: 3) == 3)
        #expect(NTT.bitReverse(0, bits: 0) == 0)
        for i in 0 ..< 1024 { #expect(NTT.bitReverse(NTT.bitReverse(i, bits: 10), bits: 10) == i) }
    }
}

@Suite struct FusedCosetNTTTests {
    @Test func fusedMatchesNaive() {
        var rng = SystemRandomNumberGenerator()
        let coefficients = randomVector(20, &rng)
        var out = [Goldilocks](repeating: 9, count: 64)
        coefficients.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { NTT.forwardCoset(from: src, into: $0, shift: 7) }
        }
        #expect(out == naiveDFT(coefficients + [Goldilocks](repeating: 0, count: 44), shift: 7))
    }
}

@Suite struct TiledBitReversalTests {
    @Test(arguments: [256, 512, 4096])
    func tiledFusedCosetMatchesNaive(n: Int) {
        var rng = SystemRandomNumberGenerator()
        let coefficients = randomVector(n / 2 + 3, &rng)
        var out = [Goldilocks](repeating: 9, count: n)
        coefficients.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { NTT.forwardCoset(from: src, into: $0, shift: 7) }
        }
        var expected = coefficients + [Goldilocks](repeating: 0, count: n - coefficients.count)
        NTT.forwardCoset(&expected, shift: 7)
        #expect(out == expected)
        let w = Goldilocks.rootOfUnity(logOrder: n.trailingZeroBitCount)
        #expect(out[5] == Polynomial.evaluate(coefficients, at: 7 * w.power(5)))
    }
}

@Suite struct PowersTableCosetTests {
    @Test func givenPowersGiveTheSameTransform() {
        var rng = SystemRandomNumberGenerator()
        let n = 1024
        let coefficients = randomVector(n, &rng)
        var powers = [Goldilocks](repeating: .one, count: n)
        for i in 1 ..< n { powers[i] = powers[i - 1] * 11 }
        var a = [Goldilocks](repeating: 0, count: n), b = a
        coefficients.withUnsafeBufferPointer { src in
            a.withUnsafeMutableBufferPointer { NTT.forwardCoset(from: src, into: $0, shift: 11) }
            powers.withUnsafeBufferPointer { p in
                b.withUnsafeMutableBufferPointer { NTT.forwardCoset(from: src, into: $0, shift: 11, powers: p.baseAddress!) }
            }
        }
        #expect(a == b)
        #expect(a[3] == Polynomial.evaluate(coefficients, at: 11 * Goldilocks.rootOfUnity(logOrder: 10).power(3)))
    }
}
