import BigNumber

/// A closed interval of exact rationals; a missing bound is infinite.
/// The interval analysis works on these: every bound is exact, never rounded.
public struct Interval: Hashable, Sendable, CustomStringConvertible {
    /// nil: −∞
    public let lower: Rational?
    /// nil: +∞
    public let upper: Rational?

    public init(_ lower: Rational?, _ upper: Rational?) {
        self.lower = lower
        self.upper = upper
    }

    public init(_ lower: Int, _ upper: Int) { self.init(Rational(lower), Rational(upper)) }

    public static func point(_ value: Rational) -> Interval { Interval(value, value) }

    public static let unbounded = Interval(nil, nil)

    public var isBounded: Bool { lower != nil && upper != nil }

    /// The single value of a point interval.
    public var point: Rational? {
        if let lower, let upper, lower == upper { return lower }
        return nil
    }

    public func contains(_ value: Rational) -> Bool {
        (lower.map { $0 <= value } ?? true) && (upper.map { value <= $0 } ?? true)
    }

    /// True when every value is strictly positive / non-negative / ...
    public var isPositive: Bool { lower.map { $0.signum > 0 } ?? false }
    public var isNonNegative: Bool { lower.map { $0.signum >= 0 } ?? false }
    public var isNonPositive: Bool { upper.map { $0.signum <= 0 } ?? false }
    public var containsZero: Bool { contains(.zero) }

    /// The largest magnitude of any value (nil when unbounded).
    public var magnitude: Rational? {
        guard let lower, let upper else { return nil }
        return Rational.max(lower.magnitude, upper.magnitude)
    }

    /// The smallest interval containing both.
    public func hull(_ other: Interval) -> Interval {
        let low: Rational? = (lower != nil && other.lower != nil) ? Rational.min(lower!, other.lower!) : nil
        let high: Rational? = (upper != nil && other.upper != nil) ? Rational.max(upper!, other.upper!) : nil
        return Interval(low, high)
    }

    /// The intersection (both are sound bounds of the same value); nil bounds
    /// are replaced by the other's.
    public func intersect(_ other: Interval) -> Interval {
        let low: Rational? = lower.map { a in other.lower.map { Rational.max(a, $0) } ?? a } ?? other.lower
        let high: Rational? = upper.map { a in other.upper.map { Rational.min(a, $0) } ?? a } ?? other.upper
        return Interval(low, high)
    }

    public static func + (a: Interval, b: Interval) -> Interval {
        Interval(a.lower.flatMap { x in b.lower.map { x + $0 } }, a.upper.flatMap { x in b.upper.map { x + $0 } })
    }

    public static prefix func - (a: Interval) -> Interval {
        Interval(a.upper.map { -$0 }, a.lower.map { -$0 })
    }

    public static func - (a: Interval, b: Interval) -> Interval { a + (-b) }

    public static func * (a: Interval, b: Interval) -> Interval {
        // A product with zero is zero even next to an infinite bound.
        if a.point?.isZero == true || b.point?.isZero == true { return .point(.zero) }
        guard let al = a.lower, let ah = a.upper, let bl = b.lower, let bh = b.upper else {
            return Interval.signedProduct(a, b)
        }
        let products = [al * bl, al * bh, ah * bl, ah * bh]
        return Interval(products.min()!, products.max()!)
    }

    /// Products with an infinite bound: only the sign pattern is kept.
    static func signedProduct(_ a: Interval, _ b: Interval) -> Interval {
        if a.isNonNegative && b.isNonNegative { return Interval(a.lower! * b.lower!, nil) }
        if a.isNonPositive && b.isNonPositive { return Interval(a.upper! * b.upper!, nil) }
        if a.isNonNegative && b.isNonPositive { return Interval(nil, a.lower! * b.upper!) }
        if a.isNonPositive && b.isNonNegative { return Interval(nil, a.upper! * b.lower!) }
        return .unbounded
    }

    /// `a / b` for a divisor that does not change sign (may touch zero, which
    /// makes the quotient unbounded on that side).
    public static func / (a: Interval, b: Interval) -> Interval {
        if b.isNonNegative, let bl = b.lower, bl.signum > 0 {
            // 1/b ∈ [1/bh, 1/bl]
            let inverse = Interval(b.upper.map { Rational.one.divided(by: $0)! } ?? .zero, Rational.one.divided(by: bl)!)
            return a * inverse
        }
        if b.isNonPositive, let bh = b.upper, bh.signum < 0 {
            return -(a / (-b))
        }
        // The divisor touches zero: only the sign survives.
        if a.isNonNegative && b.isNonNegative { return Interval(.zero, nil) }
        if a.isNonPositive && b.isNonNegative { return Interval(nil, .zero) }
        if a.isNonNegative && b.isNonPositive { return Interval(nil, .zero) }
        if a.isNonPositive && b.isNonPositive { return Interval(.zero, nil) }
        return .unbounded
    }

    public func absolute() -> Interval {
        if isNonNegative { return self }
        if isNonPositive { return -self }
        // Straddles zero.
        guard let lower, let upper else { return Interval(.zero, nil) }
        return Interval(.zero, Rational.max(lower.magnitude, upper.magnitude))
    }

    public static func minimum(_ a: Interval, _ b: Interval) -> Interval {
        Interval(a.lower.flatMap { x in b.lower.map { Rational.min(x, $0) } },
                 a.upper.map { x in b.upper.map { Rational.min(x, $0) } ?? x } ?? b.upper)
    }

    public static func maximum(_ a: Interval, _ b: Interval) -> Interval {
        Interval(a.lower.map { x in b.lower.map { Rational.max(x, $0) } ?? x } ?? b.lower,
                 a.upper.flatMap { x in b.upper.map { Rational.max(x, $0) } })
    }

    /// `[lo, hi]` with exact rationals, `-inf`/`inf` for missing bounds.
    public var description: String {
        "[\(lower.map(Interval.show) ?? "-inf"), \(upper.map(Interval.show) ?? "inf")]"
    }

    /// Integers in decimal (powers of two of 2^20 and above as `2^k`), others as `n/d`.
    static func show(_ value: Rational) -> String {
        func integer(_ n: BigInt) -> String {
            let magnitude = n.magnitude
            if magnitude.bitWidth > 20, magnitude == BigInt.powerOfTwo(magnitude.bitWidth - 1) {
                return (n.isNegative ? "-" : "") + "2^\(magnitude.bitWidth - 1)"
            }
            return n.description
        }
        return value.isInteger ? integer(value.numerator) : "\(integer(value.numerator))/\(integer(value.denominator))"
    }
}
