import BigNumber
import PolicySyntax

extension Checker {
    func elaborateUnary(_ op: UnaryOperator, _ operand: SyntaxExpr, span: SourceSpan, _ scope: Scope) -> Expr {
        let value = elaborate(operand, scope, expected: op == .not ? .bool : nil)
        if value.isError { return .error(at: span) }
        switch op {
        case .not:
            guard value.type == .bool else {
                report(Diagnostic(.invalidOperands, "`not` needs a bool, not \(describe(value.type))", at: span))
                return .error(at: span)
            }
            if case .bool(let constant) = value.kind { return make(.bool(!constant), .bool, nil, span) }
            return make(.not(value), .bool, nil, span)
        case .negate:
            guard let kind = numericOperand(value, "-", at: span) else { return .error(at: span) }
            if case .number(let number) = value.kind { return make(.number(-number), kind.type, .constant(-number), span) }
            return make(.negate(value), kind.type, rangeOf(value.range.map(RangeRules.negate), at: span), span)
        }
    }

    /// The numeric kind of an operand, or nil after reporting why it is not a number.
    func numericOperand(_ value: Expr, _ op: String, at span: SourceSpan) -> NumericKind? {
        if let kind = value.type.numericKind { return kind }
        if case .perGroup = value.type {
            reportPerGroup(value, at: value.span)
        } else {
            var notes: [Note] = []
            if case .tensor = value.type { notes.append(Note("index the tensor first, e.g. `x[1]`")) }
            report(Diagnostic(.invalidOperands, "`\(op)` needs numbers, not \(describe(value.type))", at: value.span, notes: notes))
        }
        return nil
    }

    func reportPerGroup(_ value: Expr, at span: SourceSpan) {
        report(Diagnostic(.perGroupValueNotReduced, "\(describe(value.type)) must be reduced to one value first", at: span,
                          notes: [Note("use max(...), min(...) or a library function such as fairness.gap(...)")]))
    }

    /// The range a range rule computes. Its problems (integers beyond ±2^62)
    /// are reported by `SafetyCheck` on the final HIR of each rule, after
    /// comparisons have been distributed over `min`/`max`.
    func rangeOf(_ result: RangeRules.Result?, at span: SourceSpan) -> NumericRange? {
        result?.range
    }

    func elaborateBinary(_ op: BinaryOperator, _ left: SyntaxExpr, _ right: SyntaxExpr, span: SourceSpan, _ scope: Scope) -> Expr {
        switch op {
        case .and, .or:
            let a = elaborate(left, scope, expected: .bool)
            let b = elaborate(right, scope, expected: .bool)
            for value in [a, b] where !value.isError && value.type != .bool {
                report(Diagnostic(.invalidOperands, "`\(op.rawValue)` needs bool operands, not \(describe(value.type))", at: value.span))
                return .error(at: span)
            }
            if a.isError || b.isError { return .error(at: span) }
            return make(op == .and ? .and(a, b) : .or(a, b), .bool, nil, span)
        case .add, .subtract, .multiply, .divide:
            return elaborateArithmetic(op, left, right, span: span, scope)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            return elaborateComparison(op, left, right, span: span, scope)
        }
    }

    func elaborateArithmetic(_ op: BinaryOperator, _ left: SyntaxExpr, _ right: SyntaxExpr, span: SourceSpan, _ scope: Scope) -> Expr {
        let a = elaborate(left, scope)
        let b = elaborate(right, scope)
        if a.isError || b.isError { return .error(at: span) }
        guard let ka = numericOperand(a, op.rawValue, at: span), let kb = numericOperand(b, op.rawValue, at: span) else {
            return .error(at: span)
        }
        let kind = op == .divide ? NumericKind.ratio : max(ka, kb)
        let arithmetic: ArithmeticOperator = op == .add ? .add : (op == .subtract ? .subtract : (op == .multiply ? .multiply : .divide))
        // Constants fold exactly.
        if case .number(let x) = a.kind, case .number(let y) = b.kind {
            let value: Rational
            switch arithmetic {
            case .add: value = x + y
            case .subtract: value = x - y
            case .multiply: value = x * y
            case .divide:
                guard let quotient = x.divided(by: y) else {
                    report(Diagnostic(.invalidDivisor, "division by zero", at: b.span))
                    return .error(at: span)
                }
                value = quotient
            }
            let range = NumericRange.constant(value)
            if !Limits.isSafe(range.numerator) || !Limits.isSafe(range.denominator) {
                reportRangeProblems([RangeProblem(what: "value", interval: .point(value))], at: span)
                return .error(at: span)
            }
            return make(.number(value), kind.type, range, span)
        }
        var range: NumericRange?
        if let ra = a.range, let rb = b.range {
            switch arithmetic {
            case .add: range = rangeOf(RangeRules.add(ra, rb, subtract: false), at: span)
            case .subtract: range = rangeOf(RangeRules.add(ra, rb, subtract: true), at: span)
            case .multiply: range = rangeOf(RangeRules.multiply(ra, rb), at: span)
            case .divide:
                if rb.value.point?.isZero == true {
                    report(Diagnostic(.invalidDivisor, "division by zero", at: b.span))
                    return .error(at: span)
                }
                guard let result = RangeRules.divide(ra, rb) else {
                    report(Diagnostic(.invalidDivisor, "the divisor may be negative or positive", at: b.span,
                                      notes: [Note("its value lies in \(rb.value); divide by a value whose sign is known")]))
                    return .error(at: span)
                }
                range = rangeOf(result, at: span)
            }
        }
        return make(.arithmetic(arithmetic, a, b), kind.type, range, span)
    }

    /// A bare name that is not declared (maybe an enum case to be read against the other side).
    func isUnresolvedName(_ expr: SyntaxExpr, _ scope: Scope) -> Bool {
        if case .name(let name) = expr.kind, case .notFound = resolve(Identifier(name, span: expr.span), scope) { return true }
        return false
    }

    func elaborateComparison(_ op: BinaryOperator, _ left: SyntaxExpr, _ right: SyntaxExpr, span: SourceSpan, _ scope: Scope) -> Expr {
        // `female == a.group`: read the other side first so that a bare case name has an expected enum.
        var a: Expr, b: Expr
        if isUnresolvedName(left, scope) && !isUnresolvedName(right, scope) {
            b = elaborate(right, scope)
            if b.isError { return .error(at: span) }
            a = elaborate(left, scope, expected: b.type)
        } else {
            a = elaborate(left, scope)
            if a.isError && isUnresolvedName(right, scope) { return .error(at: span) }
            b = elaborate(right, scope, expected: a.type)
        }
        if a.isError || b.isError { return .error(at: span) }
        let comparison: ComparisonOperator
        switch op {
        case .equal: comparison = .equal
        case .notEqual: comparison = .notEqual
        case .less: comparison = .less
        case .lessEqual: comparison = .lessEqual
        case .greater: comparison = .greater
        default: comparison = .greaterEqual
        }
        let ordering = !(comparison == .equal || comparison == .notEqual)
        for value in [a, b] {
            if case .perGroup = value.type {
                reportPerGroup(value, at: value.span)
                return .error(at: span)
            }
        }
        let kind: ComparisonKind
        switch (a.type, b.type) {
        case (let x, let y) where x.isNumeric && y.isNumeric:
            let numeric = max(x.numericKind!, y.numericKind!)
            kind = .numeric(numeric)
            if let ra = a.range, let rb = b.range, let outcome = Checker.decide(comparison, ra.value, rb.value) {
                reportConstantComparison(outcome, a, b, span: span)
                return .error(at: span)
            }
            if ordering { return orderedComparison(comparison, a, b, span: span) }
        case (.bool, .bool) where !ordering:
            kind = .bool
        case (.enumeration(let x), .enumeration(let y)) where !ordering:
            guard x.cases == nil || y.cases == nil || x.cases == y.cases else {
                report(Diagnostic(.invalidOperands, "cannot compare \(x) with \(y)", at: span,
                                  notes: [Note("enum values compare only with enums of the same cases")]))
                return .error(at: span)
            }
            kind = .enumeration
        case (.digest, .digest) where !ordering:
            kind = .digest
        default:
            var notes: [Note] = []
            if ordering && !(a.type.isNumeric && b.type.isNumeric) && a.type == b.type {
                notes.append(Note("only numbers are ordered; \(describe(a.type)) values compare with `==` and `!=`"))
            }
            if case .tensor = a.type { notes.append(Note("index the tensor first, e.g. `x[1]`")) }
            report(Diagnostic(.invalidOperands, "cannot compare \(describe(a.type)) with \(describe(b.type)) using `\(op.rawValue)`",
                              at: span, notes: notes))
            return .error(at: span)
        }
        return make(.compare(comparison, a, b, kind), .bool, nil, span)
    }

    /// `a op b` for an ordering of numbers. When a side is a `min`/`max` of
    /// several values (possibly the body of an inlined function), the
    /// comparison is distributed over them, exactly: `max(x, y) <= t` is
    /// `x <= t and y <= t`, `max(x, y) >= t` is `x >= t or y >= t`, and
    /// dually for `min`. Then no two quotients are compared with each other
    /// (which would need products beyond 2^62, e.g. for the equalized-odds gap).
    func orderedComparison(_ op: ComparisonOperator, _ a: Expr, _ b: Expr, span: SourceSpan) -> Expr {
        let upward = op == .greater || op == .greaterEqual
        if hasExtremumRoot(a) {
            return distribute(a, span: span, upward: upward) { self.orderedComparison(op, $0, b, span: span) }
        }
        if hasExtremumRoot(b) {
            // `t <= max(x, y)` is `max(x, y) >= t`.
            return distribute(b, span: span, upward: !upward) { self.orderedComparison(op, a, $0, span: span) }
        }
        let kind = max(a.type.numericKind!, b.type.numericKind!)
        return make(.compare(op, a, b, .numeric(kind)), .bool, nil, span)
    }

    /// True when a value is a `min`/`max` of several values, possibly inside inlined calls.
    func hasExtremumRoot(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .extremum: return true
        case .inline(let call): return hasExtremumRoot(call.body)
        default: return false
        }
    }

    /// Applies `compare` to each operand of the `min`/`max` at the root of
    /// `expr` and joins the results: with `and` when the comparison asks the
    /// maximum to be small or the minimum to be large (`upward` is false for
    /// `max`, true for `min`), with `or` otherwise. Inlined calls around it are kept.
    func distribute(_ expr: Expr, span: SourceSpan, upward: Bool, _ compare: (Expr) -> Expr) -> Expr {
        switch expr.kind {
        case .inline(let call):
            let body = distribute(call.body, span: span, upward: upward, compare)
            let inlined = InlinedCall(function: call.function, definition: call.definition, bindings: call.bindings, body: body)
            return make(.inline(inlined), .bool, nil, expr.span)
        case .extremum(let which, let values):
            let parts = values.map(compare)
            let conjunction = (which == .max) != upward
            return parts.dropFirst().reduce(parts[0]) { joined, next in
                make(conjunction ? .and(joined, next) : .or(joined, next), .bool, nil, span)
            }
        default:
            return compare(expr)
        }
    }

    /// The outcome of `a op b` when the intervals decide it, else nil.
    static func decide(_ op: ComparisonOperator, _ a: Interval, _ b: Interval) -> Bool? {
        func below(_ x: Interval, _ y: Interval, strict: Bool) -> Bool {
            guard let high = x.upper, let low = y.lower else { return false }
            return strict ? high < low : high <= low
        }
        switch op {
        case .less:
            if below(a, b, strict: true) { return true }
            if below(b, a, strict: false) { return false }
        case .lessEqual:
            if below(a, b, strict: false) { return true }
            if below(b, a, strict: true) { return false }
        case .greater:
            return decide(.less, b, a)
        case .greaterEqual:
            return decide(.lessEqual, b, a)
        case .equal:
            if let x = a.point, let y = b.point { return x == y }
            if below(a, b, strict: true) || below(b, a, strict: true) { return false }
        case .notEqual:
            return decide(.equal, a, b).map { !$0 }
        }
        return nil
    }

    func reportConstantComparison(_ outcome: Bool, _ a: Expr, _ b: Expr, span: SourceSpan) {
        var notes: [Note] = []
        for value in [a, b] {
            guard let range = value.range else { continue }
            if case .number = value.kind { continue }
            notes.append(Note("this value lies in \(range.value)", at: value.span))
        }
        // `rate(...) >= 80` where `80%` was meant.
        for (constant, other) in [(a, b), (b, a)] {
            guard case .number(let value) = constant.kind, constant.type != .ratio, let range = other.range,
                  let low = range.value.lower, let high = range.value.upper,
                  low >= .zero, high <= .one, value > .one, value <= Rational(100) else { continue }
            let percent = value.decimalString(places: 4) + "%"
            notes.append(Note("did you mean `\(percent)`?", at: constant.span))
            report(Diagnostic(.constantComparison, "comparison is always \(outcome)", at: span,
                              notes: notes, fixIts: [FixIt("write a percentage", replacing: constant.span, with: percent)]))
            return
        }
        notes.append(Note(outcome ? "a condition that cannot fail proves nothing; check the threshold"
                                  : "a condition that cannot hold; check the threshold"))
        report(Diagnostic(.constantComparison, "comparison is always \(outcome)", at: span, notes: notes))
    }
}
