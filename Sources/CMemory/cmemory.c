#include "cmemory.h"

#include <stdlib.h>  // through <features.h>, defines __GLIBC__ on glibc systems
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int zk_keep_freed_memory(void) {
#if defined(__GLIBC__)
    // M_MMAP_MAX 0: requests of any size come from the heap instead of a
    // mapping of their own, which free() would unmap. M_TRIM_THRESHOLD -1:
    // free() never gives the heap's top back to the kernel (mallopt(3); its
    // largest positive value, INT_MAX, still trimmed a free top above 2 GiB,
    // which at 2^20 rows happened in about one process in three: up to
    // 3 GiB faulted in a second time, proofs a second slower).
    // M_ARENA_MAX 1: every thread allocates from the main heap. Other threads
    // would otherwise get arenas of their own, whose heaps are unmapped as
    // soon as they are wholly free and cannot hold a request above 64 MiB;
    // and what one thread frees (the layout, built beside the witness) could
    // not serve another (the prover).
    int mapped = mallopt(M_MMAP_MAX, 0);
    int trimmed = mallopt(M_TRIM_THRESHOLD, -1);
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
