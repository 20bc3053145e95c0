import BigNumber
import PolicySyntax

/// The readable tree printed by `zkpolicyc compile --emit hir`: declarations,
/// then each rule's expression, one node per line with its type, its range
/// (`in [lo, hi]`, and for fractions the numerator and denominator bounds)
/// and its source position. Stable: golden tests compare it byte for byte.
public struct HIRDumper {
    let sources: SourceMap
    let root: FileID
    var out = ""
    /// Binders and bound values are numbered in order of appearance, so the
    /// dump does not depend on how many ids the checker used elsewhere.
    var binders: [Int: Int] = [:]
    var locals: [Int: Int] = [:]

    mutating func label(_ binder: Binder) -> String {
        if binders[binder.id] == nil { binders[binder.id] = binders.count + 1 }
        return "\(binder.name)#\(binders[binder.id]!)"
    }

    mutating func label(local id: Int, _ name: String) -> String {
        if locals[id] == nil { locals[id] = locals.count + 1 }
        return "\(name)#\(locals[id]!)"
    }

    public static func dump(_ program: Program, sources: SourceMap) -> String {
        var dumper = HIRDumper(sources: sources, root: program.span.file)
        dumper.program(program)
        return dumper.out
    }

    mutating func line(_ indent: Int, _ text: String) {
        out += String(repeating: "  ", count: indent) + text + "\n"
    }

    /// `@line:col` in the policy file, `@path:line:col` elsewhere.
    func at(_ span: SourceSpan) -> String {
        guard let file = sources[span.file] else { return "" }
        let location = file.location(of: span.start)
        return span.file == root ? " @\(location)" : " @\(file.path):\(location)"
    }

    static func range(_ range: NumericRange?) -> String {
        guard let range else { return "" }
        var text = " in \(range.value)"
        if let constant = range.constantDenominator {
            if constant != .one { text += " n\(range.numerator) /\(Interval.show(Rational(constant)))" }
        } else {
            text += " n\(range.numerator) d\(range.denominator)"
        }
        return text
    }

    static func columns(_ columns: [String]) -> String {
        guard columns.count > 2, let first = columns.first, let last = columns.last else {
            return columns.joined(separator: ", ")
        }
        // `f0..f19` or `x[0]..x[19]` when the columns are a numbered run.
        func split(_ name: String) -> (String, Int, String)? {
            let suffix = name.hasSuffix("]") ? "]" : ""
            let body = suffix.isEmpty ? Substring(name) : name.dropLast()
            let digits = body.reversed().prefix { $0.isNumber }
            guard !digits.isEmpty, let number = Int(String(digits.reversed())) else { return nil }
            return (String(body.dropLast(digits.count)), number, suffix)
        }
        if let (prefix, start, suffix) = split(first),
           columns.enumerated().allSatisfy({ $0.element == "\(prefix)\(start + $0.offset)\(suffix)" }) {
            return "\(first)..\(last)"
        }
        return columns.joined(separator: ", ")
    }

    mutating func program(_ program: Program) {
        line(0, "program \(SourcePrinter.quoted(program.name)) version \(SourcePrinter.quoted(program.version))")
        for source in program.sources { line(1, "source \(source.key)") }
        for model in program.models {
            line(1, "model \(model.name): \(model.format) \(model.input) -> \(model.output) in \(model.outputRange) \(model.visibility.rawValue)" + at(model.span))
        }
        for table in program.tables {
            line(1, "table \(table.name) \(table.visibility.rawValue)" + at(table.span))
            for field in table.fields {
                var text = "field \(field.name): \(field.type)"
                if let range = field.range { text += " in \(range)" }
                if field.fractionBits > 0 { text += " bits \(field.fractionBits)" }
                text += (field.columns.count == 1 ? " column " : " columns ") + HIRDumper.columns(field.columns)
                line(2, text)
            }
        }
        for param in program.params {
            var value: String
            switch param.value {
            case .bool(let flag): value = flag ? "true" : "false"
            case .number(let number): value = number.description
            }
            line(1, "param \(param.name): \(param.type)" + (param.domain.map { " in \($0)" } ?? "") + " = \(value)" + at(param.span))
        }
        for commitment in program.commitments { line(1, "commitment \(commitment.name)" + at(commitment.span)) }
        for rule in program.rules {
            line(1, "rule \(rule.name)" + at(rule.span))
            expression(rule.body, 2)
        }
    }

    mutating func node(_ expr: Expr, _ indent: Int, _ text: String) {
        line(indent, text + " : \(expr.type)" + HIRDumper.range(expr.range) + at(expr.span))
    }

    mutating func expression(_ expr: Expr, _ indent: Int) {
        switch expr.kind {
        case .bool(let value): node(expr, indent, value ? "true" : "false")
        case .number(let value): node(expr, indent, "number \(value)")
        case .param(let name): node(expr, indent, "param \(name)")
        case .commitment(let name): node(expr, indent, "commitment \(name)")
        case .commit(.model(let name)): node(expr, indent, "commit model \(name)")
        case .commit(.table(let name)): node(expr, indent, "commit table \(name)")
        case .local(let id, let name): node(expr, indent, "local " + label(local: id, name))
        case .inline(let call):
            node(expr, indent, "inline \(call.function) (defined\(at(call.definition)))")
            for binding in call.bindings {
                line(indent + 1, "let \(label(local: binding.id, binding.name)) =")
                expression(binding.value, indent + 2)
            }
            expression(call.body, indent + 1)
        case .field(let binder, let name): node(expr, indent, "field \(label(binder)).\(name)")
        case .enumCase(let index, let name): node(expr, indent, "case \(name) (\(index))")
        case .index(let base, let indices):
            node(expr, indent, "index [" + indices.map(String.init).joined(separator: ", ") + "]")
            expression(base, indent + 1)
        case .applyModel(let model, let input):
            node(expr, indent, "apply model \(model)")
            expression(input, indent + 1)
        case .negate(let operand): node(expr, indent, "negate"); expression(operand, indent + 1)
        case .not(let operand): node(expr, indent, "not"); expression(operand, indent + 1)
        case .absolute(let operand): node(expr, indent, "abs"); expression(operand, indent + 1)
        case .arithmetic(let op, let a, let b):
            node(expr, indent, "arithmetic \(op.rawValue)")
            expression(a, indent + 1)
            expression(b, indent + 1)
        case .and(let a, let b):
            node(expr, indent, "and")
            expression(a, indent + 1)
            expression(b, indent + 1)
        case .or(let a, let b):
            node(expr, indent, "or")
            expression(a, indent + 1)
            expression(b, indent + 1)
        case .compare(let op, let a, let b, let kind):
            node(expr, indent, "compare \(op.rawValue) as \(kind)")
            expression(a, indent + 1)
            expression(b, indent + 1)
        case .extremum(let which, let values):
            node(expr, indent, which.rawValue)
            for value in values { expression(value, indent + 1) }
        case .conditional(let test, let a, let b):
            node(expr, indent, "if")
            expression(test, indent + 1)
            expression(a, indent + 1)
            expression(b, indent + 1)
        case .aggregate(let aggregate):
            node(expr, indent, "aggregate \(aggregate.function.rawValue) \(label(aggregate.binder)) in \(aggregate.table)")
            if let filter = aggregate.filter {
                line(indent + 1, "where")
                expression(filter, indent + 2)
            }
            if let grouping = aggregate.grouping {
                line(indent + 1, "by \(grouping.groups)" + (grouping.empty == .skip ? " skip empty" : " empty error"))
                expression(grouping.key, indent + 2)
            }
            if let body = aggregate.body {
                line(indent + 1, "body")
                expression(body, indent + 2)
            }
        case .reduce(let which, let value):
            node(expr, indent, "reduce \(which.rawValue) over groups")
            expression(value, indent + 1)
        case .opaque: node(expr, indent, "<opaque>")
        case .error: node(expr, indent, "<error>")
        }
    }
}
