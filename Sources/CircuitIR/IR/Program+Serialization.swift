import Field

/// A compact, versioned, little-endian binary form of a program, byte-for-byte
/// deterministic. Layout (u32/u64 little-endian, strings as u32 length + UTF-8):
///
/// ```
/// "ZKCIR\0" u32 version
/// string name
/// u64 count, u64 constants…
/// u32 count, strings…
/// u32 count, tables: name, u32 width, column names…, u32 key columns,
///                    u8 kind (0 range: u32 bits | 1 rows: u64 count, u64 elements…)
/// u32 count, custom hint names…
/// u32 count, origins (excluding entry 0): label, u8 has-location
///                    (string file, u32 line, u32 column), u32 parent
/// u32 instructions, u8 opcodes…, u32 origins…, u32 operand starts (n+1)…,
///                    u32 result starts (n+1)…, u32 operands…
/// ```
/// Custom hint closures are not serialised, only their names; `init(serialized:hints:)`
/// takes the closures back by name.
extension Program {
    public static let serializationVersion: UInt32 = 1
    static let magic: [UInt8] = Array("ZKCIR".utf8) + [0]

    public func serialized() -> [UInt8] {
        var w = ByteWriter()
        w.bytes(Program.magic)
        w.u32(Program.serializationVersion)
        w.string(name)
        w.u64(UInt64(constants.count))
        for c in constants { w.u64(c.value) }
        w.u32(UInt32(strings.count))
        for s in strings { w.string(s) }
        w.u32(UInt32(tables.count))
        for t in tables {
            w.string(t.name)
            w.u32(UInt32(t.width))
            for c in t.columnNames { w.string(c) }
            w.u32(UInt32(t.keyColumns))
            switch t.contents {
            case .range(let bits):
                w.u8(0)
                w.u32(UInt32(bits))
            case .rows(let rows):
                w.u8(1)
                w.u64(UInt64(rows.count))
                for x in rows { w.u64(x.value) }
            }
        }
        w.u32(UInt32(customHints.count))
        for h in customHints { w.string(h.name) }
        w.u32(UInt32(originTable.count))
        for entry in originTable.entries.dropFirst() {
            w.string(entry.origin.label)
            if let l = entry.origin.location {
                w.u8(1)
                w.string(l.file)
                w.u32(UInt32(truncatingIfNeeded: l.line))
                w.u32(UInt32(truncatingIfNeeded: l.column))
            } else {
                w.u8(0)
            }
            w.u32(entry.parent.raw)
        }
        w.u32(UInt32(instructionCount))
        w.bytes(opcodes.map(\.rawValue))
        for o in origins { w.u32(o.raw) }
        for s in operandStart { w.u32(s) }
        for s in resultStart { w.u32(s) }
        for x in operands { w.u32(x) }
        return w.data
    }

    /// Reads a serialised program; `hints` supplies the closures of its custom
    /// hints by name. Malformed input throws `CircuitError` (kind `malformed`), never traps.
    public init(serialized data: [UInt8], hints: [String: HintFunction] = [:]) throws {
        var r = ByteReader(data)
        guard try r.bytes(Program.magic.count) == Program.magic else { throw r.error("not a zkpolicyc circuit") }
        let version = try r.u32()
        guard version == Program.serializationVersion else { throw r.error("unsupported version \(version)") }
        self.init(name: try r.string())
        let constantCount = try r.count(u64: r.u64(), elementSize: 8)
        constants = try (0..<constantCount).map { _ in
            let v = try r.u64()
            guard v < Goldilocks.modulus else { throw r.error("non-canonical constant") }
            return Goldilocks(canonical: v)
        }
        strings = try (0..<r.count(u64: UInt64(r.u32()), elementSize: 4)).map { _ in try r.string() }
        for _ in 0..<(try r.count(u64: UInt64(r.u32()), elementSize: 13)) {
            let name = try r.string()
            let width = try r.count(u64: UInt64(r.u32()), elementSize: 4)
            let columns = try (0..<width).map { _ in try r.string() }
            let keys = Int(try r.u32())
            let table: LookupTable
            switch try r.u8() {
            case 0:
                let bits = Int(try r.u32())
                guard (1...24).contains(bits), width == 1, keys == 1 else { throw r.error("bad range table \(name)") }
                table = LookupTable(uncheckedName: name, columnNames: columns, keyColumns: 1, contents: .range(bits: bits))
            case 1:
                let count = try r.count(u64: r.u64(), elementSize: 8)
                let rows = try (0..<count).map { _ in
                    let v = try r.u64()
                    guard v < Goldilocks.modulus else { throw r.error("non-canonical table entry") }
                    return Goldilocks(canonical: v)
                }
                table = try LookupTable(name: name, columnNames: columns, keyColumns: keys, rows: rows)
            default:
                throw r.error("unknown table kind")
            }
            tables.append(table)
        }
        for _ in 0..<(try r.count(u64: UInt64(r.u32()), elementSize: 4)) {
            let name = try r.string()
            guard let f = hints[name] else { throw r.error("the custom hint \"\(name)\" was not supplied") }
            customHints.append(CustomHint(name: name, compute: f))
        }
        let originCount = try r.count(u64: UInt64(r.u32()), elementSize: 9)
        for k in stride(from: 1, through: originCount, by: 1) {
            let label = try r.string()
            var location: OriginLocation?
            switch try r.u8() {
            case 0: location = nil
            case 1: location = OriginLocation(file: try r.string(), line: Int(try r.u32()), column: Int(try r.u32()))
            default: throw r.error("bad origin")
            }
            let parent = try r.u32()
            guard parent < k else { throw r.error("origin parent out of order") }
            let id = originTable.intern(Origin(label, at: location), parent: OriginID(raw: parent))
            guard id.raw == UInt32(k) else { throw r.error("repeated origin") }
        }
        let n = try r.count(u64: UInt64(r.u32()), elementSize: 13)
        opcodes = try r.bytes(n).map {
            guard let op = Opcode(rawValue: $0) else { throw r.error("unknown opcode \($0)") }
            return op
        }
        origins = try (0..<n).map { _ in OriginID(raw: try r.u32()) }
        operandStart = try (0...n).map { _ in try r.u32() }
        resultStart = try (0...n).map { _ in try r.u32() }
        guard let last = operandStart.last, operandStart.first == 0 else { throw r.error("bad operand offsets") }
        operands = try (0..<r.count(u64: UInt64(last), elementSize: 4)).map { _ in try r.u32() }
        guard r.atEnd else { throw r.error("trailing bytes") }
        try validate()
    }
}

struct ByteWriter {
    var data: [UInt8] = []
    mutating func u8(_ x: UInt8) { data.append(x) }
    mutating func u32(_ x: UInt32) { withUnsafeBytes(of: x.littleEndian) { data.append(contentsOf: $0) } }
    mutating func u64(_ x: UInt64) { withUnsafeBytes(of: x.littleEndian) { data.append(contentsOf: $0) } }
    mutating func bytes(_ b: [UInt8]) { data.append(contentsOf: b) }
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        u32(UInt32(utf8.count))
        bytes(utf8)
    }
}

struct ByteReader {
    let data: [UInt8]
    var offset = 0
    init(_ data: [UInt8]) { self.data = data }

    var atEnd: Bool { offset == data.count }

    func error(_ message: String) -> CircuitError { CircuitError(.malformed, "\(message) at byte \(offset)") }

    mutating func bytes(_ n: Int) throws -> [UInt8] {
        guard n >= 0, n <= data.count - offset else { throw error("truncated") }
        defer { offset += n }
        return Array(data[offset..<(offset + n)])
    }

    mutating func u8() throws -> UInt8 { try bytes(1)[0] }

    mutating func u32() throws -> UInt32 {
        try bytes(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func u64() throws -> UInt64 {
        try bytes(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func string() throws -> String {
        let n = Int(try u32())
        guard let s = String(validating: try bytes(n), as: UTF8.self) else { throw error("invalid UTF-8") }
        return s
    }

    /// A count read from the input, refused if the remaining bytes could not
    /// hold that many elements of at least `elementSize` bytes (so a forged
    /// count cannot make us allocate gigabytes).
    func count(u64 n: UInt64, elementSize: Int) throws -> Int {
        guard n <= UInt64(data.count - offset) / UInt64(elementSize) else { throw error("count \(n) exceeds the data") }
        return Int(n)
    }
}

extension Program {
    /// The Poseidon2 digest of the serialised form (bytes packed 7 to a field
    /// element, little-endian): equal for byte-identical programs, so two
    /// compilations can be compared by one short string.
    public var contentDigest: Poseidon2Digest {
        let bytes = serialized()
        var elements: [Goldilocks] = [Goldilocks(UInt64(bytes.count))]
        elements.reserveCapacity(bytes.count / 7 + 2)
        var start = 0
        while start < bytes.count {
            var x: UInt64 = 0
            for (k, byte) in bytes[start..<Swift.min(start + 7, bytes.count)].enumerated() { x |= UInt64(byte) << (8 * UInt64(k)) }
            elements.append(Goldilocks(x))
            start += 7
        }
        return Poseidon2Sponge.hash(elements)
    }
}
