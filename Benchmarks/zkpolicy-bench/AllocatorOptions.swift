import ArgumentParser
import Field

/// `--allocator keep|default`: whether the benchmark keeps freed memory in the
/// process, as `zkpolicyc` does (`ProcessMemory.keepFreedMemory`), so that
/// the two can be compared in one build.
struct AllocatorOptions: ParsableArguments {
    @Option(help: "keep: freed memory stays in the process, as in zkpolicyc; default: the C allocator's own policy.")
    var allocator = "keep"

    func validate() throws {
        guard ["keep", "default"].contains(allocator) else {
            throw ValidationError("unknown --allocator '\(allocator)': use keep or default")
        }
    }

    /// Applies the choice; call first in `run()`, before any large allocation.
    func apply() {
        if allocator == "keep" { ProcessMemory.keepFreedMemory() }
    }
}
