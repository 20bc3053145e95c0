/// Appends values to a byte string in the project's binary formats: fixed-width
/// little-endian integers, LEB128 varints (zigzag for signed values) and
/// length-prefixed UTF-8 strings. Encoding is deterministic: the same values
/// always give the same bytes.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func u16(_ v: UInt16) { appendLittleEndian(v) }
    public mutating func u32(_ v: UInt32) { appendLittleEndian(v) }
    public mutating func u64(_ v: UInt64) { appendLittleEndian(v) }
    public mutating func bool(_ b: Bool) { bytes.append(b ? 1 : 0) }

    /// Bytes as they are, without a length.
    public mutating func raw(_ b: some Sequence<UInt8>) { bytes.append(contentsOf: b) }

    /// An unsigned LEB128 varint.
    public mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A signed integer as a zigzag LEB128 varint (small magnitudes stay short).
    public mutating func signedVarint(_ v: Int64) {
        varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    /// A byte string prefixed with its length as a varint.
    public mutating func lengthPrefixed(_ b: [UInt8]) {
        varint(UInt64(b.count))
        raw(b)
    }

    /// UTF-8 text prefixed with its byte length as a varint.
    public mutating func string(_ s: String) {
        lengthPrefixed(Array(s.utf8))
    }

    private mutating func appendLittleEndian<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
