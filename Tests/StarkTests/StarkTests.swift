import Testing
import Field
@testable import Stark

@Suite struct EndToEndTests {
    @Test func exampleCircuitProvesAndVerifies() throws {
        let example = ExampleCircuit(logRows: 9)
        let key = try ProvingKey(circuit: example.circuit, parameters: testParameters)
        let proof = try StarkProver.prove(key: key, witness: example.witness, publicInputs: example.publicInputs)
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: example.publicInputs, proof: proof)
        let decoded = try Proof(decoding: proof.encoded())
        #expect(decoded == proof)
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: example.publicInputs, proof: decoded)
    }
}
