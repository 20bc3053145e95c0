import Testing
import Field
@testable import Stark

/// A memory on the LogUp bus: rows 0..<16 write (address, value) with
/// multiplicity −(number of reads); every usable row reads one address.
struct BusExample {
    var circuit: Circuit
    var witness: [[Goldilocks]]

    init(logRows: Int, corruptReadRow: Int? = nil) {
        let usable = (1 << logRows) - testParameters.blindingRows
        var rng = SplitMix(state: 7)
        let memory = (0 ..< 16).map { _ in Goldilocks.random(using: &rng) }
        var writeMultiplicity = [Goldilocks](repeating: .zero, count: usable)
        var writeAddress = writeMultiplicity, readAddress = writeMultiplicity, readSelector = writeMultiplicity
        var written = writeMultiplicity, read = writeMultiplicity
        var reads = [Int](repeating: 0, count: 16)
        for r in 0 ..< usable {
            let a = Int(rng.next() % 16)
            reads[a] += 1
            readAddress[r] = Goldilocks(UInt64(a))
            readSelector[r] = .one
            read[r] = memory[a]
        }
        for a in 0 ..< 16 {
            writeAddress[a] = Goldilocks(UInt64(a))
            writeMultiplicity[a] = -Goldilocks(UInt64(reads[a]))
            written[a] = memory[a]
        }
        if let corruptReadRow { read[corruptReadRow] += .one }
        witness = [written, read]
        circuit = Circuit(logRows: logRows, fixedColumns: [writeMultiplicity, writeAddress, readSelector, readAddress],
                          adviceColumnCount: 2,
                          bus: [BusTerm(name: "write", multiplicity: .fixed(0), values: [.fixed(1), .advice(0)]),
                                BusTerm(name: "read", multiplicity: .fixed(2), values: [.fixed(3), .advice(1)])])
    }
}

@Suite struct BusTests {
    @Test func balancedBusProvesAndVerifies() throws {
        let example = BusExample(logRows: 8)
        let key = try ProvingKey(circuit: example.circuit, parameters: testParameters)
        let proof = try StarkProver.prove(key: key, witness: example.witness, publicInputs: [])
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: [], proof: proof)
    }

    @Test func wrongReadIsRefusedAndRejected() throws {
        let example = BusExample(logRows: 8, corruptReadRow: 5)
        let key = try ProvingKey(circuit: example.circuit, parameters: testParameters)
        #expect {
            try StarkProver.prove(key: key, witness: example.witness, publicInputs: [])
        } throws: { error in
            guard case let .busUnbalanced(term, row, _)? = error as? StarkError else { return false }
            return term == "read" && row == 5
        }
        let forged = try proveUnchecked(key, example.witness, [])
        #expect(throws: VerificationError.self) {
            try StarkVerifier.verify(key: key.verifyingKey, publicInputs: [], proof: forged)
        }
    }

    @Test func trailingZeroValuesAreTheSameTuple() throws {
        var example = BusExample(logRows: 8)
        example.circuit.bus[1].values.append(.zero)
        let key = try ProvingKey(circuit: example.circuit, parameters: testParameters)
        let proof = try StarkProver.prove(key: key, witness: example.witness, publicInputs: [])
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: [], proof: proof)
    }

    @Test func busTermsMayNotReadPhaseColumns() throws {
        var example = BusExample(logRows: 8)
        example.circuit.bus[0].values.append(.phaseColumn(1, 0))
        #expect(throws: StarkError.self) { try ProvingKey(circuit: example.circuit, parameters: testParameters) }
    }
}
