// SHA-256 per FIPS 180-4; see include/csha256.h.
#include "csha256.h"
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ZK_HAVE_X86 1
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t H0[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

// ---- portable compression -------------------------------------------------

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void compress_portable(uint32_t state[8], const uint8_t *blocks, size_t count) {
    for (size_t b = 0; b < count; b++, blocks += 64) {
        uint32_t w[64];
        for (int t = 0; t < 16; t++) {
            w[t] = ((uint32_t)blocks[4 * t] << 24) | ((uint32_t)blocks[4 * t + 1] << 16) |
                   ((uint32_t)blocks[4 * t + 2] << 8) | (uint32_t)blocks[4 * t + 3];
        }
        for (int t = 16; t < 64; t++) {
            uint32_t s0 = ROTR(w[t - 15], 7) ^ ROTR(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint32_t s1 = ROTR(w[t - 2], 17) ^ ROTR(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint32_t a = state[0], b2 = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 64; t++) {
            uint32_t S1 = ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25);
            uint32_t ch = (e & f) ^ (~e & g);
            uint32_t t1 = h + S1 + ch + K[t] + w[t];
            uint32_t S0 = ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22);
            uint32_t maj = (a & b2) ^ (a & c) ^ (b2 & c);
            uint32_t t2 = S0 + maj;
            h = g; g = f; f = e; e = d + t1;
            d = c; c = b2; b2 = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b2; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
}

// ---- SHA-NI compression ---------------------------------------------------

#ifdef ZK_HAVE_X86
// The SHA instructions keep the state as (A,B,E,F) and (C,D,G,H).
__attribute__((target("sha,sse4.1,ssse3"), always_inline))
static inline void shani_load(const uint32_t state[8], __m128i *s0, __m128i *s1) {
    __m128i abcd = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i efgh = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i cdab = _mm_shuffle_epi32(abcd, 0xB1);
    __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);
    *s0 = _mm_alignr_epi8(cdab, hgfe, 8);     // A B E F (high to low: A,B,E,F)
    *s1 = _mm_blend_epi16(hgfe, cdab, 0xF0);  // C D G H
}

__attribute__((target("sha,sse4.1,ssse3"), always_inline))
static inline void shani_store(__m128i s0, __m128i s1, uint32_t state[8]) {
    __m128i feba = _mm_shuffle_epi32(s0, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(s1, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}

// One block for each of `lanes` independent states (lanes a compile-time
// constant after inlining). A round depends on the previous round of its own
// message only, so interleaving independent messages fills the latency of
// `sha256rnds2`: measured on these machines (AMD, family 26), two lanes hash
// 1.5 times as fast as one and three lanes 2 times; four spill registers.
__attribute__((target("sha,sse4.1,ssse3"), always_inline))
static inline void shani_block_lanes(__m128i *s0, __m128i *s1, const uint8_t *const *blocks, const int lanes) {
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i save0[3], save1[3], m[3][4];
    for (int l = 0; l < lanes; l++) {
        save0[l] = s0[l];
        save1[l] = s1[l];
        for (int i = 0; i < 4; i++) {
            m[l][i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks[l] + 16 * i)), byteSwap);
        }
    }
    for (int g = 0; g < 16; g++) {
        const __m128i k = _mm_loadu_si128((const __m128i *)&K[4 * g]);
        __m128i msg[3];
        for (int l = 0; l < lanes; l++) {
            msg[l] = _mm_add_epi32(m[l][g & 3], k);
            s1[l] = _mm_sha256rnds2_epu32(s1[l], s0[l], msg[l]);
        }
        for (int l = 0; l < lanes; l++) {
            s0[l] = _mm_sha256rnds2_epu32(s0[l], s1[l], _mm_shuffle_epi32(msg[l], 0x0E));
        }
        if (g < 12) {
            for (int l = 0; l < lanes; l++) {
                // Words of group g+4 from groups g … g+3 (FIPS 180-4 §6.2.2 step 1).
                __m128i t = _mm_sha256msg1_epu32(m[l][g & 3], m[l][(g + 1) & 3]);
                t = _mm_add_epi32(t, _mm_alignr_epi8(m[l][(g + 3) & 3], m[l][(g + 2) & 3], 4));
                m[l][g & 3] = _mm_sha256msg2_epu32(t, m[l][(g + 3) & 3]);
            }
        }
    }
    for (int l = 0; l < lanes; l++) {
        s0[l] = _mm_add_epi32(s0[l], save0[l]);
        s1[l] = _mm_add_epi32(s1[l], save1[l]);
    }
}

__attribute__((target("sha,sse4.1,ssse3")))
static void compress_shani(uint32_t state[8], const uint8_t *blocks, size_t count) {
    __m128i s0, s1;
    shani_load(state, &s0, &s1);
    for (size_t b = 0; b < count; b++, blocks += 64) shani_block_lanes(&s0, &s1, &blocks, 1);
    shani_store(s0, s1, state);
}
#endif

// ---- dispatch ---------------------------------------------------------------

static int use_shani = -1;
static int force_portable = 0;

int zk_sha256_uses_shani(void) {
#ifdef ZK_HAVE_X86
    if (use_shani < 0) {
        __builtin_cpu_init();
        use_shani = __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1") ? 1 : 0;
    }
    return use_shani && !force_portable;
#else
    return 0;
#endif
}

void zk_sha256_force_portable(int on) { force_portable = on; }

static void compress(uint32_t state[8], const uint8_t *blocks, size_t count) {
#ifdef ZK_HAVE_X86
    if (zk_sha256_uses_shani()) { compress_shani(state, blocks, count); return; }
#endif
    compress_portable(state, blocks, count);
}

static void store_digest(const uint32_t state[8], uint8_t *out) {
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(state[i] >> 24);
        out[4 * i + 1] = (uint8_t)(state[i] >> 16);
        out[4 * i + 2] = (uint8_t)(state[i] >> 8);
        out[4 * i + 3] = (uint8_t)state[i];
    }
}

// The padding of a message of `length` bytes (FIPS 180-4 §5.1.1): its last
// partial block, 0x80, zeros and the bit length big-endian, in one or two
// blocks of `tail` (128 bytes); returns the number of those blocks.
static size_t pad_tail(const uint8_t *message, size_t length, uint8_t *tail) {
    size_t full = length / 64, rest = length - full * 64;
    memset(tail, 0, 128);
    if (rest) memcpy(tail, message + full * 64, rest);
    tail[rest] = 0x80;
    size_t tailBlocks = rest + 9 <= 64 ? 1 : 2;
    uint64_t bits = (uint64_t)length * 8;
    for (int i = 0; i < 8; i++) tail[tailBlocks * 64 - 1 - i] = (uint8_t)(bits >> (8 * i));
    return tailBlocks;
}

void zk_sha256(const uint8_t *data, size_t length, uint8_t *out) {
    uint32_t state[8];
    memcpy(state, H0, sizeof state);
    size_t full = length / 64;
    if (full) compress(state, data, full);
    uint8_t tail[128];
    size_t tailBlocks = pad_tail(data, length, tail);
    compress(state, tail, tailBlocks);
    store_digest(state, out);
}

#ifdef ZK_HAVE_X86
// `lanes` messages of equal length, side by side.
__attribute__((target("sha,sse4.1,ssse3"), always_inline))
static inline void shani_hash_lanes(const uint8_t *in, size_t stride, size_t length, uint8_t *out, const int lanes) {
    uint8_t tails[3][128];
    size_t full = length / 64, tailBlocks = 1;
    __m128i s0[3], s1[3];
    for (int l = 0; l < lanes; l++) {
        tailBlocks = pad_tail(in + l * stride, length, tails[l]);
        shani_load(H0, &s0[l], &s1[l]);
    }
    for (size_t b = 0; b < full + tailBlocks; b++) {
        const uint8_t *blocks[3];
        for (int l = 0; l < lanes; l++) {
            blocks[l] = b < full ? in + l * stride + 64 * b : tails[l] + 64 * (b - full);
        }
        shani_block_lanes(s0, s1, blocks, lanes);
    }
    for (int l = 0; l < lanes; l++) {
        uint32_t state[8];
        shani_store(s0[l], s1[l], state);
        store_digest(state, out + 32 * l);
    }
}

__attribute__((target("sha,sse4.1,ssse3")))
static void shani_hash_many(const uint8_t *in, size_t stride, size_t length, size_t count, uint8_t *out) {
    size_t i = 0;
    for (; i + 3 <= count; i += 3) shani_hash_lanes(in + i * stride, stride, length, out + 32 * i, 3);
    if (count - i == 2) shani_hash_lanes(in + i * stride, stride, length, out + 32 * i, 2);
    if (count - i == 1) shani_hash_lanes(in + i * stride, stride, length, out + 32 * i, 1);
}
#endif

void zk_sha256_many(const uint8_t *in, size_t stride, size_t length, size_t count, uint8_t *out) {
#ifdef ZK_HAVE_X86
    if (zk_sha256_uses_shani()) { shani_hash_many(in, stride, length, count, out); return; }
#endif
    for (size_t i = 0; i < count; i++) zk_sha256(in + i * stride, length, out + 32 * i);
}

void zk_sha256_64_many(const uint8_t *in, size_t count, uint8_t *out) {
    zk_sha256_many(in, 64, 64, count, out);
}
