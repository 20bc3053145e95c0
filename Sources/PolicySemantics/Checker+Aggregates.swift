import BigNumber
import PolicySyntax

extension Checker {
    /// The table an aggregate ranges over, or nil (reported).
    func resolveTable(_ expr: SyntaxExpr, _ scope: Scope) -> TableRef? {
        switch resolve(expr, scope) {
        case .entity(.table(let table)):
            return table
        case .entity(let other):
            report(Diagnostic(.expectedTable, "expected a table, found \(other.description)", at: expr.span))
        case .notFound(let name):
            reportUnknown(name, scope)
        case .unknownMember(let module, let name):
            reportUnknownMember(module, name)
        case .notAName:
            report(Diagnostic(.expectedTable, "expected the name of a table", at: expr.span))
        }
        return nil
    }

    /// Binds a row of `table` in a nested scope.
    func rowScope(_ binder: Identifier, _ table: TableRef, _ scope: Scope) -> (Scope, Binder) {
        let row = Binder(id: freshID(), name: binder.name, table: table.name)
        var inner = scope
        inner.level += 1
        inner.locals[binder.name] = .row(RowEntity(binder: row, table: table, level: inner.level))
        return (inner, row)
    }

    /// A filter or quantifier body: must be a bool.
    func condition(_ expr: SyntaxExpr, _ scope: Scope, _ what: String) -> Expr? {
        let value = elaborate(expr, scope, expected: .bool)
        if value.isError { return nil }
        guard value.type == .bool else {
            if case .perGroup = value.type { reportPerGroup(value, at: expr.span); return nil }
            report(Diagnostic(.typeMismatch, "\(what) must be a bool, not \(describe(value.type))", at: expr.span))
            return nil
        }
        return value
    }

    func elaborateAggregate(_ aggregate: AggregateExpr, span: SourceSpan, _ scope: Scope) -> Expr {
        guard let table = resolveTable(aggregate.table, scope) else { return .error(at: span) }
        let (inner, binder) = rowScope(aggregate.binder, table, scope)
        var failed = false
        var filter: Expr?
        if let expr = aggregate.filter {
            filter = condition(expr, inner, "a `where` filter")
            failed = filter == nil
        }
        var grouping: Grouping?
        if let group = aggregate.group {
            let key = elaborate(group.key, inner)
            if key.isError {
                failed = true
            } else if case .enumeration(let groups) = key.type {
                grouping = Grouping(key: key, groups: groups, empty: group.skipEmpty != nil ? .skip : .error)
            } else {
                report(Diagnostic(.groupKeyNotEnum, "rows are grouped by an enum value, not \(describe(key.type))", at: group.key.span,
                                  notes: [Note("group by an enum field, e.g. `by \(aggregate.binder.name).group`")]))
                failed = true
            }
        }
        let kind = aggregate.kind
        var body: Expr?
        if let expr = aggregate.body {
            if kind == .count {
                report(Diagnostic(.aggregateBody, "`count` takes no body; write the condition after `where`", at: expr.span))
                return .error(at: span)
            }
            if kind == .rate {
                body = condition(expr, inner, "the body of `rate`")
            } else {
                let value = elaborate(expr, inner)
                if !value.isError {
                    if case .perGroup = value.type { reportPerGroup(value, at: expr.span) }
                    else if !value.type.isNumeric {
                        report(Diagnostic(.typeMismatch, "the body of `\(kind.rawValue)` must be a number, not \(describe(value.type))",
                                          at: expr.span))
                    } else if value.type == .ratio && (kind == .sum || kind == .mean) {
                        report(Diagnostic(.invalidOperands, "`\(kind.rawValue)` of ratio values is not supported", at: expr.span,
                                          notes: [Note("sum counts or fixed-point values; divide afterwards")]))
                    } else if (kind == .sum || kind == .mean), let range = value.range, range.constantDenominator == nil {
                        report(Diagnostic(.invalidOperands, "`\(kind.rawValue)` needs values with a constant scale", at: expr.span,
                                          notes: [Note("this value is a quotient; sum its numerator and denominator separately")]))
                    } else {
                        body = value
                    }
                }
            }
            failed = failed || body == nil
        } else if kind != .count {
            let example = kind == .rate ? "rate(a in t where p: approved(a))" : "\(kind.rawValue)(a in t: a.amount)"
            report(Diagnostic(.aggregateBody, "`\(kind.rawValue)` needs a body after `:`", at: span,
                              notes: [Note("for example `\(example)`")]))
            return .error(at: span)
        }
        if failed { return .error(at: span) }

        let function: AggregateFunction
        var type: ValueType
        var range: NumericRange?
        switch kind {
        case .count:
            function = .count; type = .int; range = RangeRules.count
        case .rate:
            function = .rate; type = .ratio; range = RangeRules.rate
        case .sum:
            function = .sum; type = body!.type; range = rangeOf(body!.range.map(RangeRules.sum), at: span)
        case .mean:
            function = .mean; type = .ratio; range = rangeOf(body!.range.map(RangeRules.mean), at: span)
        case .min:
            function = .min; type = body!.type; range = body!.range
        case .max:
            function = .max; type = body!.type; range = body!.range
        }
        if let grouping { type = .perGroup(type, grouping.groups) }
        let node = Aggregate(function: function, table: table.name, binder: binder, filter: filter, grouping: grouping, body: body)
        return make(.aggregate(node), type, range, span)
    }

    func elaborateQuantifier(_ quantifier: QuantifierExpr, span: SourceSpan, _ scope: Scope) -> Expr {
        guard let table = resolveTable(quantifier.table, scope) else { return .error(at: span) }
        let (inner, binder) = rowScope(quantifier.binder, table, scope)
        var filter: Expr?
        if let expr = quantifier.filter {
            guard let value = condition(expr, inner, "a `where` filter") else { return .error(at: span) }
            filter = value
        }
        guard let body = condition(quantifier.body, inner, "the condition of `\(quantifier.kind.rawValue)`") else {
            return .error(at: span)
        }
        let node = Aggregate(function: quantifier.kind == .all ? .all : .any, table: table.name, binder: binder,
                             filter: filter, grouping: nil, body: body)
        return make(.aggregate(node), .bool, nil, span)
    }
}
