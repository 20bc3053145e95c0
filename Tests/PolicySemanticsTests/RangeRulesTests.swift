import BigNumber
import Testing
@testable import PolicySemantics

/// The range rules are checked against a simulation of the reference
/// lowering (docs/language.md, "Numbers in the circuit"): random fractions
/// within the input ranges are combined the way the circuit combines them,
/// and the integers that appear must lie in the predicted ranges, while the
/// value must equal exact rational arithmetic.
@Suite struct RangeRulesTests {
    typealias Fraction = (n: BigInt, d: BigInt)

    var g = IntervalTests.Generator(state: 7)

    /// An integer in a bounded interval; the bounds themselves a quarter of the time each.
    mutating func integer(in interval: Interval) -> BigInt {
        let low = interval.lower!.ceiling, high = interval.upper!.floor
        switch Int.random(in: 0..<4, using: &g) {
        case 0: return low
        case 1: return high
        default:
            let span = (high - low).asInt ?? (1 << 40)
            return low + BigInt(Int.random(in: 0...max(0, min(span, 1 << 40)), using: &g))
        }
    }

    /// A fraction the range allows: denominator and numerator within their
    /// bounds, value within the value bounds.
    mutating func fraction(_ range: NumericRange) -> Fraction {
        for _ in 0..<1_000 {
            let d = integer(in: range.denominator)
            if d.isZero { continue }
            let scale = Rational(d)
            let allowed = range.numerator.intersect(Interval(range.value.lower.map { Rational(($0 * scale).ceiling) },
                                                             range.value.upper.map { Rational(($0 * scale).floor) }))
            guard let low = allowed.lower, let high = allowed.upper, low <= high else { continue }
            return (integer(in: allowed), d)
        }
        Issue.record("no fraction found in \(range)")
        return (.zero, .one)
    }

    func contains(_ interval: Interval, _ value: BigInt) -> Bool { interval.contains(Rational(value)) }

    /// The representative ranges of the language: counts, rates, fixed data, parameters, constants.
    static let ranges: [NumericRange] = [
        RangeRules.count,
        RangeRules.rate,
        .input(Interval(0, 1), kind: .fixed, parameter: false),
        .input(Interval(-100, 250), kind: .fixed, parameter: false),
        .input(Interval(18, 120), kind: .int, parameter: false),
        .input(Interval(0, 1), kind: .ratio, parameter: true),
        .constant(Rational(4, 5)),
        .constant(Rational(-3)),
    ]

    @Test mutating func arithmeticMatchesTheSimulatedLowering() {
        for a in Self.ranges {
            for b in Self.ranges {
                for _ in 0..<15 {
                    let x = fraction(a), y = fraction(b)
                    let exactX = Rational(x.n, x.d), exactY = Rational(y.n, y.d)
                    // add / subtract: constant denominators are brought to their least
                    // common multiple (computed here independently); otherwise cross-multiply.
                    for subtract in [false, true] {
                        let (range, _) = RangeRules.add(a, b, subtract: subtract)
                        var n: BigInt, d: BigInt
                        if a.constantDenominator != nil && b.constantDenominator != nil {
                            var l = x.d
                            while !l.floorModulo(y.d).isZero { l += x.d } // smallest common multiple, by search
                            let left = x.n * l.floorDivided(by: x.d), right = y.n * l.floorDivided(by: y.d)
                            n = subtract ? left - right : left + right
                            d = l
                        } else {
                            n = subtract ? x.n * y.d - y.n * x.d : x.n * y.d + y.n * x.d
                            d = x.d * y.d
                        }
                        #expect(contains(range.numerator, n) && contains(range.denominator, d))
                        #expect(range.value.contains(subtract ? exactX - exactY : exactX + exactY))
                        #expect(Rational(n, d) == (subtract ? exactX - exactY : exactX + exactY))
                    }
                    let (product, _) = RangeRules.multiply(a, b)
                    #expect(contains(product.numerator, x.n * y.n) && contains(product.denominator, x.d * y.d))
                    #expect(product.value.contains(exactX * exactY))
                    if let (quotient, _) = RangeRules.divide(a, b), !y.n.isZero {
                        let flip = b.value.isNonNegative ? BigInt.one : BigInt(-1)
                        let n = x.n * y.d * flip, d = x.d * y.n * flip
                        #expect(contains(quotient.numerator, n) && contains(quotient.denominator, d), "\(a) / \(b)")
                        #expect(d.signum > 0)
                        #expect(Rational(n, d) == exactX.divided(by: exactY)!)
                        #expect(quotient.value.contains(Rational(n, d)))
                    }
                    // When a comparison is not flagged, the integers it computes stay below 2^62.
                    if RangeRules.compare(a, b).isEmpty {
                        if let (fa, fb, _) = RangeRules.commonScale(a, b) {
                            #expect((x.n * fa).magnitude < BigInt.powerOfTwo(62) && (y.n * fb).magnitude < BigInt.powerOfTwo(62))
                        } else {
                            #expect((x.n * y.d).magnitude < BigInt.powerOfTwo(62) && (y.n * x.d).magnitude < BigInt.powerOfTwo(62))
                        }
                    }
                }
            }
        }
    }

    @Test mutating func aggregatesMatchTheSimulatedLowering() {
        let body = NumericRange.input(Interval(-5, 10), kind: .fixed, parameter: false)
        let (sum, sumProblems) = RangeRules.sum(body)
        #expect(sumProblems.isEmpty)
        // The extreme sums: every one of 2^24 rows at a bound.
        let rows = Limits.maxRows
        #expect(contains(sum.numerator, rows * BigInt(10) * Limits.fixedDenominator))
        #expect(contains(sum.numerator, rows * BigInt(-5) * Limits.fixedDenominator))
        #expect(!contains(sum.numerator, rows * BigInt(11) * Limits.fixedDenominator))
        let (mean, _) = RangeRules.mean(body)
        #expect(mean.value == Interval(-5, 10))
        #expect(contains(mean.denominator, rows * Limits.fixedDenominator))
        // The default fixed range over 2^24 rows overflows: 2^31 · 2^24 · 2^16 = 2^71.
        let (_, problems) = RangeRules.sum(.input(Limits.defaultFixed, kind: .fixed, parameter: false))
        #expect(!problems.isEmpty)
    }

    @Test func ratiosOfRatesStayBelowTheBoundAgainstParameters() {
        // The fairness metrics compared with a ratio parameter: the tightest case of the design.
        let rate = RangeRules.rate
        let parameter = NumericRange.input(Limits.defaultRatio, kind: .ratio, parameter: true)
        let gap = RangeRules.add(rate, rate, subtract: true).range
        let ratio = RangeRules.divide(rate, rate)!.range
        #expect(RangeRules.compare(gap, parameter).isEmpty)
        #expect(RangeRules.compare(ratio, parameter).isEmpty)
        // Comparing two gaps with each other would not fit: that is why comparisons are distributed over max.
        #expect(!RangeRules.compare(gap, gap).isEmpty)
    }
}
