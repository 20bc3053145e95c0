import Testing
@testable import Field

/// Reference arithmetic through 128-bit integers.
private func referenceMul(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let product = UInt128(a) * UInt128(b)
    return UInt64(product % UInt128(Goldilocks.modulus))
}

@Suite struct GoldilocksTests {
    static let edges: [UInt64] = [0, 1, 2, Goldilocks.modulus - 1, Goldilocks.modulus - 2,
                                  1 << 32, (1 << 32) - 1, (1 << 32) + 1, 1 << 63, Goldilocks.epsilon << 32]

    @Test func multiplicationMatchesReference() {
        var rng = SystemRandomNumberGenerator()
        var samples = Self.edges
        for _ in 0..<20_000 { samples.append(UInt64.random(in: 0..<Goldilocks.modulus, using: &rng)) }
        for (i, a) in samples.enumerated() {
            let b = samples[(i * 7 + 3) % samples.count]
            #expect((Goldilocks(a) * Goldilocks(b)).value == referenceMul(a, b))
        }
        for a in Self.edges { for b in Self.edges {
            #expect((Goldilocks(a) * Goldilocks(b)).value == referenceMul(a, b))
        } }
    }

    @Test func additionAndSubtractionMatchReference() {
        let p = UInt128(Goldilocks.modulus)
        for a in Self.edges { for b in Self.edges {
            #expect((Goldilocks(a) + Goldilocks(b)).value == UInt64((UInt128(a) + UInt128(b)) % p))
            #expect((Goldilocks(a) - Goldilocks(b)).value == UInt64((UInt128(a) + p - UInt128(b)) % p))
        } }
    }

    @Test func inverseOfNonZeroIsInverse() {
        for a in Self.edges where a != 0 {
            #expect(Goldilocks(a) * Goldilocks(a).inverse == .one)
        }
    }

    @Test func reductionOfLargeInputs() {
        #expect(Goldilocks(UInt64.max).value == UInt64.max - Goldilocks.modulus)
        #expect(Goldilocks(signed: -1).value == Goldilocks.modulus - 1)
    }
}

@Suite struct ProductSumTests {
    /// Lazy reduction agrees with reducing every product, for edge values
    /// (p − 1 squared, which carries into the top word soonest) and random ones.
    @Test func matchesReducedSum() {
        var rng = SystemRandomNumberGenerator()
        let edges: [Goldilocks] = [.zero, .one, Goldilocks(canonical: Goldilocks.modulus - 1),
                                   Goldilocks(canonical: 1 << 32), Goldilocks(canonical: (1 << 32) - 1)]
        for count in [0, 1, 2, 3, 1000, 70_000] {
            var lazy = ProductSum(), exact = Goldilocks.zero
            for i in 0 ..< count {
                let a = i % 3 == 0 ? edges[i % edges.count] : Goldilocks(rng.next())
                let b = i % 2 == 0 ? Goldilocks(canonical: Goldilocks.modulus - 1) : Goldilocks(rng.next())
                lazy.add(a, times: b)
                exact += a * b
            }
            #expect(lazy.value == exact)
        }
        // Many maximal products: the 192-bit accumulator's top word is used.
        var lazy = ProductSum(), exact = Goldilocks.zero
        let m = Goldilocks(canonical: Goldilocks.modulus - 1)
        for _ in 0 ..< 100_000 { lazy.add(m, times: m); exact += m * m }
        #expect(lazy.value == exact)
    }
}
