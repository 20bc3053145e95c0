// Vectorised Goldilocks kernels (p = 2^64 − 2^32 + 1): the NTT's butterflies and
// element-wise arithmetic over arrays (Swift: `Field.NTT`, `Field.BatchArithmetic`).
//
// Values are canonical 64-bit words in 0 ..< p, the memory layout of Swift's
// `Goldilocks`. Every function here uses AVX-512F and may only be called when
// `zk_goldilocks_avx512_available()` returns 1; the Swift side keeps its own
// scalar code for every other machine (and for the tests that compare both).
#ifndef CGOLDILOCKS_H
#define CGOLDILOCKS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this processor runs AVX-512F code.
int zk_goldilocks_avx512_available(void);

/// The first three decimation-in-time stages (half-widths 1, 2, 4) over
/// `count` values (a multiple of 16). `twiddles` is the per-stage table of
/// `NTT.twiddles` (entries [h, 2h) hold ω_{2h}^j).
void zk_goldilocks_ntt_first_stages(uint64_t *values, size_t count, const uint64_t *twiddles);

/// One stage of half-width `half` (a multiple of 8): for every block b in
/// [block_begin, block_end) and j in [j_begin, j_end) (both multiples of 8),
/// u = x[b·2h + j], v = x[b·2h + h + j]·tw[j] becomes (u + v, u − v).
/// `stage_twiddles` points at ω_{2h}^0 (entry h of the table).
void zk_goldilocks_ntt_stage(uint64_t *values, size_t half, size_t block_begin, size_t block_end,
                             size_t j_begin, size_t j_end, const uint64_t *stage_twiddles);

/// Two consecutive stages, half-widths `half` and 2·`half`, in one pass over
/// blocks of 4·`half` values (for b in [block_begin, block_end), j in
/// [j_begin, j_end), multiples of 8): each value is read and written once
/// for both. `twiddles` is the whole per-stage table.
void zk_goldilocks_ntt_stage_pair(uint64_t *values, size_t half, size_t block_begin, size_t block_end,
                                  size_t j_begin, size_t j_end, const uint64_t *twiddles);

/// x[i] ← x[i]·factor for i < count.
void zk_goldilocks_scale(uint64_t *values, size_t count, uint64_t factor);

/// out[i] ← a[i]·b[i] for i < count (`out` may alias `a` or `b`).
void zk_goldilocks_mul(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t count);

/// out[i] ← a[i]·(b[i]·scale) for i < count.
void zk_goldilocks_mul_scaled(uint64_t *out, const uint64_t *a, const uint64_t *b, uint64_t scale,
                              size_t count);

/// out[i] ← a[i] + b[i], a[i] − b[i], −a[i] for i < count (outputs may alias inputs).
void zk_goldilocks_add(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t count);
void zk_goldilocks_sub(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t count);
void zk_goldilocks_neg(uint64_t *out, const uint64_t *a, size_t count);

/// Quadratic extension F_p[u]/(u² − 7), elements as separate c0 and c1 arrays:
/// out ← a·b for i < count.
void zk_goldilocks_ext_mul(uint64_t *out0, uint64_t *out1, const uint64_t *a0, const uint64_t *a1,
                           const uint64_t *b0, const uint64_t *b1, size_t count);

/// acc ← acc·α + x for i < count (one Horner step of a random linear combination).
void zk_goldilocks_ext_horner(uint64_t *acc0, uint64_t *acc1, const uint64_t *x0, const uint64_t *x1,
                              uint64_t alpha0, uint64_t alpha1, size_t count);

/// Cubic extension F_p[u]/(u³ − 7), elements as separate c0, c1, c2 arrays:
/// out ← a·b for i < count (outputs may alias inputs).
void zk_goldilocks_ext3_mul(uint64_t *out0, uint64_t *out1, uint64_t *out2,
                            const uint64_t *a0, const uint64_t *a1, const uint64_t *a2,
                            const uint64_t *b0, const uint64_t *b1, const uint64_t *b2, size_t count);

/// acc ← acc·α + x for i < count in the cubic extension (x may alias acc).
void zk_goldilocks_ext3_horner(uint64_t *acc0, uint64_t *acc1, uint64_t *acc2,
                               const uint64_t *x0, const uint64_t *x1, const uint64_t *x2,
                               uint64_t alpha0, uint64_t alpha1, uint64_t alpha2, size_t count);

#ifdef __cplusplus
}
#endif

#endif
