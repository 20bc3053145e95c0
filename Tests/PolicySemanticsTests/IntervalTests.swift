import BigNumber
import Testing
@testable import PolicySemantics

/// Interval arithmetic is checked against sampling: every value computed
/// from points of the operands must lie in the computed interval.
@Suite struct IntervalTests {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11 | state << 53
        }
    }

    func rational(_ g: inout Generator) -> Rational {
        Rational(BigInt(Int.random(in: -60...60, using: &g)), BigInt(Int.random(in: 1...7, using: &g)))
    }

    func interval(_ g: inout Generator) -> Interval {
        let a = rational(&g), b = rational(&g)
        return Interval(Rational.min(a, b), Rational.max(a, b))
    }

    func sample(_ i: Interval, _ g: inout Generator) -> Rational {
        let t = Rational(BigInt(Int.random(in: 0...8, using: &g)), BigInt(8))
        return i.lower! + (i.upper! - i.lower!) * t
    }

    @Test func operationsContainEverySample() {
        var g = Generator(state: 42)
        for _ in 0..<2_000 {
            let a = interval(&g), b = interval(&g)
            let sum = a + b, difference = a - b, product = a * b, negation = -a, magnitude = a.absolute()
            let low = Interval.minimum(a, b), high = Interval.maximum(a, b)
            for _ in 0..<8 {
                let x = sample(a, &g), y = sample(b, &g)
                #expect(sum.contains(x + y))
                #expect(difference.contains(x - y))
                #expect(product.contains(x * y))
                #expect(negation.contains(-x))
                #expect(magnitude.contains(x.magnitude))
                #expect(low.contains(Rational.min(x, y)))
                #expect(high.contains(Rational.max(x, y)))
                if !(b.lower!.signum < 0 && b.upper!.signum > 0), let q = x.divided(by: y) {
                    #expect((a / b).contains(q), "\(a) / \(b) misses \(x)/\(y)")
                }
            }
        }
    }

    @Test func bounds() {
        #expect((Interval(0, 2) * Interval(nil, nil)) == .unbounded)
        #expect((Interval(1, 2) * Interval(Rational(3), nil)).lower == Rational(3))
        #expect((Interval(1, 2) / Interval(0, 4)).upper == nil)
        #expect((Interval(1, 2) / Interval(0, 4)).lower == .zero)
        #expect(Interval(-3, 2).absolute() == Interval(0, 3))
        #expect(Interval(-3, 2).magnitude == Rational(3))
        #expect(Interval.point(.zero) * .unbounded == .point(.zero))
        #expect(Interval(0, 5).intersect(Interval(Rational(2), nil)) == Interval(2, 5))
    }

    @Test func safetyBound() {
        let limit = Rational(BigInt.powerOfTwo(62))
        #expect(Limits.isSafe(Interval(-limit + Rational(1), limit - Rational(1))))
        #expect(!Limits.isSafe(Interval(.zero, limit)))
        #expect(!Limits.isSafe(Interval(-limit, .zero)))
        #expect(!Limits.isSafe(.unbounded))
    }

    @Test func decidesComparisons() {
        #expect(Checker.decide(.less, Interval(0, 1), Interval(2, 3)) == true)
        #expect(Checker.decide(.less, Interval(0, 2), Interval(2, 3)) == nil)
        #expect(Checker.decide(.lessEqual, Interval(0, 2), Interval(2, 3)) == true)
        #expect(Checker.decide(.greaterEqual, Interval(0, 1), Interval(2, 3)) == false)
        #expect(Checker.decide(.equal, Interval(0, 1), Interval(2, 3)) == false)
        #expect(Checker.decide(.notEqual, .point(Rational(2)), .point(Rational(2))) == false)
        #expect(Checker.decide(.greater, Interval(Rational(0), nil), Interval(-1, -1)) == true)
    }
}
