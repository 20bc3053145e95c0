import Field
import Testing

/// `Array(largeRepeating:count:)` asks for huge pages on large buffers; what
/// it holds must be exactly what `Array(repeating:count:)` holds, on both
/// sides of the size from which it asks.
@Suite struct LargeArrayTests {
    @Test func holdsTheValueOnBothSidesOfTheThreshold() {
        let threshold = (4 << 20) / MemoryLayout<Goldilocks>.stride
        let value = Goldilocks(0xFFFF_FFFF_0000_0000)  // p − 1
        for count in [0, 1, 1000, threshold - 1, threshold, threshold + 1, 3 * threshold + 7] {
            let array = [Goldilocks](largeRepeating: value, count: count)
            #expect(array.count == count)
            #expect(array.allSatisfy { $0 == value }, "count \(count)")
        }
    }

    @Test func aWrittenLargeArrayKeepsItsValues() {
        // A large buffer is written after it is made, as the LDE is.
        let count = (4 << 20) / MemoryLayout<GoldilocksExt2>.stride + 5
        var array = [GoldilocksExt2](largeRepeating: .zero, count: count)
        for i in array.indices { array[i] = GoldilocksExt2(Goldilocks(UInt64(i)), Goldilocks(UInt64(3 * i + 1))) }
        for i in stride(from: 0, to: count, by: 997) {
            #expect(array[i] == GoldilocksExt2(Goldilocks(UInt64(i)), Goldilocks(UInt64(3 * i + 1))))
        }
        #expect(array.last == GoldilocksExt2(Goldilocks(UInt64(count - 1)), Goldilocks(UInt64(3 * count - 2))))
    }

    @Test func everyElementIsFilledWhateverItsSize() {
        // The fill is split across cores: each range must start and end where
        // the previous one ends, for 8-, 16- and 24-byte elements.
        for count in [(4 << 20) / 8, 5 * (4 << 20) / 8 + 3] {
            let words = [UInt64](largeRepeating: 7, count: count)
            #expect(words.count == count && words.allSatisfy { $0 == 7 })
            let pairs = [GoldilocksExt2](largeRepeating: GoldilocksExt2(.one, .one), count: count / 2 + 1)
            #expect(pairs.count == count / 2 + 1 && pairs.allSatisfy { $0 == GoldilocksExt2(.one, .one) })
            let triples = [GoldilocksExt3](largeRepeating: GoldilocksExt3(generating: { _ in .one }), count: count / 3 + 5)
            #expect(triples.count == count / 3 + 5 && triples.allSatisfy { $0 == GoldilocksExt3(generating: { _ in .one }) })
        }
    }
}
