import BigNumber

/// What the interval analysis knows about a numeric node: the exact bounds of
/// its value, and the bounds of the integers that represent it in the circuit.
///
/// Every numeric value is lowered as a fraction `numerator / denominator` of
/// two field elements with a positive denominator (see docs/language.md,
/// "Numbers in the circuit"): an `int` has denominator 1, a `fixed` value from
/// data or a model has denominator 2^16, a `fixed` or `ratio` parameter 10^4,
/// a constant its exact denominator, a rate `count / count`. When the
/// denominator bounds are one point, the denominator is that constant.
public struct NumericRange: Hashable, Sendable, CustomStringConvertible {
    /// Exact bounds of the value (may be unbounded on a side, e.g. a quotient
    /// whose divisor may approach zero).
    public let value: Interval
    /// Bounds of the integer numerator (always bounded).
    public let numerator: Interval
    /// Bounds of the positive integer denominator (always bounded; a lower
    /// bound of 0 means "checked non-zero when proving").
    public let denominator: Interval

    public init(value: Interval, numerator: Interval, denominator: Interval) {
        // Both are sound; keep the tighter of direct interval arithmetic and numerator/denominator.
        var refined = value
        if denominator.isPositive { refined = value.intersect(numerator / denominator) }
        self.value = refined
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The constant denominator, if the denominator is one.
    public var constantDenominator: BigInt? {
        guard let point = denominator.point, point.isInteger else { return nil }
        return point.numerator
    }

    public var description: String {
        var text = value.description
        if let constant = constantDenominator {
            if constant != .one { text += " as n/\(Interval.show(Rational(constant))), n in \(numerator)" }
        } else {
            text += " as n/d, n in \(numerator), d in \(denominator)"
        }
        return text
    }

    // MARK: Leaves

    /// An integer in the interval (denominator 1).
    public static func integer(_ interval: Interval) -> NumericRange {
        NumericRange(value: interval, numerator: integerHull(interval), denominator: .point(.one))
    }

    /// A value scaled by `denominator` (fixed data 2^16, parameters 10^4).
    public static func scaled(_ interval: Interval, by denominator: BigInt) -> NumericRange {
        let scale = Rational(denominator)
        let numerator = integerHull(Interval(interval.lower.map { $0 * scale }, interval.upper.map { $0 * scale }))
        return NumericRange(value: interval, numerator: numerator, denominator: .point(scale))
    }

    /// The value of a data field, model output or parameter of a numeric kind.
    public static func input(_ interval: Interval, kind: NumericKind, parameter: Bool) -> NumericRange {
        switch kind {
        case .int: return integer(interval)
        case .fixed, .ratio: return scaled(interval, by: parameter ? Limits.paramDenominator : Limits.fixedDenominator)
        }
    }

    /// An exact constant p/q.
    public static func constant(_ value: Rational) -> NumericRange {
        NumericRange(value: .point(value), numerator: .point(Rational(value.numerator)),
                     denominator: .point(Rational(value.denominator)))
    }

    /// The smallest integer interval containing a bounded interval.
    static func integerHull(_ interval: Interval) -> Interval {
        Interval(interval.lower.map { Rational($0.floor) }, interval.upper.map { Rational($0.ceiling) })
    }
}
