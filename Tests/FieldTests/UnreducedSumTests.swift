@testable import Field
import Testing

@Suite struct UnreducedSumTests {
    static func reduced(_ terms: [(Goldilocks, Goldilocks)]) -> Goldilocks {
        terms.reduce(Goldilocks.zero) { $0 + $1.0 * $1.1 }
    }

    static func unreduced(_ terms: [(Goldilocks, Goldilocks)]) -> Goldilocks {
        var sum = UnreducedSum()
        for (a, b) in terms { sum.add(a, times: b) }
        return sum.value
    }

    /// Agrees with the sum reduced after every product: random terms, and
    /// edge values whose products carry into both words of each half's sum
    /// ((p − 1)² has both 64-bit halves near 2^64).
    @Test func agreesWithTheReducedSum() {
        var rng = SystemRandomNumberGenerator()
        let edges: [Goldilocks] = [.zero, .one, -.one, Goldilocks(1 << 32), Goldilocks(Goldilocks.modulus - (1 << 32)),
                                   Goldilocks(UInt64.max >> 1)]
        var terms: [(Goldilocks, Goldilocks)] = []
        #expect(Self.unreduced(terms) == .zero)
        for a in edges { for b in edges { terms.append((a, b)) } }
        #expect(Self.unreduced(terms) == Self.reduced(terms))
        for count in [1, 2, 3, 100, 5000] {
            let random = (0 ..< count).map { _ in (Goldilocks.random(using: &rng), Goldilocks.random(using: &rng)) }
            #expect(Self.unreduced(random) == Self.reduced(random), "\(count) random terms")
        }
        // 2^20 terms of (p − 1)²: both halves' sums pass 2^64 many times over.
        let worst = [(Goldilocks, Goldilocks)](repeating: (-.one, -.one), count: 1 << 20)
        #expect(Self.unreduced(worst) == Goldilocks(1 << 20))  // (−1)² = 1, 2^20 times
    }
}
