import Field
import Testing
@testable import CircuitIR

@Suite struct EvaluatorTests {
    static func program() throws -> Program {
        let b = CircuitBuilder(name: "eval")
        let k = try b.publicInput("k")
        let x = try b.privateInput("x"), y = try b.privateInput("y")
        let s = b.linear([(Int64(3), x), (Int64(-2), y)], constant: 7)
        let m = b.mul(s, k)
        try b.withOrigin(Origin("rule bounded", at: OriginLocation(file: "p.zkp", line: 4, column: 2))) {
            try b.rangeCheck(m, bits: 10)
        }
        try b.publicOutput("m", m)
        return b.finish()
    }

    @Test func computesValuesAndOutputs() throws {
        let p = try Self.program()
        let w = try Evaluator(p).generate(WitnessInputs(public: [2], private: [5, 4]))
        #expect(w.publicOutputs == [Goldilocks((3 * 5 - 2 * 4 + 7) * 2)])
        #expect(w.publicInputs == [2])
        #expect(Evaluator(p).check(w.values, publicInputs: [2]) == nil)
    }

    @Test func inputsByName() throws {
        let p = try Self.program()
        let inputs = try WitnessInputs(for: p, public: ["k": 2], private: ["y": 4, "x": 5])
        #expect(inputs == WitnessInputs(public: [2], private: [5, 4]))
        #expect(throws: WitnessError.self) { try WitnessInputs(for: p, public: ["k": 2], private: ["x": 5]) }
        #expect(throws: WitnessError.self) { try WitnessInputs(for: p, public: ["k": 2, "z": 1], private: ["x": 5, "y": 4]) }
        #expect(throws: WitnessError.self) { try Evaluator(p).generate(WitnessInputs(public: [], private: [1, 2])) }
    }

    @Test func aViolationNamesInstructionOriginAndValues() throws {
        let p = try Self.program()
        do {
            _ = try Evaluator(p).generate(WitnessInputs(public: [100], private: [5, 4]))
            Issue.record("accepted an out-of-range value")
        } catch let e as WitnessError {
            #expect(e.kind == .constraintViolated)
            #expect(e.instructionText == "range_check %4, 10")
            #expect(e.origin == "rule bounded at p.zkp:4:2")
            #expect(e.message == "%4 = 1400 is not in 0 ..< 2^10")
            #expect(e.description == "constraint violated at instruction 5 `range_check %4, 10` (rule bounded at p.zkp:4:2): %4 = 1400 is not in 0 ..< 2^10")
        }
    }

    @Test func checkRejectsAnyChangedValueOrPublicInput() throws {
        let p = try Self.program()
        let evaluator = Evaluator(p)
        let w = try evaluator.generate(WitnessInputs(public: [2], private: [5, 4]))
        #expect(evaluator.check(w.values, publicInputs: [3])?.kind == .definitionMismatch)
        for v in 0..<p.valueCount {
            var forged = w.values
            forged[v] += 1
            let failure = evaluator.check(forged, publicInputs: [2])
            // Private inputs are free in the constraint system, but the values computed from them then disagree.
            #expect(failure != nil, "changing %\(v) was accepted")
        }
        #expect(evaluator.check([], publicInputs: [2])?.kind == .badInputs)
    }

    @Test func matmulMatchesItsScalarExpansion() throws {
        let b = CircuitBuilder(name: "matmul")
        let x = try (0..<6).map { try b.privateInput("x\($0)") }   // 2×3
        let w = try (0..<12).map { try b.privateInput("w\($0)") }  // 3×4
        let y = try b.matmul(x, w, rows: 2, inner: 3, columns: 4)
        for (k, v) in y.enumerated() { try b.publicOutput("y\(k)", v) }
        let p = b.finish()
        var rng = SplitMix64(seed: 12)
        let xs = (0..<6).map { _ in Int64(rng.next() % 200) - 100 }, ws = (0..<12).map { _ in Int64(rng.next() % 200) - 100 }
        let inputs = WitnessInputs(private: (xs + ws).map { Goldilocks(signed: $0) })
        let out = try Evaluator(p).generate(inputs).publicOutputs
        var expected: [Goldilocks] = []
        for r in 0..<2 { for c in 0..<4 { expected.append(Goldilocks(signed: (0..<3).map { xs[r * 3 + $0] * ws[$0 * 4 + c] }.reduce(0, +))) } }
        #expect(out == expected)
        let expanded = Pass.expandMatmul.run(p)
        #expect(expanded.opcodes.filter { $0 == .dot }.count == 8)
        #expect(try Evaluator(expanded).generate(inputs).publicOutputs == expected)
    }
}
