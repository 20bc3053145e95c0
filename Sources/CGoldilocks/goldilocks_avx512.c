// AVX-512 Goldilocks kernels (NTT butterflies, element-wise arrays); see include/cgoldilocks.h.
//
// Eight field elements per 512-bit register. A product is formed from four
// 32×32-bit multiplies (vpmuludq) and reduced with 2^64 ≡ 2^32 − 1 and
// 2^96 ≡ −1 (mod p), exactly as the scalar `Goldilocks.reduce`; every result is
// canonical, so vector and scalar transforms give identical words.
#include "cgoldilocks.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define ZK_P 0xFFFFFFFF00000001ull
#define ZK_EPS 0xFFFFFFFFull
#define AVX512 __attribute__((target("avx512f")))

static AVX512 inline __m512i gl_add(__m512i a, __m512i b) {
    const __m512i p = _mm512_set1_epi64((long long)ZK_P);
    const __m512i eps = _mm512_set1_epi64((long long)ZK_EPS);
    __m512i s = _mm512_add_epi64(a, b);
    // A carry means s + 2^64 ≡ s + ε, which is then below p.
    __mmask8 carry = _mm512_cmplt_epu64_mask(s, a);
    s = _mm512_mask_add_epi64(s, carry, s, eps);
    __mmask8 high = _mm512_cmpge_epu64_mask(s, p);
    return _mm512_mask_sub_epi64(s, high, s, p);
}

static AVX512 inline __m512i gl_sub(__m512i a, __m512i b) {
    const __m512i p = _mm512_set1_epi64((long long)ZK_P);
    __m512i d = _mm512_sub_epi64(a, b);
    __mmask8 borrow = _mm512_cmplt_epu64_mask(a, b);
    return _mm512_mask_add_epi64(d, borrow, d, p);
}

static AVX512 inline __m512i gl_mul(__m512i a, __m512i b) {
    const __m512i p = _mm512_set1_epi64((long long)ZK_P);
    const __m512i low32 = _mm512_set1_epi64((long long)ZK_EPS);
    __m512i aHigh = _mm512_srli_epi64(a, 32);
    __m512i bHigh = _mm512_srli_epi64(b, 32);
    __m512i ll = _mm512_mul_epu32(a, b);
    __m512i lh = _mm512_mul_epu32(a, bHigh);
    __m512i hl = _mm512_mul_epu32(aHigh, b);
    __m512i hh = _mm512_mul_epu32(aHigh, bHigh);
    // 128-bit product hi·2^64 + lo; neither sum below can carry out of 64 bits
    // ((2^32 − 1)² + 2 · (2^32 − 1) < 2^64).
    __m512i t = _mm512_add_epi64(hl, _mm512_srli_epi64(ll, 32));
    __m512i u = _mm512_add_epi64(lh, _mm512_and_si512(t, low32));
    __m512i lo = _mm512_or_si512(_mm512_slli_epi64(u, 32), _mm512_and_si512(ll, low32));
    __m512i hi = _mm512_add_epi64(hh, _mm512_add_epi64(_mm512_srli_epi64(t, 32), _mm512_srli_epi64(u, 32)));
    // hi = hiHigh·2^32 + hiLow: hiHigh·2^96 ≡ −hiHigh, hiLow·2^64 ≡ hiLow·ε.
    __m512i hiHigh = _mm512_srli_epi64(hi, 32);
    __m512i hiLow = _mm512_and_si512(hi, low32);
    __m512i t0 = _mm512_sub_epi64(lo, hiHigh);
    __mmask8 borrow = _mm512_cmplt_epu64_mask(lo, hiHigh);
    t0 = _mm512_mask_sub_epi64(t0, borrow, t0, low32);  // the borrow added 2^64 ≡ ε
    __m512i t1 = _mm512_sub_epi64(_mm512_slli_epi64(hiLow, 32), hiLow);
    __m512i t2 = _mm512_add_epi64(t0, t1);
    __mmask8 carry = _mm512_cmplt_epu64_mask(t2, t1);
    t2 = _mm512_mask_add_epi64(t2, carry, t2, low32);
    __mmask8 high = _mm512_cmpge_epu64_mask(t2, p);
    return _mm512_mask_sub_epi64(t2, high, t2, p);
}

/// (u, v) ← (u + v·w, u − v·w).
static AVX512 inline void gl_butterfly(__m512i *u, __m512i *v, __m512i w) {
    __m512i vw = gl_mul(*v, w);
    __m512i a = *u;
    *u = gl_add(a, vw);
    *v = gl_sub(a, vw);
}

/// (u, v) ← (u + v, u − v): the stage of half-width 1, whose twiddle is 1.
static AVX512 inline void gl_butterfly_unit(__m512i *u, __m512i *v) {
    __m512i a = *u;
    *u = gl_add(a, *v);
    *v = gl_sub(a, *v);
}

AVX512 void zk_goldilocks_ntt_first_stages(uint64_t *values, size_t count, const uint64_t *twiddles) {
    // Sixteen values x = e0…e7, y = e8…e15 in registers. Stage h pairs e_i with
    // e_{i+h} inside blocks of 2h: gather the first halves into U and the second
    // into V, butterfly, and scatter back (indices ≥ 8 name the second operand).
    const __m512i u4 = _mm512_setr_epi64(0, 1, 2, 3, 8, 9, 10, 11);
    const __m512i v4 = _mm512_setr_epi64(4, 5, 6, 7, 12, 13, 14, 15);
    const __m512i u2 = _mm512_setr_epi64(0, 1, 4, 5, 8, 9, 12, 13);
    const __m512i v2 = _mm512_setr_epi64(2, 3, 6, 7, 10, 11, 14, 15);
    const __m512i x2 = _mm512_setr_epi64(0, 1, 8, 9, 2, 3, 10, 11);
    const __m512i y2 = _mm512_setr_epi64(4, 5, 12, 13, 6, 7, 14, 15);
    const __m512i u1 = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);
    const __m512i v1 = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);
    const __m512i x1 = _mm512_setr_epi64(0, 8, 1, 9, 2, 10, 3, 11);
    const __m512i y1 = _mm512_setr_epi64(4, 12, 5, 13, 6, 14, 7, 15);
    const __m512i w2 = _mm512_setr_epi64((long long)twiddles[2], (long long)twiddles[3], (long long)twiddles[2],
                                         (long long)twiddles[3], (long long)twiddles[2], (long long)twiddles[3],
                                         (long long)twiddles[2], (long long)twiddles[3]);
    const __m512i w4 = _mm512_setr_epi64((long long)twiddles[4], (long long)twiddles[5], (long long)twiddles[6],
                                         (long long)twiddles[7], (long long)twiddles[4], (long long)twiddles[5],
                                         (long long)twiddles[6], (long long)twiddles[7]);
    for (size_t i = 0; i < count; i += 16) {
        __m512i x = _mm512_loadu_si512((const void *)(values + i));
        __m512i y = _mm512_loadu_si512((const void *)(values + i + 8));
        __m512i u = _mm512_permutex2var_epi64(x, u1, y);
        __m512i v = _mm512_permutex2var_epi64(x, v1, y);
        gl_butterfly_unit(&u, &v);
        x = _mm512_permutex2var_epi64(u, x1, v);
        y = _mm512_permutex2var_epi64(u, y1, v);
        u = _mm512_permutex2var_epi64(x, u2, y);
        v = _mm512_permutex2var_epi64(x, v2, y);
        gl_butterfly(&u, &v, w2);
        x = _mm512_permutex2var_epi64(u, x2, v);
        y = _mm512_permutex2var_epi64(u, y2, v);
        u = _mm512_permutex2var_epi64(x, u4, y);
        v = _mm512_permutex2var_epi64(x, v4, y);
        gl_butterfly(&u, &v, w4);
        // For h = 4 the scatter indices equal the gather ones.
        x = _mm512_permutex2var_epi64(u, u4, v);
        y = _mm512_permutex2var_epi64(u, v4, v);
        _mm512_storeu_si512((void *)(values + i), x);
        _mm512_storeu_si512((void *)(values + i + 8), y);
    }
}

AVX512 void zk_goldilocks_ntt_stage(uint64_t *values, size_t half, size_t block_begin, size_t block_end,
                                    size_t j_begin, size_t j_end, const uint64_t *stage_twiddles) {
    for (size_t b = block_begin; b < block_end; b++) {
        uint64_t *p0 = values + b * 2 * half;
        uint64_t *p1 = p0 + half;
        for (size_t j = j_begin; j < j_end; j += 8) {
            __m512i u = _mm512_loadu_si512((const void *)(p0 + j));
            __m512i v = _mm512_loadu_si512((const void *)(p1 + j));
            __m512i w = _mm512_loadu_si512((const void *)(stage_twiddles + j));
            gl_butterfly(&u, &v, w);
            _mm512_storeu_si512((void *)(p0 + j), u);
            _mm512_storeu_si512((void *)(p1 + j), v);
        }
    }
}

AVX512 void zk_goldilocks_ntt_stage_pair(uint64_t *values, size_t half, size_t block_begin, size_t block_end,
                                         size_t j_begin, size_t j_end, const uint64_t *twiddles) {
    const uint64_t *inner = twiddles + half;      // ω_{2h}^j
    const uint64_t *outer = twiddles + 2 * half;  // ω_{4h}^j, j < 2h
    for (size_t b = block_begin; b < block_end; b++) {
        uint64_t *p0 = values + b * 4 * half;
        uint64_t *p1 = p0 + half, *p2 = p1 + half, *p3 = p2 + half;
        for (size_t j = j_begin; j < j_end; j += 8) {
            __m512i x0 = _mm512_loadu_si512((const void *)(p0 + j));
            __m512i x1 = _mm512_loadu_si512((const void *)(p1 + j));
            __m512i x2 = _mm512_loadu_si512((const void *)(p2 + j));
            __m512i x3 = _mm512_loadu_si512((const void *)(p3 + j));
            __m512i w = _mm512_loadu_si512((const void *)(inner + j));
            gl_butterfly(&x0, &x1, w);  // stage h, block at p0
            gl_butterfly(&x2, &x3, w);  // stage h, block at p2
            gl_butterfly(&x0, &x2, _mm512_loadu_si512((const void *)(outer + j)));         // stage 2h, j
            gl_butterfly(&x1, &x3, _mm512_loadu_si512((const void *)(outer + half + j)));  // stage 2h, h + j
            _mm512_storeu_si512((void *)(p0 + j), x0);
            _mm512_storeu_si512((void *)(p1 + j), x1);
            _mm512_storeu_si512((void *)(p2 + j), x2);
            _mm512_storeu_si512((void *)(p3 + j), x3);
        }
    }
}

AVX512 void zk_goldilocks_scale(uint64_t *values, size_t count, uint64_t factor) {
    const __m512i f = _mm512_set1_epi64((long long)factor);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m512i x = _mm512_loadu_si512((const void *)(values + i));
        _mm512_storeu_si512((void *)(values + i), gl_mul(x, f));
    }
    if (i < count) {
        __mmask8 tail = (__mmask8)((1u << (count - i)) - 1);
        __m512i x = _mm512_maskz_loadu_epi64(tail, (const void *)(values + i));
        _mm512_mask_storeu_epi64((void *)(values + i), tail, gl_mul(x, f));
    }
}

AVX512 void zk_goldilocks_mul(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m512i x = _mm512_loadu_si512((const void *)(a + i));
        __m512i y = _mm512_loadu_si512((const void *)(b + i));
        _mm512_storeu_si512((void *)(out + i), gl_mul(x, y));
    }
    if (i < count) {
        __mmask8 tail = (__mmask8)((1u << (count - i)) - 1);
        __m512i x = _mm512_maskz_loadu_epi64(tail, (const void *)(a + i));
        __m512i y = _mm512_maskz_loadu_epi64(tail, (const void *)(b + i));
        _mm512_mask_storeu_epi64((void *)(out + i), tail, gl_mul(x, y));
    }
}

AVX512 void zk_goldilocks_mul_scaled(uint64_t *out, const uint64_t *a, const uint64_t *b, uint64_t scale,
                                     size_t count) {
    const __m512i s = _mm512_set1_epi64((long long)scale);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m512i x = _mm512_loadu_si512((const void *)(a + i));
        __m512i y = _mm512_loadu_si512((const void *)(b + i));
        _mm512_storeu_si512((void *)(out + i), gl_mul(x, gl_mul(y, s)));
    }
    if (i < count) {
        __mmask8 tail = (__mmask8)((1u << (count - i)) - 1);
        __m512i x = _mm512_maskz_loadu_epi64(tail, (const void *)(a + i));
        __m512i y = _mm512_maskz_loadu_epi64(tail, (const void *)(b + i));
        _mm512_mask_storeu_epi64((void *)(out + i), tail, gl_mul(x, gl_mul(y, s)));
    }
}

// ---- element-wise arrays (the constraint evaluator's registers) -----------
// Each loops in steps of 8 with a masked tail; outputs may alias inputs
// element for element (every lane is read before it is written).

#define ZK_TAIL(count, i) ((__mmask8)((1u << ((count) - (i))) - 1))
#define ZK_LOAD(p, i, m) _mm512_maskz_loadu_epi64((m), (const void *)((p) + (i)))
#define ZK_STORE(p, i, m, v) _mm512_mask_storeu_epi64((void *)((p) + (i)), (m), (v))

AVX512 void zk_goldilocks_add(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t count) {
    for (size_t i = 0; i < count; i += 8) {
        __mmask8 m = count - i >= 8 ? (__mmask8)0xFF : ZK_TAIL(count, i);
        ZK_STORE(out, i, m, gl_add(ZK_LOAD(a, i, m), ZK_LOAD(b, i, m)));
    }
}

AVX512 void zk_goldilocks_sub(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t count) {
    for (size_t i = 0; i < count; i += 8) {
        __mmask8 m = count - i >= 8 ? (__mmask8)0xFF : ZK_TAIL(count, i);
        ZK_STORE(out, i, m, gl_sub(ZK_LOAD(a, i, m), ZK_LOAD(b, i, m)));
    }
}

AVX512 void zk_goldilocks_neg(uint64_t *out, const uint64_t *a, size_t count) {
    const __m512i zero = _mm512_setzero_si512();
    for (size_t i = 0; i < count; i += 8) {
        __mmask8 m = count - i >= 8 ? (__mmask8)0xFF : ZK_TAIL(count, i);
        ZK_STORE(out, i, m, gl_sub(zero, ZK_LOAD(a, i, m)));
    }
}

/// (a0 + a1·u)(b0 + b1·u) with u² = 7, Karatsuba's middle term.
static AVX512 inline void gl_ext_mul(__m512i a0, __m512i a1, __m512i b0, __m512i b1, __m512i *c0, __m512i *c1) {
    const __m512i seven = _mm512_set1_epi64(7);
    __m512i p0 = gl_mul(a0, b0);
    __m512i p1 = gl_mul(a1, b1);
    __m512i mid = gl_mul(gl_add(a0, a1), gl_add(b0, b1));
    *c1 = gl_sub(gl_sub(mid, p0), p1);
    *c0 = gl_add(p0, gl_mul(p1, seven));
}

AVX512 void zk_goldilocks_ext_mul(uint64_t *out0, uint64_t *out1, const uint64_t *a0, const uint64_t *a1,
                                  const uint64_t *b0, const uint64_t *b1, size_t count) {
    for (size_t i = 0; i < count; i += 8) {
        __mmask8 m = count - i >= 8 ? (__mmask8)0xFF : ZK_TAIL(count, i);
        __m512i c0, c1;
        gl_ext_mul(ZK_LOAD(a0, i, m), ZK_LOAD(a1, i, m), ZK_LOAD(b0, i, m), ZK_LOAD(b1, i, m), &c0, &c1);
        ZK_STORE(out0, i, m, c0);
        ZK_STORE(out1, i, m, c1);
    }
}

AVX512 void zk_goldilocks_ext_horner(uint64_t *acc0, uint64_t *acc1, const uint64_t *x0, const uint64_t *x1,
                                     uint64_t alpha0, uint64_t alpha1, size_t count) {
    const __m512i al0 = _mm512_set1_epi64((long long)alpha0), al1 = _mm512_set1_epi64((long long)alpha1);
    for (size_t i = 0; i < count; i += 8) {
        __mmask8 m = count - i >= 8 ? (__mmask8)0xFF : ZK_TAIL(count, i);
        __m512i c0, c1;
        // Every input is loaded before the first store, so x may alias acc.
        __m512i y0 = ZK_LOAD(x0, i, m), y1 = ZK_LOAD(x1, i, m);
        gl_ext_mul(ZK_LOAD(acc0, i, m), ZK_LOAD(acc1, i, m), al0, al1, &c0, &c1);
        ZK_STORE(acc0, i, m, gl_add(c0, y0));
        ZK_STORE(acc1, i, m, gl_add(c1, y1));
    }
}

/// (a0 + a1·u + a2·u²)(b0 + b1·u + b2·u²) with u³ = 7: the three diagonal
/// products and the three cross sums by Karatsuba (six products in all).
static AVX512 inline void gl_ext3_mul(__m512i a0, __m512i a1, __m512i a2, __m512i b0, __m512i b1, __m512i b2,
                                      __m512i *c0, __m512i *c1, __m512i *c2) {
    const __m512i seven = _mm512_set1_epi64(7);
    __m512i p0 = gl_mul(a0, b0), p1 = gl_mul(a1, b1), p2 = gl_mul(a2, b2);
    __m512i s01 = gl_sub(gl_sub(gl_mul(gl_add(a0, a1), gl_add(b0, b1)), p0), p1);
    __m512i s02 = gl_sub(gl_sub(gl_mul(gl_add(a0, a2), gl_add(b0, b2)), p0), p2);
    __m512i s12 = gl_sub(gl_sub(gl_mul(gl_add(a1, a2), gl_add(b1, b2)), p1), p2);
    *c0 = gl_add(p0, gl_mul(s12, seven));
    *c1 = gl_add(s01, gl_mul(p2, seven));
    *c2 = gl_add(s02, p1);
}

AVX512 void zk_goldilocks_ext3_mul(uint64_t *out0, uint64_t *out1, uint64_t *out2,
                                   const uint64_t *a0, const uint64_t *a1, const uint64_t *a2,
                                   const uint64_t *b0, const uint64_t *b1, const uint64_t *b2, size_t count) {
    for (size_t i = 0; i < count; i += 8) {
        __mmask8 m = count - i >= 8 ? (__mmask8)0xFF : ZK_TAIL(count, i);
        __m512i c0, c1, c2;
        gl_ext3_mul(ZK_LOAD(a0, i, m), ZK_LOAD(a1, i, m), ZK_LOAD(a2, i, m),
                    ZK_LOAD(b0, i, m), ZK_LOAD(b1, i, m), ZK_LOAD(b2, i, m), &c0, &c1, &c2);
        ZK_STORE(out0, i, m, c0);
        ZK_STORE(out1, i, m, c1);
        ZK_STORE(out2, i, m, c2);
    }
}

AVX512 void zk_goldilocks_ext3_horner(uint64_t *acc0, uint64_t *acc1, uint64_t *acc2,
                                      const uint64_t *x0, const uint64_t *x1, const uint64_t *x2,
                                      uint64_t alpha0, uint64_t alpha1, uint64_t alpha2, size_t count) {
    const __m512i al0 = _mm512_set1_epi64((long long)alpha0), al1 = _mm512_set1_epi64((long long)alpha1),
                  al2 = _mm512_set1_epi64((long long)alpha2);
    for (size_t i = 0; i < count; i += 8) {
        __mmask8 m = count - i >= 8 ? (__mmask8)0xFF : ZK_TAIL(count, i);
        __m512i c0, c1, c2;
        // Every input is loaded before the first store, so x may alias acc.
        __m512i y0 = ZK_LOAD(x0, i, m), y1 = ZK_LOAD(x1, i, m), y2 = ZK_LOAD(x2, i, m);
        gl_ext3_mul(ZK_LOAD(acc0, i, m), ZK_LOAD(acc1, i, m), ZK_LOAD(acc2, i, m), al0, al1, al2, &c0, &c1, &c2);
        ZK_STORE(acc0, i, m, gl_add(c0, y0));
        ZK_STORE(acc1, i, m, gl_add(c1, y1));
        ZK_STORE(acc2, i, m, gl_add(c2, y2));
    }
}

int zk_goldilocks_avx512_available(void) {
    // No cache here (a static would be a data race between threads); Swift
    // asks once and keeps the answer.
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
}

#else  // not x86-64: no vector kernels; the Swift code never calls the others.

int zk_goldilocks_avx512_available(void) { return 0; }
void zk_goldilocks_ntt_first_stages(uint64_t *values, size_t count, const uint64_t *twiddles) {
    (void)values; (void)count; (void)twiddles; __builtin_trap();
}
void zk_goldilocks_ntt_stage(uint64_t *values, size_t half, size_t block_begin, size_t block_end,
                             size_t j_begin, size_t j_end, const uint64_t *stage_twiddles) {
    (void)values; (void)half; (void)block_begin; (void)block_end; (void)j_begin; (void)j_end;
    (void)stage_twiddles; __builtin_trap();
}
void zk_goldilocks_ntt_stage_pair(uint64_t *values, size_t half, size_t block_begin, size_t block_end,
                                  size_t j_begin, size_t j_end, const uint64_t *twiddles) {
    (void)values; (void)half; (void)block_begin; (void)block_end; (void)j_begin; (void)j_end;
    (void)twiddles; __builtin_trap();
}
void zk_goldilocks_scale(uint64_t *values, size_t count, uint64_t factor) {
    (void)values; (void)count; (void)factor; __builtin_trap();
}
void zk_goldilocks_mul(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t count) {
    (void)out; (void)a; (void)b; (void)count; __builtin_trap();
}
void zk_goldilocks_mul_scaled(uint64_t *out, const uint64_t *a, const uint64_t *b, uint64_t scale,
                              size_t count) {
    (void)out; (void)a; (void)b; (void)scale; (void)count; __builtin_trap();
}

void zk_goldilocks_add(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t count) {
    (void)out; (void)a; (void)b; (void)count; __builtin_trap();
}
void zk_goldilocks_sub(uint64_t *out, const uint64_t *a, const uint64_t *b, size_t count) {
    (void)out; (void)a; (void)b; (void)count; __builtin_trap();
}
void zk_goldilocks_neg(uint64_t *out, const uint64_t *a, size_t count) {
    (void)out; (void)a; (void)count; __builtin_trap();
}
void zk_goldilocks_ext_mul(uint64_t *out0, uint64_t *out1, const uint64_t *a0, const uint64_t *a1,
                           const uint64_t *b0, const uint64_t *b1, size_t count) {
    (void)out0; (void)out1; (void)a0; (void)a1; (void)b0; (void)b1; (void)count; __builtin_trap();
}
void zk_goldilocks_ext_horner(uint64_t *acc0, uint64_t *acc1, const uint64_t *x0, const uint64_t *x1,
                              uint64_t alpha0, uint64_t alpha1, size_t count) {
    (void)acc0; (void)acc1; (void)x0; (void)x1; (void)alpha0; (void)alpha1; (void)count; __builtin_trap();
}

void zk_goldilocks_ext3_mul(uint64_t *out0, uint64_t *out1, uint64_t *out2,
                            const uint64_t *a0, const uint64_t *a1, const uint64_t *a2,
                            const uint64_t *b0, const uint64_t *b1, const uint64_t *b2, size_t count) {
    (void)out0; (void)out1; (void)out2; (void)a0; (void)a1; (void)a2; (void)b0; (void)b1; (void)b2; (void)count;
    __builtin_trap();
}
void zk_goldilocks_ext3_horner(uint64_t *acc0, uint64_t *acc1, uint64_t *acc2,
                               const uint64_t *x0, const uint64_t *x1, const uint64_t *x2,
                               uint64_t alpha0, uint64_t alpha1, uint64_t alpha2, size_t count) {
    (void)acc0; (void)acc1; (void)acc2; (void)x0; (void)x1; (void)x2; (void)alpha0; (void)alpha1; (void)alpha2;
    (void)count; __builtin_trap();
}

#endif
