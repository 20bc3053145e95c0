/// Deterministic little binary encoding of the architecture card: unsigned
/// LEB128 varints, zigzag for signed integers, length-prefixed UTF-8 strings.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func unsigned(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func signed(_ v: Int64) { unsigned(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }
    mutating func int(_ v: Int) { signed(Int64(v)) }
    mutating func count(_ n: Int) { unsigned(UInt64(n)) }
    mutating func bool(_ b: Bool) { bytes.append(b ? 1 : 0) }

    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        count(utf8.count)
        bytes += utf8
    }

    mutating func ints(_ values: [Int]) {
        count(values.count)
        for v in values { int(v) }
    }

    mutating func int64s(_ values: [Int64]) {
        count(values.count)
        for v in values { signed(v) }
    }
}

/// Reads what `ByteWriter` wrote. Every read checks the remaining length; a
/// count is refused if it promises more elements than bytes remain, so a
/// hostile card can never make the reader allocate much.
struct ByteReader {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position == bytes.count }

    func error(_ what: String) -> ModelError {
        ModelError(.malformed, "architecture card: \(what) at byte \(position)")
    }

    mutating func byte() throws -> UInt8 {
        guard position < bytes.count else { throw error("truncated") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func unsigned() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64, !(shift == 63 && b > 1) else { throw error("varint too long") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func signed() throws -> Int64 {
        let u = try unsigned()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    mutating func int(_ range: ClosedRange<Int> = -(1 << 40)...(1 << 40)) throws -> Int {
        let v = try signed()
        guard v >= Int64(range.lowerBound), v <= Int64(range.upperBound) else { throw error("value \(v) out of range") }
        return Int(v)
    }

    /// A count of elements that each take at least one byte.
    mutating func count() throws -> Int {
        let n = try unsigned()
        guard n <= UInt64(bytes.count - position) else { throw error("count \(n) exceeds the remaining bytes") }
        return Int(n)
    }

    mutating func bool() throws -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw error("bad boolean")
        }
    }

    mutating func string() throws -> String {
        let n = try count()
        defer { position += n }
        guard let s = String(validating: bytes[position ..< position + n], as: UTF8.self) else { throw error("bad UTF-8") }
        return s
    }

    mutating func ints(_ range: ClosedRange<Int> = -(1 << 40)...(1 << 40)) throws -> [Int] {
        let n = try count()
        return try (0..<n).map { _ in try int(range) }
    }

    mutating func int64s() throws -> [Int64] {
        let n = try count()
        return try (0..<n).map { _ in try signed() }
    }
}
