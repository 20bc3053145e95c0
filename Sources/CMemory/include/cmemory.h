// Process-wide memory policy for the prover's executables (see Field's
// ProcessMemory.swift for why). A C target because Swift's Glibc module does
// not export <malloc.h>.
#ifndef ZK_CMEMORY_H
#define ZK_CMEMORY_H

#ifdef __cplusplus
extern "C" {
#endif

/// Makes the C allocator keep freed memory in the process for reuse: no
/// allocation gets its own mapping, the heap is never trimmed, and all
/// threads share one heap. Returns 1 when the allocator took all three
/// settings, 0 where it does not support them (not glibc) or refused one.
int zk_keep_freed_memory(void);

/// Bytes the C allocator holds in allocations mapped on their own (glibc's
/// mallinfo2 hblkhd); 0 where unknown.
unsigned long long zk_separately_mapped_bytes(void);

#ifdef __cplusplus
}
#endif

#endif
