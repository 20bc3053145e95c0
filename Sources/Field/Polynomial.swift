/// Polynomials in coefficient form (lowest degree first) and the conversions
/// between coefficients and evaluations that the prover needs.
public enum Polynomial {
    /// p(x) by Horner's rule.
    @inlinable
    public static func evaluate(_ coefficients: [Goldilocks], at x: Goldilocks) -> Goldilocks {
        var acc = Goldilocks.zero
        for c in coefficients.reversed() { acc = acc * x + c }
        return acc
    }

    /// p(x) for a base-field polynomial at an extension-field point.
    @inlinable
    public static func evaluate<E: ExtensionField>(_ coefficients: [Goldilocks], at x: E) -> E {
        var acc = E.zero
        for c in coefficients.reversed() { acc = acc * x + c }
        return acc
    }

    /// p(x) for an extension-field polynomial.
    @inlinable
    public static func evaluate<E: ExtensionField>(_ coefficients: [E], at x: E) -> E {
        var acc = E.zero
        for c in coefficients.reversed() { acc = acc * x + c }
        return acc
    }

    /// The coefficients of the polynomial of degree < n taking `values[i]` at ω^i
    /// (n = values.count, a power of two).
    public static func interpolate(_ values: [Goldilocks]) -> [Goldilocks] {
        var coefficients = values
        NTT.inverse(&coefficients)
        return coefficients
    }

    /// Evaluations of the polynomial on the coset shift·⟨ω_{n·blowup}⟩, natural order.
    public static func lowDegreeExtension(coefficients: [Goldilocks], blowup: Int,
                                          shift: Goldilocks) -> [Goldilocks] {
        precondition(blowup > 0 && blowup & (blowup - 1) == 0, "blowup must be a power of two")
        var extended = coefficients
        let size = max(1, coefficients.count) * blowup
        precondition(size & (size - 1) == 0, "extended size must be a power of two")
        extended.append(contentsOf: repeatElement(.zero, count: size - coefficients.count))
        NTT.forwardCoset(&extended, shift: shift)
        return extended
    }

    /// Schoolbook product, O(n·m); a reference for tests and small inputs.
    public static func multiply(_ a: [Goldilocks], _ b: [Goldilocks]) -> [Goldilocks] {
        if a.isEmpty || b.isEmpty { return [] }
        var product = [Goldilocks](repeating: .zero, count: a.count + b.count - 1)
        for (i, x) in a.enumerated() where !x.isZero {
            for (j, y) in b.enumerated() { product[i + j] += x * y }
        }
        return product
    }
}
