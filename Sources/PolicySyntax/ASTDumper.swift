/// The readable tree printed by `zkpolicyc compile --emit ast`: one node per
/// line, children indented by two spaces, each node with its `line:col`.
/// Stable: golden tests compare it byte for byte.
public struct ASTDumper {
    let file: SourceFile
    var out = ""

    public static func dump(_ module: SourceModule) -> String {
        var dumper = ASTDumper(file: module.file)
        dumper.line(0, "module \(module.file.path)")
        for declaration in module.declarations { dumper.declaration(declaration, 1) }
        return dumper.out
    }

    func at(_ span: SourceSpan) -> String { " @" + file.location(of: span.start).description }

    mutating func line(_ indent: Int, _ text: String) {
        out += String(repeating: "  ", count: indent) + text + "\n"
    }

    mutating func declaration(_ declaration: Declaration, _ indent: Int) {
        let where_ = at(declaration.span)
        switch declaration.kind {
        case .policy(let header):
            line(indent, "policy \(header.name.map { SourcePrinter.quoted($0.value) } ?? "<error>") version \(header.version.map { SourcePrinter.quoted($0.value) } ?? "<error>")" + where_)
        case .import(let decl):
            var target = "<error>"
            switch decl.target {
            case .standard(let parts): target = parts.map(\.name).joined(separator: ".")
            case .file(let path): target = SourcePrinter.quoted(path.value)
            case nil: break
            }
            line(indent, "import \(target)" + (decl.alias.map { " as \($0.name)" } ?? "") + where_)
        case .model(let decl):
            line(indent, "model \(decl.name.name) \(decl.visibility?.visibility.rawValue ?? "<no visibility>")" + where_)
            line(indent + 1, "input " + SourcePrinter.type(decl.input))
            line(indent + 1, "output " + SourcePrinter.type(decl.output))
        case .data(let decl):
            line(indent, "data \(decl.name.name) \(decl.visibility?.visibility.rawValue ?? "<no visibility>")" + where_)
            for field in decl.fields {
                line(indent + 1, "field \(field.name.name): \(SourcePrinter.type(field.type))"
                     + (field.columns.map { " " + SourcePrinter.columns($0) } ?? "") + at(field.span))
                if let doc = field.doc { line(indent + 2, "doc " + SourcePrinter.quoted(doc.text)) }
            }
        case .param(let decl):
            line(indent, "param \(decl.name.name): \(SourcePrinter.type(decl.type))" + where_)
            expression(decl.value, indent + 1)
        case .commitment(let decl):
            line(indent, "commitment \(decl.name.name)" + where_)
        case .function(let decl):
            var head = (decl.isFn ? "fn " : "let ") + decl.name.name
            if let parameters = decl.parameters {
                head += "(" + parameters.map { p in
                    (p.label.map { $0.name + " " } ?? "") + p.name.name + (p.type.map { ": " + SourcePrinter.type($0) } ?? "")
                }.joined(separator: ", ") + ")"
                if let result = decl.resultType { head += " -> " + SourcePrinter.type(result) }
            } else if let result = decl.resultType {
                head += ": " + SourcePrinter.type(result)
            }
            line(indent, head + where_)
            expression(decl.body, indent + 1)
        case .rule(let decl):
            line(indent, "rule \(decl.name.name)" + where_)
            expression(decl.body, indent + 1)
        case .error:
            line(indent, "<error>" + where_)
        }
        if let doc = declaration.doc { line(indent + 1, "doc " + SourcePrinter.quoted(doc.text)) }
    }

    mutating func expression(_ expr: SyntaxExpr, _ indent: Int) {
        let where_ = at(expr.span)
        switch expr.kind {
        case .name(let name): line(indent, "name \(name)" + where_)
        case .literal(let literal): line(indent, "literal \(SourcePrinter.literal(literal))" + where_)
        case .member(let base, let member):
            line(indent, "member .\(member.name)" + where_)
            expression(base, indent + 1)
        case .index(let base, let indices):
            line(indent, "index" + where_)
            expression(base, indent + 1)
            for index in indices { expression(index, indent + 1) }
        case .call(let callee, let arguments):
            line(indent, "call" + where_)
            expression(callee, indent + 1)
            for argument in arguments {
                if let label = argument.label {
                    line(indent + 1, "label \(label.name):")
                    expression(argument.value, indent + 2)
                } else {
                    expression(argument.value, indent + 1)
                }
            }
        case .unary(let op, let operand):
            line(indent, "unary \(op.rawValue)" + where_)
            expression(operand, indent + 1)
        case .binary(let op, let left, let right):
            line(indent, "binary \(op.rawValue)" + where_)
            expression(left, indent + 1)
            expression(right, indent + 1)
        case .conditional(let condition, let then, let otherwise):
            line(indent, "if" + where_)
            expression(condition, indent + 1)
            expression(then, indent + 1)
            expression(otherwise, indent + 1)
        case .aggregate(let aggregate):
            line(indent, "aggregate \(aggregate.kind.rawValue) \(aggregate.binder.name)" + where_)
            line(indent + 1, "in")
            expression(aggregate.table, indent + 2)
            if let filter = aggregate.filter {
                line(indent + 1, "where")
                expression(filter, indent + 2)
            }
            if let group = aggregate.group {
                line(indent + 1, "by" + (group.skipEmpty != nil ? " (skip empty)" : ""))
                expression(group.key, indent + 2)
            }
            if let body = aggregate.body {
                line(indent + 1, "body")
                expression(body, indent + 2)
            }
        case .quantifier(let quantifier):
            line(indent, "\(quantifier.kind.rawValue) \(quantifier.binder.name)" + where_)
            line(indent + 1, "in")
            expression(quantifier.table, indent + 2)
            if let filter = quantifier.filter {
                line(indent + 1, "where")
                expression(filter, indent + 2)
            }
            line(indent + 1, "body")
            expression(quantifier.body, indent + 2)
        case .parenthesized(let inner):
            line(indent, "parens" + where_)
            expression(inner, indent + 1)
        case .error:
            line(indent, "<error>" + where_)
        }
    }
}
