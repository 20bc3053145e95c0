import Foundation
import Testing
@testable import ZKPolicy

/// A proof in parts (`prove --part-rows`, docs/circuit.md §10) through the
/// command line: the 100-row sample proven in 3 parts of 33, 33 and 34 rows,
/// verified, inspected; and every way of recombining the file's proofs that
/// would change what it states is rejected.
@Suite struct PartsEndToEndTests {
    typealias E2E = EndToEndTests

    struct Split: Sendable {
        let folder: URL
        let digest: String
        let proof: String
        let proveRun: Support.Run
        /// A second proof of the same statement (fresh part salts).
        let other: String
    }

    static let split: Result<Split, E2E.Failure> = Result { try makeSplit() }.mapError { E2E.Failure(message: "\($0)") }

    static func prove(_ audit: E2E.Audit, partRows: String, to name: String, params: [String] = []) throws -> (String, Support.Run) {
        let proof = audit.folder.appendingPathComponent(name).path
        let run = try Support.run(["prove", E2E.policy, "--model", E2E.fairModel, "--data", E2E.data, "--salt-file", audit.saltFile,
                                   "--commitment", "scorer_digest=\(audit.digest)", "--security", "conjectured-100",
                                   "--part-rows", partRows, "-o", proof] + params.flatMap { ["--param", $0] })
        return (proof, run)
    }

    static func makeSplit() throws -> Split {
        let audit = try E2E.audit.get()
        let (proof, run) = try prove(audit, partRows: "40", to: "parts.zkproof")
        guard run.status == 0 else { throw E2E.Failure(message: "prove in parts failed (\(run.status)): \(run.stderr)") }
        let (other, second) = try prove(audit, partRows: "40", to: "parts-again.zkproof")
        guard second.status == 0 else { throw E2E.Failure(message: "prove in parts failed (\(second.status)): \(second.stderr)") }
        return Split(folder: audit.folder, digest: audit.digest, proof: proof, proveRun: run, other: other)
    }

    static func verify(_ proof: String, _ split: Split, _ extra: [String] = []) throws -> Support.Run {
        try E2E.verify(proof, ["--commitment", "scorer_digest=\(split.digest)"] + extra)
    }

    @Test func aProofInPartsVerifies() throws {
        let split = try Self.split.get()
        #expect(split.proveRun.stdout.contains("on 100 rows of applicants in 3 parts"), "\(split.proveRun.stdout)")
        for stage in ["part 1 of 3: committing advice…", "part 3 of 3: quotient…", "combining the parts: committing advice…"] {
            #expect(split.proveRun.stderr.contains(stage), "\(stage): \(split.proveRun.stderr)")
        }
        let bundle = try ProofBundle(decoding: try ProofFile.contents(path: split.proof))
        #expect(bundle.statement.parts.map { $0.tables.map(\.rows) } == [[33], [33], [34]])
        #expect(bundle.partProofs.count == 3 && Set(bundle.statement.parts.map(\.commitment)).count == 3)
        #expect(bundle.statement.parts[0].verifyingKeyDigest == bundle.statement.parts[1].verifyingKeyDigest)
        #expect(bundle.statement.parts[1].verifyingKeyDigest != bundle.statement.parts[2].verifyingKeyDigest)

        let accepted = try Self.verify(split.proof, split)
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
        #expect(accepted.stdout.hasPrefix("ACCEPTED: \"Fair lending: credit scorer\" version 1.0"))
        #expect(accepted.stdout.contains("data applicants: 100 rows (in 3 parts, each proof checked)"))
        for rule in ["model_is_registered", "four_fifths", "approval_parity"] {
            #expect(accepted.stdout.contains("rule \(rule): holds"))
        }
        // The regulator's parameter and commitment are checked as for one proof.
        let stricter = try Self.verify(split.proof, split, ["--param", "max_parity_gap=5%"])
        #expect(stricter.status == 4 && stricter.stdout.contains("parameter max_parity_gap"), "\(stricter.stdout)")
        let otherDigest = try E2E.verify(split.proof, ["--commitment", "scorer_digest=" + String(repeating: "ab", count: 32)])
        #expect(otherDigest.status == 4, "\(otherDigest.stdout)")

        let inspect = try Support.run(["inspect", split.proof])
        #expect(inspect.stdout.contains("Proven in 3 parts"), "\(inspect.stdout)")
        #expect(inspect.stdout.contains("part 3: 34 rows of applicants; commitment \(bundle.statement.parts[2].commitment)"))
        let json = try Support.run(["inspect", split.proof, "--json"])
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["parts"] as? [Any])?.count == 3)
    }

    /// Rows that fit in one part give one proof over all rows (format 1), as
    /// do `none` and `auto` below 1,000 rows; a part of no rows is refused.
    @Test(arguments: ["100", "none", "auto"])
    func onePartIsAProofOverAllRows(_ choice: String) throws {
        let audit = try E2E.audit.get()
        let (proof, run) = try Self.prove(audit, partRows: choice, to: "one-part-\(choice).zkproof")
        #expect(run.status == 0, "\(run.stderr)")
        let bytes = try ProofFile.contents(path: proof)
        let bundle = try ProofBundle(decoding: bytes)
        #expect(bundle.statement.parts.isEmpty && bundle.partProofs.isEmpty && bytes[8] == 1)
    }

    @Test(arguments: ["0", "-3", "many"])
    func aPartOfNoRowsIsRefused(_ choice: String) throws {
        let audit = try E2E.audit.get()
        let (proof, run) = try Self.prove(audit, partRows: choice, to: "refused-\(UUID().uuidString).zkproof")
        #expect(run.status != 0 && run.stderr.contains("--part-rows"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: proof))
    }

    /// `auto` proves in parts of 1,000 rows beyond 1,000 rows.
    @Test func automaticPartsBeyondAThousandRows() {
        #expect(PartChoice.automatic.partRows(largest: 1000) == nil)
        #expect(PartChoice.automatic.partRows(largest: 1001) == 1000)
        #expect(PartChoice.whole.partRows(largest: 100_000) == nil)
        #expect(PartChoice.rows(40).partRows(largest: 100) == 40)
        #expect(PartChoice("auto") == .automatic && PartChoice("none") == .whole && PartChoice("7") == .rows(7))
        #expect(PartChoice("0") == nil && PartChoice("") == nil && PartChoice("1e3") == nil)
    }

    enum PartTamper: String, CaseIterable, Sendable {
        case swapPartProofs, partCommitment, partProofByte, combiningProofByte, partKey, dropPart, moveRow,
             partFromAnotherProof, allPartsFromAnotherProof, asOneProof

        /// Where the verifier stops.
        var reason: String {
            switch self {
            case .swapPartProofs: return "part 1 of 3: "
            case .partCommitment: return "part 2 of 3: "
            case .partProofByte: return "part 3 of 3: "
            case .combiningProofByte, .partFromAnotherProof, .allPartsFromAnotherProof: return "the combining proof: "
            case .partKey, .moveRow: return "part 1 of 3 was made for another circuit"
            case .dropPart: return "do not add up"
            case .asOneProof: return "the proof was made for another circuit"
            }
        }

        func apply(_ bundle: inout ProofBundle, other: ProofBundle) {
            switch self {
            case .swapPartProofs:
                bundle.partProofs.swapAt(0, 1)
            case .partCommitment:
                var hex = Array(bundle.statement.parts[1].commitment)
                hex[5] = hex[5] == "0" ? "1" : "0"
                bundle.statement.parts[1].commitment = String(hex)
            case .partProofByte:
                bundle.partProofs[2][bundle.partProofs[2].count / 2] ^= 0x10
            case .combiningProofByte:
                bundle.starkProof[bundle.starkProof.count / 2] ^= 0x10
            case .partKey:
                bundle.statement.parts[0].verifyingKeyDigest[3] ^= 1
            case .dropPart:
                bundle.statement.parts.removeLast()
                bundle.partProofs.removeLast()
            case .moveRow:
                bundle.statement.parts[0].tables[0].rows += 1
                bundle.statement.parts[2].tables[0].rows -= 1
            case .partFromAnotherProof:
                // Another honest part of the same rows, with its own commitment.
                bundle.statement.parts[1] = other.statement.parts[1]
                bundle.partProofs[1] = other.partProofs[1]
            case .allPartsFromAnotherProof:
                bundle.statement.parts = other.statement.parts
                bundle.partProofs = other.partProofs
            case .asOneProof:
                bundle.statement.parts = []
                bundle.partProofs = []
            }
        }
    }

    /// Changes re-encoded with a valid checksum: the parts' proofs, their
    /// commitments and keys, and the combining proof must all agree.
    @Test(arguments: PartTamper.allCases)
    func recombinedPartsAreRejected(_ tamper: PartTamper) throws {
        let split = try Self.split.get()
        let original = try ProofFile.contents(path: split.proof)
        var bundle = try ProofBundle(decoding: original)
        tamper.apply(&bundle, other: try ProofBundle(decoding: try ProofFile.contents(path: split.other)))
        let bytes = bundle.encoded()
        #expect(bytes != original)
        let path = split.folder.appendingPathComponent("tampered-parts-\(UUID().uuidString).zkproof").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let run = try Self.verify(path, split)
        #expect(run.status == 4, "\(tamper): \(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("REJECTED: ") && run.stdout.contains(tamper.reason), "\(tamper): \(run.stdout)")
    }

    /// The part circuits' keys and shapes go to the key cache like a whole
    /// policy's key: the first verification stores them (one entry for the
    /// two parts of 33 rows, one for the part of 34), the next reads them,
    /// and a recombined proof is still rejected with the cached keys; a
    /// damaged entry is rebuilt.
    @Test func thePartsKeysAreCached() throws {
        let split = try Self.split.get()
        let cache = try Support.temporaryFolder().appendingPathComponent("keys")
        let flags = ["--key-cache", cache.path]
        let first = try Self.verify(split.proof, split, flags)
        #expect(first.status == 0 && first.stdout.contains("key cached at"), "\(first.stdout)\(first.stderr)")
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path).sorted()
        #expect(entries.count == 2, "\(entries)")
        let second = try Self.verify(split.proof, split, flags)
        #expect(second.status == 0 && second.stdout.contains("verifying key from the cache"), "\(second.stdout)\(second.stderr)")
        let other = try Self.verify(split.other, split, flags)
        #expect(other.status == 0 && other.stdout.contains("verifying key from the cache"), "\(other.stdout)")

        var bundle = try ProofBundle(decoding: try ProofFile.contents(path: split.proof))
        PartTamper.partCommitment.apply(&bundle, other: bundle)
        let tampered = split.folder.appendingPathComponent("tampered-cached-\(UUID().uuidString).zkproof").path
        try Data(bundle.encoded()).write(to: URL(fileURLWithPath: tampered))
        let rejected = try Self.verify(tampered, split, flags)
        #expect(rejected.status == 4 && rejected.stdout.contains(PartTamper.partCommitment.reason), "\(rejected.stdout)")

        for name in entries {
            let entry = cache.appendingPathComponent(name)
            var bytes = try Data(contentsOf: entry)
            bytes[60] ^= 0x40
            try bytes.write(to: entry)
        }
        let damaged = try Self.verify(split.proof, split, flags)
        #expect(damaged.status == 0, "\(damaged.stdout)\(damaged.stderr)")
        #expect(damaged.stderr.contains("warning: key cache: the cached key is not used"), "\(damaged.stderr)")
        let repaired = try Self.verify(split.proof, split, flags)
        #expect(repaired.stdout.contains("verifying key from the cache"), "\(repaired.stdout)")
    }

    /// The other honest proof verifies too (the tamper cases above mix two good proofs).
    @Test func aSecondProofOfTheSameStatementVerifiesAndDiffers() throws {
        let split = try Self.split.get()
        let run = try Self.verify(split.other, split)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let a = try ProofBundle(decoding: try ProofFile.contents(path: split.proof))
        let b = try ProofBundle(decoding: try ProofFile.contents(path: split.other))
        #expect(zip(a.statement.parts, b.statement.parts).allSatisfy { $0.commitment != $1.commitment })
        #expect(zip(a.statement.parts, b.statement.parts).allSatisfy { $0.verifyingKeyDigest == $1.verifyingKeyDigest })
        #expect(a.statement.verifyingKeyDigest == b.statement.verifyingKeyDigest)
    }
}

/// How `--part-rows` cuts the tables: k = ⌈largest / N⌉ parts, every table
/// in k runs of consecutive rows that cover it exactly, as even as possible.
@Suite struct PartRangesTests {
    @Test(arguments: [(["t": 100], 40), (["t": 100], 100), (["t": 100], 1), (["t": 1000, "u": 7], 300),
                      (["t": 5, "u": 12], 4), (["t": 0, "u": 3], 2), (["t": 100_000], 1000),
                      // A part size near Int.max (it used to overflow computing ⌈largest / N⌉).
                      (["t": 30], Int.max), (["t": 30], Int.max - 29)])
    func partsCoverEveryTableEvenly(_ rowCounts: [String: Int], _ partRows: Int) {
        let parts = PolicyProver.partRanges(rowCounts, partRows: partRows)
        let largest = rowCounts.values.max()!
        #expect(parts.count == (largest == 0 ? 1 : (largest - 1) / partRows + 1))
        for (table, n) in rowCounts {
            let ranges = parts.map { $0[table]! }
            #expect(ranges.first!.lowerBound == 0 && ranges.last!.upperBound == n)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            let sizes = ranges.map(\.count)
            #expect(sizes.max()! - sizes.min()! <= 1, "\(table): \(sizes)")
        }
        #expect(parts.allSatisfy { $0.values.map(\.count).max()! <= partRows })
    }
}
