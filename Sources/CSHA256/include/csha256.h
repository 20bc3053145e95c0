// SHA-256 (FIPS 180-4) for the prover's Merkle trees and transcript, using the
// x86 SHA extensions (SHA-NI) when the processor has them and a portable C
// implementation otherwise. Written for zkpolicyc from the FIPS 180-4 text and
// Intel's description of the SHA extensions.
#ifndef ZK_CSHA256_H
#define ZK_CSHA256_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when the SHA-NI code path is in use, 0 for the portable one.
int zk_sha256_uses_shani(void);

/// Forces the portable implementation (for tests and measurements) when `on` is 1.
void zk_sha256_force_portable(int on);

/// SHA-256 of `length` bytes at `data` into `out` (32 bytes).
void zk_sha256(const uint8_t *data, size_t length, uint8_t *out);

/// SHA-256 of `count` messages of `length` bytes each, message i at
/// in + stride·i, digest i written to out + 32·i. With SHA-NI, three messages
/// are hashed side by side (about twice the throughput of one at a time).
void zk_sha256_many(const uint8_t *in, size_t stride, size_t length, size_t count, uint8_t *out);

/// SHA-256 of each of `count` consecutive 64-byte inputs (two 32-byte digests
/// side by side: a Merkle node), digest i written to out + 32·i.
void zk_sha256_64_many(const uint8_t *in, size_t count, uint8_t *out);

#ifdef __cplusplus
}
#endif
#endif
