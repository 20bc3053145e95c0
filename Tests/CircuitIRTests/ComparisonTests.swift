import Field
import Testing
@testable import CircuitIR

@Suite struct ComparisonTests {
    /// a, b signed 8-bit private inputs; outputs a < b, a ≤ b, a > b, a ≥ b.
    static func circuit() throws -> Program {
        let b = CircuitBuilder(name: "compare")
        let x = try b.privateInput("a"), y = try b.privateInput("b")
        try b.signedRangeCheck(x, bits: 8)
        try b.signedRangeCheck(y, bits: 8)
        try b.publicOutput("lt", b.lessThan(x, y))
        try b.publicOutput("le", b.lessOrEqual(x, y))
        try b.publicOutput("gt", b.greaterThan(x, y))
        try b.publicOutput("ge", b.greaterOrEqual(x, y))
        return b.finish()
    }

    @Test func matchesIntegerComparison() throws {
        let p = try Self.circuit()
        var rng = SplitMix64(seed: 11)
        var pairs: [(Int, Int)] = [(-128, 127), (127, -128), (0, 0), (-1, 0), (0, -1), (5, 5), (-128, -128)]
        for _ in 0..<40 { pairs.append((Int(rng.next() % 256) - 128, Int(rng.next() % 256) - 128)) }
        for (a, c) in pairs {
            let w = try #require(Harness.honest(p, WitnessInputs(private: [Goldilocks(a), Goldilocks(c)])))
            let expected: [Goldilocks] = [a < c, a <= c, a > c, a >= c].map { $0 ? 1 : 0 }
            #expect(w.publicOutputs == expected, "\(a) vs \(c)")
        }
    }

    @Test func tamperingIsRejected() throws {
        let p = try Self.circuit()
        for (a, c) in [(3, 9), (9, 3), (-4, -4), (-128, 127)] {
            let inputs = WitnessInputs(private: [Goldilocks(a), Goldilocks(c)])
            Harness.expectEveryTamperingRejected(p, inputs)
            Harness.expectNoSecondWitness(p, inputs, trials: 80)
        }
    }

    /// The algebraic argument, checked exhaustively on 4-bit signed inputs:
    /// among lt ∈ {0, 1, 2, −1, 2^32}, exactly the true answer is accepted.
    @Test func onlyTheTrueAnswerIsAccepted() throws {
        let b = CircuitBuilder(name: "lt")
        let x = try b.privateInput("a"), y = try b.privateInput("b")
        try b.signedRangeCheck(x, bits: 4)
        try b.signedRangeCheck(y, bits: 4)
        try b.publicOutput("lt", b.lessThan(x, y))
        let p = b.finish()
        let hint = Harness.onlyHint(p)
        for a in -8...7 {
            for c in -8...7 {
                let inputs = WitnessInputs(private: [Goldilocks(a), Goldilocks(c)])
                for candidate: Goldilocks in [0, 1, 2, Goldilocks(signed: -1), Goldilocks(UInt64(1) << 32)] {
                    let truth: Goldilocks = a < c ? 1 : 0
                    #expect(Harness.accepts(p, inputs, forcing: [hint: [candidate]]) == (candidate == truth),
                            "a=\(a) b=\(c) lt=\(candidate)")
                }
            }
        }
    }

    @Test func inputsOutsideTheirRangeAreRejectedWithOrigin() throws {
        let p = try Self.circuit()
        #expect {
            try Evaluator(p).generate(WitnessInputs(private: [Goldilocks(200), Goldilocks(0)]))
        } throws: { error in
            guard let e = error as? WitnessError else { return false }
            return e.kind == .constraintViolated && e.instructionText.hasPrefix("range_check")
        }
    }

    @Test func unboundedInputsAreRefused() throws {
        let b = CircuitBuilder(name: "unbounded")
        let x = try b.privateInput("a"), y = try b.privateInput("b")
        #expect(throws: CircuitError.self) { try b.lessThan(x, y) }
        do {
            _ = try b.withOrigin(Origin("rule r", at: OriginLocation(file: "p.zkp", line: 3, column: 7))) {
                try b.lessThan(x, y)
            }
        } catch let e as CircuitError {
            #expect(e.kind == .mayWrap)
            #expect(e.origin == "rule r at p.zkp:3:7")
        }
    }

    @Test func assertLessThanHoldsExactlyWhenTrue() throws {
        let b = CircuitBuilder(name: "assert_lt")
        let x = try b.privateInput("a", bits: 10), y = try b.privateInput("b", bits: 10)
        try b.assertLessThan(x, y)
        let p = b.finish()
        for (a, c) in [(0, 1), (1, 0), (5, 5), (1023, 0), (0, 1023), (500, 501)] {
            let ok = (try? Evaluator(p).generate(WitnessInputs(private: [Goldilocks(a), Goldilocks(c)]))) != nil
            #expect(ok == (a < c), "\(a) < \(c)")
        }
    }
}
