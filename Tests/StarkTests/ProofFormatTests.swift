import Testing
import Field
@testable import Stark

/// A tiny circuit with every feature, for exhaustive tampering tests.
private func tinyExample() throws -> (ProvingKey, [Goldilocks], Proof) {
    let parameters = StarkParameters(logBlowup: 2, queryCount: 2, grindingBits: 1, logFoldingFactor: 1, logFinalDegree: 1)
    let logRows = 5
    let usable = (1 << logRows) - parameters.blindingRows
    var a = (0 ..< usable).map { Goldilocks(UInt64($0 % 4)) }
    var b = a.map { $0 * $0 }
    a[usable - 1] = 3; b[usable - 1] = 9
    let circuit = Circuit(
        logRows: logRows, adviceColumnCount: 2,
        gates: [Gate("square", .advice(1) - .advice(0) * .advice(0))],
        tables: [LookupTable(name: "quarter", columns: [[0, 1, 2, 3]])],
        lookups: [Lookup(name: "a in 0..<4", selector: .one, inputs: [.advice(0)], table: 0)],
        copyConstraints: [CopyConstraint(Cell(column: 0, row: 3), Cell(column: 0, row: usable - 1))],
        publicInputs: [Cell(column: 1, row: 2)])
    let key = try ProvingKey(circuit: circuit, parameters: parameters)
    let inputs = [b[2]]
    let proof = try StarkProver.prove(key: key, witness: [a, b], publicInputs: inputs)
    return (key, inputs, proof)
}

@Suite struct ProofFormatTests {
    @Test func everyByteFlipIsRejected() throws {
        let (key, inputs, proof) = try tinyExample()
        let bytes = proof.encoded()
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: inputs, proof: try Proof(decoding: bytes))
        #expect(bytes.count > 1000)
        var accepted: [Int] = []
        for i in bytes.indices {
            for flip: UInt8 in [0x01, 0x80] {
                var tampered = bytes
                tampered[i] ^= flip
                do {
                    let decoded = try Proof(decoding: tampered)
                    try StarkVerifier.verify(key: key.verifyingKey, publicInputs: inputs, proof: decoded)
                    accepted.append(i)
                } catch is VerificationError {
                } catch {
                    Issue.record("unexpected error type \(error)")
                }
            }
        }
        #expect(accepted.isEmpty, "flips accepted at bytes \(accepted) of \(bytes.count)")
    }

    @Test func truncationsAndGarbageAreRejectedWithoutCrashing() throws {
        let (_, _, proof) = try tinyExample()
        let bytes = proof.encoded()
        for length in 0 ..< bytes.count {
            #expect(throws: VerificationError.self) { try Proof(decoding: Array(bytes.prefix(length))) }
        }
        #expect(throws: VerificationError.self) { try Proof(decoding: bytes + [0]) }
        var rng = SplitMix(state: 5)
        for _ in 0 ..< 2000 {
            let length = Int(rng.next() % 600)
            let garbage = (0 ..< length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            #expect(throws: VerificationError.self) { try Proof(decoding: garbage) }
            // Garbage after a valid header, so the decoder gets past the magic.
            let prefixed = Array(bytes.prefix(40)) + garbage
            #expect(throws: VerificationError.self) { try Proof(decoding: prefixed) }
        }
    }

    @Test func oversizedLengthsAreRejectedBeforeAllocation() throws {
        let (_, _, proof) = try tinyExample()
        var bytes = proof.encoded()
        // The commitment count follows the header; make it 2^32 − 1.
        let headerLength = 4 + 2 + 2 + Proof.protocolID.utf8.count + 2 + SHA256.name.utf8.count + 6 + 1 + 6
        for i in 0 ..< 4 { bytes[headerLength + i] = 0xFF }
        #expect(throws: VerificationError.self) { try Proof(decoding: bytes) }
    }

    @Test func headerCarriesParametersAndSecurity() throws {
        let (key, _, proof) = try tinyExample()
        let decoded = try Proof(decoding: proof.encoded())
        #expect(decoded.header.parameters == key.verifyingKey.parameters)
        #expect(decoded.header.security == key.verifyingKey.security)
        #expect(decoded.header.hash == "sha256")
        #expect(decoded.header.logRows == 5)
    }
}

@Suite struct LargeProofTamperingTests {
    /// A large random sample of byte flips on a full-size example proof.
    @Test func sampledByteFlipsAreRejected() throws {
        let example = ExampleCircuit(logRows: 9)
        let key = try ProvingKey(circuit: example.circuit, parameters: testParameters)
        let bytes = try StarkProver.prove(key: key, witness: example.witness, publicInputs: example.publicInputs).encoded()
        var rng = SplitMix(state: 77)
        var accepted: [Int] = []
        for _ in 0 ..< 1500 {
            let i = Int(rng.next() % UInt64(bytes.count))
            var tampered = bytes
            tampered[i] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            if let proof = try? Proof(decoding: tampered),
               (try? StarkVerifier.verify(key: key.verifyingKey, publicInputs: example.publicInputs, proof: proof)) != nil {
                accepted.append(i)
            }
        }
        #expect(accepted.isEmpty, "flips accepted at \(accepted)")
    }
}
