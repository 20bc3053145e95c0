import Testing
import Field
@testable import Stark

/// Recomputing the committed columns' extensions instead of keeping them
/// changes the prover's memory, never its proof.
@Suite struct ExtensionStorageTests {
    static func prove(_ key: ProvingKey, _ witness: [[Goldilocks]], _ inputs: [Goldilocks],
                      _ storage: ExtensionStorage, unchecked: Bool = false) throws -> Proof {
        var options = ProverOptions()
        options.seed = [9, 9]
        options.extensionStorage = storage
        options.skipWitnessChecks = unchecked
        return try StarkProver.prove(key: key, witness: witness, publicInputs: inputs, options: options)
    }

    /// Same seed, same bytes: every commitment, out-of-domain value, FRI layer
    /// and opening agrees, over lookups (LogUp phase), copies, public inputs,
    /// next-row gates, a user challenge phase, and two security presets.
    @Test(arguments: [9, 12])
    func recomputedExtensionsGiveTheSameProof(logRows: Int) throws {
        for parameters in [testParameters, testParameters(degree: 3), SecurityPreset.proven100.parameters] {
            let rows = max(logRows, Circuit.logRows(forUsableRows: 300, parameters))
            let example = ExampleCircuit(logRows: rows, parameters: parameters, seed: UInt64(logRows))
            let key = try ProvingKey(circuit: example.circuit, parameters: parameters)
            let kept = try Self.prove(key, example.witness, example.publicInputs, .kept)
            let recomputed = try Self.prove(key, example.witness, example.publicInputs, .recomputed)
            #expect(recomputed.encoded() == kept.encoded())
            try StarkVerifier.verify(key: key.verifyingKey, publicInputs: example.publicInputs, proof: recomputed)
        }
        for degree in [2, 3] {
            let freivalds = FreivaldsExample(logRows: logRows, parameters: testParameters(degree: degree))
            let key = try ProvingKey(circuit: freivalds.circuit, parameters: testParameters(degree: degree))
            let kept = try Self.prove(key, freivalds.witness, [], .kept)
            let recomputed = try Self.prove(key, freivalds.witness, [], .recomputed)
            #expect(recomputed.encoded() == kept.encoded())
            try StarkVerifier.verify(key: key.verifyingKey, publicInputs: [], proof: recomputed)
        }
    }

    /// A prover forced past its checks with a wrong cell is rejected in this mode too.
    @Test func aWrongWitnessProvenWithoutExtensionsIsRejected() throws {
        let example = ExampleCircuit(logRows: 9)
        let key = try ProvingKey(circuit: example.circuit, parameters: testParameters)
        var w = example.witness
        w[ExampleCircuit.c][10] += .one
        #expect(throws: StarkError.self) { try Self.prove(key, w, example.publicInputs, .recomputed) }
        let forged = try Self.prove(key, w, example.publicInputs, .recomputed, unchecked: true)
        #expect(throws: VerificationError.self) {
            try StarkVerifier.verify(key: key.verifyingKey, publicInputs: example.publicInputs, proof: forged)
        }
    }

    /// A tree committed block by block has the same root and openings as one
    /// committed from its whole extension, salted or not.
    @Test func blockByBlockCommitmentIsTheSameTree() {
        var rng = SplitMix(state: 21)
        let domain = LDEDomain(logRows: 6, logBlowup: 3)
        for width in [1, 2, 5] {
            let columns = (0 ..< width).map { _ in (0 ..< 64).map { _ in Goldilocks.random(using: &rng) } }
            for salts in [nil, SecureRandom(seed: [3])] {
                let kept = CommittedColumns(values: columns, domain: domain, foldingFactor: 4, salts: salts, saltDomain: 7)
                let streamed = CommittedColumns(values: columns, domain: domain, foldingFactor: 4, salts: salts,
                                                saltDomain: 7, keepExtension: false)
                #expect(kept.lde != nil && streamed.lde == nil)
                #expect(streamed.tree.root == kept.tree.root)
                let leaves = [0, 3, 17, 40, 127]
                #expect(streamed.open(leaves) == kept.open(leaves))
                for leaf in leaves {
                    let opening = streamed.open([leaf])
                    #expect(CommittedColumns.leafDigest(values: opening.values[...], salt: opening.salts.first)
                            == streamed.tree.leaf(leaf))
                }
            }
        }
    }

    /// One block of the extension is that block of the whole extension, and
    /// the whole extension agrees with evaluating the polynomial at the point.
    @Test func oneBlockIsThatBlockOfTheExtension() {
        var rng = SplitMix(state: 5)
        let domain = LDEDomain(logRows: 5, logBlowup: 2)
        let n = domain.rows
        let coefficients = (0 ..< 3).map { _ in (0 ..< n).map { _ in Goldilocks.random(using: &rng) } }
        let whole = domain.extend(coefficients)
        let block = UnsafeMutableBufferPointer<Goldilocks>.allocate(capacity: 3 * n)
        defer { block.deallocate() }
        for k in 0 ..< 4 {
            domain.extendBlock(k, of: coefficients, into: block)
            for c in 0 ..< 3 { #expect(Array(block[c * n ..< (c + 1) * n]) == Array(whole[c][k * n ..< (k + 1) * n])) }
        }
        for p in [0, 9, 77, 127] {
            let x = domain.point(p)
            let direct = coefficients[1].reversed().reduce(Goldilocks.zero) { $0 * x + $1 }
            #expect(whole[1][domain.storageIndex(p)] == direct)
            #expect(domain.block(ofPosition: p) == domain.storageIndex(p) / n)
        }
    }

    /// Each storage block fills one run of commitment positions, row j at
    /// the run's base + bitrev(j): the map the DEEP composition's reordering
    /// uses is the inverse of `storageIndex`, at every position.
    @Test func eachBlockFillsOneRunOfCommitmentPositions() {
        for (logRows, logBlowup) in [(5, 2), (4, 3), (6, 1), (3, 4)] {
            let domain = LDEDomain(logRows: logRows, logBlowup: logBlowup)
            let n = domain.rows
            var seen = [Bool](repeating: false, count: domain.size)
            for k in 0 ..< 1 << logBlowup {
                for j in 0 ..< n {
                    let p = domain.commitmentBase(ofBlock: k) + NTT.bitReverse(j, bits: logRows)
                    #expect(domain.storageIndex(p) == k * n + j)
                    seen[p] = true
                }
            }
            #expect(seen.allSatisfy { $0 })
        }
    }

    @Test func theAutomaticChoiceFollowsSizeAndMemory() {
        let physical = ExtensionStorage.physicalMemoryBytes()
        #expect(physical > 0)
        #expect(ExtensionStorage.kept.keeps(Int.max))
        #expect(!ExtensionStorage.recomputed.keeps(0))
        #expect(ExtensionStorage.automatic.keeps(1 << 20))
        #expect(!ExtensionStorage.automatic.keeps(physical))
        #expect(!ExtensionStorage.automatic.keeps(ExtensionStorage.automaticKeepLimit + 1))
        // The 1,000-applicant audit's extensions (75 columns × 2^21 points) are kept
        // on a machine like this one (24 GiB); 4,000 applicants' (2^23 points) are not.
        if physical >= 16 << 30 {
            #expect(ExtensionStorage.automatic.keeps(75 << 24))
            #expect(!ExtensionStorage.automatic.keeps(75 << 26))
        }
    }
}
