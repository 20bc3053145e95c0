import Testing
import Field
@testable import Stark

@Suite struct CompletenessTests {
    /// Random circuits with every gate kind, lookups, copies and public inputs,
    /// from 2^3 usable rows up to 2^16.
    /// Over the cubic extension too (fewer sizes: it costs about twice as much).
    @Test(arguments: [(3, 2), (5, 2), (8, 2), (11, 2), (13, 2), (16, 2), (3, 3), (8, 3), (13, 3)])
    func randomCircuitOfUsableRows(logUsable: Int, degree: Int) throws {
        let parameters = testParameters(degree: degree)
        let logRows = Circuit.logRows(forUsableRows: 1 << logUsable, parameters)
        let example = ExampleCircuit(logRows: max(logRows, 9), parameters: parameters, seed: UInt64(logUsable))
        let key = try ProvingKey(circuit: example.circuit, parameters: parameters)
        #expect(key.usableRows >= 1 << logUsable)
        let proof = try StarkProver.prove(key: key, witness: example.witness, publicInputs: example.publicInputs)
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: example.publicInputs, proof: try Proof(decoding: proof.encoded()))
    }

    /// The smallest tables: a gate-only circuit on 8 usable rows.
    @Test(arguments: [2, 3])
    func eightUsableRowsWithGatesOnly(degree: Int) throws {
        let parameters = testParameters(degree: degree)
        let logRows = Circuit.logRows(forUsableRows: 8, parameters)
        let usable = (1 << logRows) - parameters.blindingRows
        let a = (0 ..< 8).map { Goldilocks(UInt64($0)) }
        let circuit = Circuit(logRows: logRows, fixedColumns: [[Goldilocks](repeating: .one, count: 8)], adviceColumnCount: 2,
                              gates: [Gate("double", .fixed(0) * (.advice(1) - .advice(0) - .advice(0)))],
                              publicInputs: [Cell(column: 1, row: 7)])
        let key = try ProvingKey(circuit: circuit, parameters: parameters)
        #expect(key.usableRows == usable)
        let witness = [a, a.map { $0 + $0 }]
        let proof = try StarkProver.prove(key: key, witness: witness, publicInputs: [14])
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: [14], proof: proof)
        #expect(throws: VerificationError.self) { try StarkVerifier.verify(key: key.verifyingKey, publicInputs: [15], proof: proof) }
    }

    @Test(arguments: SecurityPreset.allCases)
    func presetsProveAndVerify(preset: SecurityPreset) throws {
        let p = preset.parameters
        let logRows = Circuit.logRows(forUsableRows: 300, p)
        let example = ExampleCircuit(logRows: logRows, parameters: p, seed: 3)
        let key = try ProvingKey(circuit: example.circuit, parameters: p)
        let proof = try StarkProver.prove(key: key, witness: example.witness, publicInputs: example.publicInputs)
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: example.publicInputs, proof: proof)
    }

    @Test func progressIsReported() throws {
        let example = ExampleCircuit(logRows: 9)
        let key = try ProvingKey(circuit: example.circuit, parameters: testParameters)
        final class Log: @unchecked Sendable { var stages: [(String, Double)] = [] }
        let log = Log()
        let options = ProverOptions(progress: { stage, fraction in log.stages.append((stage, fraction)) })
        _ = try StarkProver.prove(key: key, witness: example.witness, publicInputs: example.publicInputs, options: options)
        #expect(log.stages.count >= 6)
        #expect(log.stages.last?.1 == 1)
        #expect(zip(log.stages, log.stages.dropFirst()).allSatisfy { $0.1 <= $1.1 })
    }

    @Test func malformedCircuitsAreErrorsNotCrashes() throws {
        let bad: [Circuit] = [
            Circuit(logRows: 9, adviceColumnCount: 1, gates: [Gate("g", .advice(3))]),
            Circuit(logRows: 9, adviceColumnCount: 1, gates: [Gate("g", .fixed(0))]),
            Circuit(logRows: 9, adviceColumnCount: 1, gates: [Gate("g", .challenge(phase: 1, index: 0))]),
            Circuit(logRows: 3, adviceColumnCount: 1),
            Circuit(logRows: 9, adviceColumnCount: 1, tables: [.range(bits: 16)],
                    lookups: [Lookup(name: "l", selector: .one, inputs: [.advice(0)], table: 0)]),
            Circuit(logRows: 9, adviceColumnCount: 1, lookups: [Lookup(name: "l", selector: .one, inputs: [.advice(0)], table: 0)]),
            // A selector the prover chooses (it could switch the lookup off).
            Circuit(logRows: 9, adviceColumnCount: 2, tables: [.range(bits: 4)],
                    lookups: [Lookup(name: "l", selector: .advice(1), inputs: [.advice(0)], table: 0)]),
            Circuit(logRows: 9, fixedColumns: [[1]], adviceColumnCount: 2, tables: [.range(bits: 4)],
                    lookups: [Lookup(name: "l", selector: .fixed(0) * .advice(1, .next), inputs: [.advice(0)], table: 0)]),
            Circuit(logRows: 9, adviceColumnCount: 1, copyConstraints: [CopyConstraint(Cell(column: 0, row: 0), Cell(column: 1, row: 0))]),
            Circuit(logRows: 9, adviceColumnCount: 1, publicInputs: [Cell(column: 0, row: 10_000)]),
            Circuit(logRows: 9, adviceColumnCount: 1, gates: [Gate("degree 9", (0 ..< 9).reduce(Expression.one) { acc, _ in acc * .advice(0) })]),
        ]
        for circuit in bad {
            #expect(throws: StarkError.self) { try ProvingKey(circuit: circuit, parameters: testParameters) }
        }
        let example = ExampleCircuit(logRows: 9)
        let key = try ProvingKey(circuit: example.circuit, parameters: testParameters)
        #expect(throws: StarkError.self) { try StarkProver.prove(key: key, witness: [], publicInputs: example.publicInputs) }
        #expect(throws: StarkError.self) { try StarkProver.prove(key: key, witness: example.witness, publicInputs: []) }
        var long = example.witness
        long[0] += [0]
        long[0] += [Goldilocks](repeating: 0, count: 1000)
        #expect(throws: StarkError.self) { try StarkProver.prove(key: key, witness: long, publicInputs: example.publicInputs) }
    }
}

@Suite struct SmallestTableTests {
    /// The smallest table each preset allows proves a gate-only circuit.
    @Test(arguments: SecurityPreset.allCases)
    func smallestTable(preset: SecurityPreset) throws {
        let p = preset.parameters
        let logRows = Circuit.logRows(forUsableRows: 2, p)
        let circuit = Circuit(logRows: logRows, adviceColumnCount: 2,
                              gates: [Gate("square", .advice(1) - .advice(0) * .advice(0))])
        let key = try ProvingKey(circuit: circuit, parameters: p)
        let a = (0 ..< key.usableRows).map { Goldilocks(UInt64($0)) }
        let proof = try StarkProver.prove(key: key, witness: [a, a.map { $0 * $0 }], publicInputs: [])
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: [], proof: proof)
        #expect(throws: StarkError.self) {
            try ProvingKey(circuit: Circuit(logRows: logRows - 1, adviceColumnCount: 1), parameters: p)
        }
    }
}
