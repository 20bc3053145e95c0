import BigNumber
import PolicySyntax

/// The built-in functions: `abs`, `min`/`max` of values or over groups, `commit`.
extension Checker {
    func builtin(_ name: Identifier, _ arguments: [CallArgument], span: SourceSpan, _ scope: Scope) -> Expr {
        switch name.name {
        case "abs":
            guard let args = positional(arguments, "abs", count: 1...1, span: span) else { return .error(at: span) }
            let value = elaborate(args[0], scope)
            if value.isError { return .error(at: span) }
            guard let kind = numericOperand(value, "abs", at: span) else { return .error(at: span) }
            if case .number(let number) = value.kind {
                return make(.number(number.magnitude), kind.type, .constant(number.magnitude), span)
            }
            return make(.absolute(value), kind.type, rangeOf(value.range.map(RangeRules.absolute), at: span), span)
        case "commit":
            guard let args = positional(arguments, "commit", count: 1...1, span: span) else { return .error(at: span) }
            switch resolve(args[0], scope) {
            case .entity(.model(.concrete(let model))):
                return make(.commit(.model(model.name)), .digest, nil, span)
            case .entity(.table(.concrete(let table))):
                return make(.commit(.table(table.name)), .digest, nil, span)
            case .entity(.model(.abstract)), .entity(.table(.abstract)):
                return make(.opaque, .digest, nil, span)
            case .notFound(let unknown):
                reportUnknown(unknown, scope)
            default:
                report(Diagnostic(.invalidCommitTarget, "`commit` takes a model or a data table", at: args[0].span,
                                  notes: [Note("for example `commit(scorer) == scorer_digest`")]))
            }
            return .error(at: span)
        default: // min, max
            let extremum: Extremum = name.name == "min" ? .min : .max
            guard let args = positional(arguments, name.name, count: 1...Int.max, span: span) else { return .error(at: span) }
            let values = args.map { elaborate($0, scope) }
            if values.contains(where: \.isError) { return .error(at: span) }
            if values.count == 1 {
                guard case .perGroup(let element, _) = values[0].type else {
                    report(Diagnostic(.wrongArgumentCount, "`\(name.name)` of a single value", at: span,
                                      notes: [Note("pass two or more numbers, a per-group value, or write `\(name.name)(a in TABLE: ...)`")]))
                    return .error(at: span)
                }
                return make(.reduce(extremum, values[0]), element, values[0].range, span)
            }
            var kind = NumericKind.int
            for value in values {
                guard let valueKind = numericOperand(value, name.name, at: span) else { return .error(at: span) }
                kind = max(kind, valueKind)
            }
            var range = values[0].range
            for value in values.dropFirst() {
                guard let current = range, let next = value.range else { range = nil; continue }
                let interval = extremum == .min ? Interval.minimum(current.value, next.value) : Interval.maximum(current.value, next.value)
                range = rangeOf(RangeRules.choice(current, next, value: interval), at: span)
            }
            return make(.extremum(extremum, values), kind.type, range, span)
        }
    }
}
