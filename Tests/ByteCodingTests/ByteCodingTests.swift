import Testing
import ByteCoding

@Suite struct ByteCodingTests {
    @Test func roundTripsEveryKind() throws {
        var w = ByteWriter()
        let signed: [Int64] = [0, 1, -1, 63, -64, 64, .max, .min]
        let unsigned: [UInt64] = [0, 127, 128, 300, .max]
        w.u8(7); w.u16(0xBEEF); w.u32(0xDEAD_BEEF); w.u64(.max); w.bool(true)
        for v in unsigned { w.varint(v) }
        for v in signed { w.signedVarint(v) }
        w.string("ünïcode"); w.lengthPrefixed([1, 2, 3])
        var r = ByteReader(w.bytes)
        #expect(try r.u8("a") == 7)
        #expect(try r.u16("b") == 0xBEEF)
        #expect(try r.u32("c") == 0xDEAD_BEEF)
        #expect(try r.u64("d") == .max)
        #expect(try r.bool("e"))
        for v in unsigned { #expect(try r.varint("v") == v) }
        for v in signed { #expect(try r.signedVarint("s") == v) }
        #expect(try r.string("t") == "ünïcode")
        #expect(try r.lengthPrefixed("l") == [1, 2, 3])
        try r.expectEnd("test")
    }

    @Test func rejectsHostileInput() {
        var overlong = ByteReader([0x80, 0x00])
        #expect(throws: ByteCodingError.self) { try overlong.varint("x") }
        var overflow = ByteReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02])
        #expect(throws: ByteCodingError.self) { try overflow.varint("x") }
        var hugeCount = ByteReader([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2])
        #expect(throws: ByteCodingError.self) { try hugeCount.lengthPrefixed("x") }
        var truncated = ByteReader([1, 2, 3])
        #expect(throws: ByteCodingError.self) { try truncated.u32("x") }
        var notUTF8 = ByteReader([2, 0xC3, 0x28])
        #expect(throws: ByteCodingError.self) { try notUTF8.string("x") }
        var notBool = ByteReader([2])
        #expect(throws: ByteCodingError.self) { try notBool.bool("x") }
    }

    @Test func randomBytesNeverTrap() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0 ..< 2_000 {
            let bytes = (0 ..< Int.random(in: 0 ... 24, using: &rng)).map { _ in UInt8.random(in: 0 ... 255, using: &rng) }
            var r = ByteReader(bytes)
            while !r.isAtEnd {
                if (try? r.string("s")) == nil, (try? r.varint("v")) == nil { _ = try? r.u8("b") }
            }
        }
    }
}
