import Field

/// Little-endian binary writer for proofs and verifying-key digests.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }
    mutating func string(_ s: String) { let u = Array(s.utf8); u16(UInt16(u.count)); raw(u) }
    mutating func field(_ e: Goldilocks) { u64(e.value) }
    /// An extension element as its coefficients c0 … c_{e−1}, 8·e bytes.
    mutating func ext<E: ExtensionField>(_ e: E) { for i in 0 ..< E.degree { u64(e.coefficient(i).value) } }
    mutating func digest(_ d: Digest) { raw(d.bytes) }

    mutating func parameters(_ p: StarkParameters) {
        u8(UInt8(p.logBlowup)); u16(UInt16(p.queryCount)); u8(UInt8(p.grindingBits))
        u8(UInt8(p.logFoldingFactor)); u8(UInt8(p.logFinalDegree))
    }

    /// Prefix encoding of an expression tree (for the verifying-key digest).
    mutating func expression(_ e: Expression) {
        switch e {
        case let .constant(c): u8(0); field(c)
        case let .column(c, r):
            switch c {
            case let .fixed(i): u8(1); u32(UInt32(i))
            case let .advice(i): u8(2); u32(UInt32(i))
            case let .phase(p, i): u8(3); u32(UInt32(p)); u32(UInt32(i))
            }
            u8(UInt8(r.rawValue))
        case let .challenge(p, i): u8(4); u32(UInt32(p)); u32(UInt32(i))
        case let .selector(s): u8(5); u8(UInt8(s.rawValue))
        case let .instance(k): u8(6); u32(UInt32(k))
        case .x: u8(7)
        case let .sum(a, b): u8(8); expression(a); expression(b)
        case let .difference(a, b): u8(9); expression(a); expression(b)
        case let .product(a, b): u8(10); expression(a); expression(b)
        case let .negation(a): u8(11); expression(a)
        }
    }
}

/// Reader over untrusted bytes: every read checks the remaining length, every
/// count is checked against the bytes left before anything is allocated, and
/// field elements must be canonical. It throws, never traps.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    private mutating func take(_ n: Int, _ what: String) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= remaining else {
            throw VerificationError.malformedProof("truncated while reading \(what) at byte \(offset)")
        }
        defer { offset += n }
        return bytes[offset ..< offset + n]
    }

    private mutating func integer<T: FixedWidthInteger>(_ type: T.Type, _ what: String) throws -> T {
        let slice = try take(MemoryLayout<T>.size, what)
        var v: T = 0
        for (i, b) in slice.enumerated() { v |= T(b) << (8 * i) }
        return v
    }

    mutating func u8(_ what: String) throws -> UInt8 { try integer(UInt8.self, what) }
    mutating func u16(_ what: String) throws -> UInt16 { try integer(UInt16.self, what) }
    mutating func u32(_ what: String) throws -> UInt32 { try integer(UInt32.self, what) }
    mutating func u64(_ what: String) throws -> UInt64 { try integer(UInt64.self, what) }

    mutating func raw(_ n: Int, _ what: String) throws -> [UInt8] { Array(try take(n, what)) }

    mutating func string(_ what: String) throws -> String {
        let n = Int(try u16(what))
        guard let s = String(validating: try take(n, what), as: UTF8.self) else {
            throw VerificationError.malformedProof("\(what) is not UTF-8")
        }
        return s
    }

    mutating func field(_ what: String) throws -> Goldilocks {
        let v = try u64(what)
        guard v < Goldilocks.modulus else { throw VerificationError.malformedProof("\(what) is not a canonical field element") }
        return Goldilocks(canonical: v)
    }

    mutating func ext(_ what: String) throws -> GoldilocksExt2 { try ext(what, as: GoldilocksExt2.self) }

    /// An extension element written by `ByteWriter.ext`: e canonical coefficients.
    mutating func ext<E: ExtensionField>(_ what: String, as: E.Type) throws -> E {
        var coefficients: [Goldilocks] = []
        coefficients.reserveCapacity(E.degree)
        for _ in 0 ..< E.degree { coefficients.append(try field(what)) }
        return E(coefficients: coefficients)
    }

    mutating func digest(_ what: String) throws -> Digest {
        Digest(bytes: try raw(32, what))!
    }

    /// A u32 element count, rejected when `count · elementSize` exceeds the bytes left.
    mutating func count(_ elementSize: Int, _ what: String) throws -> Int {
        let n = Int(try u32(what))
        guard n * elementSize <= remaining else {
            throw VerificationError.malformedProof("\(what): \(n) elements do not fit in the \(remaining) bytes left")
        }
        return n
    }

    mutating func parameters() throws -> StarkParameters {
        StarkParameters(logBlowup: Int(try u8("logBlowup")), queryCount: Int(try u16("queryCount")),
                        grindingBits: Int(try u8("grindingBits")), logFoldingFactor: Int(try u8("logFoldingFactor")),
                        logFinalDegree: Int(try u8("logFinalDegree")))
    }
}
