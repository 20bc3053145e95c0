import Testing
@testable import Field

/// The cubic extension against a schoolbook reference, and the field laws
/// that both extensions must satisfy, checked through `ExtensionField`.
@Suite struct CubicExtensionTests {
    static let edges: [Goldilocks] = [0, 1, 2, Goldilocks(Goldilocks.modulus - 1), Goldilocks(1 << 32), Goldilocks((1 << 32) - 1)]

    /// (a0 + a1 u + a2 u²)(b0 + b1 u + b2 u²) as a degree-4 polynomial through
    /// UInt128, then reduced with u³ = 7, u⁴ = 7u.
    static func reference(_ a: GoldilocksExt3, _ b: GoldilocksExt3) -> GoldilocksExt3 {
        let p = UInt128(Goldilocks.modulus)
        let x = [a.c0, a.c1, a.c2].map { UInt128($0.value) }, y = [b.c0, b.c1, b.c2].map { UInt128($0.value) }
        var product = [UInt128](repeating: 0, count: 5)
        for i in 0 ..< 3 { for j in 0 ..< 3 { product[i + j] = (product[i + j] + x[i] * y[j] % p) % p } }
        let c0 = (product[0] + 7 * product[3]) % p
        let c1 = (product[1] + 7 * product[4]) % p
        return GoldilocksExt3(Goldilocks(UInt64(c0)), Goldilocks(UInt64(c1)), Goldilocks(UInt64(product[2])))
    }

    static func samples<E: ExtensionField>(_: E.Type, random count: Int) -> [E] {
        var rng = SystemRandomNumberGenerator()
        var result: [E] = []
        // Every combination of edge values as coefficients (6^d elements).
        var digits = [Int](repeating: 0, count: E.degree)
        repeat {
            result.append(E(coefficients: digits.map { edges[$0] }))
            var k = 0
            while k < digits.count {
                digits[k] += 1
                if digits[k] < edges.count { break }
                digits[k] = 0
                k += 1
            }
            if k == digits.count { break }
        } while true
        for _ in 0 ..< count { result.append(.random(using: &rng)) }
        return result
    }

    @Test func multiplicationMatchesReference() {
        let values = Self.samples(GoldilocksExt3.self, random: 1000)
        for (i, a) in values.enumerated() {
            let b = values[(i * 37 + 11) % values.count]
            #expect(a * b == Self.reference(a, b), "\(a) · \(b)")
        }
        #expect(GoldilocksExt3.u * GoldilocksExt3.u * GoldilocksExt3.u == GoldilocksExt3(7))
    }

    /// The laws of a field, for any extension.
    func checkFieldLaws<E: ExtensionField>(_: E.Type) {
        let values = Self.samples(E.self, random: 300)
        for (i, a) in values.enumerated() {
            let b = values[(i * 7 + 3) % values.count], c = values[(i * 13 + 5) % values.count]
            #expect(a * b == b * a && a + b == b + a)
            #expect((a * b) * c == a * (b * c))
            #expect(a * (b + c) == a * b + a * c)
            #expect(a - b == a + (-b) && a + .zero == a && a * .one == a)
            #expect(a.power(5) == a * a * a * a * a && a.power(0) == .one)
            // The norm is a·adjugate, in the base field, zero only at zero.
            #expect(a * a.adjugate == E(a.norm))
            #expect(a.norm.isZero == a.isZero)
            if !a.isZero { #expect(a * a.inverse == .one, "\(a)") }
            // Base-field operands embed.
            let k = c.coefficient(0)
            #expect(a * k == a * E(k) && a + k == a + E(k) && a - k == a - E(k))
            #expect(E(coefficients: (0 ..< E.degree).map(a.coefficient)) == a)
        }
        #expect(E.zero.inverse == .zero)
    }

    @Test func cubicExtensionIsAField() { checkFieldLaws(GoldilocksExt3.self) }
    @Test func quadraticExtensionIsAField() { checkFieldLaws(GoldilocksExt2.self) }

    /// a^(p³) = a for every a, which holds in the field of p³ elements and
    /// fails in any ring F_p[u]/(f) with f reducible (a factor of degree 1 or
    /// 2 gives components where it is a^p or a^(p²)); and the Frobenius map is a^p.
    @Test func frobeniusAndTheFieldsOrder() {
        let p = Goldilocks.modulus
        #expect(GoldilocksExt3.omega != .one && GoldilocksExt3.omega.power(3) == .one)
        for a in Self.samples(GoldilocksExt3.self, random: 40) {
            let ap = a.power(p)
            #expect(ap == a.frobenius)
            #expect(ap.power(p).power(p) == a)
            #expect(a.frobenius.frobenius.frobenius == a)
            // The norm is the product of the three conjugates.
            #expect(a * a.frobenius * a.frobenius.frobenius == GoldilocksExt3(a.norm))
        }
    }

    @Test func batchInversionInBothExtensions() {
        func check<E: ExtensionField>(_: E.Type) {
            var rng = SystemRandomNumberGenerator()
            for n in [0, 1, 2, 7, 64] {
                let values: [E] = (0 ..< n).map { i in
                    switch i % 4 {
                    case 0: return .zero
                    case 1: return E(.random(using: &rng))
                    default: return .random(using: &rng)
                    }
                }
                var inverted = values
                BatchInverse.invert(extension: &inverted)
                #expect(inverted == values.map(\.inverse))
            }
        }
        check(GoldilocksExt2.self)
        check(GoldilocksExt3.self)
    }
}
