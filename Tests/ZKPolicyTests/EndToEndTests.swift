import Foundation
import Testing
@testable import ZKPolicy

/// The whole tool through its command line, as a bank and a regulator use it:
/// `commit`, `prove`, `verify`, `inspect` on the fair-lending policy, with a
/// 100-row sample of the example applicants (scripts/make-e2e-fixture.sh) and
/// the logistic-regression model, so that a debug build proves in seconds.
@Suite struct EndToEndTests {
    static let policy = "Policies/credit/fair-lending.zkp"
    static let data = "Tests/ZKPolicyTests/Fixtures/e2e/applicants-100.csv"
    static let fairModel = "examples/credit/model-logreg.onnx"
    static let biasedModel = "examples/credit/biased-model.onnx"

    /// One committed model and one honest proof, shared by the tests that
    /// only read them (made once; every test that writes uses its own folder).
    struct Audit: Sendable {
        let folder: URL
        let saltFile: String
        let digest: String
        let proof: String
        let proveRun: Support.Run
    }

    static let audit: Result<Audit, Failure> = Result { try makeAudit(folder: try Support.temporaryFolder()) }
        .mapError { Failure(message: "\($0)") }

    struct Failure: Error, CustomStringConvertible { let message: String; var description: String { message } }

    static func makeAudit(folder: URL, params: [String] = []) throws -> Audit {
        let saltFile = folder.appendingPathComponent("salts.json").path
        let commit = try Support.run(["commit", policy, "--model", fairModel, "--data", data, "--salt-file", saltFile])
        guard commit.status == 0 else { throw Failure(message: "commit failed: \(commit.stderr)") }
        guard let digest = digest(of: "scorer", in: commit.stdout) else {
            throw Failure(message: "commit printed no digest for the scorer: \(commit.stdout)")
        }
        let proof = folder.appendingPathComponent("audit.zkproof").path
        let prove = try Support.run(["prove", policy, "--model", fairModel, "--data", data, "--salt-file", saltFile,
                                     "--commitment", "scorer_digest=\(digest)", "--security", "conjectured-100",
                                     "-o", proof] + params.flatMap { ["--param", $0] })
        guard prove.status == 0 else { throw Failure(message: "prove failed (\(prove.status)): \(prove.stderr)") }
        return Audit(folder: folder, saltFile: saltFile, digest: digest, proof: proof, proveRun: prove)
    }

    /// The digest `zkpolicyc commit` printed for `commit(NAME) = HEX  (...)`.
    static func digest(of name: String, in output: String) -> String? {
        for line in output.split(separator: "\n") where line.hasPrefix("commit(\(name))") {
            let words = line.split(separator: " ")
            if let hex = words.first(where: { $0.count == 64 && $0.allSatisfy(\.isHexDigit) }) { return String(hex) }
        }
        return nil
    }

    static func verify(_ proof: String, policy: String = policy, _ extra: [String] = []) throws -> Support.Run {
        try Support.run(["verify", proof, "--policy", policy] + extra)
    }

    @Test func fairModelProvesAndVerifies() throws {
        let audit = try Self.audit.get()
        #expect(audit.proveRun.stdout.contains("rule four_fifths: holds"))
        // Off a terminal, progress is one line per stage, in the order they run.
        let stages = ["lowering the policy", "optimising the circuit (cse)", "laying out the circuit",
                      "assigning the witness", "committing advice", "quotient", "writing the proof"]
        let lines = audit.proveRun.stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let positions = stages.map { stage in lines.firstIndex(of: stage + "…") }
        #expect(positions.allSatisfy { $0 != nil }, "\(audit.proveRun.stderr)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        let accepted = try Self.verify(audit.proof, ["--commitment", "scorer_digest=\(audit.digest)"])
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
        #expect(accepted.stdout.hasPrefix("ACCEPTED: \"Fair lending: credit scorer\" version 1.0"))
        for rule in ["model_is_registered", "four_fifths", "approval_parity"] {
            #expect(accepted.stdout.contains("rule \(rule): holds"))
        }
        #expect(accepted.stdout.contains("data applicants: 100 rows"))

        // Without --commitment the digest is shown, marked for comparison by hand.
        let unchecked = try Self.verify(audit.proof)
        #expect(unchecked.status == 0)
        #expect(unchecked.stdout.contains("compare it with the published value"))

        let json = try Self.verify(audit.proof, ["--json", "--commitment", "scorer_digest=\(audit.digest)"])
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["accepted"] as? Bool == true)

        let inspect = try Support.run(["inspect", audit.proof])
        #expect(inspect.status == 0)
        #expect(inspect.stdout.contains("Fair lending: credit scorer"))
        #expect(inspect.stdout.contains(audit.digest))
        #expect(inspect.stdout.contains("applicants: 100 rows"))
    }

    /// The scalar and the AVX-512 field kernels compute the same words, so a
    /// proof made with one verifies with the other (`ZKPOLICY_FIELD_KERNEL`
    /// picks the kernel; on a processor without AVX-512 both runs are scalar).
    @Test func proofsCrossTheFieldKernels() throws {
        let audit = try Self.audit.get()
        let scalar = ["ZKPOLICY_FIELD_KERNEL": "scalar"]
        let commitment = ["--commitment", "scorer_digest=\(audit.digest)"]
        let verifiedByScalar = try Support.run(["verify", audit.proof, "--policy", Self.policy] + commitment,
                                               environment: scalar)
        #expect(verifiedByScalar.status == 0, "\(verifiedByScalar.stdout)\(verifiedByScalar.stderr)")

        let folder = try Support.temporaryFolder()
        let proof = folder.appendingPathComponent("scalar.zkproof").path
        let prove = try Support.run(["prove", Self.policy, "--model", Self.fairModel, "--data", Self.data,
                                     "--salt-file", audit.saltFile, "--security", "conjectured-100", "-o", proof]
                                    + commitment, environment: scalar)
        #expect(prove.status == 0, "\(prove.stderr)")
        let verified = try Self.verify(proof, commitment)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("ACCEPTED"))
    }

    /// `--security proven-128` proves over the cubic extension: the proof
    /// verifies, states 128 proven bits and names the cubic protocol, and it
    /// is refused under another commitment.
    @Test func proven128ProofsUseTheCubicExtension() throws {
        let audit = try Self.audit.get()
        let commitment = ["--commitment", "scorer_digest=\(audit.digest)"]
        let folder = try Support.temporaryFolder()
        let proof = folder.appendingPathComponent("proven-128.zkproof").path
        let prove = try Support.run(["prove", Self.policy, "--model", Self.fairModel, "--data", Self.data,
                                     "--salt-file", audit.saltFile, "--security", "proven-128", "-o", proof] + commitment)
        #expect(prove.status == 0, "\(prove.stderr)")
        #expect(prove.stdout.contains("proven-128: 128 bits conjectured, 128 bits proven"), "\(prove.stdout)")
        let verified = try Self.verify(proof, commitment)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("ACCEPTED"))
        let inspect = try Support.run(["inspect", proof])
        #expect(inspect.stdout.contains("plonkish-logup-deep-fri/ext3 (challenges from the cubic extension"), "\(inspect.stdout)")
        let quadratic = try Support.run(["inspect", audit.proof])
        #expect(quadratic.stdout.contains("plonkish-logup-deep-fri (challenges from the quadratic extension"))
        let wrongDigest = String(audit.digest.reversed())
        let refused = try Self.verify(proof, ["--commitment", "scorer_digest=\(wrongDigest)"])
        #expect(refused.status == 4, "\(refused.stdout)")
    }

    /// `--extensions recomputed` (the prover's low-memory mode) makes a proof
    /// that verifies; an unknown mode is a usage error that writes nothing.
    @Test func theLowMemoryProverMakesAProofThatVerifies() throws {
        let audit = try Self.audit.get()
        let commitment = ["--commitment", "scorer_digest=\(audit.digest)"]
        let folder = try Support.temporaryFolder()
        let proof = folder.appendingPathComponent("recomputed.zkproof").path
        let arguments = ["prove", Self.policy, "--model", Self.fairModel, "--data", Self.data,
                         "--salt-file", audit.saltFile, "--security", "conjectured-100", "-o", proof] + commitment
        let prove = try Support.run(arguments + ["--extensions", "recomputed"])
        #expect(prove.status == 0, "\(prove.stderr)")
        let verified = try Self.verify(proof, commitment)
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("ACCEPTED"))

        let other = folder.appendingPathComponent("unknown.zkproof").path
        let unknown = try Support.run(Array(arguments.dropLast(4)) + ["-o", other] + commitment + ["--extensions", "some"])
        #expect(unknown.status != 0 && unknown.status != 3)
        #expect(unknown.stderr.contains("--extensions"))
        #expect(!FileManager.default.fileExists(atPath: other))
    }

    /// `compile --emit cs` is deterministic and gives the key the proof was made for.
    @Test func emittedConstraintSystemMatchesTheProof() throws {
        let audit = try Self.audit.get()
        let statement = try ProofBundle(decoding: try ProofFile.contents(path: audit.proof)).statement
        var outputs: [Data] = []
        for i in 0..<2 {
            let file = audit.folder.appendingPathComponent("cs\(i).bin")
            let run = try Support.run(["compile", Self.policy, "--model", Self.fairModel, "--data", Self.data,
                                       "--emit", "cs", "--security", "conjectured-100", "-o", file.path])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("verifying key: \(ProofDescription.hex(statement.verifyingKeyDigest))"))
            outputs.append(try Data(contentsOf: file))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].suffix(32) == Data(statement.verifyingKeyDigest))
    }

    @Test func committingAgainReusesTheSalt() throws {
        let audit = try Self.audit.get()
        let again = try Support.run(["commit", Self.policy, "--model", Self.fairModel, "--data", Self.data,
                                     "--salt-file", audit.saltFile])
        #expect(again.status == 0)
        #expect(Self.digest(of: "scorer", in: again.stdout) == audit.digest)
        // Another salt file, another salt: the digest hides the weights.
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fresh = try Support.run(["commit", Self.policy, "--model", Self.fairModel, "--data", Self.data,
                                     "--salt-file", folder.appendingPathComponent("s.json").path])
        #expect(fresh.status == 0)
        #expect(Self.digest(of: "scorer", in: fresh.stdout) != audit.digest)
    }

    @Test func biasedModelIsRefusedAndNothingIsWritten() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let salts = folder.appendingPathComponent("salts.json").path
        let commit = try Support.run(["commit", Self.policy, "--model", Self.biasedModel, "--data", Self.data, "--salt-file", salts])
        let digest = try #require(Self.digest(of: "scorer", in: commit.stdout))
        let proof = folder.appendingPathComponent("biased.zkproof").path
        let run = try Support.run(["prove", Self.policy, "--model", Self.biasedModel, "--data", Self.data, "--salt-file", salts,
                                   "--commitment", "scorer_digest=\(digest)", "-o", proof])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("rule four_fifths violated: fairness.impact_ratio = "))
        #expect(run.stderr.contains("must be >= 80% (min_impact_ratio)"))
        #expect(run.stderr.contains("rule approval_parity violated"))
        #expect(!run.stderr.contains("rule model_is_registered violated"))
        #expect(!FileManager.default.fileExists(atPath: proof))
    }

    @Test func inputErrorsExitWithOneAndWriteNothing() throws {
        let audit = try Self.audit.get()
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let proof = folder.appendingPathComponent("p.zkproof").path
        // A bad CSV row: file, line, column and reason.
        var lines = try String(contentsOfFile: Support.url(Self.data).path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[3] = lines[3].replacingOccurrences(of: ",female,", with: ",other,").replacingOccurrences(of: ",male,", with: ",other,")
        let bad = folder.appendingPathComponent("bad.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: bad, atomically: true, encoding: .utf8)
        let run = try Support.run(["prove", Self.policy, "--model", Self.fairModel, "--data", bad.path, "--salt-file", audit.saltFile,
                                   "--commitment", "scorer_digest=\(audit.digest)", "-o", proof])
        #expect(run.status == 1)
        #expect(run.stderr.contains("bad.csv:4:"), "\(run.stderr)")
        #expect(run.stderr.contains("column `group`"), "\(run.stderr)")
        // A missing published commitment, an unknown parameter, a malformed value.
        for extra in [[String](), ["--commitment", "scorer_digest=\(audit.digest)", "--param", "max_gap=5%"],
                      ["--commitment", "scorer_digest=\(audit.digest)", "--param", "max_parity_gap=150%"]] {
            let r = try Support.run(["prove", Self.policy, "--model", Self.fairModel, "--data", Self.data,
                                     "--salt-file", audit.saltFile, "-o", proof] + extra)
            #expect(r.status == 1, "\(extra): \(r.stderr)")
            if extra.last == "max_parity_gap=150%" {
                // Shown in the parameter's own unit.
                #expect(r.stderr.contains("150% is outside the parameter's domain 0%..100%"), "\(r.stderr)")
            }
            #expect(r.stderr.contains("\nerror: ") || r.stderr.hasPrefix("error: "), "\(extra): \(r.stderr)")
        }
        // No salt file: the commitment cannot be decided, which is not a violation.
        let unsalted = try Support.run(["prove", Self.policy, "--model", Self.fairModel, "--data", Self.data,
                                        "--commitment", "scorer_digest=\(audit.digest)", "-o", proof])
        #expect(unsalted.status == 1)
        #expect(unsalted.stderr.contains("give the salt file of `zkpolicyc commit` (--salt-file)"), "\(unsalted.stderr)")
        #expect(!FileManager.default.fileExists(atPath: proof))
    }

    @Test func aWrongCommitmentIsAViolatedRule() throws {
        let audit = try Self.audit.get()
        let proof = audit.folder.appendingPathComponent("wrong-commitment.zkproof").path
        let other = String(repeating: "1", count: 64)
        let run = try Support.run(["prove", Self.policy, "--model", Self.fairModel, "--data", Self.data,
                                   "--salt-file", audit.saltFile, "--commitment", "scorer_digest=\(other)", "-o", proof])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("model_is_registered"))
        #expect(!FileManager.default.fileExists(atPath: proof))
    }

    @Test(arguments: [
        // Another policy (its digest differs).
        (["--policy-override", "Policies/credit/equal-opportunity.zkp"], "another policy"),
        // Another published commitment.
        (["--commitment", "scorer_digest=" + String(repeating: "ab", count: 32)], "commitment scorer_digest"),
        // Proven with the policy's 10%; the regulator requires 5%.
        (["--param", "max_parity_gap=5%"], "parameter max_parity_gap"),
    ])
    func rejectedStatements(_ extra: [String], reason: String) throws {
        let audit = try Self.audit.get()
        var policy = Self.policy
        var options = extra
        if options.first == "--policy-override" { policy = options[1]; options = [] }
        let run = try Self.verify(audit.proof, policy: policy, options)
        #expect(run.status == 4, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("REJECTED: "))
        #expect(run.stdout.contains(reason), "\(run.stdout)")
    }

    /// A proof whose file was changed: a raw flipped byte (the checksum), and
    /// changes re-encoded with a valid checksum, so that the binding of the
    /// statement to the STARK proof is what rejects them.
    @Test(arguments: Tamper.allCases)
    func tamperedProofsAreRejected(_ tamper: Tamper) throws {
        let audit = try Self.audit.get()
        let original = try ProofFile.contents(path: audit.proof)
        let bytes: [UInt8]
        if case .rawByte(let fraction) = tamper {
            var b = original
            b[Int(Double(b.count - 1) * fraction)] ^= 0x01
            bytes = b
        } else {
            var bundle = try ProofBundle(decoding: original)
            tamper.apply(&bundle)
            bytes = bundle.encoded()
        }
        #expect(bytes != original)
        let path = audit.folder.appendingPathComponent("tampered-\(UUID().uuidString).zkproof").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        // The changed digest is not compared with a published one: the STARK proof must reject it.
        let options = tamper == .modelDigest ? [] : ["--commitment", "scorer_digest=\(audit.digest)"]
        let run = try Self.verify(path, options)
        #expect(run.status == 4, "\(tamper): \(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("REJECTED: "))
    }

    /// The verifying-key cache: the first verification recompiles the circuit
    /// and stores its key, the next reads it; both accept, and a proof bound
    /// to another digest is still rejected with the cached key. A damaged
    /// entry is ignored with a warning and rewritten; `--no-key-cache`
    /// neither reads nor writes.
    @Test func theKeyCacheIsUsedAndSurvivesDamage() throws {
        let audit = try Self.audit.get()
        let cache = try Support.temporaryFolder().appendingPathComponent("keys")
        let flags = ["--commitment", "scorer_digest=\(audit.digest)", "--key-cache", cache.path]
        let first = try Self.verify(audit.proof, flags)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("key cached at"), "\(first.stdout)")
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache.path)
        #expect(entries.count == 1 && entries.allSatisfy { $0.hasSuffix(".zkvk") })
        let entry = cache.appendingPathComponent(try #require(entries.first))

        let second = try Self.verify(audit.proof, flags)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.hasPrefix("ACCEPTED"))
        #expect(second.stdout.contains("verifying key from the cache"), "\(second.stdout)")
        let json = try Self.verify(audit.proof, flags + ["--json"])
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["verifyingKey"] as? [String: Any])?["source"] as? String == "cache")

        // The cached key checks the public outputs: a proof whose model digest
        // was changed (and not compared with a published one) is rejected.
        var bundle = try ProofBundle(decoding: try ProofFile.contents(path: audit.proof))
        Tamper.modelDigest.apply(&bundle)
        let tampered = audit.folder.appendingPathComponent("tampered-\(UUID().uuidString).zkproof").path
        try Data(bundle.encoded()).write(to: URL(fileURLWithPath: tampered))
        let rejected = try Self.verify(tampered, ["--key-cache", cache.path])
        #expect(rejected.status == 4, "\(rejected.stdout)\(rejected.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).count == 1)

        // A damaged entry: a warning, a recompilation, the same verdict, and a good entry again.
        var bytes = try Data(contentsOf: entry)
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: entry)
        let damaged = try Self.verify(audit.proof, flags)
        #expect(damaged.status == 0, "\(damaged.stdout)\(damaged.stderr)")
        #expect(damaged.stderr.contains("warning: key cache: the cached key is not used"), "\(damaged.stderr)")
        #expect(damaged.stdout.contains("key cached at"), "\(damaged.stdout)")
        let repaired = try Self.verify(audit.proof, flags)
        #expect(repaired.stdout.contains("verifying key from the cache"), "\(repaired.stdout)")

        // A folder that cannot be created: a warning, and the verdict all the same.
        let file = audit.folder.appendingPathComponent("not-a-folder-\(UUID().uuidString)")
        #expect(FileManager.default.createFile(atPath: file.path, contents: Data()))
        let unwritable = try Self.verify(audit.proof, ["--key-cache", file.appendingPathComponent("keys").path])
        #expect(unwritable.status == 0, "\(unwritable.stdout)\(unwritable.stderr)")
        #expect(unwritable.stderr.contains("warning: key cache: the key is not cached"), "\(unwritable.stderr)")

        // --no-key-cache recompiles and writes nothing.
        let elsewhere = try Support.temporaryFolder().appendingPathComponent("keys")
        let none = try Self.verify(audit.proof, ["--key-cache", elsewhere.path, "--no-key-cache"])
        #expect(none.status == 0, "\(none.stdout)\(none.stderr)")
        #expect(none.stdout.contains("recompiled the circuit in") && !none.stdout.contains("cache"), "\(none.stdout)")
        #expect(!FileManager.default.fileExists(atPath: elsewhere.path))
    }

    /// The row counts a verifier recompiles for come from the proof: a proof
    /// that claims far more rows than it was made for is refused at once
    /// (found by fuzzing: it kept `verify` busy for minutes and used GBs), and
    /// so is an honest proof above `--max-rows`, which names the value to pass.
    @Test func rowsAboveTheLimitAreNotRecompiled() throws {
        let audit = try Self.audit.get()
        let rows = try ProofBundle(decoding: try ProofFile.contents(path: audit.proof)).statement.tables[0].rows
        let flags = ["--commitment", "scorer_digest=\(audit.digest)", "--no-key-cache"]
        let below = try Self.verify(audit.proof, flags + ["--max-rows", "\(rows - 1)"])
        #expect(below.status == 1, "\(below.stdout)\(below.stderr)")
        #expect(below.stderr.contains("pass --max-rows \(rows) to verify it"), "\(below.stderr)")
        let at = try Self.verify(audit.proof, flags + ["--max-rows", "\(rows)"])
        #expect(at.status == 0, "\(at.stdout)\(at.stderr)")

        var bundle = try ProofBundle(decoding: try ProofFile.contents(path: audit.proof))
        bundle.statement.tables[0].rows = 16_000_000
        let claimed = audit.folder.appendingPathComponent("claimed-rows-\(UUID().uuidString).zkproof").path
        try Data(bundle.encoded()).write(to: URL(fileURLWithPath: claimed))
        let refused = try Self.verify(claimed, flags)
        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("16000000 rows of table"), "\(refused.stderr)")
        let negative = try Self.verify(audit.proof, flags + ["--max-rows", "-1"])
        #expect(negative.status != 0 && negative.stderr.contains("--max-rows"), "\(negative.stderr)")
    }

    /// A bundle holding a STARK proof of an older format is rejected with the
    /// decoder's reason, before the circuit is recompiled.
    @Test func anOlderStarkProofVersionIsRejectedByName() throws {
        let audit = try Self.audit.get()
        var bundle = try ProofBundle(decoding: try ProofFile.contents(path: audit.proof))
        bundle.starkProof[4] = 2
        let path = audit.folder.appendingPathComponent("old-version-\(UUID().uuidString).zkproof").path
        try Data(bundle.encoded()).write(to: URL(fileURLWithPath: path))
        let run = try Self.verify(path, ["--commitment", "scorer_digest=\(audit.digest)"])
        #expect(run.status == 4, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("unsupported proof version 2"), "\(run.stdout)")
        #expect(!run.stderr.contains("recompiling"), "\(run.stderr)")
    }

    enum Tamper: CaseIterable, Equatable, Sendable, CustomTestStringConvertible {
        case rawByte(Double)
        case starkByte(Double)
        case rowCount, quantizationError, modelDigest, verifyingKey, securityPreset

        static let allCases: [Tamper] = [.rawByte(0), .rawByte(0.3), .rawByte(0.999), .starkByte(0.01), .starkByte(0.5),
                                         .starkByte(0.98), .rowCount, .quantizationError, .modelDigest, .verifyingKey,
                                         .securityPreset]

        var testDescription: String { "\(self)" }

        func apply(_ bundle: inout ProofBundle) {
            switch self {
            case .rawByte: break
            case .starkByte(let fraction):
                bundle.starkProof[Int(Double(bundle.starkProof.count - 1) * fraction)] ^= 0x80
            case .rowCount:
                bundle.statement.tables[0].rows += 1
            case .quantizationError:
                // Not a public input: bound by the transcript context alone.
                bundle.statement.models[0].maxAbsoluteError = "0"
            case .modelDigest:
                let index = bundle.statement.commitments.firstIndex { $0.name == "commit(scorer)" }
                    ?? bundle.statement.commitments.indices.last!
                var hex = Array(bundle.statement.commitments[index].hex)
                hex[0] = hex[0] == "0" ? "1" : "0"
                bundle.statement.commitments[index].hex = String(hex)
            case .verifyingKey:
                bundle.statement.verifyingKeyDigest[0] ^= 1
            case .securityPreset:
                bundle.statement.security.preset = "proven-100"
            }
        }
    }

    @Test func concurrentRunsDoNotInterfere() throws {
        let folders = try (0..<2).map { _ in try Support.temporaryFolder() }
        defer { for f in folders { try? FileManager.default.removeItem(at: f) } }
        let params = [["max_parity_gap=20%"], ["max_parity_gap=15%"]]
        let audits = try DispatchQueue.concurrentMapThrowing(0..<2) { i in try Self.makeAudit(folder: folders[i], params: params[i]) }
        for (i, audit) in audits.enumerated() {
            let own = try Self.verify(audit.proof, ["--param", params[i][0], "--commitment", "scorer_digest=\(audit.digest)"])
            #expect(own.status == 0, "\(own.stdout)")
            let other = try Self.verify(audit.proof, ["--param", params[1 - i][0]])
            #expect(other.status == 4)
        }
        #expect(audits[0].digest != audits[1].digest)
    }

    @Test func aKilledProverLeavesThePreviousFileIntact() throws {
        let audit = try Self.audit.get()
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let proof = folder.appendingPathComponent("audit.zkproof")
        let previous = Data("a previous proof".utf8)
        try previous.write(to: proof)
        let process = Process()
        process.executableURL = Support.binary
        process.arguments = ["prove", Self.policy, "--model", Self.fairModel, "--data", Self.data, "--salt-file", audit.saltFile,
                             "--commitment", "scorer_digest=\(audit.digest)", "--security", "conjectured-100", "-o", proof.path]
        process.currentDirectoryURL = Support.repository
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        // Kill it once it is proving (its progress reaches standard error).
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("laying out") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(try Data(contentsOf: proof) == previous)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(left == ["audit.zkproof"], "\(left)")
    }
}

extension DispatchQueue {
    /// Runs `body` for each index on its own thread and returns the results in order.
    static func concurrentMapThrowing<T: Sendable>(_ range: Range<Int>, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        let results = ResultBox<T>(count: range.count)
        DispatchQueue.concurrentPerform(iterations: range.count) { i in
            results.set(i, Result { try body(range.lowerBound + i) })
        }
        return try results.values.map { try $0!.get() }
    }
}

final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<T, Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: Result<T, Error>) { lock.lock(); values[i] = value; lock.unlock() }
}
