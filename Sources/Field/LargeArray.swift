#if canImport(Glibc)
import Glibc
#endif

extension Array {
    /// An array of `count` copies of `value` whose memory the kernel may back
    /// with transparent huge pages (2 MiB instead of 4 KiB), for the prover's
    /// large buffers: low-degree extensions, quotient and FRI layers.
    ///
    /// Why: such a buffer is written once, soon after it is allocated, and its
    /// first touch faults in every page. With 4 KiB pages a 2^21-value column
    /// takes 4,096 faults; on a virtual machine each one costs microseconds
    /// (the host maps the page too), and on the benchmark machine those faults
    /// were a fifth of the prover's CPU time. A huge page takes one fault for
    /// 512 small ones. Linux's default setting (`madvise`) gives huge pages
    /// only to memory that asks, which is what this does; elsewhere, or when
    /// the kernel has none free (it may first compact memory to make one:
    /// docs/benchmarks.md), the array is an ordinary one.
    ///
    /// The fill runs on every core: it is the first touch, and on a virtual
    /// machine the faults of two cores are served side by side (the quotient
    /// tree's ten 2^23-value columns at 2^20 rows were filled in 0.77 s
    /// instead of 1.39 s). Memory the process has not touched before can
    /// cost more there than an NTT of it (docs/benchmarks.md).
    ///
    /// Small arrays (under 4 MiB) are made as usual. Inlinable so that the
    /// fill is specialised to the element type (a plain store loop, not a
    /// generic copy per element).
    @inlinable
    public init(largeRepeating value: Element, count: Int) {
        let bytes = count * MemoryLayout<Element>.stride
        guard bytes >= Array.largeThreshold else {
            self.init(repeating: value, count: count)
            return
        }
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            Array.adviseHugePages(UnsafeMutableRawPointer(buffer.baseAddress!), bytes: bytes)
            Array.initializeInParallel(buffer.baseAddress!, count: count, to: value)
            initialized = count
        }
    }

    /// Initialises `count` elements from `start` to `value`, a range per core.
    /// (A function of its own: a closure inside `init`'s capacity closure
    /// that captured `value` read it from a wrong address in debug builds.
    /// Inlinable, like `init`, so that the fill is specialised: generic, it
    /// copied each element through the type's value witness.)
    @inlinable
    static func initializeInParallel(_ start: UnsafeMutablePointer<Element>, count: Int, to value: Element) {
        Parallel.forRanges(count, minimumPerThread: largeThreshold / MemoryLayout<Element>.stride) { range in
            (start + range.lowerBound).initialize(repeating: value, count: range.count)
        }
    }

    /// Buffers from this size on ask for huge pages.
    @usableFromInline static var largeThreshold: Int { 4 << 20 }

    /// Asks the kernel to back the whole 4 KiB pages of this range with huge
    /// pages (the advice covers only page-aligned memory; a failure, such as
    /// a kernel without transparent huge pages, changes nothing).
    @usableFromInline
    static func adviseHugePages(_ start: UnsafeMutableRawPointer, bytes: Int) {
        #if canImport(Glibc)
        let page = 4096
        let first = (Int(bitPattern: start) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: start) + bytes) & ~(page - 1)
        guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(aligned, end - first, MADV_HUGEPAGE)
        #endif
    }
}
