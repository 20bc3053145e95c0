import BigNumber

/// The fixed-point conventions of the quantized program. A real value x is
/// represented at scale s (an exponent, 0…`maxScale`) by the integer
/// q = round(x · 2^s), rounding half up: q = ⌊x · 2^s + 1/2⌋.
public enum FixedPoint {
    /// Largest scale exponent any tensor may have.
    public static let maxScale = 40
    /// Every value of the program stays strictly inside ±2^62 (so that sums of two
    /// never wrap modulo the Goldilocks prime p = 2^64 − 2^32 + 1 > 2^63).
    public static let limit: Int64 = 1 << 62
    /// Quantized model inputs must lie strictly inside ±2^61, so that the
    /// program's first comparisons (clamping them) stay inside ±2^62.
    public static let inputLimit: Int64 = 1 << 61

    /// ⌊x · 2^scale + 1/2⌋, exactly, or nil if x is not finite or the result is
    /// not inside ±2^62.
    public static func quantize(_ x: Double, scale: Int) -> Int64? {
        guard x.isFinite else { return nil }
        let y = Double(sign: x.sign, exponent: scale, significand: x.magnitude)   // x · 2^scale, exact
        guard y.magnitude < 0x1p62 else { return nil }
        let f = y.rounded(.down)
        let q = Int64(f) + (y - f >= 0.5 ? 1 : 0)   // y − f is exact below 2^53
        return q.magnitude < UInt64(limit) ? q : nil
    }

    /// ⌊x · 2^scale + 1/2⌋ for a decimal numeral (`-12.5`, `3e-4`, `1.25E+2`),
    /// computed exactly, or nil when the text is not a decimal or the result does
    /// not fit inside ±2^62.
    public static func quantize(decimal text: Substring, scale: Int) -> Int64? {
        guard let (numerator, exponent) = parseDecimal(text), abs(exponent) <= 400 else { return nil }
        // x = numerator · 10^exponent; q = ⌊(2·x·2^s + 1) / 2⌋.
        var num = numerator * BigInt(2) * BigInt.powerOfTwo(scale)
        var den = BigInt(2)
        if exponent >= 0 { num *= BigInt(10).power(exponent) } else { den *= BigInt(10).power(-exponent) }
        let q = (num + den.floorDivided(by: BigInt(2))).floorDivided(by: den)
        guard let v = q.asInt, v.magnitude < UInt(limit) else { return nil }
        return Int64(v)
    }

    /// Splits `[+-]digits[.digits][(e|E)[+-]digits]` into an integer and a power of ten.
    static func parseDecimal(_ text: Substring) -> (BigInt, Int)? {
        var s = text.trimmingWhitespace()
        var negative = false
        if s.first == "-" || s.first == "+" { negative = s.first == "-"; s = s.dropFirst() }
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            var digits = s[s.index(after: e)...]
            var negativeExponent = false
            if digits.first == "-" || digits.first == "+" { negativeExponent = digits.first == "-"; digits = digits.dropFirst() }
            guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(digits) else { return nil }
            exponent = negativeExponent ? -v : v
            s = s[..<e]
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return nil }
        let whole = parts[0], fraction = parts.count == 2 ? parts[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty),
              (whole + fraction).allSatisfy({ $0.isASCII && $0.isNumber }),
              whole.count + fraction.count <= 4000 else { return nil }
        let all = String(whole + fraction)
        guard let digits = BigInt(all) else { return nil }
        exponent -= fraction.count
        return (negative ? -digits : digits, exponent)
    }

    /// The real value of q at `scale`, rounded to the nearest Double.
    public static func dequantize(_ q: Int64, scale: Int) -> Double {
        Double(sign: .plus, exponent: -scale, significand: Double(q))
    }

    /// Rescale by k ≥ 1 bits, rounding half up: ⌊(x + 2^(k−1)) / 2^k⌋
    /// (an arithmetic shift, so ⌊·⌋ rounds toward −∞ for negative x too).
    @inlinable
    public static func roundShift(_ x: Int64, _ k: Int) -> Int64 {
        k == 0 ? x : (x + (1 << (k - 1))) >> k
    }

    /// n / d rounded half up, for d > 0: ⌊(2n + d) / (2d)⌋.
    @inlinable
    public static func divideRounded(_ n: Int64, _ d: Int64) -> Int64 {
        let num = 2 * n + d, den = 2 * d
        let q = num / den
        return (num % den != 0 && num < 0) ? q - 1 : q   // floor, not truncation
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return s
    }
}
