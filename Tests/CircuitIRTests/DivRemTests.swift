import Field
import Testing
@testable import CircuitIR

@Suite struct DivRemTests {
    /// a signed 12-bit, d ∈ [1, 128]; outputs q, r.
    static func circuit(constantDivisor: Int? = nil) throws -> Program {
        let b = CircuitBuilder(name: "divrem")
        let a = try b.privateInput("a")
        try b.signedRangeCheck(a, bits: 12)
        let d: Value
        if let c = constantDivisor {
            d = b.constant(c)
        } else {
            d = try b.privateInput("d")
            try b.rangeCheck(b.linear([(Int64(1), d)], constant: -1), bits: 7)  // 1 ≤ d ≤ 128
        }
        let (q, r) = try b.divRem(a, by: d)
        try b.publicOutput("q", q)
        try b.publicOutput("r", r)
        return b.finish()
    }

    @Test func matchesFloorDivision() throws {
        let p = try Self.circuit()
        var rng = SplitMix64(seed: 3)
        var cases: [(Int64, Int64)] = [(-2048, 1), (2047, 128), (-2048, 128), (0, 7), (-1, 7), (7, 7), (-7, 7)]
        for _ in 0..<40 { cases.append((Int64(rng.next() % 4096) - 2048, Int64(rng.next() % 128) + 1)) }
        for (a, d) in cases {
            let w = try #require(Harness.honest(p, WitnessInputs(private: [Goldilocks(signed: a), Goldilocks(signed: d)])))
            let q = Harness.floorDiv(a, d)
            #expect(w.publicOutputs == [Goldilocks(signed: q), Goldilocks(signed: a - q * d)], "\(a) / \(d)")
        }
    }

    @Test func constantDivisors() throws {
        for d in [7, 16, 1000] {
            let p = try Self.circuit(constantDivisor: d)
            for a: Int64 in [-2048, -17, -1, 0, 1, 15, 16, 2047] {
                let w = try #require(Harness.honest(p, WitnessInputs(private: [Goldilocks(signed: a)])))
                let q = Harness.floorDiv(a, Int64(d))
                #expect(w.publicOutputs == [Goldilocks(signed: q), Goldilocks(signed: a - q * Int64(d))])
            }
            Harness.expectEveryTamperingRejected(p, WitnessInputs(private: [Goldilocks(signed: -37)]))
        }
    }

    @Test func tamperingIsRejected() throws {
        let p = try Self.circuit()
        for (a, d) in [(100, 7), (-100, 7), (0, 1), (2047, 128), (-2048, 3)] {
            let inputs = WitnessInputs(private: [Goldilocks(a), Goldilocks(d)])
            Harness.expectEveryTamperingRejected(p, inputs)
            Harness.expectNoSecondWitness(p, inputs, trials: 80)
        }
    }

    /// The algebraic argument, exhaustively on a small domain: for every a, d
    /// and every candidate (q, r) in a window around the truth, only the floor
    /// division is accepted.
    @Test func onlyFloorDivisionIsAccepted() throws {
        let p = try Self.circuit()
        let hint = Harness.onlyHint(p)
        for a in stride(from: -12, through: 12, by: 3) {
            for d in 1...5 {
                let inputs = WitnessInputs(private: [Goldilocks(a), Goldilocks(d)])
                let q = Harness.floorDiv(Int64(a), Int64(d))
                for cq in (q - 4)...(q + 4) {
                    for cr in -6...8 {
                        let accepted = Harness.accepts(p, inputs, forcing: [hint: [Goldilocks(signed: cq), Goldilocks(cr)]])
                        #expect(accepted == (cq == q && Int64(cr) == Int64(a) - q * Int64(d)), "a=\(a) d=\(d) q=\(cq) r=\(cr)")
                    }
                }
            }
        }
    }

    @Test func refusesDivisorsThatMayBeZeroOrUnboundedDividends() throws {
        let b = CircuitBuilder(name: "bad")
        let a = try b.privateInput("a", bits: 8)
        let d = try b.privateInput("d", bits: 8)  // may be 0
        #expect { try b.divRem(a, by: d) } throws: { ($0 as? CircuitError)?.kind == .mayBeNonPositive }
        let free = try b.privateInput("free")
        #expect { try b.divRem(free, byConstant: 3) } throws: { ($0 as? CircuitError)?.kind == .mayWrap }
        #expect(throws: CircuitError.self) { try b.divRem(a, byConstant: 0) }
    }

    /// A range check on the divisor catches an empty group before the hint runs…
    @Test func aZeroDivisorIsRejectedByItsRangeCheck() throws {
        let b = CircuitBuilder(name: "zero")
        let a = try b.privateInput("a", bits: 8)
        let d = try b.privateInput("d")
        try b.withOrigin(Origin("group female is not empty")) {
            try b.rangeCheck(b.linear([(Int64(1), d)], constant: -1), bits: 8)
        }
        _ = try b.divRem(a, by: d)
        let p = b.finish()
        #expect { try Evaluator(p).generate(WitnessInputs(private: [5, 0])) } throws: { error in
            guard let e = error as? WitnessError else { return false }
            return e.kind == .constraintViolated && e.origin == "group female is not empty"
        }
    }

    /// …and a failing hint is reported with its instruction and origin.
    @Test func aFailingHintNamesItsOrigin() throws {
        let b = CircuitBuilder(name: "hint")
        let x = try b.privateInput("x")
        let kind = try b.registerHint(name: "reciprocal") { inputs in
            guard !inputs[0].isZero else { throw HintFailure("group female is empty") }
            return [inputs[0].inverse]
        }
        try b.withOrigin(Origin("rate of group female", at: OriginLocation(file: "fair.zkp", line: 9, column: 3))) {
            let y = try b.hint(kind, [x], results: 1)[0]
            b.assertEqual(b.mul(x, y), b.constant(1))
        }
        let p = b.finish()
        #expect(Harness.honest(p, WitnessInputs(private: [4])) != nil)
        #expect { try Evaluator(p).generate(WitnessInputs(private: [0])) } throws: { error in
            guard let e = error as? WitnessError else { return false }
            return e.kind == .hintFailed && e.origin == "rate of group female at fair.zkp:9:3"
                && e.message == "group female is empty" && e.instructionText == "%1 = hint custom \"reciprocal\"(%0)"
        }
    }

    /// The search is not vacuous: the same equations without the remainder's
    /// range checks are under-constrained, and the search finds the second witness.
    @Test func searchFindsABrokenDivision() throws {
        let b = CircuitBuilder(name: "broken")
        let a = try b.privateInput("a", bits: 8)
        let d = b.constant(7)
        let qr = try b.hint(.divRem, [a, d], results: 2)
        try b.rangeCheck(qr[0], bits: 8)
        b.assertEqual(a, b.add(b.mul(qr[0], d), qr[1]))
        try b.publicOutput("q", qr[0])
        let finding = try UnderconstraintSearch(b.finish()).search(WitnessInputs(private: [100]), trials: 100)
        #expect(finding != nil)
    }
}
