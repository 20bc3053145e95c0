import Testing
import Field
@testable import Stark

/// `QuotientInterpolation` against Horner's rule: a random polynomial of the
/// planned degree, evaluated point by point on the planned blocks, comes back
/// as its own coefficients.
@Suite struct QuotientInterpolationTests {
    /// The point of storage block k, row j: s·ω_{Bn}^k·ω_n^j (`LDEDomain`).
    static func point(block k: Int, row j: Int, rows n: Int, ldeBlocks b: Int) -> Goldilocks {
        let wide = Goldilocks.rootOfUnity(logOrder: (b * n).trailingZeroBitCount)
        return StarkParameters.cosetShift * wide.power(UInt64(k)) * wide.power(UInt64(b * j))
    }

    static func domain(_ n: Int, _ b: Int) -> LDEDomain {
        LDEDomain(logRows: n.trailingZeroBitCount, logBlowup: b.trailingZeroBitCount)
    }

    static func horner(_ coefficients: [Goldilocks], at x: Goldilocks) -> Goldilocks {
        coefficients.reversed().reduce(Goldilocks.zero) { $0 * x + $1 }
    }

    /// Evaluates a random polynomial of degree `degree` where the plan says,
    /// interpolates, and returns (plan, expected coefficients, result).
    static func roundTrip(degree: Int, rows n: Int, ldeBlocks b: Int) -> (QuotientInterpolation, [Goldilocks], [Goldilocks]) {
        var rng = SecureRandom(seed: Array("quotient \(degree) \(n) \(b)".utf8))
        let plan = QuotientInterpolation(degree: degree, domain: domain(n, b))
        let coefficients = (0 ... degree).map { _ in Goldilocks.random(using: &rng) }
        var column = [Goldilocks](repeating: .zero, count: plan.valueCount)
        for (i, k) in plan.blocks.enumerated() {
            for j in 0 ..< n {
                column[plan.position(block: i, row: j)] = horner(coefficients, at: point(block: k, row: j, rows: n, ldeBlocks: b))
            }
        }
        column.withUnsafeMutableBufferPointer { plan.interpolate($0.baseAddress!, parallel: false) }
        return (plan, coefficients + [Goldilocks](repeating: .zero, count: plan.valueCount - degree - 1), column)
    }

    @Test(arguments: [
        // (degree, rows, LDE blocks): just under 3n and 5n take the extra block;
        // just under 4n, 2n and n do not.
        (3 * 16 - 4, 16, 8), (3 * 32 - 1, 32, 8), (3 * 64 - 200 / 4, 64, 16),
        (5 * 16 - 1, 16, 8), (5 * 8 - 3, 8, 16),
        (4 * 16 - 5, 16, 8), (2 * 16 - 3, 16, 8), (16 - 1, 16, 8), (0, 16, 8),
    ])
    func coefficientsComeBack(_ shape: (Int, Int, Int)) {
        let (degree, n, b) = shape
        let (plan, expected, result) = Self.roundTrip(degree: degree, rows: n, ldeBlocks: b)
        #expect(result == expected)
        // At most one block more than needed for these shapes (degrees of
        // 6n and 7n, not listed, take all eight).
        #expect(plan.blocks.count * n > degree)
        #expect(plan.blocks.count <= degree / n + 2)
        #expect(Set(plan.blocks).count == plan.blocks.count)
    }

    @Test func theExtraBlockIsUsedOnlyOneBeyondAPowerOfTwo() {
        #expect(QuotientInterpolation(degree: 3 * 16 - 4, domain: Self.domain(16, 8)).blocks == [0, 4, 2])
        #expect(QuotientInterpolation(degree: 5 * 16 - 1, domain: Self.domain(16, 8)).blocks == [0, 2, 4, 6, 1])
        #expect(QuotientInterpolation(degree: 4 * 16 - 5, domain: Self.domain(16, 8)).blocks == [0, 2, 4, 6])
        #expect(QuotientInterpolation(degree: 2 * 16 - 3, domain: Self.domain(16, 8)).blocks == [0, 4])
        // 6n: two blocks beyond four, so all eight (the extra-block split covers one).
        #expect(QuotientInterpolation(degree: 6 * 16 - 1, domain: Self.domain(16, 8)).blocks.count == 8)
    }

    /// A polynomial one degree too high for the plan does not come back: the
    /// test above could not pass by returning its input unchanged.
    @Test func aPolynomialBeyondThePlanIsNotRecovered() {
        let n = 16, b = 8
        let plan = QuotientInterpolation(degree: 3 * n - 1, domain: Self.domain(n, b))
        var rng = SecureRandom(seed: Array("too high".utf8))
        let coefficients = (0 ... 3 * n).map { _ in Goldilocks.random(using: &rng) }
        var column = [Goldilocks](repeating: .zero, count: plan.valueCount)
        for (i, k) in plan.blocks.enumerated() {
            for j in 0 ..< n {
                column[plan.position(block: i, row: j)] = Self.horner(coefficients, at: Self.point(block: k, row: j, rows: n, ldeBlocks: b))
            }
        }
        column.withUnsafeMutableBufferPointer { plan.interpolate($0.baseAddress!, parallel: false) }
        #expect(column != Array(coefficients.prefix(3 * n)))
    }
}
