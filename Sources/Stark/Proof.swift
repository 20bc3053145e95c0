import Field

/// What a proof states about itself, readable without verifying it.
public struct ProofHeader: Hashable, Sendable {
    public var version: UInt16
    public var protocolID: String
    public var hash: String
    public var parameters: StarkParameters
    public var logRows: Int
    public var security: SecurityEstimate
}

/// The values and Merkle proof opening some leaves of one committed tree.
struct TreeOpening: Hashable, Sendable {
    /// Per opened leaf (increasing), F rows × tree width.
    var values: [Goldilocks]
    /// Per opened leaf, its salt (empty for the unsalted fixed tree).
    var salts: [[UInt8]]
    var proof: [Digest]
}

/// Extension-field values as their coefficients, e words per value, so that
/// a proof holds the values of either extension without being generic.
struct ExtensionWords: Hashable, Sendable {
    /// The extension's degree e.
    let degree: Int
    /// Value i's coefficient k at e·i + k.
    var words: [Goldilocks]

    init<E: ExtensionField>(_ values: [E]) {
        degree = E.degree
        words = []
        words.reserveCapacity(E.degree * values.count)
        for v in values { for k in 0 ..< E.degree { words.append(v.coefficient(k)) } }
    }

    init(degree: Int, words: [Goldilocks]) {
        precondition(degree > 0 && words.count % degree == 0, "words of whole extension elements")
        self.degree = degree
        self.words = words
    }

    /// The number of values.
    var count: Int { words.count / degree }

    /// The values as elements of E (whose degree must be `degree`).
    func values<E: ExtensionField>(_: E.Type) -> [E] {
        precondition(E.degree == degree, "values of degree \(degree) read as degree \(E.degree)")
        return words.withUnsafeBufferPointer { p in
            (0 ..< count).map { i in E(p.baseAddress! + E.degree * i, stride: 1) }
        }
    }
}

/// The opened cosets of one committed FRI layer.
struct FRILayerOpening: Hashable, Sendable {
    /// Per opened leaf (increasing), the F values of its coset.
    var values: ExtensionWords
    var proof: [Digest]
}

/// A STARK proof (docs/proof-format.md describes its encoding).
public struct Proof: Hashable, Sendable {
    /// The protocol's name over the quadratic extension; over the cubic one it
    /// ends in `/ext3` (`protocolID(extensionDegree:)`).
    public static let protocolID = "zkpolicy-stark/plonkish-logup-deep-fri"

    /// The protocol id of proofs over the extension of this degree. The id
    /// starts the transcript and the key's digest, so proofs over the two
    /// extensions never share challenges or keys; quadratic proofs keep the
    /// bytes they had before the cubic extension existed.
    public static func protocolID(extensionDegree: Int) -> String {
        extensionDegree == 2 ? protocolID : protocolID + "/ext\(extensionDegree)"
    }

    /// The extension degree a protocol id names; nil for an unknown id.
    static func extensionDegree(ofProtocol id: String) -> Int? {
        [2, 3].first { protocolID(extensionDegree: $0) == id }
    }
    /// 2: the quotient is opened at z only, the z·ω values are those of the
    /// columns read at the next row, the DEEP batch has independent coefficients,
    /// Merkle leaves are domain-separated (1: every column at z and z·ω).
    /// 3: the fixed columns are not committed (no fixed tree opening; the
    /// verifier evaluates them at z itself, `FixedColumns`), the key binds a
    /// hash of their values.
    /// 4: the out-of-domain values are the committed columns' only (the
    /// fixed columns' values, which the verifier computes, are not sent).
    /// 5: the key binds the fixed columns by a hash of their run-length
    /// encoding (`FixedColumns.digest`) instead of their words; proofs are
    /// encoded as in 4, but every key digest changed.
    public static let version: UInt16 = 5
    static let magic: [UInt8] = Array("ZKPS".utf8)

    public var header: ProofHeader
    /// Roots of the advice tree, each challenge phase's tree and the quotient tree.
    var commitments: [Digest]
    /// Every committed column but the mask at z (in view order, after the
    /// fixed columns, which are not sent), then the committed columns the
    /// constraints read at the next row at z·ω (`nextColumns` order).
    var oodValues: ExtensionWords
    var friRoots: [Digest]
    var finalPolynomial: ExtensionWords
    var powNonce: UInt64
    /// Advice tree, phase trees, quotient tree.
    var treeOpenings: [TreeOpening]
    var friOpenings: [FRILayerOpening]

    /// The binary encoding.
    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.raw(Proof.magic)
        w.u16(header.version)
        w.string(header.protocolID)
        w.string(header.hash)
        w.parameters(header.parameters)
        w.u8(UInt8(header.logRows))
        w.u16(UInt16(header.security.conjectured))
        w.u16(UInt16(header.security.provenUniqueDecoding))
        w.u16(UInt16(header.security.provenJohnson))
        w.u32(UInt32(commitments.count)); commitments.forEach { w.digest($0) }
        // Extension values: a count of values, then their coefficients (8·e bytes each).
        w.u32(UInt32(oodValues.count)); oodValues.words.forEach { w.field($0) }
        w.u32(UInt32(friRoots.count)); friRoots.forEach { w.digest($0) }
        w.u32(UInt32(finalPolynomial.count)); finalPolynomial.words.forEach { w.field($0) }
        w.u64(powNonce)
        w.u32(UInt32(treeOpenings.count))
        for t in treeOpenings {
            w.u32(UInt32(t.values.count)); t.values.forEach { w.field($0) }
            w.u32(UInt32(t.salts.count)); t.salts.forEach { w.raw($0) }
            w.u32(UInt32(t.proof.count)); t.proof.forEach { w.digest($0) }
        }
        w.u32(UInt32(friOpenings.count))
        for l in friOpenings {
            w.u32(UInt32(l.values.count)); l.values.words.forEach { w.field($0) }
            w.u32(UInt32(l.proof.count)); l.proof.forEach { w.digest($0) }
        }
        return w.bytes
    }

    /// Decodes a proof; malformed, truncated or oversized input throws
    /// `VerificationError.malformedProof`, never traps.
    public init(decoding bytes: [UInt8]) throws {
        var r = ByteReader(bytes)
        guard try r.raw(4, "magic") == Proof.magic else { throw VerificationError.malformedProof("not a zkpolicy STARK proof") }
        let version = try r.u16("version")
        guard version == Proof.version else { throw VerificationError.malformedProof("unsupported proof version \(version)") }
        let protocolID = try r.string("protocol")
        // The id fixes the size of every extension value below.
        guard let degree = Proof.extensionDegree(ofProtocol: protocolID) else {
            throw VerificationError.malformedProof("unknown protocol \(protocolID)")
        }
        let hash = try r.string("hash")
        var parameters = try r.parameters()
        parameters.extensionDegree = degree
        let logRows = Int(try r.u8("logRows"))
        let security = SecurityEstimate(conjectured: Int(try r.u16("security")),
                                        provenUniqueDecoding: Int(try r.u16("security")),
                                        provenJohnson: Int(try r.u16("security")))
        header = ProofHeader(version: version, protocolID: protocolID, hash: hash, parameters: parameters,
                             logRows: logRows, security: security)
        commitments = try (0 ..< r.count(32, "commitments")).map { _ in try r.digest("commitment") }
        func values(_ what: String) throws -> ExtensionWords {
            let count = try r.count(8 * degree, what)
            return ExtensionWords(degree: degree, words: try (0 ..< degree * count).map { _ in try r.field(what) })
        }
        oodValues = try values("out-of-domain values")
        friRoots = try (0 ..< r.count(32, "FRI roots")).map { _ in try r.digest("FRI root") }
        finalPolynomial = try values("final polynomial")
        powNonce = try r.u64("proof-of-work nonce")
        treeOpenings = try (0 ..< r.count(12, "tree openings")).map { _ in
            let values = try (0 ..< r.count(8, "opened values")).map { _ in try r.field("opened value") }
            let salts = try (0 ..< r.count(CommittedColumns.saltBytes, "salts")).map { _ in
                try r.raw(CommittedColumns.saltBytes, "salt")
            }
            let proof = try (0 ..< r.count(32, "Merkle proof")).map { _ in try r.digest("Merkle node") }
            return TreeOpening(values: values, salts: salts, proof: proof)
        }
        friOpenings = try (0 ..< r.count(8, "FRI openings")).map { _ in
            let values = try values("FRI values")
            let proof = try (0 ..< r.count(32, "FRI Merkle proof")).map { _ in try r.digest("FRI Merkle node") }
            return FRILayerOpening(values: values, proof: proof)
        }
        guard r.remaining == 0 else { throw VerificationError.malformedProof("\(r.remaining) trailing bytes") }
    }

    init(header: ProofHeader, commitments: [Digest], oodValues: ExtensionWords, friRoots: [Digest],
         finalPolynomial: ExtensionWords, powNonce: UInt64, treeOpenings: [TreeOpening], friOpenings: [FRILayerOpening]) {
        self.header = header
        self.commitments = commitments
        self.oodValues = oodValues
        self.friRoots = friRoots
        self.finalPolynomial = finalPolynomial
        self.powNonce = powNonce
        self.treeOpenings = treeOpenings
        self.friOpenings = friOpenings
    }
}
