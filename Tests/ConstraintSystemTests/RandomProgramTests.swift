import CircuitIR
import Field
import Testing
@testable import ConstraintSystem
@testable import Stark

/// Random IR programs (CircuitIR's generator) laid out and proven end to end,
/// as built and after the optimiser.
@Suite struct RandomProgramTests {
    // Seed 5 draws an assertion no input satisfies; the others accept some inputs.
    @Test(arguments: [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12])
    func randomProgramProvesAndVerifies(seed: Int) throws {
        let built = RandomProgram.make(seed: UInt64(seed), steps: 30)
        var proven = 0
        for program in [built, PassPipeline.optimisation.run(built).0] {
            for k in 0 ..< 32 {
                let inputs = RandomProgram.inputs(seed: UInt64(100 * seed + k))
                guard (try? Evaluator(program).generate(inputs)) != nil else { continue }
                let laid = try Laid(program, inputs)
                let proof = try laid.prove()
                try laid.verify(proof)
                // A wrong claimed output is rejected.
                var wrong = laid.publicInputs
                wrong[wrong.count - 1] += .one
                #expect(throws: VerificationError.self) { try laid.verify(proof, wrong) }
                proven += 1
                break
            }
        }
        #expect(proven == 2, "no accepted inputs for seed \(seed)")
    }

    @Test(arguments: [1, 7])
    func randomProgramProvesWithFullSlots(seed: Int) throws {
        let program = RandomProgram.make(seed: UInt64(seed), steps: 30)
        let inputs = try #require((0 ..< 32).map { RandomProgram.inputs(seed: UInt64(100 * seed + $0)) }
            .first { (try? Evaluator(program).generate($0)) != nil })
        let laid = try Laid(program, inputs, parameters: LayoutParameters(windowedSlots: false, stark: testStark))
        try laid.verify(try laid.prove())
    }

    @Test(arguments: 0 ..< 6)
    func sameProgramSameKey(seed: Int) throws {
        let a = try ConstraintSystem.layout(RandomProgram.make(seed: UInt64(seed)), parameters: testLayout)
        let b = try ConstraintSystem.layout(RandomProgram.make(seed: UInt64(seed)), parameters: testLayout)
        #expect(a.serialized() == b.serialized())
        #expect(a.verifyingKeyDigest == b.verifyingKeyDigest)
    }
}
