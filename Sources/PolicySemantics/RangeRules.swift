import BigNumber

/// An intermediate integer of the reference lowering that may leave ±2^62.
public struct RangeProblem: Hashable, Sendable {
    /// What the integer is, as a phrase ("its numerator", ...).
    public let what: String
    public let interval: Interval

    /// "its numerator may reach about 2^68.3"
    public var description: String {
        guard let magnitude = interval.magnitude else { return "\(what) is unbounded" }
        return "\(what) may reach about 2^\(RangeProblem.log2(magnitude))"
    }

    /// log2 of a positive rational, to one decimal.
    static func log2(_ value: Rational) -> String {
        let integer = value.ceiling
        let bits = integer.bitWidth
        let shift = max(0, bits - 52)
        let top = integer.floorDivided(by: BigInt.powerOfTwo(shift))
        let logarithm = Double(shift) + Foundationless.log2(Double(top.asInt ?? 1))
        let tenths = (logarithm * 10).rounded(.down) / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }
}

/// log2 without Foundation.
enum Foundationless {
    static func log2(_ x: Double) -> Double {
        guard x > 0 else { return 0 }
        var value = x
        var result = 0.0
        while value >= 2 { value /= 2; result += 1 }
        while value < 1 { value *= 2; result -= 1 }
        // log2 of value in [1, 2) by repeated squaring.
        var fraction = 0.5
        for _ in 0..<30 {
            value *= value
            if value >= 2 { value /= 2; result += fraction }
            fraction /= 2
        }
        return result
    }
}

/// The range rules of the interval analysis: for each operation, the range of
/// its result and the intermediate integers the reference lowering computes
/// (docs/language.md, "Numbers in the circuit"). Every integer is checked
/// against ±2^62; a problem is reported as E0400 by the checker.
public enum RangeRules {
    public typealias Result = (range: NumericRange, problems: [RangeProblem])

    /// Checks the numerator and denominator of a result.
    static func checked(_ range: NumericRange, extra: [RangeProblem] = []) -> Result {
        var problems = extra
        if !Limits.isSafe(range.numerator) { problems.append(RangeProblem(what: "its numerator", interval: range.numerator)) }
        if !Limits.isSafe(range.denominator) { problems.append(RangeProblem(what: "its denominator", interval: range.denominator)) }
        return (range, problems)
    }

    static func check(_ what: String, _ interval: Interval) -> [RangeProblem] {
        Limits.isSafe(interval) ? [] : [RangeProblem(what: what, interval: interval)]
    }

    /// True when both denominators are the same constant (then numerators combine directly).
    static func sameDenominator(_ a: NumericRange, _ b: NumericRange) -> Bool {
        if let x = a.constantDenominator, let y = b.constantDenominator { return x == y }
        return false
    }

    /// For two constant denominators, the factors that bring both to their
    /// least common multiple L: `(L / da, L / db, L)`.
    public static func commonScale(_ a: NumericRange, _ b: NumericRange) -> (BigInt, BigInt, BigInt)? {
        guard let da = a.constantDenominator, let db = b.constantDenominator else { return nil }
        let g = BigInt.gcd(da, db)
        let l = da.floorDivided(by: g) * db
        return (l.floorDivided(by: da), l.floorDivided(by: db), l)
    }

    /// `a + b` (or `a − b` when `subtract`): over constant denominators the
    /// numerators are scaled to the least common multiple L and added
    /// (`(na·L/da ± nb·L/db) / L`; no scaling when they are equal), otherwise
    /// `(na·db ± nb·da) / (da·db)`.
    public static func add(_ a: NumericRange, _ b: NumericRange, subtract: Bool) -> Result {
        let value = subtract ? a.value - b.value : a.value + b.value
        if let (fa, fb, l) = commonScale(a, b) {
            let left = a.numerator * .point(Rational(fa)), right = b.numerator * .point(Rational(fb))
            let numerator = subtract ? left - right : left + right
            return checked(NumericRange(value: value, numerator: numerator, denominator: .point(Rational(l))),
                           extra: check("the left operand over the common denominator", left)
                           + check("the right operand over the common denominator", right))
        }
        let left = a.numerator * b.denominator
        let right = b.numerator * a.denominator
        let numerator = subtract ? left - right : left + right
        return checked(NumericRange(value: value, numerator: numerator, denominator: a.denominator * b.denominator),
                       extra: check("the left operand over the common denominator", left)
                           + check("the right operand over the common denominator", right))
    }

    /// `a · b = (na·nb) / (da·db)`, exact (no rescaling).
    public static func multiply(_ a: NumericRange, _ b: NumericRange) -> Result {
        checked(NumericRange(value: a.value * b.value, numerator: a.numerator * b.numerator,
                             denominator: a.denominator * b.denominator))
    }

    /// `a / b = (na·db) / (da·nb)` for a non-negative divisor, with signs
    /// flipped for a non-positive one. nil when the divisor's sign is unknown.
    public static func divide(_ a: NumericRange, _ b: NumericRange) -> Result? {
        let numerator = a.numerator * b.denominator
        if b.value.isNonNegative {
            let denominator = a.denominator * b.numerator.intersect(Interval(.zero, nil))
            return checked(NumericRange(value: a.value / b.value, numerator: numerator, denominator: denominator))
        }
        if b.value.isNonPositive {
            let denominator = a.denominator * (-b.numerator).intersect(Interval(.zero, nil))
            return checked(NumericRange(value: a.value / b.value, numerator: -numerator, denominator: denominator))
        }
        return nil
    }

    public static func negate(_ a: NumericRange) -> Result {
        checked(NumericRange(value: -a.value, numerator: -a.numerator, denominator: a.denominator))
    }

    public static func absolute(_ a: NumericRange) -> Result {
        checked(NumericRange(value: a.value.absolute(), numerator: a.numerator.absolute(), denominator: a.denominator))
    }

    /// The integers a comparison of `a` and `b` computes: over constant
    /// denominators the numerators scaled to the least common multiple
    /// (`na·L/da` and `nb·L/db`), else the cross products `na·db` and `nb·da`.
    public static func compare(_ a: NumericRange, _ b: NumericRange) -> [RangeProblem] {
        if let (fa, fb, _) = commonScale(a, b) {
            return check("the left side over the common denominator", a.numerator * .point(Rational(fa)))
                + check("the right side over the common denominator", b.numerator * .point(Rational(fb)))
        }
        return check("the cross product of the left side", a.numerator * b.denominator)
            + check("the cross product of the right side", b.numerator * a.denominator)
    }

    /// `min(a, b)` / `max(a, b)` / `if c then a else b`: one of the operands,
    /// chosen by a comparison (cross-multiplied unless denominators are shared).
    public static func choice(_ a: NumericRange, _ b: NumericRange, value: Interval) -> Result {
        if sameDenominator(a, b) {
            return checked(NumericRange(value: value, numerator: a.numerator.hull(b.numerator), denominator: a.denominator))
        }
        return checked(NumericRange(value: value, numerator: a.numerator.hull(b.numerator),
                                    denominator: a.denominator.hull(b.denominator)), extra: compare(a, b))
    }

    /// `if c then a else b`: a selection, no comparison between the branches.
    public static func select(_ a: NumericRange, _ b: NumericRange) -> Result {
        let denominator = sameDenominator(a, b) ? a.denominator : a.denominator.hull(b.denominator)
        return checked(NumericRange(value: a.value.hull(b.value), numerator: a.numerator.hull(b.numerator),
                                    denominator: denominator))
    }

    // MARK: Aggregates

    static var rows: Rational { Rational(Limits.maxRows) }

    /// `count(...)`: 0...maxRows.
    public static var count: NumericRange { .integer(Interval(.zero, rows)) }

    /// `rate(...)` = count(filter and body) / count(filter): value 0...1,
    /// numerator 0...maxRows, denominator 1...maxRows (an empty set is an
    /// error when proving).
    public static var rate: NumericRange {
        NumericRange(value: Interval(0, 1), numerator: Interval(.zero, rows), denominator: Interval(.one, rows))
    }

    /// The sum of up to maxRows values sharing the body's constant denominator.
    public static func sum(_ body: NumericRange) -> Result {
        let n = Interval(.zero, rows)
        let numerator = Interval.minimum(body.numerator * n, .point(.zero)).hull(Interval.maximum(body.numerator * n, .point(.zero)))
        let value = Interval.minimum(body.value * n, .point(.zero)).hull(Interval.maximum(body.value * n, .point(.zero)))
        return checked(NumericRange(value: value, numerator: numerator, denominator: body.denominator))
    }

    /// The mean: the sum over (count · the body's constant denominator); the
    /// value stays within the body's range.
    public static func mean(_ body: NumericRange) -> Result {
        let (sum, problems) = sum(body)
        let denominator = body.denominator * Interval(.one, rows)
        let result = checked(NumericRange(value: body.value, numerator: sum.numerator, denominator: denominator))
        return (result.range, problems + result.problems)
    }
}
