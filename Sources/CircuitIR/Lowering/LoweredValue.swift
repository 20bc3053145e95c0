/// A policy number in the circuit: `numerator / denominator` with a positive
/// denominator (docs/language.md, "Numbers in the circuit"). The numerator is
/// a value whose proven bound is its integer range; the denominator is a
/// constant when the checker says it is one (data and model outputs 2^16,
/// parameters 10^4, constants their own), else a value (a count, a product
/// of counts).
struct Fraction {
    enum Denominator {
        /// A positive constant below 2^62.
        case constant(Int64)
        /// A value proven ≥ 1 where it is used (or where the HIR evaluator
        /// would have failed: see the guards of `ExpressionLowering`).
        case value(Value)
    }

    var numerator: Value
    var denominator: Denominator

    var constantDenominator: Int64? {
        if case .constant(let d) = denominator { return d }
        return nil
    }
}

/// The lowered value of one expression for one row (or for the whole policy).
enum LValue {
    /// 0 or 1, proven boolean.
    case bool(Value)
    case number(Fraction)
    /// The one-hot indicator of the case: one value per case of the enum,
    /// each proven boolean, exactly one of them 1.
    case enumeration([Value])
    /// The elements, row-major.
    case tensor([Fraction])
    /// A Poseidon2 digest: 4 field elements.
    case digest([Value])
    /// One value per case of the grouping enum.
    case groups([GroupValue])
}

/// The value of one group of a grouped aggregate.
struct GroupValue {
    var value: Fraction
    /// For `skip empty` aggregates, a boolean that is 1 when the group has
    /// rows; nil when every group is known to have rows (or a count/sum).
    var present: Value?
}

/// A lowered expression: one value, or one value per row of a table (the
/// lowering computes a row expression for every row at once, so that a
/// model's layers become single matrix products over all rows).
enum Lowered {
    case scalar(LValue)
    case rows(table: String, [LValue])

    /// The value for row r (a scalar is the same for every row).
    func at(_ r: Int) -> LValue {
        switch self {
        case .scalar(let v): return v
        case .rows(_, let values): return values[r]
        }
    }

    var scalar: LValue? {
        if case .scalar(let v) = self { return v }
        return nil
    }
}
