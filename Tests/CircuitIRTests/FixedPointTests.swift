import Field
import Testing
@testable import CircuitIR

@Suite struct FixedPointTests {
    /// Reference rounding through floating point (exact for these magnitudes).
    static func reference(_ v: Int64, shift: Int, _ rounding: Rounding) -> Int64 {
        let q = Double(v) / Double(Int64(1) << shift)
        return Int64(rounding == .floor ? q.rounded(.down) : (q + 0.5).rounded(.down))
    }

    @Test(arguments: Rounding.allCases)
    func rescaleRoundsAsDocumented(rounding: Rounding) throws {
        let b = CircuitBuilder(name: "rescale")
        let x = try b.privateInput("x")
        try b.signedRangeCheck(x, bits: 20)
        try b.publicOutput("y", b.rescale(x, shift: 4, rounding: rounding))
        let p = b.finish()
        var rng = SplitMix64(seed: 4)
        var cases: [Int64] = [-(1 << 19), (1 << 19) - 1, 0, 8, -8, 7, -7, 24, -24, 23, -25, 15, -16]
        for _ in 0..<40 { cases.append(Int64(rng.next() % (1 << 20)) - (1 << 19)) }
        for v in cases {
            let w = try #require(Harness.honest(p, WitnessInputs(private: [Goldilocks(signed: v)])))
            let expected = Self.reference(v, shift: 4, rounding)
            #expect(w.publicOutputs == [Goldilocks(signed: expected)], "\(v) / 16 \(rounding)")
            #expect(rounding.apply(v, shift: 4) == expected)
        }
        Harness.expectEveryTamperingRejected(p, WitnessInputs(private: [Goldilocks(signed: -24)]))
        Harness.expectNoSecondWitness(p, WitnessInputs(private: [Goldilocks(signed: -24)]), trials: 80)
    }

    @Test func fixedPointProduct() throws {
        // a, b at scale 2^6 (signed 12-bit); product rescaled back to scale 2^6.
        let b = CircuitBuilder(name: "fixed_mul")
        let x = try b.privateInput("a"), y = try b.privateInput("b")
        try b.signedRangeCheck(x, bits: 12)
        try b.signedRangeCheck(y, bits: 12)
        try b.publicOutput("ab", b.fixedMul(x, y, shift: 6, rounding: .nearestTiesUp))
        let p = b.finish()
        var rng = SplitMix64(seed: 8)
        for _ in 0..<40 {
            let a = Int64(rng.next() % 4096) - 2048, c = Int64(rng.next() % 4096) - 2048
            let w = try #require(Harness.honest(p, WitnessInputs(private: [Goldilocks(signed: a), Goldilocks(signed: c)])))
            #expect(w.publicOutputs == [Goldilocks(signed: Self.reference(a * c, shift: 6, .nearestTiesUp))])
        }
        Harness.expectEveryTamperingRejected(p, WitnessInputs(private: [Goldilocks(signed: -100), Goldilocks(77)]))
    }

    @Test func productsThatMayWrapAreRefused() throws {
        let b = CircuitBuilder(name: "wide")
        let x = try b.privateInput("a", bits: 40), y = try b.privateInput("b", bits: 40)
        #expect { try b.fixedMul(x, y, shift: 8, rounding: .floor) } throws: { ($0 as? CircuitError)?.kind == .mayWrap }
    }
}
