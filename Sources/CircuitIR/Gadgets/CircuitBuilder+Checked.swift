import Field

// Helpers that gadgets share: constant shortcuts and the "refuse if it may
// wrap" rule.
extension CircuitBuilder {
    /// Returns v, or throws `mayWrap` if its proven bound is `.full` — i.e.
    /// the integer it stands for may have wrapped modulo p.
    @discardableResult
    public func requireBounded(_ v: Value, _ what: @autoclosure () -> String) throws -> Value {
        guard !bound(of: v).isFull else {
            throw error(.mayWrap, "\(what()) (\(v)) has no proven bound, so it may have wrapped modulo p; range-check its inputs first")
        }
        return v
    }

    /// a + b, refusing if the sum may wrap.
    public func checkedAdd(_ a: Value, _ b: Value) throws -> Value {
        try requireBounded(add(a, b), "the sum")
    }

    /// a − b, refusing if the difference may wrap.
    public func checkedSub(_ a: Value, _ b: Value) throws -> Value {
        try requireBounded(sub(a, b), "the difference")
    }

    /// a · b, refusing if the product may wrap.
    public func checkedMul(_ a: Value, _ b: Value) throws -> Value {
        try requireBounded(mul(a, b), "the product")
    }

    /// The signed integer of v if it is a constant.
    func constantInteger(_ v: Value) -> Int64? { constantValue(of: v)?.signedValue }

    /// The smallest k ≥ 1 with n < 2^k, for n ≥ 0.
    static func bitsFor(_ n: Int64) -> Int {
        precondition(n >= 0)
        return Swift.max(1, Int64.bitWidth - n.leadingZeroBitCount)
    }
}
