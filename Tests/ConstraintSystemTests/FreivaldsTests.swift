@testable import CircuitIR
import Field
import Testing
@testable import ConstraintSystem
@testable import Stark

/// `matmul` is proven by the Freivalds check, not expanded.
@Suite struct FreivaldsTests {
    /// X (n×k, private, signed 8-bit) times W (k×m, private), Y public.
    static func program(n: Int, k: Int, m: Int) throws -> (Program, WitnessInputs) {
        let b = CircuitBuilder(name: "matmul \(n)x\(k)x\(m)")
        let x = try (0 ..< n * k).map { try b.privateInput("x\($0)") }
        let w = try (0 ..< k * m).map { try b.privateInput("w\($0)") }
        for (e, v) in try b.matmul(x, w, rows: n, inner: k, columns: m).enumerated() { try b.publicOutput("y\(e)", v) }
        var rng = SplitMix64(seed: UInt64(n * 100 + k * 10 + m))
        let values = (0 ..< n * k + k * m).map { _ in Goldilocks(signed: Int64(rng.next() % 256) - 128) }
        return (b.finish(), WitnessInputs(private: values))
    }

    /// The test layout over the cubic extension (the Freivalds phase fills either).
    static var cubicLayout: LayoutParameters {
        var p = testLayout
        p.stark.extensionDegree = 3
        return p
    }

    @Test(arguments: [(1, 1, 1), (3, 2, 5), (20, 7, 13), (13, 25, 1), (2, 30, 30)])
    func matmulProvesAndVerifies(shape: (Int, Int, Int)) throws {
        let (program, inputs) = try Self.program(n: shape.0, k: shape.1, m: shape.2)
        let laid = try Laid(program, inputs)
        #expect(laid.cs.stats.constraintsByOpcode["matmul"] == nil)  // no multiplication constraints
        try laid.verify(try laid.prove())
        let cubic = try Laid(program, inputs, parameters: Self.cubicLayout)
        try cubic.verify(try cubic.prove())
    }

    @Test(arguments: [2, 3])
    func wrongProductEntryIsRefusedAndRejected(degree: Int) throws {
        let (program, inputs) = try Self.program(n: 6, k: 4, m: 5)
        let laid = try Laid(program, inputs, parameters: degree == 3 ? Self.cubicLayout : testLayout)
        let C = laid.cs.shape.C
        // Every entry of Y (the homes of the matmul results): +1 there, consistently
        // in every cell that reads it, so that only the Freivalds check can object.
        let matmul = try #require((0 ..< program.instructionCount).first { program.opcodes[$0] == .matmul })
        let firstY = program.results(of: matmul)
        for e in [firstY.lowerBound, firstY.lowerBound + 13, firstY.upperBound - 1] {
            var advice = laid.advice
            var publicInputs = laid.publicInputs
            for r in 0 ..< laid.cs.rowCount {
                for j in 0 ..< C where laid.cs.cellKeys[r * C + j] == .value(e) { advice[j][r] += .one }
            }
            publicInputs[e - firstY.lowerBound] += .one
            #expect(throws: StarkError.self) {
                try StarkProver.prove(key: laid.cs.provingKey, witness: advice, publicInputs: publicInputs)
            }
            let forged = try laid.forge(advice, publicInputs)
            #expect(throws: VerificationError.self) { try laid.verify(forged, publicInputs) }
        }
    }

    @Test func tamperedMatrixCellsAreRejected() throws {
        let (program, inputs) = try Self.program(n: 5, k: 3, m: 4)
        let laid = try Laid(program, inputs)
        for (r, j) in laid.cells(where: { laid.role($0, $1) != 0 }).filter({ $0.row % 3 == 0 }) {
            var advice = laid.advice
            advice[j][r] += .one
            #expect(throws: StarkError.self) {
                try StarkProver.prove(key: laid.cs.provingKey, witness: advice, publicInputs: laid.publicInputs)
            }
        }
    }

    @Test func twoMatmulsCannotCancelEachOther() throws {
        // Y1 = X·W and Y2 = X·W with opposite errors in the same entry: the
        // regions are checked separately, so the forged proof is rejected.
        let b = CircuitBuilder(name: "two")
        let x = try (0 ..< 4).map { try b.privateInput("x\($0)") }
        let w = try (0 ..< 4).map { try b.privateInput("w\($0)") }
        let y1 = try b.matmul(x, w, rows: 2, inner: 2, columns: 2)
        let y2 = try b.matmul(w, x, rows: 2, inner: 2, columns: 2)
        try b.publicOutput("s", b.add(y1[0], y2[0]))
        let laid = try Laid(b.finish(), WitnessInputs(private: [1, 2, 3, 4, 5, 6, 7, 8]))
        let C = laid.cs.shape.C
        var advice = laid.advice
        for r in 0 ..< laid.cs.rowCount {
            for j in 0 ..< C {
                if laid.cs.cellKeys[r * C + j] == .value(y1[0].index) { advice[j][r] += .one }
                if laid.cs.cellKeys[r * C + j] == .value(y2[0].index) { advice[j][r] -= .one }
            }
        }
        #expect(throws: StarkError.self) {
            try StarkProver.prove(key: laid.cs.provingKey, witness: advice, publicInputs: laid.publicInputs)
        }
        #expect(throws: VerificationError.self) { try laid.verify(try laid.forge(advice, laid.publicInputs)) }
    }
}

@Suite struct WitnessCheckTests {
    @Test func wrongProductInTheWitnessNamesTheMatmul() throws {
        let (program, inputs) = try FreivaldsTests.program(n: 3, k: 2, m: 2)
        let cs = try ConstraintSystem.layout(program, parameters: testLayout)
        let honest = try Evaluator(program).generate(inputs)
        var values = honest.values
        let matmul = try #require((0 ..< program.instructionCount).first { program.opcodes[$0] == .matmul })
        values[program.results(of: matmul).lowerBound + 3] += .one
        let witness = Witness(values: values, publicInputs: [], publicOutputs: honest.publicOutputs)
        #expect {
            try cs.assign(witness)
        } throws: { error in
            guard case let .constraintViolated(i, text, _, message)? = error as? LayoutError else { return false }
            return i == matmul && text.contains("matmul") && message.contains("entry (1, 1)")
        }
    }

    @Test func wrongPermutationInTheWitnessNamesThePoseidon2() throws {
        let b = CircuitBuilder(name: "hash")
        let xs = try (0 ..< 12).map { try b.privateInput("x\($0)") }
        for (k, v) in try b.poseidon2(xs).enumerated() { try b.publicOutput("h\(k)", v) }
        let program = b.finish()
        let cs = try ConstraintSystem.layout(program, parameters: testLayout)
        let honest = try Evaluator(program).generate(WitnessInputs(private: (0 ..< 12).map { Goldilocks(UInt64($0)) }))
        var values = honest.values
        values[12 + 5] += .one
        #expect {
            try cs.assign(Witness(values: values, publicInputs: [], publicOutputs: honest.publicOutputs))
        } throws: { error in
            guard case let .constraintViolated(i, _, _, message)? = error as? LayoutError else { return false }
            return i == 12 && message.contains("lane 5")
        }
    }

    @Test func smallBlowupExpandsPoseidon2AndStillProves() throws {
        let (program, inputs) = try everyKindProgram()
        let stark = StarkParameters(logBlowup: 2, queryCount: 8, grindingBits: 2, logFoldingFactor: 2, logFinalDegree: 3)
        let laid = try Laid(program, inputs, parameters: LayoutParameters(stark: stark))
        #expect(laid.cs.program.instructionCount > program.instructionCount)  // poseidon2 expanded
        try laid.verify(try laid.prove())
    }
}
