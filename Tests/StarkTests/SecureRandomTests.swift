import Field
@testable import Stark
import Testing

@Suite struct SecureRandomTests {
    /// `fill` returns exactly what one `Goldilocks.random` call per element
    /// would, and leaves the stream where those calls would: from every
    /// position inside a block, for counts below, at and across the batch
    /// and thread boundaries of its parallel hashing.
    @Test(arguments: [0, 1, 3, 4, 5, 17, 4 * 96 + 3, 4 * 4096 * 2 + 1, 100_003])
    func fillDrawsLikeOneElementAtATime(count: Int) {
        for skipped in 0 ..< 5 {
            var bulk = SecureRandom(seed: [7, UInt8(skipped)])
            var single = bulk
            for _ in 0 ..< skipped { #expect(bulk.next() == single.next()) }
            var filled = [Goldilocks](repeating: .zero, count: count)
            filled.withUnsafeMutableBufferPointer { bulk.fill($0) }
            let drawn = (0 ..< count).map { _ in Goldilocks.random(using: &single) }
            #expect(filled == drawn, "count \(count), \(skipped) words drawn first")
            for _ in 0 ..< 6 { #expect(bulk.next() == single.next()) }
        }
    }

    /// Different seeds give different streams (the fill does not ignore its seed).
    @Test func fillDependsOnTheSeed() {
        var a = SecureRandom(seed: [1]), b = SecureRandom(seed: [2])
        var x = [Goldilocks](repeating: .zero, count: 64), y = x
        x.withUnsafeMutableBufferPointer { a.fill($0) }
        y.withUnsafeMutableBufferPointer { b.fill($0) }
        #expect(x != y)
    }
}
