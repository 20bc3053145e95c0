import BigNumber
import Field
import Testing
@testable import CircuitIR

@Suite struct SignedTests {
    @Test func signedRepresentatives() {
        #expect(Goldilocks.zero.signedValue == 0)
        #expect((-Goldilocks.one).signedValue == -1)
        #expect(Goldilocks(UInt64(Goldilocks.halfModulus)).signedValue == Goldilocks.halfModulus)
        #expect(Goldilocks(UInt64(Goldilocks.halfModulus) + 1).signedValue == -Goldilocks.halfModulus)
        for n: Int64 in [0, 1, -1, 123_456_789, -987_654_321, Goldilocks.halfModulus, -Goldilocks.halfModulus] {
            #expect(Goldilocks(signed: n).signedValue == n)
        }
    }

    @Test func bigIntegers() throws {
        let p = BigInt(Goldilocks.modulus)
        #expect(Goldilocks(reducing: p + BigInt(5)) == 5)
        #expect(Goldilocks(reducing: -BigInt(1)) == -Goldilocks.one)
        #expect(Goldilocks(reducing: p * p * BigInt(3) - BigInt(2)) == -Goldilocks(2))
        let h = BigInt(Int(Goldilocks.halfModulus))
        #expect(Goldilocks(exactly: h)?.signedValue == Goldilocks.halfModulus)
        #expect(Goldilocks(exactly: -h)?.signedValue == -Goldilocks.halfModulus)
        #expect(Goldilocks(exactly: h + BigInt(1)) == nil)
        #expect(Goldilocks(exactly: -h - BigInt(1)) == nil)
        #expect(Goldilocks(signed: -42).signedBigInt == BigInt(-42))
    }
}
