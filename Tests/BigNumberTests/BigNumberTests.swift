import Testing
import BigNumber

@Suite struct BigIntTests {
    @Test func arithmeticAgreesWithIntOnRandomValues() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let a = Int.random(in: -1_000_000_000...1_000_000_000, using: &rng)
            let b = Int.random(in: -1_000_000_000...1_000_000_000, using: &rng)
            #expect((BigInt(a) + BigInt(b)).asInt == a + b)
            #expect((BigInt(a) - BigInt(b)).asInt == a - b)
            #expect((BigInt(a) * BigInt(b)).asInt == a * b)
            #expect((BigInt(a) < BigInt(b)) == (a < b))
            if b != 0 {
                let q = BigInt(a).floorDivided(by: BigInt(b)).asInt!
                let r = BigInt(a).floorModulo(BigInt(b)).asInt!
                #expect(q * b + r == a)
                #expect(b > 0 ? (0..<b).contains(r) : (b + 1...0).contains(r))
            }
        }
    }

    @Test func parsesAndPrintsHugeValues() throws {
        let text = "-" + String(repeating: "9", count: 300)
        let value = try #require(BigInt(text))
        #expect(value.description == text)
        #expect(value.asInt == nil)
        #expect((value - value).isZero)
        #expect(BigInt("") == nil)
        #expect(BigInt("12a") == nil)
        #expect(BigInt("-") == nil)
        #expect(BigInt.powerOfTwo(64).toString(radix: 16) == "10000000000000000")
        #expect(BigInt.powerOfTwo(64).bitWidth == 65)
    }

    @Test func sameValueSameHash() {
        let a = BigInt(12345) * BigInt(1000)
        let b = BigInt("12345000")!
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        // Aliased operands must be fine (no exclusivity issues).
        #expect((a * a) == BigInt("152399025000000")!)
    }
}

@Suite struct RationalTests {
    @Test func percentAndDecimalAreTheSameRatio() {
        #expect(Rational(decimal: "5", percent: true) == Rational(decimal: "0.05"))
        #expect(Rational(decimal: "0.05") == Rational(1, 20))
        #expect(Rational(decimal: "12.5", percent: true) == Rational(1, 8))
        #expect(Rational(decimal: "1.") == nil)
        #expect(Rational(decimal: ".5") == nil)
        #expect(Rational(decimal: "1e5") == nil)
    }

    @Test func normalisesSignAndTerms() {
        let r = Rational(BigInt(6), BigInt(-4))
        #expect(r.numerator == BigInt(-3))
        #expect(r.denominator == BigInt(2))
        #expect(r.description == "-3/2")
        #expect(r.floor == BigInt(-2))
        #expect(r.ceiling == BigInt(-1))
    }

    @Test func comparisonIsExact() {
        // 109/1000 is above 1/10 even though a two-digit truncation would say 10%.
        #expect(Rational(109, 1000) > Rational(decimal: "10", percent: true)!)
        #expect(Rational(1, 3) + Rational(1, 6) == Rational(1, 2))
        #expect(Rational(2, 3).divided(by: .zero) == nil)
    }

    @Test func rendersDecimals() {
        #expect(Rational(731, 10000).percentString() == "7.31%")
        #expect(Rational(1, 3).decimalString(places: 4) == "0.3333")
        #expect(Rational(2, 3).decimalString(places: 2) == "0.67")
        #expect(Rational(-1, 20).decimalString() == "-0.05")
        #expect(Rational(5).decimalString() == "5")
    }
}
