import ByteCoding
import Stark

/// A `.zkproof` file: the public statement, the prover's report and the STARK
/// proof, in one versioned binary container (docs/proof-format.md).
///
/// Layout: magic `ZKPOLICY`, u16 format version, the statement, the report and
/// the STARK proof (each length-prefixed) — for a proof in parts (format 2)
/// then the count of parts and each part's STARK proof, length-prefixed —
/// then a SHA-256 checksum of every byte before it. The statement is bound
/// into the STARK proof (its digest is the transcript context); the report
/// is not (it holds timings, which are only known after proving) — the
/// checksum makes any corruption of it an error, and `inspect` labels it as
/// reported by the prover, not proven.
public struct ProofBundle: Hashable, Sendable {
    public static let magic = Array("ZKPOLICY".utf8)
    /// Format 1: one STARK proof over all rows; format 2: a proof in parts
    /// (`Statement.parts`).
    public static let formatVersion: UInt16 = 1
    public static let partsFormatVersion: UInt16 = 2
    /// Largest bundle the decoder accepts: a proof over all rows is a few
    /// hundred KB, one in parts about that per part (1,000 parts of the
    /// credit audit at `proven-100`: about 620 MB).
    public static let maximumSize = 1 << 30

    public var statement: Statement
    public var report: ProverReport
    /// `Stark.Proof.encoded()`: of the whole policy, or of the combining
    /// circuit of a proof in parts.
    public var starkProof: [UInt8]
    /// Every part's `Stark.Proof.encoded()`, in `statement.parts` order.
    public var partProofs: [[UInt8]]

    public init(statement: Statement, report: ProverReport, starkProof: [UInt8], partProofs: [[UInt8]] = []) {
        self.statement = statement
        self.report = report
        self.starkProof = starkProof
        self.partProofs = partProofs
    }

    /// The transcript context of part `index`'s STARK proof: a domain tag,
    /// the policy's digest and the part's place among `count` parts. (The
    /// part's row counts, parameters and commitment are its public inputs
    /// and output; the combining proof's context is the whole statement's.)
    public static func partTranscriptContext(policyDigest: [UInt8], index: Int, count: Int) -> [UInt8] {
        var w = ByteWriter()
        w.lengthPrefixed(policyDigest)
        w.varint(UInt64(index))
        w.varint(UInt64(count))
        return Array("zkpolicy-part-v1".utf8) + SHA256.hash(w.bytes).bytes
    }

    /// The bytes absorbed by the STARK transcript before any challenge: a
    /// domain tag and the SHA-256 digest of the encoded statement.
    public static func transcriptContext(for statement: Statement) -> [UInt8] {
        Array("zkpolicy-statement-v1".utf8) + SHA256.hash(statement.encoded()).bytes
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.raw(Self.magic)
        w.u16(partProofs.isEmpty ? Self.formatVersion : Self.partsFormatVersion)
        w.lengthPrefixed(statement.encoded())
        w.lengthPrefixed(report.encoded())
        w.lengthPrefixed(starkProof)
        if !partProofs.isEmpty {
            w.varint(UInt64(partProofs.count))
            for proof in partProofs { w.lengthPrefixed(proof) }
        }
        let checksum = SHA256.hash(w.bytes).bytes
        w.raw(checksum)
        return w.bytes
    }

    /// Decodes a bundle, rejecting anything malformed with a reason.
    public init(decoding bytes: [UInt8]) throws(ProofBundleError) {
        guard bytes.count <= Self.maximumSize else {
            throw .malformed("the file is \(bytes.count) bytes, more than any proof (\(Self.maximumSize))")
        }
        guard bytes.count >= Self.magic.count + 2 + 32, Array(bytes.prefix(Self.magic.count)) == Self.magic else {
            throw .malformed("not a zkpolicyc proof (the file does not start with ZKPOLICY)")
        }
        let body = Array(bytes.dropLast(32))
        guard SHA256.hash(body).bytes == Array(bytes.suffix(32)) else {
            throw .malformed("the file is corrupted (its checksum does not match)")
        }
        do {
            var r = ByteReader(body)
            _ = try r.raw(Self.magic.count, "magic")
            let version = try r.u16("format version")
            guard version == Self.formatVersion || version == Self.partsFormatVersion else {
                throw ProofBundleError.unsupportedVersion(Int(version))
            }
            statement = try Statement(decoding: try r.lengthPrefixed("statement"))
            report = try ProverReport(decoding: try r.lengthPrefixed("prover report"))
            starkProof = try r.lengthPrefixed("STARK proof")
            if version == Self.partsFormatVersion {
                partProofs = try (0 ..< r.count("part proofs", minimumSize: 2)).map { _ in try r.lengthPrefixed("part proof") }
            } else {
                partProofs = []
            }
            try r.expectEnd("the proof")
            guard partProofs.count == statement.parts.count, version == Self.partsFormatVersion || partProofs.isEmpty,
                  version == Self.formatVersion || partProofs.count >= 2 else {
                throw ProofBundleError.malformed("the statement has \(statement.parts.count) parts and the file \(partProofs.count) part proofs")
            }
        } catch let error as ProofBundleError {
            throw error
        } catch {
            throw .malformed("\(error)")
        }
    }
}

/// Why a `.zkproof` file could not be read.
public enum ProofBundleError: Error, Hashable, Sendable, CustomStringConvertible {
    case malformed(String)
    case unsupportedVersion(Int)

    public var description: String {
        switch self {
        case let .malformed(reason): return "malformed proof: \(reason)"
        case let .unsupportedVersion(v):
            return "proof format version \(v) is not supported (this zkpolicyc reads versions \(ProofBundle.formatVersion) and \(ProofBundle.partsFormatVersion))"
        }
    }
}
