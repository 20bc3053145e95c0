/// A sum of products of Goldilocks elements kept unreduced and reduced once
/// at the end.
///
/// Why: a dot product of n terms reduced after every product does n
/// reductions of a 128-bit value; accumulating the products' halves (one
/// widening multiply and two 128-bit additions per term) and reducing once
/// took the prover's out-of-domain values from 26 to 12–17 ms at 2^18 × 16.
/// Exact up to 2^64 terms.
@frozen
public struct UnreducedSum: Sendable {
    /// The sums of the products' low and high 64-bit halves: each grows by
    /// less than 2^64 per term, so neither wraps before 2^64 terms, and the
    /// additions are carry chains without branches (a carry tested with a
    /// branch was mispredicted about every other term).
    @usableFromInline var low: UInt128 = 0
    @usableFromInline var high: UInt128 = 0

    @inlinable
    public init() {}

    /// Adds a·b.
    @inlinable @inline(__always)
    public mutating func add(_ a: Goldilocks, times b: Goldilocks) {
        let (h, l) = a.value.multipliedFullWidth(by: b.value)
        low &+= UInt128(l)
        high &+= UInt128(h)
    }

    /// The sum modulo p. With low = a1·2^64 + a0 and high = b1·2^64 + b0 it
    /// is b1·2^128 + (a1 + b0)·2^64 + a0, and 2^64 ≡ 2^32 − 1, 2^128 ≡ −2^32.
    @inlinable
    public var value: Goldilocks {
        let a0 = Goldilocks(UInt64(truncatingIfNeeded: low)), a1 = Goldilocks(UInt64(truncatingIfNeeded: low >> 64))
        let b0 = Goldilocks(UInt64(truncatingIfNeeded: high)), b1 = Goldilocks(UInt64(truncatingIfNeeded: high >> 64))
        let twoTo64 = Goldilocks(canonical: 0xFFFF_FFFF), twoTo128 = Goldilocks(canonical: Goldilocks.modulus - (1 << 32))
        return a0 + (a1 + b0) * twoTo64 + b1 * twoTo128
    }
}
