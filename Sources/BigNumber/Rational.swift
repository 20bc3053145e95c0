/// An exact rational number `numerator / denominator`, always in lowest terms
/// with a positive denominator, so that equal values have equal representations.
public struct Rational: Sendable, Hashable {
    public let numerator: BigInt
    /// Always positive.
    public let denominator: BigInt

    /// The ratio `numerator / denominator`. Precondition: `denominator` is not zero.
    public init(_ numerator: BigInt, _ denominator: BigInt) {
        precondition(!denominator.isZero, "rational with zero denominator")
        let divisor = BigInt.gcd(numerator, denominator)
        var n = numerator.isZero ? numerator : numerator.floorDivided(by: divisor)
        var d = numerator.isZero ? BigInt.one : denominator.floorDivided(by: divisor)
        if d.isNegative { n = -n; d = -d }
        self.numerator = n
        self.denominator = d
    }

    public init(_ integer: BigInt) {
        numerator = integer
        denominator = .one
    }

    public init(_ integer: Int) { self.init(BigInt(integer)) }

    /// Parses an exact decimal such as `12`, `0.05`, `-3.25` or, with
    /// `percent`, the number of hundredths (`5` → 1/20). No exponents, no `_`.
    public init?(decimal text: some StringProtocol, percent: Bool = false) {
        var body = Substring(text)
        let negative = body.first == "-"
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        if parts.count == 2 && fraction.isEmpty { return nil }
        guard let digits = BigInt(parts[0] + fraction) else { return nil }
        var scale = BigInt(10).power(fraction.count)
        if percent { scale *= 100 }
        self.init(negative ? -digits : digits, scale)
    }

    public static let zero = Rational(0)
    public static let one = Rational(1)

    public var isInteger: Bool { denominator == .one }
    public var isZero: Bool { numerator.isZero }
    public var isNegative: Bool { numerator.isNegative }
    public var signum: Int { numerator.signum }

    /// The largest integer not above the value.
    public var floor: BigInt { numerator.floorDivided(by: denominator) }
    /// The smallest integer not below the value.
    public var ceiling: BigInt { numerator.ceilDivided(by: denominator) }

    public var magnitude: Rational { Rational(numerator.magnitude, denominator) }

    public var reciprocal: Rational? {
        isZero ? nil : Rational(denominator, numerator)
    }

    /// Decimal digits, rounded half away from zero to `places` places after the
    /// point, without trailing zeros (`1/3` → `0.333333` at 6 places, `1/20` → `0.05`).
    public func decimalString(places: Int = 6) -> String {
        let scale = BigInt(10).power(places)
        let scaled = magnitude * Rational(scale)
        let twice = scaled.numerator * 2 + scaled.denominator
        let rounded = twice.floorDivided(by: scaled.denominator * 2)
        var digits = rounded.toString()
        if digits.count <= places { digits = String(repeating: "0", count: places - digits.count + 1) + digits }
        var integerPart = String(digits.dropLast(places))
        var fractionPart = String(digits.suffix(places))
        while fractionPart.hasSuffix("0") { fractionPart.removeLast() }
        if integerPart.isEmpty { integerPart = "0" }
        let sign = isNegative && (rounded != .zero) ? "-" : ""
        return fractionPart.isEmpty ? sign + integerPart : sign + integerPart + "." + fractionPart
    }

    /// The value in percent, e.g. `7.31%` for 731/10000.
    public func percentString(places: Int = 2) -> String {
        (self * Rational(100)).decimalString(places: places) + "%"
    }
}

extension Rational: Comparable {
    public static func < (a: Rational, b: Rational) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }
}

extension Rational: CustomStringConvertible {
    /// `n` for integers, `n/d` otherwise.
    public var description: String {
        isInteger ? numerator.description : "\(numerator)/\(denominator)"
    }
}

extension Rational {
    public static func + (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }

    public static func - (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator)
    }

    public static func * (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.numerator, a.denominator * b.denominator)
    }

    /// Exact division; nil when dividing by zero.
    public func divided(by b: Rational) -> Rational? {
        b.isZero ? nil : Rational(numerator * b.denominator, denominator * b.numerator)
    }

    public static prefix func - (a: Rational) -> Rational {
        Rational(-a.numerator, a.denominator)
    }

    public static func min(_ a: Rational, _ b: Rational) -> Rational { a < b ? a : b }
    public static func max(_ a: Rational, _ b: Rational) -> Rational { a < b ? b : a }
}
