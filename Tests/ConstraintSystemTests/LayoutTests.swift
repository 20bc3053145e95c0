@testable import CircuitIR
import Field
import Testing
@testable import ConstraintSystem
@testable import Stark

@Suite struct LayoutTests {
    @Test func everyInstructionKindProvesAndVerifies() throws {
        let (program, inputs) = try everyKindProgram()
        let laid = try Laid(program, inputs)
        #expect(laid.publicInputs == laid.irWitness.publicInputs + laid.irWitness.publicOutputs)
        try laid.verify(try laid.prove())
    }

    @Test func optimisedProgramsProveToo() throws {
        let (program, inputs) = try everyKindProgram()
        let laid = try Laid(PassPipeline.optimisation.run(program).0, inputs)
        try laid.verify(try laid.prove())
    }

    @Test func wrongPublicOutputsAreRejected() throws {
        let (program, inputs) = try everyKindProgram()
        let laid = try Laid(program, inputs)
        let proof = try laid.prove()
        for i in laid.publicInputs.indices {
            var wrong = laid.publicInputs
            wrong[i] += .one
            #expect(throws: VerificationError.self) { try laid.verify(proof, wrong) }
        }
    }

    @Test func layoutIsDeterministic() throws {
        let (program, _) = try everyKindProgram()
        let a = try ConstraintSystem.layout(program, parameters: testLayout)
        let b = try ConstraintSystem.layout(try everyKindProgram().0, parameters: testLayout)
        #expect(a.serialized() == b.serialized())
        #expect(a.verifyingKeyDigest == b.verifyingKeyDigest)
        #expect(a.statsText == b.statsText)
        // A different program gives a different key.
        let other = try ConstraintSystem.layout(RandomProgram.make(seed: 3), parameters: testLayout)
        #expect(other.verifyingKeyDigest != a.verifyingKeyDigest)
    }

    @Test func statsDescribeTheTable() throws {
        let (program, _) = try everyKindProgram()
        let cs = try ConstraintSystem.layout(program, parameters: testLayout)
        let s = cs.stats
        #expect(s.usedRows <= s.usableRows)
        #expect(s.adviceColumns == testLayout.cells + 1)
        #expect(s.rangeLookups > 0 && s.tableLookups == 1 && s.busReads > 0)
        #expect(s.constraintsByOpcode["range_check"]! > 0)
        #expect(cs.statsText.contains("verifying key: "))
    }

    @Test func aViolatedConstraintNamesTheInstructionAndOrigin() throws {
        let b = CircuitBuilder(name: "bounded")
        let x = try b.privateInput("x")
        try b.withOrigin(Origin("rule bounded", at: OriginLocation(file: "p.zkp", line: 4, column: 2))) {
            try b.rangeCheck(x, bits: 10)
        }
        try b.publicOutput("x", x)
        let program = b.finish()
        let cs = try ConstraintSystem.layout(program, parameters: testLayout)
        // A witness the evaluator would refuse, given directly to the layout.
        let witness = Witness(values: [1400], publicInputs: [], publicOutputs: [1400])
        #expect {
            try cs.assign(witness)
        } throws: { error in
            guard case let .constraintViolated(i, text, origin, _)? = error as? LayoutError else { return false }
            return i == 1 && text.contains("range_check") && origin.contains("rule bounded at p.zkp:4:2")
        }
    }

    /// The slot check runs over row ranges on both cores; of two violations
    /// far apart it still names the one in the earlier row.
    @Test func theFirstViolationInRowOrderIsReported() throws {
        let b = CircuitBuilder(name: "products")
        let xs = try (0 ..< 8).map { try b.privateInput("x\($0)") }
        var products: [Value] = []
        for i in 0 ..< 40_000 { products.append(b.mul(xs[i % 8], xs[(i / 8) % 8])) }
        try b.publicOutput("p", products[0])
        let program = b.finish()
        let cs = try ConstraintSystem.layout(program, parameters: testLayout)
        #expect(cs.stats.usedRows > 2 * 4096)  // several row ranges
        let honest = try Evaluator(program).generate(WitnessInputs(private: (0 ..< 8).map { Goldilocks(UInt64($0 + 3)) }))
        _ = try cs.assign(honest)
        // Corrupt the products of two instructions, the later one first.
        let early = 8 + 15_000, late = 8 + 33_000
        var values = honest.values
        for i in [late, early] { values[program.result(of: i).index] += .one }
        let tampered = Witness(values: values, publicInputs: honest.publicInputs, publicOutputs: honest.publicOutputs)
        #expect {
            try cs.assign(tampered)
        } throws: { error in
            guard case let .constraintViolated(i, text, _, _)? = error as? LayoutError else { return false }
            return i == early && text.contains("mul")
        }
    }
}

@Suite struct PoseidonGateTests {
    @Test func roundsComposeToThePermutation() {
        var rng = SplitMix64(seed: 5)
        for _ in 0 ..< 4 {
            let input = (0 ..< 12).map { _ in Goldilocks(rng.next()) }
            #expect(PoseidonRounds.states(input).last! == Poseidon2.permutation(input))
        }
    }

    @Test func permutationTakesThirtyOneRows() throws {
        let b = CircuitBuilder(name: "hash")
        let xs = try (0 ..< 12).map { try b.privateInput("x\($0)") }
        for (k, v) in try b.poseidon2(xs).enumerated() { try b.publicOutput("h\(k)", v) }
        let laid = try Laid(b.finish(), WitnessInputs(private: (0 ..< 12).map { Goldilocks(UInt64($0)) }))
        #expect(laid.cs.stats.usedRows == 32 + 12)  // the rounds, then one row per output
        #expect(laid.publicInputs == Poseidon2.permutation((0 ..< 12).map { Goldilocks(UInt64($0)) }))
        try laid.verify(try laid.prove())
        // Every intermediate state cell is bound by the round gate.
        for r in [1, 5, 17, 29] {
            for j in [0, 7] {
                var advice = laid.advice
                advice[j][r] += .one
                #expect(throws: StarkError.self) {
                    try StarkProver.prove(key: laid.cs.provingKey, witness: advice, publicInputs: laid.publicInputs)
                }
                #expect(throws: VerificationError.self) { try laid.verify(try laid.forge(advice, laid.publicInputs)) }
            }
        }
    }
}
