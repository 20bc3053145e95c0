import Testing
import Field
@testable import Stark

@Suite struct ZeroKnowledgeTests {
    /// A boolean column: both the all-zeros and the all-ones witness satisfy it.
    static func circuit() -> Circuit {
        Circuit(logRows: 9, adviceColumnCount: 2,
                gates: [Gate("boolean", .advice(0) * (.advice(0) - .one)),
                        Gate("copy", .advice(1) - .advice(0))],
                copyConstraints: [CopyConstraint(Cell(column: 0, row: 1), Cell(column: 1, row: 5))])
    }

    static func witness(_ bit: Goldilocks, usable: Int) -> [[Goldilocks]] {
        [[Goldilocks](repeating: bit, count: usable), [Goldilocks](repeating: bit, count: usable)]
    }

    /// Everything the verifier learns about the witness columns and the quotient,
    /// as field elements: opened advice and quotient values, out-of-domain values,
    /// FRI layer values and the final polynomial.
    static func openedValues(_ proof: Proof) -> [Goldilocks] {
        var values = proof.treeOpenings[0].values + proof.treeOpenings.last!.values
        values += proof.oodValues.words + proof.finalPolynomial.words + proof.friOpenings.flatMap(\.values.words)
        return values
    }

    @Test(arguments: [2, 3])
    func proofsOfTheSameWitnessDiffer(degree: Int) throws {
        let key = try ProvingKey(circuit: Self.circuit(), parameters: testParameters(degree: degree))
        let w = Self.witness(.one, usable: key.usableRows)
        let a = try StarkProver.prove(key: key, witness: w, publicInputs: [])
        let b = try StarkProver.prove(key: key, witness: w, publicInputs: [])
        #expect(a.commitments[0] != b.commitments[0])
        #expect(a.oodValues != b.oodValues)
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: [], proof: a)
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: [], proof: b)
    }

    /// Opened values of proofs for the all-zeros and the all-ones witness look
    /// alike: uniform halves, no repeated values, equal means. Without blinding the
    /// advice openings would be the constants 0 and 1 and every check would fail.
    @Test(arguments: [2, 3])
    func openedValuesDoNotRevealTheWitness(degree: Int) throws {
        let key = try ProvingKey(circuit: Self.circuit(), parameters: testParameters(degree: degree))
        func sample(_ bit: Goldilocks) throws -> [Goldilocks] {
            var all: [Goldilocks] = []
            for _ in 0 ..< 12 {
                let proof = try StarkProver.prove(key: key, witness: Self.witness(bit, usable: key.usableRows), publicInputs: [])
                all += Self.openedValues(proof)
            }
            return all
        }
        let zeros = try sample(.zero), ones = try sample(.one)
        let half = Goldilocks.modulus / 2
        func lowFraction(_ v: [Goldilocks]) -> Double { Double(v.filter { $0.value < half }.count) / Double(v.count) }
        func mean(_ v: [Goldilocks]) -> Double { v.reduce(0.0) { $0 + Double($1.value) / Double(Goldilocks.modulus) } / Double(v.count) }
        for v in [zeros, ones] {
            #expect(v.count > 5000)
            #expect(abs(lowFraction(v) - 0.5) < 0.03)
            #expect(Set(v).count > v.count * 99 / 100)
        }
        // Two-sample comparison of means (standard deviation of each mean ≈ 0.29/√n ≈ 0.004).
        #expect(abs(mean(zeros) - mean(ones)) < 0.02)
        // The advice openings alone: none of them is the witness constant.
        let adviceZeros = zeros.prefix(100)
        #expect(adviceZeros.filter(\.isZero).count < 2)
    }
}

@Suite struct ProverRandomnessTests {
    @Test(arguments: [2, 3])
    func aFixedSeedMakesProofsReproducible(degree: Int) throws {
        let key = try ProvingKey(circuit: ZeroKnowledgeTests.circuit(), parameters: testParameters(degree: degree))
        let w = ZeroKnowledgeTests.witness(.one, usable: key.usableRows)
        var options = ProverOptions()
        options.seed = [1, 2, 3]
        let a = try StarkProver.prove(key: key, witness: w, publicInputs: [], options: options)
        let b = try StarkProver.prove(key: key, witness: w, publicInputs: [], options: options)
        #expect(a == b)  // the prover's only nondeterminism is its random seed
        options.seed = [1, 2, 4]
        #expect(try StarkProver.prove(key: key, witness: w, publicInputs: [], options: options) != a)
    }

    @Test func streamsAreDistinct() {
        var r = SecureRandom(seed: [7])
        let s = SecureRandom(seed: [7])
        #expect(s.block(domain: 1, index: 0) != s.block(domain: 2, index: 0))
        #expect(s.block(domain: 1, index: 0) != s.block(domain: 1, index: 1))
        let words = (0 ..< 1000).map { _ in r.next() }
        #expect(Set(words).count == 1000)
    }
}
