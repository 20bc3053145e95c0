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
    int mapped = mallopt(M_MMAP_MAX, 0);
    int trimmed = mallopt(M_TRIM_THRESHOLD, INT_MAX);
    return mapped == 1 && trimmed == 1;
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
