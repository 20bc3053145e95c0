@testable import CircuitIR
import Field
import Testing
@testable import ConstraintSystem
@testable import Stark

/// Programs at the edges of the layout: nothing to lay out, constants only,
/// inputs never used, values output twice, lookups of constants.
@Suite struct EdgeCaseTests {
    @Test func emptyProgramProves() throws {
        let laid = try Laid(CircuitBuilder(name: "empty").finish(), WitnessInputs())
        #expect(laid.publicInputs.isEmpty)
        try laid.verify(try laid.prove())
    }

    @Test func constantsUnusedInputsAndRepeatedOutputs() throws {
        let b = CircuitBuilder(name: "edges")
        let p = try b.publicInput("p")
        _ = try b.publicInput("unused")
        _ = try b.privateInput("unused private")
        let seven = b.constant(7)
        try b.publicOutput("seven", seven)
        try b.publicOutput("p", p)
        try b.publicOutput("p again", p)
        try b.publicOutput("p + 7", b.add(p, seven))
        let square = try b.table(LookupTable.function(name: "square", domain: 0 ... 15) { $0 * $0 })
        try b.lookup(square, [b.constant(3), b.constant(9)])
        let laid = try Laid(b.finish(), WitnessInputs(public: [5, 11], private: [2]))
        #expect(laid.publicInputs == [5, 11, 7, 5, 5, 12])
        try laid.verify(try laid.prove())
        // The unused public input is still bound: claiming another value fails.
        #expect(throws: VerificationError.self) { try laid.verify(try laid.prove(), [5, 12, 7, 5, 5, 12]) }
    }

    @Test func unsatisfiableConstantAssertionIsReported() throws {
        let b = CircuitBuilder(name: "false")
        b.assertEqual(b.constant(1), b.constant(2))
        let program = b.finish()
        let cs = try ConstraintSystem.layout(program, parameters: testLayout)
        #expect(throws: LayoutError.self) {
            try cs.assign(Witness(values: [1, 2], publicInputs: [], publicOutputs: []))
        }
    }

    /// The layout reports its progress in order, from the placement of the
    /// instructions to the proving key, and ends at 1; the table is the same
    /// with or without a progress callback.
    @Test func layoutReportsProgressInOrder() throws {
        let (program, _) = try everyKindProgram()
        final class Log: @unchecked Sendable { var fractions: [Double] = [] }
        let log = Log()
        let cs = try ConstraintSystem.layout(program, parameters: testLayout) { log.fractions.append($0) }
        #expect(log.fractions.count >= 3)
        #expect(log.fractions.first == 0)
        #expect(log.fractions.last == 1)
        #expect(zip(log.fractions, log.fractions.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(log.fractions.allSatisfy { $0 >= 0 && $0 <= 1 })
        let quiet = try ConstraintSystem.layout(program, parameters: testLayout)
        #expect(cs.provingKey.verifyingKey.digest == quiet.provingKey.verifyingKey.digest)
    }

    @Test func witnessOfAnotherProgramIsRefused() throws {
        let (program, _) = try everyKindProgram()
        let cs = try ConstraintSystem.layout(program, parameters: testLayout)
        #expect(throws: LayoutError.self) { try cs.assign(Witness(values: [1, 2, 3], publicInputs: [], publicOutputs: [])) }
    }

    @Test func tooSmallShapeIsRefused() throws {
        let (program, _) = try everyKindProgram()
        for (cells, slots) in [(4, 2), (12, 9), (70, 4)] {
            #expect(throws: LayoutError.self) {
                try ConstraintSystem.layout(program, parameters: LayoutParameters(cells: cells, constraintsPerRow: slots, stark: testStark))
            }
        }
    }

    @Test func otherShapesProve() throws {
        let (program, inputs) = try everyKindProgram()
        for (cells, slots, limb, windowed) in [(12, 2, 8, true), (16, 6, 12, true), (14, 4, 10, false), (10, 3, 8, true), (32, 8, 12, true)] {
            let laid = try Laid(program, inputs, parameters: LayoutParameters(cells: cells, constraintsPerRow: slots, limbBits: limb,
                                                                              windowedSlots: windowed, stark: testStark))
            #expect(laid.cs.limbBits == limb)
            try laid.verify(try laid.prove())
        }
    }
}
