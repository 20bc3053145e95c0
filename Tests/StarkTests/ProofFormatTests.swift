import Testing
import Field
@testable import Stark

/// A tiny circuit with every feature, for exhaustive tampering tests.
private func tinyExample(degree: Int = 2) throws -> (ProvingKey, [Goldilocks], Proof) {
    let parameters = StarkParameters(logBlowup: 2, queryCount: 2, grindingBits: 1, logFoldingFactor: 1, logFinalDegree: 1,
                                     extensionDegree: degree)
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
    @Test(arguments: [2, 3])
    func everyByteFlipIsRejected(degree: Int) throws {
        let (key, inputs, proof) = try tinyExample(degree: degree)
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

    @Test(arguments: [2, 3])
    func truncationsAndGarbageAreRejectedWithoutCrashing(degree: Int) throws {
        let (_, _, proof) = try tinyExample(degree: degree)
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

    @Test(arguments: [2, 3])
    func oversizedLengthsAreRejectedBeforeAllocation(degree: Int) throws {
        let (_, _, proof) = try tinyExample(degree: degree)
        var bytes = proof.encoded()
        // The commitment count follows the header; make it 2^32 − 1, then
        // the out-of-domain value count after the commitments.
        let id = Proof.protocolID(extensionDegree: degree)
        let headerLength = 4 + 2 + 2 + id.utf8.count + 2 + SHA256.name.utf8.count + 6 + 1 + 6
        var huge = bytes
        for i in 0 ..< 4 { huge[headerLength + i] = 0xFF }
        #expect(throws: VerificationError.self) { try Proof(decoding: huge) }
        let valuesCount = headerLength + 4 + 32 * proof.commitments.count
        #expect(bytes[valuesCount ..< valuesCount + 4].elementsEqual(withUnsafeBytes(of: UInt32(proof.oodValues.count).littleEndian) { Array($0) }))
        for i in 0 ..< 4 { bytes[valuesCount + i] = 0xFF }
        #expect(throws: VerificationError.self) { try Proof(decoding: bytes) }
    }

    @Test(arguments: [2, 3])
    func headerCarriesParametersAndSecurity(degree: Int) throws {
        let (key, _, proof) = try tinyExample(degree: degree)
        let decoded = try Proof(decoding: proof.encoded())
        #expect(decoded.header.protocolID == Proof.protocolID(extensionDegree: degree))
        #expect(decoded.header.parameters.extensionDegree == degree)
        #expect(decoded.header.parameters == key.verifyingKey.parameters)
        #expect(decoded.header.security == key.verifyingKey.security)
        #expect(decoded.header.hash == "sha256")
        #expect(decoded.header.logRows == 5)
    }
}

@Suite struct CrossExtensionTests {
    /// A proof whose protocol id is changed to the other extension's: its
    /// values are then read with the wrong size. Decoding refuses it, or the
    /// verifier of either key does; nothing traps or accepts.
    @Test(arguments: [2, 3])
    func aProofRelabelledAsTheOtherExtensionIsRejected(degree: Int) throws {
        let (key, inputs, proof) = try tinyExample(degree: degree)
        let (otherKey, _, _) = try tinyExample(degree: 5 - degree)
        var relabelled = proof
        relabelled.header.protocolID = Proof.protocolID(extensionDegree: 5 - degree)
        let bytes = relabelled.encoded()
        if let decoded = try? Proof(decoding: bytes) {
            for k in [key, otherKey] {
                #expect(throws: VerificationError.self) {
                    try StarkVerifier.verify(key: k.verifyingKey, publicInputs: inputs, proof: decoded)
                }
            }
        }
        // An unknown id is malformed: the decoder cannot know the values' size.
        relabelled.header.protocolID = Proof.protocolID + "/ext4"
        #expect(throws: VerificationError.self) { try Proof(decoding: relabelled.encoded()) }
        // In memory, values of the other degree under a matching header are a shape error.
        var mixed = proof
        mixed.oodValues = ExtensionWords(degree: 5 - degree, words: Array(repeating: .one, count: (5 - degree) * 6))
        #expect(throws: VerificationError.self) {
            try StarkVerifier.verify(key: key.verifyingKey, publicInputs: inputs, proof: mixed)
        }
    }

    /// The two extensions' protocol ids: quadratic keeps the id it always had.
    @Test func protocolIDs() {
        #expect(Proof.protocolID(extensionDegree: 2) == "zkpolicy-stark/plonkish-logup-deep-fri")
        #expect(Proof.protocolID(extensionDegree: 3) == "zkpolicy-stark/plonkish-logup-deep-fri/ext3")
        #expect(Proof.extensionDegree(ofProtocol: Proof.protocolID(extensionDegree: 3)) == 3)
        #expect(Proof.extensionDegree(ofProtocol: "zkpolicy-stark") == nil)
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
