import ByteCoding
import Field

// How a verifying-key file (`VerifyingKey+Encoding.swift`) writes expressions
// and column references.

extension Expression {
    /// Deeper than any circuit's expression; bounds the decoder's recursion.
    static let maximumDecodedDepth = 10_000

    func encode(to w: inout ByteCoding.ByteWriter) {
        switch self {
        case let .constant(c): w.u8(0); w.signedVarint(c.nearestSigned)
        case let .column(c, rotation): w.u8(1); c.encode(to: &w); w.u8(UInt8(rotation.rawValue))
        case let .challenge(p, i): w.u8(2); w.varint(UInt64(p)); w.varint(UInt64(i))
        case let .selector(s): w.u8(3); w.u8(UInt8(s.rawValue))
        case let .instance(k): w.u8(4); w.varint(UInt64(k))
        case .x: w.u8(5)
        case let .sum(a, b): w.u8(6); a.encode(to: &w); b.encode(to: &w)
        case let .difference(a, b): w.u8(7); a.encode(to: &w); b.encode(to: &w)
        case let .product(a, b): w.u8(8); a.encode(to: &w); b.encode(to: &w)
        case let .negation(a): w.u8(9); a.encode(to: &w)
        }
    }

    init(decoding r: inout ByteCoding.ByteReader, depth: Int) throws {
        guard depth < Self.maximumDecodedDepth else { throw VerificationError.invalidKey("an expression nests too deeply") }
        switch try r.u8("expression tag") {
        case 0:
            guard let c = Goldilocks(nearestSigned: try r.signedVarint("constant")) else {
                throw VerificationError.invalidKey("a constant out of range")
            }
            self = .constant(c)
        case 1:
            let column = try ColumnRef(decoding: &r)
            guard let rotation = Rotation(rawValue: Int(try r.u8("rotation"))) else { throw VerificationError.invalidKey("unknown rotation") }
            self = .column(column, rotation)
        case 2: self = .challenge(phase: try r.smallInt("phase"), index: try r.smallInt("challenge"))
        case 3:
            guard let s = BuiltinSelector(rawValue: Int(try r.u8("selector"))) else { throw VerificationError.invalidKey("unknown selector") }
            self = .selector(s)
        case 4: self = .instance(try r.smallInt("instance"))
        case 5: self = .x
        case 6: self = .sum(try Expression(decoding: &r, depth: depth + 1), try Expression(decoding: &r, depth: depth + 1))
        case 7: self = .difference(try Expression(decoding: &r, depth: depth + 1), try Expression(decoding: &r, depth: depth + 1))
        case 8: self = .product(try Expression(decoding: &r, depth: depth + 1), try Expression(decoding: &r, depth: depth + 1))
        case 9: self = .negation(try Expression(decoding: &r, depth: depth + 1))
        case let tag: throw VerificationError.invalidKey("unknown expression tag \(tag)")
        }
    }
}

extension ColumnRef {
    /// Fixed, then advice, then phase columns, each by index.
    static func canonicalOrder(_ a: ColumnRef, _ b: ColumnRef) -> Bool {
        func key(_ c: ColumnRef) -> (Int, Int, Int) {
            switch c {
            case let .fixed(i): return (0, 0, i)
            case let .advice(i): return (1, 0, i)
            case let .phase(p, i): return (2, p, i)
            }
        }
        return key(a) < key(b)
    }

    func encode(to w: inout ByteCoding.ByteWriter) {
        switch self {
        case let .fixed(i): w.u8(0); w.varint(UInt64(i))
        case let .advice(i): w.u8(1); w.varint(UInt64(i))
        case let .phase(p, i): w.u8(2); w.varint(UInt64(p)); w.varint(UInt64(i))
        }
    }

    init(decoding r: inout ByteCoding.ByteReader) throws {
        switch try r.u8("column kind") {
        case 0: self = .fixed(try r.smallInt("column"))
        case 1: self = .advice(try r.smallInt("column"))
        case 2: self = .phase(try r.smallInt("phase"), column: try r.smallInt("column"))
        case let tag: throw VerificationError.invalidKey("unknown column kind \(tag)")
        }
    }
}
