/// Unsigned LEB128 varints, decoded straight from memory: the one decoder
/// behind `ByteReader.varint`, exposed for hot loops that read millions of
/// numbers (a verifying key's fixed columns), where a `ByteReader` call per
/// byte would dominate. Accepts exactly the canonical encodings: at most 10
/// bytes, no overflow past 64 bits, no overlong form.
public enum Varint {
    public enum Failure: Error, Sendable {
        case truncated, overflow, overlong, tooLong
    }

    /// The varint at `offset`, advancing `offset` past it.
    @inlinable @inline(__always)
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at offset: inout Int) throws(Failure) -> UInt64 {
        // Most numbers in bulk data are below 128: one byte.
        if offset < bytes.count, bytes[offset] < 0x80 {
            defer { offset += 1 }
            return UInt64(bytes[offset])
        }
        var result: UInt64 = 0
        var i = offset
        for index in 0 ..< 10 {
            guard i < bytes.count else { throw .truncated }
            let byte = bytes[i]
            i += 1
            let payload = UInt64(byte & 0x7F)
            if index == 9 && payload > 1 { throw .overflow }
            result |= payload << UInt64(7 * index)
            if byte & 0x80 == 0 {
                if index > 0 && byte == 0 { throw .overlong }
                offset = i
                return result
            }
        }
        throw .tooLong
    }

    /// A zigzag-encoded signed varint (`ByteWriter.signedVarint`).
    @inlinable @inline(__always)
    public static func decodeSigned(_ bytes: UnsafeBufferPointer<UInt8>, at offset: inout Int) throws(Failure) -> Int64 {
        let z = try decode(bytes, at: &offset)
        return Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1)))
    }
}
