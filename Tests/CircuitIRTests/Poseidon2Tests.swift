import Field
import Testing
@testable import CircuitIR

@Suite struct Poseidon2Tests {
    /// Known-answer vector of the Poseidon2 authors' reference implementation:
    /// HorizenLabs/poseidon2, plain_implementations/src/poseidon2/poseidon2.rs,
    /// test `poseidon2_tests_goldilocks::kats` (commit 055bde3): the permutation
    /// of (0, 1, …, 11) with POSEIDON2_GOLDILOCKS_12_PARAMS.
    @Test func referenceKnownAnswer() {
        let input = (0..<12).map { Goldilocks(UInt64($0)) }
        let expected: [Goldilocks] = [
            0x01ea_ef96_bdf1_c0c1, 0x1f0d_2cc5_25b2_540c, 0x6282_c1df_e1e0_358d, 0xe780_d721_f698_e1e6,
            0x280c_0b6f_753d_833b, 0x1b94_2dd5_0231_56ab, 0x43f0_df3f_cccb_8398, 0xe8e8_1905_8548_9025,
            0x56bd_bf72_f77a_da22, 0x7911_c32b_f9dc_d705, 0xec46_7926_508f_be67, 0x6a50_450d_df85_a6ed,
        ]
        #expect(Poseidon2.permutation(input) == expected)
    }

    /// The layer matrices match their definitions: M_E = circ(2·M₄, M₄, M₄),
    /// M_I = 𝟙𝟙ᵀ + diag(μ).
    @Test func linearLayersMatchTheirDefinitions() {
        for i in 0..<12 {
            for j in 0..<12 {
                let m4 = Goldilocks(Poseidon2.m4[i % 4][j % 4])
                #expect(Poseidon2.externalMatrix[i][j] == (i / 4 == j / 4 ? m4 + m4 : m4))
                let diagonal = i == j ? Poseidon2.internalDiagonalMinusOne[i] : .zero
                #expect(Poseidon2.internalMatrix[i][j] == .one + diagonal)
            }
        }
    }

    @Test func digestHexRoundTrips() {
        let d = Poseidon2Sponge.hash([1, 2, 3])
        #expect(d.hex.count == 64)
        #expect(Poseidon2Digest(hex: d.hex) == d)
        #expect(Poseidon2Digest(hex: "0x" + d.hex) == d)
        #expect(Poseidon2Digest(hex: String(d.hex.dropLast())) == nil)
        #expect(Poseidon2Digest(hex: String(repeating: "f", count: 64)) == nil)  // not canonical
    }
}

@Suite struct Poseidon2AgainstIndependentReferenceTests {
    @Test func permutationsMatchThePythonReference() {
        for (input, output) in Poseidon2Vectors.permutations {
            #expect(Poseidon2.permutation(input) == output)
        }
    }

    @Test func spongeMatchesThePythonReference() {
        for (input, digest) in Poseidon2Vectors.hashes {
            #expect(Poseidon2Sponge.hash(input).elements == digest, "length \(input.count)")
        }
        let commitment = Poseidon2Sponge.commit(salt: Poseidon2Vectors.commitmentSalt, values: Poseidon2Vectors.commitmentValues)
        #expect(commitment.elements == Poseidon2Vectors.commitmentDigest)
    }

    @Test func domainsAndLengthsSeparate() {
        #expect(Poseidon2Sponge.hash([]) != Poseidon2Sponge.hash([0]))
        #expect(Poseidon2Sponge.hash([1, 2]) != Poseidon2Sponge.hash([1, 2, 0]))
        #expect(Poseidon2Sponge.hash([1, 2], domain: Poseidon2Sponge.Domain.hash)
            != Poseidon2Sponge.hash([1, 2], domain: Poseidon2Sponge.Domain.commitment))
    }
}

@Suite struct Poseidon2GadgetTests {
    /// A circuit permuting 12 private lanes both ways: the `poseidon2`
    /// instruction and its arithmetic expansion.
    static func circuit() throws -> (Program, [Value], [Value]) {
        let b = CircuitBuilder(name: "poseidon2")
        let lanes = try (0..<12).map { try b.privateInput("s[\($0)]") }
        let viaInstruction = try b.poseidon2(lanes)
        let viaArithmetic = try b.poseidon2Arithmetic(lanes)
        for k in 0..<12 { try b.publicOutput("out[\(k)]", viaInstruction[k]) }
        return (b.finish(), viaInstruction, viaArithmetic)
    }

    @Test func instructionAndArithmeticAgreeWithTheVectors() throws {
        let (p, instruction, arithmetic) = try Self.circuit()
        #expect(p.opcodes.filter { $0 == .mul }.count == 472)
        #expect(p.opcodes.filter { $0 == .linear }.count == 372)
        let known = (Array((0..<12).map { Goldilocks(UInt64($0)) }), Poseidon2.permutation((0..<12).map { Goldilocks(UInt64($0)) }))
        for (input, output) in Poseidon2Vectors.permutations + [known] {
            let w = try #require(Harness.honest(p, WitnessInputs(private: input)))
            #expect(instruction.map { w[$0] } == output)
            #expect(arithmetic.map { w[$0] } == output)
            #expect(w.publicOutputs == output)
        }
    }

    @Test func inCircuitHashAndCommitmentMatchNative() throws {
        for (input, digest) in Poseidon2Vectors.hashes {
            let b = CircuitBuilder(name: "hash")
            let xs = try (0..<input.count).map { try b.privateInput("x[\($0)]") }
            let d = try b.poseidon2Hash(xs)
            for k in 0..<4 { try b.publicOutput("d[\(k)]", d[k]) }
            let w = try #require(Harness.honest(b.finish(), WitnessInputs(private: input)))
            #expect(w.publicOutputs == digest, "length \(input.count)")
        }
        let b = CircuitBuilder(name: "commit")
        let salt = try (0..<4).map { try b.privateInput("salt[\($0)]") }
        let values = try (0..<Poseidon2Vectors.commitmentValues.count).map { try b.privateInput("w[\($0)]") }
        let expected = try (0..<4).map { try b.publicInput("digest[\($0)]") }
        for (x, y) in zip(try b.poseidon2Commit(salt: salt, values: values), expected) { b.assertEqual(x, y) }
        let p = b.finish()
        let inputs = WitnessInputs(public: Poseidon2Vectors.commitmentDigest,
                                   private: Poseidon2Vectors.commitmentSalt + Poseidon2Vectors.commitmentValues)
        #expect(Harness.honest(p, inputs) != nil)
        // Any other weight breaks the published commitment.
        var tampered = inputs
        tampered.privateValues[7] += 1
        #expect(throws: WitnessError.self) { try Evaluator(p).generate(tampered) }
    }
}
