import Field

/// The custom hints the lowering registers, by name. A serialised program
/// carries only their names (`CustomHint`); `LoweringHints.functions(for:)`
/// gives back the closures for every name the lowering uses, so that a
/// program read back with `Program(serialized:hints:)` can be evaluated.
///
/// - `isqrt`: ⌊√x⌋ of x ≥ 0 (the `sqrtFloor` model operation);
/// - `rescale_clamp K LO HI`: for X, (y, r, c_lo, c_hi) with q = ⌊X / 2^K⌋,
///   c_lo = [q < LO], c_hi = [q > HI], y = q clamped to LO…HI, r = X − q·2^K
///   in the middle case and 0 when clamped (see `CircuitBuilder.rescaleClamp`).
public enum LoweringHints {
    /// The closure of a custom hint name the lowering uses, or nil.
    public static func function(named name: String) -> HintFunction? {
        if name == "isqrt" { return squareRoot }
        let parts = name.split(separator: " ")
        if parts.count == 4, parts[0] == "rescale_clamp", let k = Int(parts[1]), (1...62).contains(k),
           let lo = Int64(parts[2]), let hi = Int64(parts[3]), lo <= hi {
            return rescaleClamp(shift: k, lower: lo, upper: hi)
        }
        return nil
    }

    /// Every custom hint of `program` that the lowering defines.
    public static func functions(for program: Program) -> [String: HintFunction] {
        var result: [String: HintFunction] = [:]
        for hint in program.customHints {
            if let f = function(named: hint.name) { result[hint.name] = f }
        }
        return result
    }

    static func rescaleClampName(shift: Int, lower: Int64, upper: Int64) -> String {
        "rescale_clamp \(shift) \(lower) \(upper)"
    }

    /// ⌊√x⌋ of a non-negative signed field element.
    static let squareRoot: HintFunction = { inputs in
        guard inputs.count == 1 else { throw HintFailure("isqrt takes one input") }
        let x = inputs[0].signedValue
        guard x >= 0 else { throw HintFailure("the square root of \(x) < 0") }
        var r = Int64(Double(x).squareRoot())
        while r > 0 && r.multipliedReportingOverflow(by: r).overflow { r -= 1 }
        while r * r > x { r -= 1 }
        while true {
            let (square, overflow) = (r + 1).multipliedReportingOverflow(by: r + 1)
            if overflow || square > x { break }
            r += 1
        }
        return [Goldilocks(signed: r)]
    }

    static func rescaleClamp(shift k: Int, lower lo: Int64, upper hi: Int64) -> HintFunction {
        { inputs in
            guard inputs.count == 1 else { throw HintFailure("rescale_clamp takes one input") }
            let x = inputs[0].signedValue
            let q = x >> Int64(k)   // floor division by 2^k
            if q < lo { return [Goldilocks(signed: lo), .zero, .one, .zero] }
            if q > hi { return [Goldilocks(signed: hi), .zero, .zero, .one] }
            return [Goldilocks(signed: q), Goldilocks(signed: x - (q << Int64(k))), .zero, .zero]
        }
    }
}
