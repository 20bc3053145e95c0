import Testing
import CSHA256
import Field
@testable import Stark

@Suite(.serialized) struct SHA256Tests {
    /// FIPS 180-4 example vectors (NIST CSRC "SHA256.pdf" examples).
    @Test func knownVectors() {
        #expect(SHA256.hash(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)).hex
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000)).hex
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func hardwareAndPortablePathsAgree() {
        var rng = SystemRandomNumberGenerator()
        for length in [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000] {
            let data = (0 ..< length).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
            let fast = SHA256.hash(data)
            zk_sha256_force_portable(1)
            let slow = SHA256.hash(data)
            zk_sha256_force_portable(0)
            #expect(fast == slow)
        }
        let a = SHA256.hash([1]), b = SHA256.hash([2])
        #expect(SHA256.compress(a, b) == SHA256.hash(a.bytes + b.bytes))
    }

    /// `hashMany` (three lanes side by side with SHA-NI) gives each message's
    /// own digest, for every count modulo the lane count, lengths around the
    /// padding boundaries and the leaf sizes the prover uses, messages packed
    /// or spaced apart, on both code paths.
    @Test func manyMessagesHashLikeOneAtATime() {
        var rng = SystemRandomNumberGenerator()
        for portable in [false, true] {
            zk_sha256_force_portable(portable ? 1 : 0)
            defer { zk_sha256_force_portable(0) }
            for length in [0, 1, 48, 55, 56, 63, 64, 65, 119, 120, 128, 273, 529] {
                for count in 1 ... 8 {
                    for gap in [0, 5] {
                        let stride = length + gap
                        let input = (0 ..< max(1, stride * count)).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
                        var digests = [Digest](repeating: .zero, count: count)
                        input.withUnsafeBytes { raw in
                            digests.withUnsafeMutableBufferPointer { out in
                                SHA256.hashMany(raw.baseAddress!, stride: stride, length: length, count: count,
                                                into: out.baseAddress!)
                            }
                        }
                        let expected = (0 ..< count).map { SHA256.hash(Array(input[$0 * stride ..< $0 * stride + length])) }
                        #expect(digests == expected, "length \(length), count \(count), gap \(gap), portable \(portable)")
                    }
                }
            }
        }
        // The FIPS 180-4 vector in every lane.
        let abc = Array("abc".utf8)
        var digests = [Digest](repeating: .zero, count: 4)
        (abc + abc + abc + abc).withUnsafeBytes { raw in
            digests.withUnsafeMutableBufferPointer { SHA256.hashMany(raw.baseAddress!, stride: 3, length: 3, count: 4, into: $0.baseAddress!) }
        }
        #expect(digests.allSatisfy { $0.hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" })
    }
}

@Suite struct MerkleTests {
    @Test func batchOpeningsVerifyAndTamperingFails() {
        let leaves = (0 ..< 64).map { SHA256.hash([UInt8($0)]) }
        let tree = MerkleTree(leaves: leaves)
        for indices in [[0], [63], [1, 2, 3], [0, 1], [5, 17, 40, 41, 63], Array(0 ..< 64)] {
            let proof = tree.openBatch(indices)
            let opened = indices.map { leaves[$0] }
            #expect(MerkleTree.root(leafCount: 64, indices: indices, leaves: opened, proof: proof) == tree.root)
            var wrong = opened
            wrong[0] = SHA256.hash([0xFF])
            #expect(MerkleTree.root(leafCount: 64, indices: indices, leaves: wrong, proof: proof) != tree.root)
            if !proof.isEmpty {
                var badProof = proof
                badProof[badProof.count - 1] = .zero
                #expect(MerkleTree.root(leafCount: 64, indices: indices, leaves: opened, proof: badProof) != tree.root)
                #expect(MerkleTree.root(leafCount: 64, indices: indices, leaves: opened, proof: proof + [.zero]) == nil)
            }
        }
        #expect(MerkleTree.root(leafCount: 64, indices: [3, 3], leaves: [leaves[3], leaves[3]], proof: []) == nil)
        #expect(MerkleTree.root(leafCount: 64, indices: [64], leaves: [leaves[0]], proof: []) == nil)
        // A single-leaf tree's root is that leaf.
        #expect(MerkleTree(leaves: [leaves[0]]).root == leaves[0])
    }
}

@Suite struct TranscriptTests {
    @Test func challengesDependOnEverythingAbsorbed() {
        var a = Transcript(protocolID: "p"), b = Transcript(protocolID: "p"), c = Transcript(protocolID: "q")
        a.absorb(bytes: [1, 2]); b.absorb(bytes: [1, 2]); c.absorb(bytes: [1, 2])
        let x = a.challengeExt()
        #expect(x == b.challengeExt())
        #expect(x != c.challengeExt())
        a.absorb(bytes: [3]); b.absorb(bytes: [4])
        #expect(a.challengeExt() != b.challengeExt())
        // Length prefixes: [1,2]+[3] differs from [1]+[2,3].
        var d = Transcript(protocolID: "p"), e = Transcript(protocolID: "p")
        d.absorb(bytes: [1, 2]); d.absorb(bytes: [3]); e.absorb(bytes: [1]); e.absorb(bytes: [2, 3])
        #expect(d.challengeBase() != e.challengeBase())
    }

    /// Challenges and absorbed elements in either extension: a cubic
    /// challenge takes the first three words of the squeeze that a quadratic
    /// one takes two of, and every coefficient of an absorbed element binds.
    /// (That the quadratic path is unchanged, `GoldenProofTests` checks.)
    @Test func challengesAndElementsInBothExtensions() {
        var a = Transcript(protocolID: "p"), b = Transcript(protocolID: "p")
        let quadratic = a.challenge(GoldilocksExt2.self), cubic = b.challenge(GoldilocksExt3.self)
        #expect(cubic.c0 == quadratic.c0 && cubic.c1 == quadratic.c1 && !cubic.c2.isZero)
        var seen = Set<GoldilocksExt3>()
        for k in 0 ..< 3 {
            var t = Transcript(protocolID: "p")
            var element = GoldilocksExt3(1, 2, 3)
            if k == 1 { element.c2 = 4 }
            if k == 2 { element.c0 = 0 }
            t.absorb([element])
            seen.insert(t.challenge(GoldilocksExt3.self))
        }
        #expect(seen.count == 3)
    }

    @Test func proofOfWork() {
        var t = Transcript(protocolID: "pow")
        t.absorb(bytes: [9])
        let nonce = t.grind(bits: 10)
        #expect(t.proofOfWorkHolds(nonce: nonce, bits: 10))
        // The smallest nonce: every smaller one fails.
        for smaller in 0 ..< nonce { #expect(!t.proofOfWorkHolds(nonce: smaller, bits: 10)) }
        let indices = t.challengeIndices(count: 100, bound: 64)
        #expect(indices.allSatisfy { (0 ..< 64).contains($0) })
    }
}

@Suite struct FoldingTests {
    /// Folding a polynomial's evaluations equals evaluating Σ β^j f_j at x^F,
    /// in either extension.
    @Test func foldLayerMatchesCoefficientFolding() {
        check(GoldilocksExt2.self)
        check(GoldilocksExt3.self)
    }

    func check<E: ExtensionField>(_: E.Type) {
        var rng = SystemRandomNumberGenerator()
        let degree = 16, logSize = 6, shift = Goldilocks(7)
        let coefficients = (0 ..< degree).map { _ in E.random(using: &rng) }
        let layer = (0 ..< (1 << logSize)).map { p in
            Polynomial.evaluate(coefficients, at: E(FRIFolding.point(p, logSize: logSize, shift: shift)))
        }
        let beta = E.random(using: &rng)
        let folded = FRIFolding.foldLayer(layer, logSize: logSize, shift: shift, beta: beta, logFolding: 2)
        // f = Σ_j X^j f_j(X^4) ⇒ folded = Σ_j β^j f_j.
        var foldedCoefficients = [E](repeating: .zero, count: degree / 4)
        for (i, c) in coefficients.enumerated() { foldedCoefficients[i / 4] = foldedCoefficients[i / 4] + beta.power(UInt64(i % 4)) * c }
        for p in 0 ..< folded.count {
            let x = E(FRIFolding.point(p, logSize: logSize - 2, shift: shift.power(4)))
            #expect(folded[p] == Polynomial.evaluate(foldedCoefficients, at: x))
        }
        // The verifier's per-coset fold agrees.
        for leaf in [0, 3, 15] {
            let coset = Array(layer[4 * leaf ..< 4 * leaf + 4])
            #expect(FRIFolding.foldCoset(coset, leaf: leaf, logSize: logSize, shift: shift, beta: beta) == folded[leaf])
        }
        #expect(FRIFolding.interpolate(folded, shift: shift.power(4)).prefix(4) == foldedCoefficients[...])
    }

    /// The folding's table of inverse points: c·g^bitrev(i), against the power
    /// computed directly, for every size up to 2^10 (and the empty exponent).
    @Test func bitReversedPowersAreThePowersAtReversedExponents() {
        let c = Goldilocks(12345)
        for logCount in 0 ... 10 {
            let g = Goldilocks.rootOfUnity(logOrder: logCount + 1).inverse
            let table = FRIFolding.bitReversedPowers(of: g, logCount: logCount, times: c)
            #expect(table.count == 1 << logCount)
            for i in table.indices {
                #expect(table[i] == c * g.power(UInt64(NTT.bitReverse(i, bits: logCount))), "2^\(logCount), index \(i)")
            }
        }
    }
}

@Suite struct FRIProverTests {
    /// f on the LDE domain in commitment order.
    static func layer(degree: Int, logRows: Int) -> [GoldilocksExt2] {
        var rng = SplitMix(state: UInt64(degree))
        let coefficients = (0 ..< degree).map { _ in GoldilocksExt2.random(using: &rng) }
        let domain = LDEDomain(logRows: logRows, logBlowup: testParameters.logBlowup)
        return (0 ..< domain.size).map { Polynomial.evaluate(coefficients, at: GoldilocksExt2(domain.point($0))) }
    }

    /// The prover's FRI over the cubic extension: a composition of degree < n
    /// folds to a final polynomial within the bound, and one of higher degree
    /// is an error, as over the quadratic one.
    @Test func cubicCompositionsFoldLikeQuadraticOnes() throws {
        let domain = LDEDomain(logRows: 8, logBlowup: testParameters.logBlowup)
        func layer(degree: Int) -> [GoldilocksExt3] {
            var rng = SplitMix(state: UInt64(degree))
            let coefficients = (0 ..< degree).map { _ in GoldilocksExt3.random(using: &rng) }
            return (0 ..< domain.size).map { Polynomial.evaluate(coefficients, at: GoldilocksExt3(domain.point($0))) }
        }
        var t = Transcript(protocolID: "fri")
        let fri = try FRIProver.commit(layer(degree: 1 << 8), parameters: testParameters, logRows: 8, transcript: &t)
        #expect(fri.finalPolynomial.count == 4 && fri.finalPolynomial.contains { !$0.isBase })
        var u = Transcript(protocolID: "fri")
        #expect(throws: StarkError.self) {
            try FRIProver.commit(layer(degree: (1 << 8) + 1), parameters: testParameters, logRows: 8, transcript: &u)
        }
    }

    @Test func aCompositionOfDegreeNFoldsToTheFinalPolynomial() throws {
        var t = Transcript(protocolID: "fri")
        let fri = try FRIProver.commit(Self.layer(degree: 1 << 8, logRows: 8), parameters: testParameters, logRows: 8,
                                       transcript: &t)
        #expect(fri.finalPolynomial.count == 4)  // 2^8 / 4^3, the first bound ≤ 2^3
    }

    /// An honest prover's composition has degree < n; anything else is a bug,
    /// reported instead of truncated into a proof that cannot verify.
    @Test func aCompositionOfHigherDegreeIsAnErrorNotTruncated() throws {
        var t = Transcript(protocolID: "fri")
        let high = Self.layer(degree: (1 << 8) + 1, logRows: 8)
        #expect(throws: StarkError.self) {
            try FRIProver.commit(high, parameters: testParameters, logRows: 8, transcript: &t)
        }
        // A testing prover that lies on purpose still gets its (truncated) proof.
        var u = Transcript(protocolID: "fri")
        let truncated = try FRIProver.commit(high, parameters: testParameters, logRows: 8, transcript: &u, exact: false)
        #expect(truncated.finalPolynomial.count == 4)
    }
}

@Suite struct LeafDomainSeparationTests {
    /// A FRI leaf of F = 4 values is 64 bytes of content: with its tag it can
    /// never hash like the internal node over the same 64 bytes.
    @Test func leavesAreTaggedAndNeverSixtyFourBytes() {
        var rng = SplitMix(state: 3)
        let values = (0 ..< 4).map { _ in GoldilocksExt2.random(using: &rng) }
        var content: [UInt8] = []
        for v in values {
            withUnsafeBytes(of: v.c0.value.littleEndian) { content += $0 }
            withUnsafeBytes(of: v.c1.value.littleEndian) { content += $0 }
        }
        #expect(content.count == 64)
        let node = SHA256.compress(Digest(bytes: Array(content[0 ..< 32]))!, Digest(bytes: Array(content[32...]))!)
        #expect(FRIProver.leafDigest(values[...]) != node)
        #expect(FRIProver.leafDigest(values[...]) == SHA256.hash([MerkleTree.friLeafTag] + content))
        // Column leaves: tag, salt, values.
        let column = (0 ..< 8).map { _ in Goldilocks.random(using: &rng) }
        let salt = [UInt8](repeating: 7, count: CommittedColumns.saltBytes)
        var columnContent: [UInt8] = []
        for v in column { withUnsafeBytes(of: v.value.littleEndian) { columnContent += $0 } }
        #expect(CommittedColumns.leafDigest(values: column[...], salt: salt)
                == SHA256.hash([MerkleTree.columnLeafTag] + salt + columnContent))
        #expect(CommittedColumns.leafDigest(values: column[...], salt: nil)
                == SHA256.hash([MerkleTree.columnLeafTag] + columnContent))
    }

    /// The prover's tree hashes its leaves as the verifier does.
    /// Every leaf, hashed in batches by the prover, equals the digest the
    /// verifier computes from its opening. 1,024 rows: 256 leaves per block, a
    /// full batch (`CommittedColumns.leafBatch`, 192) and a partial one.
    @Test func committedLeavesMatchTheVerifiersDigest() {
        var rng = SplitMix(state: 4)
        let rows = 1024
        #expect(rows / 4 > CommittedColumns.leafBatch && (rows / 4) % CommittedColumns.leafBatch != 0)
        let columns = (0 ..< 3).map { _ in (0 ..< rows).map { _ in Goldilocks.random(using: &rng) } }
        let domain = LDEDomain(logRows: 10, logBlowup: 2)
        for salts in [nil, SecureRandom(seed: [1])] {
            let committed = CommittedColumns(values: columns, domain: domain, foldingFactor: 4, salts: salts, saltDomain: 5)
            let leaves = Array(0 ..< committed.tree.leafCount)
            let opening = committed.open(leaves)
            let width = 4 * columns.count
            for leaf in leaves {
                #expect(CommittedColumns.leafDigest(values: opening.values[width * leaf ..< width * (leaf + 1)],
                                                    salt: salts == nil ? nil : opening.salts[leaf])
                        == committed.tree.leaf(leaf), "leaf \(leaf)")
            }
        }
    }

    /// Every leaf of a FRI layer tree (hashed in batches: 192 and a partial 64)
    /// is `leafDigest` of its values.
    @Test func friLeavesMatchTheVerifiersDigest() {
        var rng = SplitMix(state: 5)
        let layer = (0 ..< 4 * 256).map { _ in GoldilocksExt2.random(using: &rng) }
        let tree = FRIProver<GoldilocksExt2>.tree(layer, foldingFactor: 4)
        for leaf in 0 ..< 256 { #expect(tree.leaf(leaf) == FRIProver.leafDigest(layer[4 * leaf ..< 4 * leaf + 4])) }
    }
}

/// Extension elements in the proof encoding: 8·e bytes, canonical coefficients only.
@Suite struct ExtensionEncodingTests {
    @Test func elementsRoundTripAndNonCanonicalCoefficientsAreRejected() throws {
        var rng = SystemRandomNumberGenerator()
        let quadratic = (0 ..< 20).map { _ in GoldilocksExt2.random(using: &rng) }
        let cubic = (0 ..< 20).map { _ in GoldilocksExt3.random(using: &rng) }
        var w = ByteWriter()
        for e in quadratic { w.ext(e) }
        for e in cubic { w.ext(e) }
        #expect(w.bytes.count == 20 * 16 + 20 * 24)
        var r = ByteReader(w.bytes)
        for e in quadratic { #expect(try r.ext("q") == e) }
        for e in cubic { #expect(try r.ext("c", as: GoldilocksExt3.self) == e) }
        #expect(r.remaining == 0)
        // A third coefficient of p is not canonical.
        var bad = ByteWriter()
        bad.u64(1); bad.u64(2); bad.u64(Goldilocks.modulus)
        var reader = ByteReader(bad.bytes)
        #expect(throws: VerificationError.self) { try reader.ext("c", as: GoldilocksExt3.self) }
    }
}
