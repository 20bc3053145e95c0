import Field

// Boolean logic over values proven to be 0 or 1.
extension CircuitBuilder {
    /// 1 if x = 0, else 0 (x any field element).
    ///
    /// Constraints: out = 1 − x·inv, x·out = 0, inv·out = 0, out ∈ {0, 1}.
    /// Unique witness: if x ≠ 0 then x·out = 0 gives out = 0, so x·inv = 1
    /// fixes inv = x⁻¹; if x = 0 then out = 1 and inv·out = 0 fixes inv = 0.
    /// (The boolean check is implied; it is there so the bound analysis knows.)
    public func isZero(_ x: Value) throws -> Value {
        if let c = constantValue(of: x) { return constant(c.isZero ? 1 : 0) }
        return try scope("is_zero") {
            let inv = try hint(.inverseOrZero, [x], results: 1)[0]
            let out = linear([(Int64(-1), mul(x, inv))], constant: 1)
            let zero = constant(0)
            assertEqual(mul(x, out), zero)
            assertEqual(mul(inv, out), zero)
            try rangeCheck(out, bits: 1)
            return out
        }
    }

    /// 1 if a = b, else 0.
    public func isEqual(_ a: Value, _ b: Value) throws -> Value { try isZero(sub(a, b)) }

    /// 1 − b, for b proven boolean.
    public func not(_ b: Value) throws -> Value {
        try assertBoolean(b)
        return linear([(Int64(-1), b)], constant: 1)
    }

    /// a ∧ b = a·b.
    public func and(_ a: Value, _ b: Value) throws -> Value {
        try assertBoolean(a)
        try assertBoolean(b)
        return mul(a, b)
    }

    /// a ∨ b = 1 − (1 − a)(1 − b).
    public func or(_ a: Value, _ b: Value) throws -> Value {
        try not(and(not(a), not(b)))
    }

    /// 1 if every bᵢ is 1: the count Σbᵢ equals n (it cannot wrap: n < p).
    /// The empty conjunction is 1.
    public func all(_ bs: [Value]) throws -> Value {
        guard !bs.isEmpty else { return constant(1) }
        if bs.count == 1 { try assertBoolean(bs[0]); return bs[0] }
        return try scope("all") {
            for b in bs { try assertBoolean(b) }
            return try isZero(linear(bs.map { (Int64(-1), $0) }, constant: Int64(bs.count)))
        }
    }

    /// 1 if some bᵢ is 1: the count Σbᵢ is not 0. The empty disjunction is 0.
    public func any(_ bs: [Value]) throws -> Value {
        guard !bs.isEmpty else { return constant(0) }
        if bs.count == 1 { try assertBoolean(bs[0]); return bs[0] }
        return try scope("any") {
            for b in bs { try assertBoolean(b) }
            return try not(isZero(linear(bs.map { (Int64(1), $0) })))
        }
    }
}
