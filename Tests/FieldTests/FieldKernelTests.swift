import Testing
@testable import Field

/// The AVX-512 butterflies against the scalar ones and the definition: every
/// transform must give the same canonical words, through the tiled small
/// stages, both parallel splits of the large stages and the inverse scaling.
@Suite struct FieldKernelTests {
    /// Random values with the edge cases (0, 1, p − 1, 2^32, 2^32 − 1, p − 2^32)
    /// planted at the front, where the first fused stages combine them.
    static func values(_ n: Int) -> [Goldilocks] {
        var rng = SystemRandomNumberGenerator()
        var v = (0 ..< n).map { _ in Goldilocks.random(using: &rng) }
        let edges: [UInt64] = [0, 1, Goldilocks.modulus - 1, 1 << 32, (1 << 32) - 1, Goldilocks.modulus - (1 << 32),
                               Goldilocks.modulus - 2, 2]
        for (i, e) in edges.enumerated() where i < n { v[i] = Goldilocks(e) }
        return v
    }

    /// The first index where two transforms differ (a failure names one word,
    /// not two arrays of 65,536).
    static func firstDifference(_ a: [Goldilocks], _ b: [Goldilocks]) -> Int? {
        a.count != b.count ? -1 : zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset
    }

    @Test(arguments: [4, 5, 8, 13, 14, 16])
    func vectorKernelMatchesScalarAndNaiveDFT(logN: Int) throws {
        try #require(FieldKernel.avx512.isAvailable, "this processor has no AVX-512F")
        let n = 1 << logN
        let input = Self.values(n)
        for parallel in [false, true] {
            var scalar = input, vector = input
            scalar.withUnsafeMutableBufferPointer { NTT.forward($0, parallel: parallel, kernel: .scalar) }
            vector.withUnsafeMutableBufferPointer { NTT.forward($0, parallel: parallel, kernel: .avx512) }
            #expect(Self.firstDifference(vector, scalar) == nil, "forward, 2^\(logN), parallel \(parallel)")
            if n <= 256 { #expect(Self.firstDifference(vector, naiveDFT(input)) == nil) }
            vector.withUnsafeMutableBufferPointer { NTT.inverse($0, parallel: parallel, kernel: .avx512) }
            #expect(Self.firstDifference(vector, input) == nil, "inverse undoes forward, 2^\(logN), parallel \(parallel)")
        }
    }

    @Test func vectorKernelOnAllEdgeValuePairs() throws {
        try #require(FieldKernel.avx512.isAvailable, "this processor has no AVX-512F")
        // Every butterfly of the first stage pairs neighbours, so listing every
        // ordered pair of edge values exercises each carry and borrow branch.
        let edges: [UInt64] = [0, 1, 2, (1 << 32) - 1, 1 << 32, (1 << 32) + 1, Goldilocks.modulus - (1 << 32),
                               Goldilocks.modulus - 2, Goldilocks.modulus - 1, 1 << 63, (1 << 63) - 1]
        var pairs: [Goldilocks] = []
        for a in edges { for b in edges { pairs += [Goldilocks(a), Goldilocks(b)] } }
        while pairs.count & (pairs.count - 1) != 0 { pairs.append(Goldilocks(Goldilocks.modulus - 1)) }
        var scalar = pairs, vector = pairs
        scalar.withUnsafeMutableBufferPointer { NTT.forwardCoset($0, shift: Goldilocks(Goldilocks.modulus - 1), kernel: .scalar) }
        vector.withUnsafeMutableBufferPointer { NTT.forwardCoset($0, shift: Goldilocks(Goldilocks.modulus - 1), kernel: .avx512) }
        #expect(Self.firstDifference(vector, scalar) == nil)
        #expect(vector.allSatisfy { $0.value < Goldilocks.modulus })
    }

    @Test func fusedCosetTransformAgreesAcrossKernels() throws {
        try #require(FieldKernel.avx512.isAvailable, "this processor has no AVX-512F")
        let source = Self.values(1 << 12)
        var scalar = [Goldilocks](repeating: 0, count: 1 << 14), vector = scalar
        source.withUnsafeBufferPointer { src in
            scalar.withUnsafeMutableBufferPointer { NTT.forwardCoset(from: src, into: $0, shift: 7, powers: nil, kernel: .scalar) }
            vector.withUnsafeMutableBufferPointer { NTT.forwardCoset(from: src, into: $0, shift: 7, powers: nil, kernel: .avx512) }
        }
        #expect(Self.firstDifference(vector, scalar) == nil)
    }
}

/// `BatchArithmetic`'s vector loops against its scalar ones (which are the
/// field's own operators), over every pair of edge values and random values,
/// at every batch length up to 40 (full vectors and masked tails), aliased or not.
@Suite struct BatchArithmeticTests {
    static let edges: [UInt64] = [0, 1, 2, 7, (1 << 32) - 1, 1 << 32, (1 << 32) + 1, 1 << 63,
                                  Goldilocks.modulus - (1 << 32), Goldilocks.modulus - 2, Goldilocks.modulus - 1]

    /// Two operand arrays pairing every edge value with every other, then random values.
    static func operands(_ count: Int) -> ([Goldilocks], [Goldilocks]) {
        var rng = SystemRandomNumberGenerator()
        var a: [Goldilocks] = [], b: [Goldilocks] = []
        for x in edges { for y in edges { a.append(Goldilocks(x)); b.append(Goldilocks(y)) } }
        while a.count < count { a.append(.random(using: &rng)); b.append(.random(using: &rng)) }
        return (Array(a.prefix(count)), Array(b.prefix(count)))
    }

    typealias Binary = (BatchArithmetic.Pointer, BatchArithmetic.Pointer, BatchArithmetic.Pointer, Int, FieldKernel) -> Void

    /// Runs `op` with both kernels on copies of the operands and returns both outputs.
    static func both(_ a: [Goldilocks], _ b: [Goldilocks], aliasOutput: Bool, _ op: Binary) -> ([Goldilocks], [Goldilocks]) {
        var results: [[Goldilocks]] = []
        for kernel in [FieldKernel.scalar, .avx512] {
            var x = a, y = b, out = [Goldilocks](repeating: 0, count: a.count)
            x.withUnsafeMutableBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    out.withUnsafeMutableBufferPointer { op(aliasOutput ? xp.baseAddress! : $0.baseAddress!, xp.baseAddress!,
                                                             yp.baseAddress!, a.count, kernel) }
                }
            }
            results.append(aliasOutput ? x : out)
        }
        return (results[0], results[1])
    }

    @Test func baseFieldOperationsAgree() throws {
        try #require(FieldKernel.avx512.isAvailable, "this processor has no AVX-512F")
        let ops: [(String, Binary)] = [
            ("add", { BatchArithmetic.add($0, $1, $2, count: $3, kernel: $4) }),
            ("subtract", { BatchArithmetic.subtract($0, $1, $2, count: $3, kernel: $4) }),
            ("multiply", { BatchArithmetic.multiply($0, $1, $2, count: $3, kernel: $4) }),
            ("negate", { o, a, _, n, k in BatchArithmetic.negate(o, a, count: n, kernel: k) }),
        ]
        for count in Array(0 ... 40) + [121, 256] {
            let (a, b) = Self.operands(count)
            for (name, op) in ops {
                for alias in [false, true] {
                    let (scalar, vector) = Self.both(a, b, aliasOutput: alias, op)
                    #expect(scalar == vector, "\(name), \(count) elements, aliased \(alias)")
                }
            }
        }
        // The scalar loop is the field's operators: spot-check that it is what ran.
        let (a, b) = Self.operands(121)
        let (_, vector) = Self.both(a, b, aliasOutput: false) { BatchArithmetic.multiply($0, $1, $2, count: $3, kernel: $4) }
        #expect(vector == zip(a, b).map { $0 * $1 })
    }

    @Test func extensionOperationsAgree() throws {
        try #require(FieldKernel.avx512.isAvailable, "this processor has no AVX-512F")
        for count in [1, 8, 13, 121, 256] {
            let (a0, b0) = Self.operands(count)
            let (b1, a1) = Self.operands(count)
            let alpha = GoldilocksExt2(Goldilocks(Goldilocks.modulus - 1), Goldilocks(1 << 32))
            let expectedProduct = (0 ..< count).map { GoldilocksExt2(a0[$0], a1[$0]) * GoldilocksExt2(b0[$0], b1[$0]) }
            let expectedHorner = (0 ..< count).map { GoldilocksExt2(a0[$0], a1[$0]) * alpha + GoldilocksExt2(b0[$0], b1[$0]) }
            for kernel in [FieldKernel.scalar, .avx512] {
                var x0 = a0, x1 = a1, y0 = b0, y1 = b1
                var o0 = [Goldilocks](repeating: 0, count: count), o1 = o0
                x0.withUnsafeMutableBufferPointer { x0 in x1.withUnsafeMutableBufferPointer { x1 in
                    y0.withUnsafeMutableBufferPointer { y0 in y1.withUnsafeMutableBufferPointer { y1 in
                        o0.withUnsafeMutableBufferPointer { o0 in o1.withUnsafeMutableBufferPointer { o1 in
                            BatchArithmetic.multiplyExtension(o0.baseAddress!, o1.baseAddress!, x0.baseAddress!, x1.baseAddress!,
                                                              y0.baseAddress!, y1.baseAddress!, count: count, kernel: kernel)
                            BatchArithmetic.hornerStep(x0.baseAddress!, x1.baseAddress!, y0.baseAddress!, y1.baseAddress!,
                                                       alpha: alpha, count: count, kernel: kernel)
                        } }
                    } }
                } }
                #expect((0 ..< count).map { GoldilocksExt2(o0[$0], o1[$0]) } == expectedProduct, "product, \(kernel), \(count)")
                #expect((0 ..< count).map { GoldilocksExt2(x0[$0], x1[$0]) } == expectedHorner, "Horner, \(kernel), \(count)")
            }
        }
    }

    /// Aliased Horner steps: x the accumulator itself, and x's second half
    /// the accumulator's first (every input must be read before any write).
    @Test func hornerStepWithAliasedOperands() throws {
        try #require(FieldKernel.avx512.isAvailable, "this processor has no AVX-512F")
        let count = 29
        let (a0, a1) = Self.operands(count)
        let alpha = GoldilocksExt2(Goldilocks(3), Goldilocks(Goldilocks.modulus - 5))
        for kernel in [FieldKernel.scalar, .avx512] {
            var acc0 = a0, acc1 = a1
            acc0.withUnsafeMutableBufferPointer { p0 in acc1.withUnsafeMutableBufferPointer { p1 in
                BatchArithmetic.hornerStep(p0.baseAddress!, p1.baseAddress!, p0.baseAddress!, p1.baseAddress!,
                                           alpha: alpha, count: count, kernel: kernel)
            } }
            let expected = (0 ..< count).map { GoldilocksExt2(a0[$0], a1[$0]) * (alpha + .one) }
            #expect((0 ..< count).map { GoldilocksExt2(acc0[$0], acc1[$0]) } == expected, "x = acc, \(kernel)")

            var b0 = a0, b1 = a1
            b0.withUnsafeMutableBufferPointer { p0 in b1.withUnsafeMutableBufferPointer { p1 in
                // x = (acc1, acc0): x1 is acc0, read after acc0 would have been written.
                BatchArithmetic.hornerStep(p0.baseAddress!, p1.baseAddress!, p1.baseAddress!, p0.baseAddress!,
                                           alpha: alpha, count: count, kernel: kernel)
            } }
            let swapped = (0 ..< count).map { GoldilocksExt2(a0[$0], a1[$0]) * alpha + GoldilocksExt2(a1[$0], a0[$0]) }
            #expect((0 ..< count).map { GoldilocksExt2(b0[$0], b1[$0]) } == swapped, "x = (acc1, acc0), \(kernel)")
        }
    }
}
