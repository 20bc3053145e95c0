/// Why a byte string could not be read: what was being read, where, and how it failed.
public struct ByteCodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) at byte \(offset)" }
}

/// Reads what `ByteWriter` wrote from untrusted bytes. Every read checks the
/// bytes that remain, and a length or count is refused when it promises more
/// than remain, so hostile input can neither trap nor make the reader allocate
/// much. It throws `ByteCodingError`, never crashes.
public struct ByteReader: Sendable {
    public let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var remaining: Int { bytes.count - offset }
    public var isAtEnd: Bool { offset == bytes.count }

    public func error(_ message: String) -> ByteCodingError {
        ByteCodingError(message, at: offset)
    }

    /// Fails unless every byte has been read.
    public func expectEnd(_ what: String) throws {
        guard isAtEnd else { throw error("\(remaining) unexpected bytes after \(what)") }
    }

    public mutating func raw(_ n: Int, _ what: String) throws -> [UInt8] {
        guard n >= 0, n <= remaining else { throw error("truncated while reading \(what)") }
        defer { offset += n }
        return Array(bytes[offset ..< offset + n])
    }

    public mutating func u8(_ what: String) throws -> UInt8 { try littleEndian(UInt8.self, what) }
    public mutating func u16(_ what: String) throws -> UInt16 { try littleEndian(UInt16.self, what) }
    public mutating func u32(_ what: String) throws -> UInt32 { try littleEndian(UInt32.self, what) }
    public mutating func u64(_ what: String) throws -> UInt64 { try littleEndian(UInt64.self, what) }

    public mutating func bool(_ what: String) throws -> Bool {
        switch try u8(what) {
        case 0: return false
        case 1: return true
        default: offset -= 1; throw error("\(what) is not a boolean")
        }
    }

    /// An unsigned LEB128 varint of at most 10 bytes, rejecting overlong and
    /// overflowing encodings so every value has one encoding.
    public mutating func varint(_ what: String) throws -> UInt64 {
        var result: UInt64 = 0
        for index in 0 ..< 10 {
            let byte = try u8(what)
            let payload = UInt64(byte & 0x7F)
            if index == 9 && payload > 1 { throw error("\(what) overflows 64 bits") }
            result |= payload << UInt64(7 * index)
            if byte & 0x80 == 0 {
                if index > 0 && byte == 0 { throw error("\(what) has an overlong encoding") }
                return result
            }
        }
        throw error("\(what) is longer than 10 bytes")
    }

    /// A varint that must fit in 31 bits (a count, a size, a duration), as an Int.
    public mutating func smallInt(_ what: String) throws -> Int {
        let v = try varint(what)
        guard v <= UInt64(Int32.max) else { throw error("\(what) is out of range") }
        return Int(v)
    }

    public mutating func signedVarint(_ what: String) throws -> Int64 {
        let z = try varint(what)
        return Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1)))
    }

    /// A count of elements each at least `minimumSize` bytes long, refused when
    /// they could not fit in what remains.
    public mutating func count(_ what: String, minimumSize: Int = 1) throws -> Int {
        let n = try varint(what)
        guard n <= UInt64(remaining / max(minimumSize, 1)) else {
            throw error("\(what): \(n) elements cannot fit in the \(remaining) bytes left")
        }
        return Int(n)
    }

    public mutating func lengthPrefixed(_ what: String) throws -> [UInt8] {
        try raw(try count(what), what)
    }

    public mutating func string(_ what: String) throws -> String {
        let utf8 = try lengthPrefixed(what)
        guard let text = String(validating: utf8, as: UTF8.self) else { throw error("\(what) is not UTF-8") }
        return text
    }

    private mutating func littleEndian<T: FixedWidthInteger>(_ type: T.Type, _ what: String) throws -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw error("truncated while reading \(what)") }
        var v: T = 0
        for i in 0 ..< size { v |= T(bytes[offset + i]) << (8 * i) }
        offset += size
        return v
    }
}
