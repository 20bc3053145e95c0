#include "cmemory.h"

#include <limits.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int zk_keep_freed_memory(void) {
#if defined(__GLIBC__)
    // M_MMAP_MAX 0: requests of any size come from the heap instead of a
    // mapping of their own, which free() would unmap. M_TRIM_THRESHOLD at its
    // maximum: free() never gives the heap's top back to the kernel.
    // M_ARENA_MAX 1: every thread allocates from the main heap. Other threads
    // would otherwise get arenas of their own, whose heaps are unmapped as
    // soon as they are wholly free and cannot hold a request above 64 MiB;
    // and what one thread frees (the layout, built beside the witness) could
    // not serve another (the prover).
    int mapped = mallopt(M_MMAP_MAX, 0);
    int trimmed = mallopt(M_TRIM_THRESHOLD, INT_MAX);
    int shared = mallopt(M_ARENA_MAX, 1);
    return mapped == 1 && trimmed == 1 && shared == 1;
#else
    return 0;
#endif
}

unsigned long long zk_separately_mapped_bytes(void) {
#if defined(__GLIBC__)
    return (unsigned long long)mallinfo2().hblkhd;
#else
    return 0;
#endif
}
