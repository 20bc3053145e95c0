import CMemory

/// The allocator policy that the prover's executables choose at start.
public enum ProcessMemory {
    /// Keeps memory the process frees for its own later allocations, instead of
    /// returning it to the kernel; returns whether the allocator accepted
    /// (glibc does; elsewhere this changes nothing).
    ///
    /// Why: a proof allocates several gigabytes over its stages (trace and
    /// auxiliary extensions, quotient, Merkle trees, FRI layers), each buffer
    /// soon after the previous stage's were freed. By default glibc maps every
    /// request of 32 MiB or more on its own and unmaps it on `free`, so each
    /// such buffer starts on pages the kernel must fault in and zero again.
    /// On the virtual machines we measure on, freed memory also goes back to
    /// the host within moments (free page reporting), which makes those faults
    /// cost more than an NTT over the same memory (docs/benchmarks.md). Kept
    /// in the process, a freed buffer's pages serve the next one without a
    /// fault.
    ///
    /// The cost: the process's resident memory does not shrink until it exits,
    /// so this suits a command-line run, not a long-lived service that proves
    /// now and then. All threads then allocate from one heap (glibc would
    /// give each its own arena, whose freed memory serves no other thread);
    /// their small allocations share one lock, which cost nothing measurable
    /// here. Peak memory falls rather than grows (the credit example's prove:
    /// 2.33 instead of 2.56 GiB), because the prover reuses what the layout,
    /// built on another thread, freed. Call it once, before the first
    /// allocation of any thread; the library itself never calls it.
    @discardableResult
    public static func keepFreedMemory() -> Bool {
        zk_keep_freed_memory() == 1
    }

    /// Bytes now held in allocations that the C allocator mapped on their own
    /// (and will unmap when they are freed); 0 where the allocator does not say.
    /// After `keepFreedMemory()` new allocations are never such (except in a
    /// thread that allocated before the call: it keeps its own arena).
    public static var separatelyMappedBytes: UInt64 {
        UInt64(zk_separately_mapped_bytes())
    }
}
