/// An element of the Goldilocks prime field, p = 2^64 − 2^32 + 1.
///
/// The value is always kept canonical, in `0 ..< p`. The prime's shape makes
/// reduction of a 128-bit product cheap: 2^64 ≡ 2^32 − 1 and 2^96 ≡ −1 (mod p).
@frozen
public struct Goldilocks: Hashable, Sendable {
    /// The field modulus p = 2^64 − 2^32 + 1.
    public static let modulus: UInt64 = 0xFFFF_FFFF_0000_0001

    /// 2^32 − 1, which is 2^64 mod p.
    @usableFromInline static let epsilon: UInt64 = 0xFFFF_FFFF

    /// The canonical representative, in `0 ..< p`.
    public let value: UInt64

    /// The element `value mod p`.
    @inlinable
    public init(_ value: UInt64) {
        self.value = value >= Goldilocks.modulus ? value &- Goldilocks.modulus : value
    }

    /// The element for a signed integer, negative numbers mapping to p − |n|.
    @inlinable
    public init(signed n: Int64) {
        if n >= 0 {
            self.init(UInt64(n))
        } else {
            self = -Goldilocks(UInt64(n.magnitude))
        }
    }

    /// Wraps an already-canonical value without checking it.
    ///
    /// INVARIANT: `value < p`; callers use it on results of their own reduction.
    @inlinable
    public init(canonical value: UInt64) {
        self.value = value
    }

    public static let zero = Goldilocks(canonical: 0)
    public static let one = Goldilocks(canonical: 1)

    /// Reduces a 128-bit integer `hi·2^64 + lo` modulo p.
    @inlinable
    public static func reduce(hi: UInt64, lo: UInt64) -> Goldilocks {
        let hiHi = hi >> 32
        let hiLo = hi & epsilon
        // hiHi·2^96 ≡ −hiHi because 2^96 ≡ −1 (mod p).
        var (t0, borrow) = lo.subtractingReportingOverflow(hiHi)
        if borrow { t0 &-= epsilon }  // the borrow added 2^64 ≡ ε; cannot underflow as lo < hiHi < 2^32
        let t1 = hiLo &* epsilon  // hiLo·2^64 ≡ hiLo·ε, fits in 64 bits
        let (sum, carry) = t0.addingReportingOverflow(t1)
        let t2 = carry ? sum &+ epsilon : sum
        return Goldilocks(t2)
    }

    @inlinable
    public static func + (a: Goldilocks, b: Goldilocks) -> Goldilocks {
        let (sum, carry) = a.value.addingReportingOverflow(b.value)
        // On carry the true sum is sum + 2^64 ≡ sum + ε, which is then < p.
        return carry ? Goldilocks(canonical: sum &+ epsilon) : Goldilocks(sum)
    }

    @inlinable
    public static func - (a: Goldilocks, b: Goldilocks) -> Goldilocks {
        let (diff, borrow) = a.value.subtractingReportingOverflow(b.value)
        return borrow ? Goldilocks(canonical: diff &+ modulus) : Goldilocks(canonical: diff)
    }

    @inlinable
    public static prefix func - (a: Goldilocks) -> Goldilocks {
        a.value == 0 ? a : Goldilocks(canonical: modulus - a.value)
    }

    @inlinable
    public static func * (a: Goldilocks, b: Goldilocks) -> Goldilocks {
        let (hi, lo) = a.value.multipliedFullWidth(by: b.value)
        return reduce(hi: hi, lo: lo)
    }

    @inlinable public static func += (a: inout Goldilocks, b: Goldilocks) { a = a + b }
    @inlinable public static func -= (a: inout Goldilocks, b: Goldilocks) { a = a - b }
    @inlinable public static func *= (a: inout Goldilocks, b: Goldilocks) { a = a * b }

    /// `self` raised to `exponent`, by square-and-multiply.
    @inlinable
    public func power(_ exponent: UInt64) -> Goldilocks {
        squareAndMultiply(self, exponent, one: .one, *)
    }

    /// The multiplicative inverse; the inverse of zero is zero (callers that
    /// divide must check for zero themselves).
    @inlinable
    public var inverse: Goldilocks {
        power(Goldilocks.modulus - 2)
    }

    /// Whether this is the zero element.
    @inlinable public var isZero: Bool { value == 0 }
}

extension Goldilocks: ExpressibleByIntegerLiteral {
    @inlinable
    public init(integerLiteral value: UInt64) { self.init(value) }
}

extension Goldilocks: CustomStringConvertible {
    public var description: String { String(value) }
}
