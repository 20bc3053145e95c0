/// log₂ and 2^x from IEEE-754 basic operations only.
///
/// Additions, multiplications, divisions and square roots of doubles are
/// correctly rounded on every IEEE-754 platform, and scaling by a power of two
/// is exact; libm's `log2` and `pow` are not specified to the last place and
/// differ between C libraries. The security numbers are floored and must be
/// the same on the prover's and the verifier's machine (the verifier rejects
/// a header that differs from its own computation), so they are computed here.
enum PortableMath {
    /// log₂(x) for finite x > 0, to about 1e-14 absolute: the binary digits of
    /// log₂ of the significand m ∈ [1, 2) by repeated squaring (m² ≥ 2 ⇔ next digit is 1).
    static func log2(_ x: Double) -> Double {
        precondition(x > 0 && x.isFinite, "log2 of \(x)")
        var m = x.significand  // exact, in [1, 2)
        var result = Double(x.exponent)
        var digit = 0.5
        for _ in 0 ..< 56 {
            m *= m
            if m >= 2 {
                m /= 2  // exact
                result += digit
            }
            digit /= 2  // exact
        }
        return result
    }

    /// 2^x for finite x (underflows to 0 below about −1074): 2^⌊x⌋ exactly times
    /// 2^f for the fraction f = Σ b_j·2^−j, the product of the 2^(2^−j) = √…√2 with b_j = 1.
    static func exp2(_ x: Double) -> Double {
        precondition(x.isFinite && x < 1024, "exp2 of \(x)")
        let whole = x.rounded(.down)
        if whole < -1100 { return 0 }
        var fraction = x - whole  // exact, in [0, 1)
        var result = 1.0, root = 2.0
        for _ in 0 ..< 53 where fraction > 0 {
            root = root.squareRoot()
            fraction *= 2  // exact
            if fraction >= 1 {
                fraction -= 1  // exact
                result *= root
            }
        }
        return Double(sign: .plus, exponent: Int(whole), significand: result)
    }
}
