import Field

/// A proven bound on a value: in every witness that satisfies the circuit's
/// constraints, the value's signed representative (`Goldilocks.signedValue`)
/// lies in `lo … hi`.
///
/// `Interval.full` (all of −(p−1)/2 … (p−1)/2) means "nothing is known": any
/// field element has a signed representative there. Arithmetic on intervals
/// returns `.full` whenever the exact integer result could leave that range,
/// because then the field operation may wrap modulo p and the integer reading
/// of the result is lost — the fact gadgets use to refuse or insert range checks.
public struct Interval: Hashable, Sendable, CustomStringConvertible {
    public let lo: Int64
    public let hi: Int64

    /// An interval; `lo ≤ hi`, both within ±(p − 1)/2.
    @inlinable
    public init(_ lo: Int64, _ hi: Int64) {
        precondition(lo <= hi && lo >= -Goldilocks.halfModulus && hi <= Goldilocks.halfModulus,
                     "invalid interval \(lo)…\(hi)")
        self.lo = lo
        self.hi = hi
    }

    /// The interval `lo … hi` if it is a valid, non-wrapping range, else `.full`.
    @inlinable
    public static func clamped(_ lo: Int64, _ hi: Int64) -> Interval {
        guard lo <= hi, lo >= -Goldilocks.halfModulus, hi <= Goldilocks.halfModulus else { return .full }
        return Interval(lo, hi)
    }

    public static let full = Interval(-Goldilocks.halfModulus, Goldilocks.halfModulus)

    /// `0 … 2^bits − 1`, for 0 ≤ bits ≤ 62.
    @inlinable
    public static func bits(_ bits: Int) -> Interval {
        precondition((0...62).contains(bits))
        return Interval(0, (Int64(1) << bits) - 1)
    }

    /// The single value `c`.
    @inlinable
    public static func constant(_ c: Goldilocks) -> Interval {
        let s = c.signedValue
        return Interval(s, s)
    }

    /// Whether nothing is known.
    @inlinable public var isFull: Bool { self == .full }

    /// Whether every member is ≥ 0.
    @inlinable public var isNonNegative: Bool { lo >= 0 }

    /// The number of bits of the largest magnitude, max(|lo|, |hi|).
    @inlinable public var magnitudeBits: Int {
        let m = max(lo.magnitude, hi.magnitude)
        return m == 0 ? 0 : UInt64.bitWidth - m.leadingZeroBitCount
    }

    @inlinable
    public func contains(_ x: Int64) -> Bool { lo <= x && x <= hi }

    @inlinable
    public func contains(_ x: Goldilocks) -> Bool { contains(x.signedValue) }

    @inlinable
    public func isSubset(of other: Interval) -> Bool { other.lo <= lo && hi <= other.hi }

    /// The common part, or nil when the two are disjoint (the constraints that
    /// produced them cannot both hold).
    @inlinable
    public func intersection(_ other: Interval) -> Interval? {
        let l = max(lo, other.lo), h = min(hi, other.hi)
        return l <= h ? Interval(l, h) : nil
    }

    /// The smallest interval containing both.
    @inlinable
    public func hull(_ other: Interval) -> Interval {
        Interval(min(lo, other.lo), max(hi, other.hi))
    }

    @inlinable
    public static func + (a: Interval, b: Interval) -> Interval {
        let (l, o1) = a.lo.addingReportingOverflow(b.lo)
        let (h, o2) = a.hi.addingReportingOverflow(b.hi)
        return o1 || o2 ? .full : clamped(l, h)
    }

    @inlinable
    public static prefix func - (a: Interval) -> Interval { Interval(-a.hi, -a.lo) }

    @inlinable
    public static func - (a: Interval, b: Interval) -> Interval { a + (-b) }

    @inlinable
    public static func * (a: Interval, b: Interval) -> Interval {
        guard let p1 = exactProduct(a.lo, b.lo), let p2 = exactProduct(a.lo, b.hi),
              let p3 = exactProduct(a.hi, b.lo), let p4 = exactProduct(a.hi, b.hi) else { return .full }
        return clamped(min(p1, p2, p3, p4), max(p1, p2, p3, p4))
    }

    /// `c · a` for a field constant read as a signed integer.
    @inlinable
    public func scaled(by c: Goldilocks) -> Interval { self * .constant(c) }

    @inlinable
    static func exactProduct(_ x: Int64, _ y: Int64) -> Int64? {
        let (p, overflow) = x.multipliedReportingOverflow(by: y)
        return overflow ? nil : p
    }

    public var description: String { isFull ? "full" : "[\(lo), \(hi)]" }
}
