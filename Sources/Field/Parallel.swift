import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Data parallelism over the machine's cores, for the prover's hot loops.
public enum Parallel {
    /// Number of worker threads used (the active processor count).
    public static let threadCount: Int = {
        #if canImport(Glibc)
        let n = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return max(1, n)
        #else
        return 2
        #endif
    }()

    /// Calls `body(range)` on disjoint ranges covering `0 ..< count`, in parallel
    /// when the work is large enough (`count >= minimumPerThread * 2`).
    ///
    /// `body` must only write to memory indexed by its own range.
    @inlinable
    public static func forRanges(_ count: Int, minimumPerThread: Int = 1024,
                                 _ body: (Range<Int>) -> Void) {
        if count <= 0 { return }
        let threads = min(threadCount, max(1, count / max(1, minimumPerThread)))
        if threads <= 1 {
            body(0 ..< count)
            return
        }
        // A few chunks per thread balance uneven work without much overhead.
        let chunks = min(count, threads * 4)
        let chunkSize = (count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let start = c * chunkSize
            let end = min(count, start + chunkSize)
            if start < end { body(start ..< end) }
        }
    }

    /// Calls `body(i)` for every `i` in `0 ..< count`, in parallel when `count > 1`.
    @inlinable
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || threadCount == 1 {
            for i in 0 ..< count { body(i) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }
}
