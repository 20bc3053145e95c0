import Field
import Testing
@testable import CircuitIR

@Suite struct SelectionTests {
    /// x, y signed 10-bit and c boolean; outputs select, relu, abs, min, max.
    static func circuit() throws -> Program {
        let b = CircuitBuilder(name: "selection")
        let x = try b.privateInput("x"), y = try b.privateInput("y"), c = try b.privateInput("c")
        try b.signedRangeCheck(x, bits: 10)
        try b.signedRangeCheck(y, bits: 10)
        try b.publicOutput("select", b.select(c, x, y))
        try b.publicOutput("relu", b.relu(x))
        try b.publicOutput("abs", b.abs(x))
        let (lo, hi) = try b.minMax(x, y)
        try b.publicOutput("min", lo)
        try b.publicOutput("max", hi)
        return b.finish()
    }

    @Test func matchesReference() throws {
        let p = try Self.circuit()
        var rng = SplitMix64(seed: 5)
        var cases: [(Int, Int, Int)] = [(0, 0, 0), (-512, 511, 1), (511, -512, 0), (-1, 1, 1), (7, 7, 0)]
        for _ in 0..<40 { cases.append((Int(rng.next() % 1024) - 512, Int(rng.next() % 1024) - 512, Int(rng.next() % 2))) }
        for (x, y, c) in cases {
            let w = try #require(Harness.honest(p, WitnessInputs(private: [Goldilocks(x), Goldilocks(y), Goldilocks(c)])))
            let expected = [c == 1 ? x : y, x > 0 ? x : 0, x < 0 ? -x : x, x < y ? x : y, x < y ? y : x]
            #expect(w.publicOutputs == expected.map { Goldilocks($0) }, "x=\(x) y=\(y) c=\(c)")
        }
    }

    @Test func tamperingIsRejected() throws {
        let p = try Self.circuit()
        for (x, y, c) in [(3, -9, 1), (-9, 3, 0), (0, 0, 1), (-512, 511, 0)] {
            let inputs = WitnessInputs(private: [Goldilocks(x), Goldilocks(y), Goldilocks(c)])
            Harness.expectEveryTamperingRejected(p, inputs)
            Harness.expectNoSecondWitness(p, inputs, trials: 80)
        }
    }

    @Test func selectRejectsANonBooleanCondition() throws {
        let p = try Self.circuit()
        #expect(throws: WitnessError.self) { try Evaluator(p).generate(WitnessInputs(private: [1, 2, 2])) }
    }

    /// argmax over 5 signed 6-bit values: the first maximal index, and the maximum.
    static func argmaxCircuit(count: Int = 5, bits: Int = 6) throws -> Program {
        let b = CircuitBuilder(name: "argmax")
        let xs = try (0..<count).map { k in
            let x = try b.privateInput("x[\(k)]")
            try b.signedRangeCheck(x, bits: bits)
            return x
        }
        let (index, maximum) = try b.argmax(xs)
        try b.publicOutput("index", index)
        try b.publicOutput("max", maximum)
        return b.finish()
    }

    @Test func argmaxPicksTheFirstMaximum() throws {
        let p = try Self.argmaxCircuit()
        var rng = SplitMix64(seed: 9)
        var cases: [[Int]] = [[1, 1, 1, 1, 1], [-32, -32, -31, -32, -31], [31, 0, 31, 0, 0], [-5, -4, -3, -2, -1]]
        for _ in 0..<30 { cases.append((0..<5).map { _ in Int(rng.next() % 8) - 4 }) }  // many ties
        for xs in cases {
            let w = try #require(Harness.honest(p, WitnessInputs(private: xs.map { Goldilocks($0) })))
            let m = xs.max()!
            #expect(w.publicOutputs == [Goldilocks(xs.firstIndex(of: m)!), Goldilocks(m)], "\(xs)")
        }
    }

    @Test func argmaxTamperingIsRejected() throws {
        let p = try Self.argmaxCircuit()
        for xs in [[1, 1, 1, 1, 1], [3, -2, 7, 7, 0], [-32, 31, -32, 31, 5]] {
            let inputs = WitnessInputs(private: xs.map { Goldilocks($0) })
            Harness.expectEveryTamperingRejected(p, inputs)
            Harness.expectNoSecondWitness(p, inputs, trials: 80)
        }
    }

    /// The algebraic argument, exhaustively for 3 values in −2…2: of all 0/1
    /// vectors (and a few non-boolean ones) only the one-hot vector of the first
    /// maximum is accepted.
    @Test func onlyTheFirstMaximumIsAccepted() throws {
        let p = try Self.argmaxCircuit(count: 3, bits: 3)
        let hint = Harness.onlyHint(p)
        var candidates: [[Goldilocks]] = (0..<8).map { m in (0..<3).map { Goldilocks((m >> $0) & 1) } }
        candidates += [[2, Goldilocks(signed: -1), 0], [Goldilocks(signed: -1), 1, 1], [0, 2, Goldilocks(signed: -1)]]
        for a in -2...2 {
            for c in -2...2 {
                for d in -2...2 {
                    let xs = [a, c, d]
                    let truth = xs.firstIndex(of: xs.max()!)!
                    for candidate in candidates {
                        let isTruth = candidate == (0..<3).map { $0 == truth ? 1 : 0 }
                        let accepted = Harness.accepts(p, WitnessInputs(private: xs.map { Goldilocks($0) }), forcing: [hint: candidate])
                        #expect(accepted == isTruth, "\(xs) with \(candidate.map(\.signedValue))")
                    }
                }
            }
        }
    }
}
