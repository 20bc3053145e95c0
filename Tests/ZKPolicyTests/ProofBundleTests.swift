import Foundation
import Testing
@testable import ZKPolicy

@Suite struct ProofBundleTests {
    static func sampleStatement() -> Statement {
        Statement(
            policyName: "Fair lending", policyVersion: "1.0", policyDigest: Array(repeating: 7, count: 32),
            tables: [.init(name: "applicants", rows: 1000)],
            models: [.init(name: "scorer", architectureCard: [1, 2, 3, 4], summary: "gemm 20x64, relu",
                           maxAbsoluteError: "0.0012", meanAbsoluteError: "0.0003", differingDecisions: 1,
                           comparedRows: 1000)],
            params: [.init(name: "max_gap", value: "1/20", display: "5%")],
            commitments: [.init(name: "scorer_digest", hex: String(repeating: "ab", count: 32))],
            verdicts: [.init(rule: "four_fifths", holds: true), .init(rule: "approval_gap", holds: true)],
            security: .init(preset: "proven-100", conjecturedBits: 130, provenUniqueDecodingBits: 100, provenJohnsonBits: 110),
            verifyingKeyDigest: Array(repeating: 9, count: 32))
    }

    static func sampleBundle() -> ProofBundle {
        ProofBundle(statement: sampleStatement(),
                    report: ProverReport(toolVersion: "0.1.0", proveMilliseconds: 1234, totalMilliseconds: 2345,
                                         traceRows: 1 << 16, traceColumns: 24),
                    starkProof: (0 ..< 300).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    }

    @Test func roundTrips() throws {
        let bundle = Self.sampleBundle()
        let bytes = bundle.encoded()
        #expect(try ProofBundle(decoding: bytes) == bundle)
        #expect(bundle.encoded() == bytes, "encoding is deterministic")
    }

    @Test func everyFlippedByteIsRejected() {
        let bytes = Self.sampleBundle().encoded()
        for i in bytes.indices {
            var tampered = bytes
            tampered[i] ^= 0x01
            #expect(throws: ProofBundleError.self) { try ProofBundle(decoding: tampered) }
        }
    }

    @Test func truncationsAndGarbageAreRejected() {
        let bytes = Self.sampleBundle().encoded()
        for length in stride(from: 0, to: bytes.count, by: 7) {
            #expect(throws: ProofBundleError.self) { try ProofBundle(decoding: Array(bytes.prefix(length))) }
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0 ..< 500 {
            let garbage = ProofBundle.magic + (0 ..< Int.random(in: 0 ... 200, using: &rng)).map { _ in
                UInt8.random(in: 0 ... 255, using: &rng)
            }
            #expect(throws: ProofBundleError.self) { try ProofBundle(decoding: garbage) }
        }
    }

    static func sampleBundleInParts() -> ProofBundle {
        var bundle = sampleBundle()
        bundle.statement.parts = (0 ..< 3).map { p in
            Statement.Part(tables: [.init(name: "applicants", rows: 333 + (p == 2 ? 1 : 0))],
                           commitment: String(repeating: "0\(p)", count: 32), verifyingKeyDigest: Array(repeating: UInt8(p), count: 32))
        }
        bundle.partProofs = (0 ..< 3).map { p in (0 ..< 50).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ p) } }
        return bundle
    }

    /// A proof in parts is format 2, round-trips, and refuses a count of
    /// part proofs other than the statement's, fewer than two parts, or
    /// parts under format 1.
    @Test func proofsInPartsRoundTripAndAgreeWithTheirStatement() throws {
        let bundle = Self.sampleBundleInParts()
        let bytes = bundle.encoded()
        #expect(bytes[8] == 2 && Self.sampleBundle().encoded()[8] == 1)
        #expect(try ProofBundle(decoding: bytes) == bundle)
        var fewer = bundle
        fewer.partProofs.removeLast()
        #expect(throws: ProofBundleError.self) { try ProofBundle(decoding: fewer.encoded()) }
        var one = bundle
        one.statement.parts = [one.statement.parts[0]]
        one.partProofs = [one.partProofs[0]]
        #expect(throws: ProofBundleError.self) { try ProofBundle(decoding: one.encoded()) }
        var unproven = bundle
        unproven.partProofs = []
        #expect(throws: ProofBundleError.self) { try ProofBundle(decoding: unproven.encoded()) }
        for length in stride(from: 0, to: bytes.count, by: 11) {
            #expect(throws: ProofBundleError.self) { try ProofBundle(decoding: Array(bytes.prefix(length))) }
        }
        // The parts are part of the statement the combining proof is bound to.
        var moved = bundle.statement
        moved.parts[0].tables[0].rows += 1
        #expect(ProofBundle.transcriptContext(for: moved) != ProofBundle.transcriptContext(for: bundle.statement))
        #expect(ProofBundle.partTranscriptContext(policyDigest: [1], index: 0, count: 3)
                != ProofBundle.partTranscriptContext(policyDigest: [1], index: 1, count: 3))
    }

    @Test func contextDependsOnEveryPartOfTheStatement() {
        let base = Self.sampleStatement()
        var changed = [Statement]()
        var s = base; s.params[0].value = "1/10"; changed.append(s)
        s = base; s.verdicts[1].holds = false; changed.append(s)
        s = base; s.tables[0].rows = 999; changed.append(s)
        s = base; s.models[0].architectureCard = [1, 2, 3, 5]; changed.append(s)
        s = base; s.commitments[0].hex = String(repeating: "cd", count: 32); changed.append(s)
        let context = ProofBundle.transcriptContext(for: base)
        for other in changed {
            #expect(ProofBundle.transcriptContext(for: other) != context)
        }
    }
}

@Suite struct ProofDescriptionTests {
    @Test func textNamesEveryPartOfTheStatement() {
        let bundle = ProofBundleTests.sampleBundle()
        let text = ProofDescription.text(bundle, fileSize: 4321)
        for needle in ["Fair lending", "four_fifths", "approval_gap", "max_gap = 5%", "scorer_digest",
                       "applicants: 1000 rows", "gemm 20x64", "100 bits proven", "110 bits proven",
                       "130 bits conjectured", "4321 bytes", "not part of the proven statement"] {
            #expect(text.contains(needle), "missing \(needle)")
        }
    }

    @Test func jsonIsValidAndStable() throws {
        let bundle = ProofBundleTests.sampleBundle()
        let json = ProofDescription.json(bundle, fileSize: 10)
        #expect(json == ProofDescription.json(bundle, fileSize: 10))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let security = try #require(object["security"] as? [String: Any])
        #expect(security["provenUniqueDecodingBits"] as? Int == 100)
        #expect((object["verdicts"] as? [[String: Any]])?.count == 2)
    }
}
