import BigNumber
import PolicySemantics

/// Says why a rule does not hold on the data: the comparisons that fail, with
/// the measured value and the threshold, exactly (`rule approval_parity
/// violated: fairness.parity_gap = 40.37% (exactly 1234/3057), must be <= 10%
/// (max_parity_gap)`).
struct RuleExplanation {
    var evaluator: Evaluator

    init(program: PolicySemantics.Program, inputs: EvaluationInputs) {
        evaluator = Evaluator(program: program, inputs: inputs)
    }

    /// One line per failing comparison of `rule` (evaluated first, which binds
    /// every inlined call's parameters), or a generic line when the rule is
    /// false for another reason.
    mutating func explain(_ rule: Rule) -> [String] {
        _ = try? evaluator.value(rule.body)
        let reasons = failing(rule.body, context: nil)
        let prefix = "rule \(rule.name) violated: "
        return reasons.isEmpty ? [prefix + "its condition is false on the data"] : reasons.map { prefix + $0 }
    }

    /// The failing comparisons under a false boolean expression.
    mutating func failing(_ expr: Expr, context: String?) -> [String] {
        switch expr.kind {
        case .inline(let call):
            return failing(call.body, context: context ?? call.function)
        case .and(let a, let b):
            return (isFalse(a) ? failing(a, context: context) : []) + (isFalse(b) ? failing(b, context: context) : [])
        case .compare(let op, let a, let b, let kind):
            guard case .numeric(let numeric) = kind,
                  case .number(let left)? = try? evaluator.value(a),
                  case .number(let right)? = try? evaluator.value(b) else {
                return ["\(describe(a, context: context)) \(op.rawValue) \(describe(b, context: nil)) is false"]
            }
            return ["\(describe(a, context: context)) = \(show(left, numeric)), must be \(op.rawValue) "
                    + "\(show(right, numeric))\(name(of: b).map { " (\($0))" } ?? "")"]
        default:
            return []
        }
    }

    mutating func isFalse(_ expr: Expr) -> Bool {
        if case .bool(false)? = try? evaluator.value(expr) { return true }
        return false
    }

    /// A name for an operand: the function it calls, the parameter it reads.
    func name(of expr: Expr) -> String? {
        switch expr.kind {
        case .inline(let call): return call.function
        case .param(let name): return name
        case .commitment(let name): return name
        default: return nil
        }
    }

    func describe(_ expr: Expr, context: String?) -> String {
        name(of: expr) ?? context.map { "the value in \($0)" } ?? "the value"
    }

    /// A ratio as a percentage, other numbers as decimals; exact when rounded.
    func show(_ value: Rational, _ kind: NumericKind) -> String {
        let rounded = kind == .ratio ? value.percentString(places: 2) : value.decimalString(places: 4)
        let exact = kind == .ratio ? Rational(decimal: String(rounded.dropLast()), percent: true) : Rational(decimal: rounded)
        return exact == value ? rounded : "\(rounded) (exactly \(value))"
    }
}
