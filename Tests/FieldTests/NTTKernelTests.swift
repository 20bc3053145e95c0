import Testing
@testable import Field

/// The AVX-512 butterflies against the scalar ones and the definition: every
/// transform must give the same canonical words, through the tiled small
/// stages, both parallel splits of the large stages and the inverse scaling.
@Suite struct NTTKernelTests {
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
        try #require(NTTKernel.avx512.isAvailable, "this processor has no AVX-512F")
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
        try #require(NTTKernel.avx512.isAvailable, "this processor has no AVX-512F")
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
        try #require(NTTKernel.avx512.isAvailable, "this processor has no AVX-512F")
        let source = Self.values(1 << 12)
        var scalar = [Goldilocks](repeating: 0, count: 1 << 14), vector = scalar
        source.withUnsafeBufferPointer { src in
            scalar.withUnsafeMutableBufferPointer { NTT.forwardCoset(from: src, into: $0, shift: 7, powers: nil, kernel: .scalar) }
            vector.withUnsafeMutableBufferPointer { NTT.forwardCoset(from: src, into: $0, shift: 7, powers: nil, kernel: .avx512) }
        }
        #expect(Self.firstDifference(vector, scalar) == nil)
    }
}
