/// The one conversion between the policy's numbers and a quantized model's
/// integers, used by the circuit and by every native evaluation of a model
/// inside a policy (the prove-time reference evaluator), so that both give
/// the same bits.
///
/// A policy number with a power-of-two denominator, `n / 2^from` (a `fixed`
/// value: from = 16; an `int`: from = 0), enters a model whose input tensor
/// has scale s as the integer
///
///     q = ⌊n · 2^(s − from) + 1/2⌋
///
/// — exactly `FixedPoint.quantize` of the value n / 2^from, the rule the
/// quantizer uses (round half up): a shift up when s ≥ from, and
/// ⌊(n + 2^(k−1)) / 2^k⌋ with k = from − s otherwise. A model output q at
/// scale s leaves as the policy number at 2^to (16 for `fixed`, 0 for `int`)
/// by the same rule. Data is therefore rounded twice: to 2^-16 when read (the
/// language's contract for `fixed` data), then to the model's input scale;
/// when s ≥ 16 the second step is exact.
public enum ModelScaling {
    /// `n / 2^from` at scale 2^to, rounded half up; nil if the result leaves Int64.
    public static func rescale(_ n: Int64, from: Int, to: Int) -> Int64? {
        if to >= from {
            let shift = to - from
            guard shift < 63 else { return n == 0 ? 0 : nil }
            let (q, overflow) = n.multipliedReportingOverflow(by: Int64(1) << shift)
            return overflow ? nil : q
        }
        let k = from - to
        guard k < 63 else { return n >= 0 ? 0 : -1 }   // ⌊(n + 2^(k−1)) / 2^k⌋ for |n| < 2^62
        let (sum, overflow) = n.addingReportingOverflow(Int64(1) << (k - 1))
        return overflow ? nil : sum >> Int64(k)
    }

    /// The same conversion in the circuit: an exact multiplication by
    /// 2^(to − from), or the rounding rescale gadget (`divRem` by 2^k).
    static func rescale(_ b: CircuitBuilder, _ v: Value, from: Int, to: Int) throws -> Value {
        if to == from { return v }
        if to > from {
            guard to - from < 62 else { throw b.error(.mayWrap, "a shift by 2^\(to - from) may wrap") }
            return try b.requireBounded(b.linear([(Int64(1) << (to - from), v)]), "the value shifted to scale 2^-\(to)")
        }
        guard from - to <= 62 else { throw b.error(.invalidBitWidth, "a rescale by 2^\(from - to)") }
        return try b.rescale(v, shift: from - to, rounding: .nearestTiesUp)
    }
}
