import BigNumber

/// The numeric conventions shared by the checker and the circuit (documented
/// in docs/language.md, "Numbers in the circuit"). Lowering must follow them:
/// the interval analysis proves safety only for this representation.
public enum Limits {
    /// The largest number of rows of any table. Counts lie in 0...maxRows;
    /// sums and means are bounded with it.
    public static let maxRows = BigInt(1 << 24)

    /// `fixed` values from data and models are integers scaled by 2^16
    /// (value = numerator / 2^16).
    public static let fractionBits = 16
    public static let fixedDenominator = BigInt.powerOfTwo(16)

    /// `fixed` and `ratio` parameters are integers scaled by 10^4, so that any
    /// decimal with at most four places (`12.34%` = 0.1234) is exact. Small on
    /// purpose: a threshold multiplies numerators of up to 2^48 (a difference
    /// or ratio of two rates over 2^24 rows) in a comparison.
    public static let paramDenominator = BigInt(10_000)

    /// Every integer the circuit computes must lie strictly within ±2^62 so
    /// that nothing wraps modulo p = 2^64 − 2^32 + 1.
    public static let safeBits = 62
    public static let safeBound = BigInt.powerOfTwo(62)

    /// Default range of `int` fields and parameters: 32-bit signed.
    public static let defaultInt = Interval(Rational(-(1 << 31)), Rational((1 << 31) - 1))
    /// Default range of `fixed` fields, parameters and model outputs.
    public static let defaultFixed = Interval(Rational(-(1 << 31)), Rational(1 << 31))
    /// Default domain of `ratio` parameters: 0% to 100%.
    public static let defaultRatio = Interval(Rational(0), Rational(1))

    public static let maxTensorRank = 8
    public static let maxTensorElements = 1 << 20

    /// The most nested function instantiations, and the most HIR nodes after inlining.
    public static let maxInstantiationDepth = 64
    public static let maxNodes = 100_000
    /// The deepest HIR tree (expression nesting after inlining). Passes over
    /// the HIR may recurse this deep; run them on a thread with a large stack
    /// (`ZKPolicy` checks on a 512 MiB stack).
    public static let maxDepth = 1_000

    /// True when every value of the (bounded) interval has magnitude below 2^62.
    public static func isSafe(_ interval: Interval) -> Bool {
        guard let magnitude = interval.magnitude else { return false }
        return magnitude < Rational(safeBound)
    }
}
