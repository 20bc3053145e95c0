import ByteCoding
import CircuitIR
import Field
import Foundation
import PolicySemantics
import Stark

/// `zkpolicyc verify`'s cache of verifying keys: the key of a circuit and the
/// public layout of its statement, kept on disk so that the next proof about
/// the same circuit is checked in milliseconds instead of after recompiling
/// the policy (seconds).
///
/// An entry is a memo of a pure function. The circuit, hence the key, depends
/// only on the policy's canonical text (its digest, imports included), the
/// models' architecture cards, the tables' row counts, the security preset and
/// the compiler itself; the entry's name is the SHA-256 of exactly those
/// (`fingerprint`), with the compiler named by `toolIdentity` (the CLI uses
/// the executable's path, size and modification time, so a rebuilt or
/// upgraded zkpolicyc never reads keys of another build). Parameters and
/// commitments are public inputs, not part of the circuit, so they are not in
/// the name: they are checked against every proof as before.
///
/// The folder keeps the 8 most recently used entries (`prune`); deleting it
/// at any time is safe.
///
/// Trust: the cache is the verifier's own output, as trusted as the zkpolicyc
/// binary next to it (docs/security.md, "The verifying-key cache"). Damage is
/// detected (the segments carry a SHA-256 checksum, and the key is checked
/// against its own digest) and treated as a miss.
///
/// Entry format (version 1): `ZKKC`, u16 version, the 32-byte fingerprint,
/// the statement's segments (varint-length-prefixed; for a part circuit of a
/// proof in parts followed by the part's shape, `PartShape`), SHA-256 of the
/// fingerprint and the segment bytes, then the key (`VerifyingKey.encoded()`,
/// which its digest authenticates) to the end of the file.
public struct VerifierKeyCache: Sendable {
    /// The folder of the entries (created when the first entry is stored).
    public var directory: String
    /// Names the compiler build whose keys this cache holds.
    public var toolIdentity: String

    public init(directory: String, toolIdentity: String) {
        self.directory = directory
        self.toolIdentity = toolIdentity
    }

    /// `$ZKPOLICYC_CACHE_DIR`, else `$XDG_CACHE_HOME/zkpolicyc/keys`, else
    /// `$HOME/.cache/zkpolicyc/keys`; nil when none of them is set.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let dir = environment["ZKPOLICYC_CACHE_DIR"], !dir.isEmpty { return dir }
        if let dir = environment["XDG_CACHE_HOME"], !dir.isEmpty { return dir + "/zkpolicyc/keys" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.cache/zkpolicyc/keys" }
        return nil
    }

    /// A cached circuit: its verifying key and the public layout of its statement.
    struct Entry {
        var key: VerifyingKey
        var publicInputs: [PolicyInterface.Segment]
        var publicOutputs: [PolicyInterface.Segment]
        /// A part circuit's shape (what the combining circuit needs of it).
        var part: PartShape? = nil
    }

    /// What determines the circuit, hashed: the entry's name. `part`: a part
    /// circuit of a proof in parts (docs/circuit.md §10) for these row counts.
    func fingerprint(policyDigest: [UInt8], preset: SecurityPreset, cards: [String: [UInt8]], rowCounts: [String: Int],
                     part: Bool = false) -> Digest {
        var w = ByteWriter()
        w.string("zkpolicyc-verifier-key-cache-v1")
        w.string(toolIdentity)
        w.u16(Proof.version)
        w.lengthPrefixed(policyDigest)
        w.string(preset.rawValue)
        // The protocol the preset proves with (its extension), so that an
        // entry made before a preset changed extension is never read for it.
        w.string(Proof.protocolID(extensionDegree: preset.parameters.extensionDegree))
        w.varint(UInt64(cards.count))
        for name in cards.keys.sorted() { w.string(name); w.lengthPrefixed(cards[name]!) }
        w.varint(UInt64(rowCounts.count))
        for name in rowCounts.keys.sorted() { w.string(name); w.varint(UInt64(rowCounts[name]!)) }
        if part { w.string("part") }
        return SHA256.hash(w.bytes)
    }

    func path(of fingerprint: Digest) -> String { directory + "/" + fingerprint.hex + ".zkvk" }

    /// The entry stored under `fingerprint`: nil when there is none; throws
    /// (with the reason) when the file is there but damaged or of another format.
    func load(_ fingerprint: Digest) throws -> Entry? {
        let path = path(of: fingerprint)
        guard let bytes = Self.contents(of: path) else { return nil }
        // Entries are pruned least recently used first (`store`).
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
        var r = ByteReader(bytes)
        do {
            guard try r.raw(4, "magic") == Self.magic, try r.u16("version") == Self.version else {
                throw CacheError("\(path) is not a key-cache entry of this version")
            }
            let stored = try r.raw(32, "fingerprint")
            let segmentBytes = try r.lengthPrefixed("segments")
            let checksum = try r.raw(32, "checksum")
            guard stored == fingerprint.bytes, SHA256.hash(stored + segmentBytes).bytes == checksum else {
                throw CacheError("\(path) is damaged (its checksum does not match)")
            }
            var s = ByteReader(segmentBytes)
            let inputs = try Self.segments(&s), outputs = try Self.segments(&s)
            let part = s.isAtEnd ? nil : try Self.partShape(&s)
            try s.expectEnd("segments")
            let key = try VerifyingKey(decoding: bytes, from: r.offset)
            return Entry(key: key, publicInputs: inputs, publicOutputs: outputs, part: part)
        } catch let error as ByteCodingError {
            throw CacheError("\(path) is damaged: \(error)")
        } catch let error as VerificationError {
            throw CacheError("\(path): \(error)")
        }
    }

    /// Stores an entry atomically (a temporary file renamed into place), so a
    /// concurrent reader sees the whole entry or none.
    func store(_ entry: Entry, as fingerprint: Digest) throws {
        var s = ByteWriter()
        Self.write(entry.publicInputs, to: &s)
        Self.write(entry.publicOutputs, to: &s)
        if let part = entry.part { Self.write(part, to: &s) }
        var w = ByteWriter()
        w.raw(Self.magic)
        w.u16(Self.version)
        w.raw(fingerprint.bytes)
        w.lengthPrefixed(s.bytes)
        w.raw(SHA256.hash(fingerprint.bytes + s.bytes).bytes)
        w.raw(entry.key.encoded())
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(w.bytes).write(to: URL(fileURLWithPath: path(of: fingerprint)), options: .atomic)
        } catch {
            throw CacheError("cannot write \(path(of: fingerprint)): \(error.localizedDescription)")
        }
        prune()
    }

    /// A file's bytes, read straight into the array (an entry is tens of
    /// megabytes: `Data` and a copy would double the time); nil if it cannot be read.
    static func contents(of path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size >= 0 else { return nil }
        let size = Int(info.st_size)
        var complete = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let n = read(fd, buffer.baseAddress! + done, size - done)
                if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else { break }
            }
            complete = done == size
            count = complete ? size : 0
        }
        return complete ? bytes : nil
    }

    /// Keeps the `keptEntries` most recently used entries (by modification
    /// time, which `load` refreshes) and deletes the others: keys of an older
    /// zkpolicyc build or of circuits no longer verified.
    func prune() {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return }
        let entries = names.filter { $0.hasSuffix(".zkvk") }.map { directory + "/" + $0 }
        guard entries.count > Self.keptEntries else { return }
        func modified(_ path: String) -> Date {
            ((try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
        }
        let byAge = entries.map { ($0, modified($0)) }.sorted { $0.1 > $1.1 }
        for (path, _) in byAge.dropFirst(Self.keptEntries) { try? manager.removeItem(atPath: path) }
    }

    /// How many entries `prune` keeps (an entry of the 1,000-applicant credit audit is 22 MB).
    static let keptEntries = 8

    struct CacheError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static let magic = Array("ZKKC".utf8)
    static let version: UInt16 = 1

    static func write(_ segments: [PolicyInterface.Segment], to w: inout ByteWriter) {
        w.varint(UInt64(segments.count))
        for segment in segments {
            switch segment {
            case .rowCount(let table): w.u8(0); w.string(table)
            case .param(let name): w.u8(1); w.string(name)
            case .commitment(let name): w.u8(2); w.string(name)
            case .table(let name): w.u8(3); w.string(name)
            case .model(let name): w.u8(4); w.string(name)
            case .salt(.model(let name)): w.u8(5); w.string(name)
            case .salt(.table(let name)): w.u8(6); w.string(name)
            case .digest(.model(let name)): w.u8(7); w.string(name)
            case .digest(.table(let name)): w.u8(8); w.string(name)
            case .verdict(let rule): w.u8(9); w.string(rule)
            case .partSalt: w.u8(10); w.string("")
            case .partCommitment: w.u8(11); w.string("")
            case .part(let index): w.u8(12); w.string(String(index))
            case .partOpening(let index): w.u8(13); w.string(String(index))
            }
        }
    }

    /// A part's shape without the prover's opened values.
    static func write(_ part: PartShape, to w: inout ByteWriter) {
        w.varint(UInt64(part.rowCounts.count))
        for name in part.rowCounts.keys.sorted() { w.string(name); w.varint(UInt64(part.rowCounts[name]!)) }
        w.varint(UInt64(part.models.count))
        for model in part.models { w.string(model) }
        w.varint(UInt64(part.aggregates.count))
        for a in part.aggregates {
            w.varint(UInt64(a.node)); w.varint(UInt64(a.counts)); w.varint(UInt64(a.values)); w.signedVarint(a.scale)
        }
        w.varint(UInt64(part.bounds.count))
        for b in part.bounds { w.signedVarint(b.lo); w.signedVarint(b.hi) }
    }

    static func partShape(_ r: inout ByteReader) throws -> PartShape {
        var rowCounts: [String: Int] = [:]
        for _ in 0 ..< (try r.count("part tables", minimumSize: 2)) {
            let name = try r.string("table name")
            rowCounts[name] = try r.smallInt("row count")
        }
        let models = try (0 ..< r.count("part models", minimumSize: 1)).map { _ in try r.string("model name") }
        let aggregates = try (0 ..< r.count("part aggregates", minimumSize: 4)).map { _ in
            PartShape.Aggregate(node: try r.smallInt("node"), counts: try r.smallInt("counts"), values: try r.smallInt("values"),
                                scale: try r.signedVarint("scale"))
        }
        let bounds = try (0 ..< r.count("part bounds", minimumSize: 2)).map { _ -> CircuitIR.Interval in
            let lo = try r.signedVarint("bound"), hi = try r.signedVarint("bound")
            guard lo <= hi, lo >= -Goldilocks.halfModulus, hi <= Goldilocks.halfModulus else { throw r.error("an invalid interval") }
            return CircuitIR.Interval(lo, hi)
        }
        return PartShape(rowCounts: rowCounts, models: models, aggregates: aggregates, bounds: bounds)
    }

    static func segments(_ r: inout ByteReader) throws -> [PolicyInterface.Segment] {
        try (0 ..< r.count("segments", minimumSize: 2)).map { _ in
            let tag = try r.u8("segment"), name = try r.string("segment name")
            switch tag {
            case 0: return .rowCount(table: name)
            case 1: return .param(name)
            case 2: return .commitment(name)
            case 3: return .table(name)
            case 4: return .model(name)
            case 5: return .salt(.model(name))
            case 6: return .salt(.table(name))
            case 7: return .digest(.model(name))
            case 8: return .digest(.table(name))
            case 9: return .verdict(name)
            case 10: return .partSalt
            case 11: return .partCommitment
            case 12, 13:
                guard let index = Int(name), index >= 0 else { throw r.error("part segment without its index") }
                return tag == 12 ? .part(index) : .partOpening(index)
            default: throw r.error("unknown segment \(tag)")
            }
        }
    }
}
