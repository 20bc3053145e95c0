import Field
import Testing
@testable import CircuitIR

@Suite struct BooleanTests {
    @Test func isZeroHasAUniqueWitness() throws {
        let b = CircuitBuilder(name: "is_zero")
        let x = try b.privateInput("x")
        try b.publicOutput("z", b.isZero(x))
        let p = b.finish()
        let hint = Harness.onlyHint(p)
        for x: Goldilocks in [0, 1, Goldilocks(signed: -1), 12345, Goldilocks(UInt64(1) << 63)] {
            let inputs = WitnessInputs(private: [x])
            let w = try #require(Harness.honest(p, inputs))
            #expect(w.publicOutputs == [x.isZero ? 1 : 0])
            Harness.expectEveryTamperingRejected(p, inputs)
            // The algebraic argument: only inv = x⁻¹ (or 0 for x = 0) is accepted.
            for candidate: Goldilocks in [0, 1, 2, Goldilocks(signed: -1), x.inverse, x.inverse + 1] {
                #expect(Harness.accepts(p, inputs, forcing: [hint: [candidate]]) == (candidate == x.inverse))
            }
        }
    }

    @Test func connectives() throws {
        let b = CircuitBuilder(name: "logic")
        let x = try b.privateInput("x", bits: 1), y = try b.privateInput("y", bits: 1)
        try b.publicOutput("and", b.and(x, y))
        try b.publicOutput("or", b.or(x, y))
        try b.publicOutput("not", b.not(x))
        try b.publicOutput("eq", b.isEqual(x, y))
        let p = b.finish()
        for x in 0...1 {
            for y in 0...1 {
                let w = try #require(Harness.honest(p, WitnessInputs(private: [Goldilocks(x), Goldilocks(y)])))
                let expected = [x & y, x | y, 1 - x, x == y ? 1 : 0].map { Goldilocks($0) }
                #expect(w.publicOutputs == expected)
            }
        }
        #expect(b.isBoolean(try b.or(x, y)))
    }

    @Test func allAndAny() throws {
        let b = CircuitBuilder(name: "quantifiers")
        let bits = try (0..<6).map { try b.privateInput("b[\($0)]", bits: 1) }
        try b.publicOutput("all", b.all(bits))
        try b.publicOutput("any", b.any(bits))
        try b.publicOutput("all_empty", b.all([]))
        try b.publicOutput("any_empty", b.any([]))
        let p = b.finish()
        var rng = SplitMix64(seed: 2)
        var cases: [[Int]] = [[0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0], [0, 0, 0, 1, 0, 0]]
        for _ in 0..<20 { cases.append((0..<6).map { _ in Int(rng.next() % 2) }) }
        for bs in cases {
            let inputs = WitnessInputs(private: bs.map { Goldilocks($0) })
            let w = try #require(Harness.honest(p, inputs))
            #expect(w.publicOutputs == [bs.allSatisfy { $0 == 1 } ? 1 : 0, bs.contains(1) ? 1 : 0, 1, 0])
            Harness.expectEveryTamperingRejected(p, inputs)
        }
    }
}
