/// A sum of products of Goldilocks elements, reduced modulo p once at the end.
///
/// Each `add(_:times:)` adds the full 128-bit product to a 192-bit integer
/// instead of reducing it, which roughly halves the cost of long dot products
/// (the verifier's barycentric sums over every fixed column). Exact for up to
/// 2^64 terms.
@frozen
public struct ProductSum: Sendable {
    @usableFromInline var lo: UInt64 = 0
    @usableFromInline var hi: UInt64 = 0
    @usableFromInline var top: UInt64 = 0

    @inlinable public init() {}

    /// Adds a·b.
    @inlinable
    public mutating func add(_ a: Goldilocks, times b: Goldilocks) {
        let (ph, pl) = a.value.multipliedFullWidth(by: b.value)
        let (l, c1) = lo.addingReportingOverflow(pl)
        lo = l
        // ph ≤ (p − 1)²/2^64 < 2^64 − 1, so ph + 1 cannot overflow.
        let (h, c2) = hi.addingReportingOverflow(ph &+ (c1 ? 1 : 0))
        hi = h
        top &+= c2 ? 1 : 0
    }

    /// The sum modulo p: top·2^128 + hi·2^64 + lo, with 2^128 ≡ −2^32 (mod p).
    @inlinable
    public var value: Goldilocks {
        Goldilocks.reduce(hi: hi, lo: lo) - Goldilocks(top) * Goldilocks(canonical: 1 << 32)
    }
}
