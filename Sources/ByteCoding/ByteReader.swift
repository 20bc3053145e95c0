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

    /// A reader of `bytes` from `offset` on (a format nested in a larger file).
    public init(_ bytes: [UInt8], offset: Int) {
        precondition((0 ... bytes.count).contains(offset), "offset outside the bytes")
        self.bytes = bytes
        self.offset = offset
    }

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
        var end = offset
        do {
            let value = try bytes.withUnsafeBufferPointer { buffer throws(Varint.Failure) in try Varint.decode(buffer, at: &end) }
            offset = end
            return value
        } catch {
            switch error {
            case .truncated: throw self.error("truncated while reading \(what)")
            case .overflow: throw self.error("\(what) overflows 64 bits")
            case .overlong: throw self.error("\(what) has an overlong encoding")
            case .tooLong: throw self.error("\(what) is longer than 10 bytes")
            }
        }
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

    /// Skips a varint-length-prefixed byte string and returns where its bytes
    /// lie in `bytes` (for a caller that decodes them in place, in parallel).
    public mutating func lengthPrefixedRange(_ what: String) throws -> Range<Int> {
        let n = try count(what)
        defer { offset += n }
        return offset ..< offset + n
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
