#if canImport(Glibc)
import Field
import Testing

/// `ProcessMemory.keepFreedMemory()` must stop the allocator from giving a
/// large buffer a mapping of its own (which `free` would unmap, so that the
/// next buffer starts on fresh pages). glibc maps every request of 32 MiB or
/// more on its own under its default policy, whatever came before.
///
/// (Whether a freed buffer's pages then serve the next one depends on the
/// call coming before any thread allocates, as in the executables: test
/// threads already have arenas of their own, which hand a wholly free heap
/// back. The benchmark's `--allocator keep|default` measures that effect.)
@Suite struct ProcessMemoryTests {
    @Test func aLargeBufferGetsNoMappingOfItsOwn() {
        #expect(ProcessMemory.keepFreedMemory())
        // 40 MiB: above glibc's largest mapping threshold (32 MiB), below the
        // 64 MiB heaps of the arenas that threads other than the main one use.
        let bytes = 40 << 20
        // Tests run side by side and may allocate or free at the same time:
        // one attempt of three without a new mapping is enough.
        var smallestGrowth = Int64.max
        for _ in 0 ..< 3 {
            let before = Int64(ProcessMemory.separatelyMappedBytes)
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16)
            buffer.storeBytes(of: 1, as: UInt8.self)
            let during = Int64(ProcessMemory.separatelyMappedBytes)
            buffer.deallocate()
            smallestGrowth = min(smallestGrowth, during - before)
        }
        #expect(smallestGrowth < Int64(bytes), "mapped bytes grew by \(smallestGrowth)")
    }
}
#endif
