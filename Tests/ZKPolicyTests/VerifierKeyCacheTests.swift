import ByteCoding
import CircuitIR
import Foundation
import Stark
import Testing
@testable import ZKPolicy

/// The key cache's naming and its encoding of the statement's segments
/// (the end-to-end tests store, read, damage and rebuild real entries).
@Suite struct VerifierKeyCacheTests {
    static let cache = VerifierKeyCache(directory: "/tmp/keys", toolIdentity: "build A")
    static let base = (digest: [UInt8](repeating: 1, count: 32), preset: SecurityPreset.proven100,
                       cards: ["scorer": [UInt8]([1, 2, 3])], rows: ["applicants": 1000])

    static func name(_ cache: VerifierKeyCache = cache, digest: [UInt8] = base.digest, preset: SecurityPreset = base.preset,
                     cards: [String: [UInt8]] = base.cards, rows: [String: Int] = base.rows) -> Digest {
        cache.fingerprint(policyDigest: digest, preset: preset, cards: cards, rowCounts: rows)
    }

    /// Everything the circuit depends on changes the entry's name; the same
    /// inputs give the same name.
    @Test func theNameCoversWhatTheCircuitDependsOn() {
        let reference = Self.name()
        #expect(Self.name() == reference)
        let others = [
            Self.name(VerifierKeyCache(directory: "/tmp/keys", toolIdentity: "build B")),
            Self.name(digest: [UInt8](repeating: 2, count: 32)),
            Self.name(preset: .conjectured100),
            Self.name(cards: ["scorer": [1, 2, 4]]),
            Self.name(cards: ["other": [1, 2, 3]]),
            Self.name(cards: ["scorer": [1, 2, 3], "second": [9]]),
            Self.name(rows: ["applicants": 1001]),
            Self.name(rows: ["applicants": 1000, "more": 1]),
        ]
        #expect(Set(others).count == others.count)
        #expect(!others.contains(reference))
        #expect(Self.cache.path(of: reference) == "/tmp/keys/\(reference.hex).zkvk")
    }

    @Test func theDefaultFolderFollowsTheEnvironment() {
        #expect(VerifierKeyCache.defaultDirectory(environment: ["ZKPOLICYC_CACHE_DIR": "/a", "XDG_CACHE_HOME": "/b", "HOME": "/c"]) == "/a")
        #expect(VerifierKeyCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "/b", "HOME": "/c"]) == "/b/zkpolicyc/keys")
        #expect(VerifierKeyCache.defaultDirectory(environment: ["HOME": "/c"]) == "/c/.cache/zkpolicyc/keys")
        #expect(VerifierKeyCache.defaultDirectory(environment: [:]) == nil)
    }

    @Test func segmentsRoundTrip() throws {
        let segments: [PolicyInterface.Segment] = [
            .rowCount(table: "applicants"), .param("max_gap"), .commitment("scorer_digest"), .table("t"), .model("m"),
            .salt(.model("m")), .salt(.table("t")), .digest(.model("scorer")), .digest(.table("applicants")), .verdict("four_fifths"),
        ]
        var w = ByteWriter()
        VerifierKeyCache.write(segments, to: &w)
        var r = ByteReader(w.bytes)
        #expect(try VerifierKeyCache.segments(&r) == segments)
        #expect(r.isAtEnd)
        var bad = w.bytes
        bad[1] = 99  // the first segment's tag
        var badReader = ByteReader(bad)
        #expect(throws: ByteCodingError.self) { try VerifierKeyCache.segments(&badReader) }
    }

    /// Pruning keeps the most recently used entries and leaves other files alone.
    @Test func pruningKeepsTheNewestEntries() throws {
        let folder = try Support.temporaryFolder()
        let cache = VerifierKeyCache(directory: folder.path, toolIdentity: "test")
        let count = VerifierKeyCache.keptEntries + 3
        for k in 0 ..< count {
            let path = folder.appendingPathComponent("entry-\(k).zkvk").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data([UInt8(k)])))
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: Double(1_000_000 + k))], ofItemAtPath: path)
        }
        #expect(FileManager.default.createFile(atPath: folder.appendingPathComponent("notes.txt").path, contents: Data()))
        cache.prune()
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(left == Set((3 ..< count).map { "entry-\($0).zkvk" } + ["notes.txt"]))
        #expect(VerifierKeyCache.contents(of: folder.appendingPathComponent("entry-5.zkvk").path) == [5])
        #expect(VerifierKeyCache.contents(of: folder.appendingPathComponent("entry-0.zkvk").path) == nil)
    }

    @Test func aMissingEntryIsAMiss() throws {
        let folder = try Support.temporaryFolder()
        let cache = VerifierKeyCache(directory: folder.path, toolIdentity: "test")
        #expect(try cache.load(Self.name(cache)) == nil)
    }
}
