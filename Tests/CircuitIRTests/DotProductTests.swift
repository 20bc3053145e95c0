import Field
import Testing
@testable import CircuitIR

@Suite struct DotProductTests {
    @Test func matchesIntegerDotProduct() throws {
        let b = CircuitBuilder(name: "dot")
        let xs = try (0..<8).map { k in try b.privateInput("x[\(k)]") }
        let ws = try (0..<8).map { k in try b.privateInput("w[\(k)]") }
        for v in xs + ws { try b.signedRangeCheck(v, bits: 16) }
        let d = try b.dotProduct(xs, ws)
        try b.publicOutput("d", d)
        #expect(b.bound(of: d) == Interval(-8 * 32768 * 32767, 8 * 32768 * 32768))
        let p = b.finish()
        var rng = SplitMix64(seed: 6)
        for _ in 0..<20 {
            let x = (0..<8).map { _ in Int64(rng.next() % 65536) - 32768 }
            let w = (0..<8).map { _ in Int64(rng.next() % 65536) - 32768 }
            let witness = try #require(Harness.honest(p, WitnessInputs(private: (x + w).map { Goldilocks(signed: $0) })))
            #expect(witness.publicOutputs == [Goldilocks(signed: zip(x, w).map { $0 * $1 }.reduce(0, +))])
            // In the constraint-system view the result is a witness cell too:
            // any other value in it is rejected by the dot instruction.
            var forged = witness.values
            forged[d.index] += 1
            #expect(Evaluator(p).check(forged, publicInputs: [])?.kind == .definitionMismatch)
            #expect(Evaluator(p).check(witness.values, publicInputs: []) == nil)
        }
    }

    @Test func refusesSumsThatMayWrap() throws {
        let b = CircuitBuilder(name: "wide")
        let xs = try (0..<2).map { try b.privateInput("x\($0)", bits: 40) }
        #expect { try b.dotProduct(xs, xs) } throws: { ($0 as? CircuitError)?.kind == .mayWrap }
        #expect(throws: CircuitError.self) { try b.dotProduct(xs, [xs[0]]) }
    }
}
