extension Formatter {
    /// The layout of an expression. Groups keep short expressions on one line;
    /// long ones break at `and`/`or`, after `(` of calls and aggregates, and
    /// between the parts of `if`.
    mutating func expression(_ expr: SyntaxExpr) -> Doc {
        switch expr.kind {
        case .name(let name):
            return .text(name)
        case .literal(let literal):
            return .text(SourcePrinter.literal(literal))
        case .member(let base, let member):
            return expression(base) + .text("." + member.name)
        case .index(let base, let indices):
            let baseDoc = expression(base)
            var parts: [Doc] = []
            for index in indices { parts.append(expression(index)) }
            return baseDoc + .text("[") + .join(parts, separator: .text(", ")) + .text("]")
        case .call(let callee, let arguments):
            let calleeDoc = expression(callee)
            return calleeDoc + argumentList(arguments)
        case .unary(let op, let operand):
            let operandDoc = expression(operand)
            return .text(op == .not ? "not " : "-") + operandDoc
        case .binary(let op, _, _) where op == .and || op == .or:
            return chain(expr, op)
        case .binary(let op, let left, let right):
            // Lines break inside the operands, never at a comparison or arithmetic operator.
            let leftDoc = expression(left)
            let rightDoc = expression(right)
            return leftDoc + .text(" " + op.rawValue + " ") + rightDoc
        case .conditional(let condition, let then, let otherwise):
            let conditionDoc = expression(condition)
            let thenDoc = expression(then)
            let elseDoc = expression(otherwise)
            return .group(.text("if ") + conditionDoc
                          + .nest(Self.indent, .line + .text("then ") + thenDoc + .line + .text("else ") + elseDoc))
        case .aggregate(let aggregate):
            var head = binding(aggregate.binder, aggregate.table, aggregate.filter)
            if let group = aggregate.group {
                let key = expression(group.key)
                head.append(.line + .text("by ") + key + .text(group.skipEmpty != nil ? " skip empty" : ""))
            }
            var inner: Doc = .group(.concat(head))
            if let body = aggregate.body {
                let bodyDoc = expression(body)
                inner = inner + .text(":") + .nest(Self.indent, .line + bodyDoc)
            }
            return .group(.text(aggregate.kind.rawValue + "(") + .nest(Self.indent, .softLine + inner) + .softLine + .text(")"))
        case .quantifier(let quantifier):
            let head = binding(quantifier.binder, quantifier.table, quantifier.filter)
            let bodyDoc = expression(quantifier.body)
            return .group(.text(quantifier.kind.rawValue + " ") + .group(.nest(Self.indent, .concat(head))) + .text(":")
                          + .nest(Self.indent, .line + bodyDoc))
        case .parenthesized(let inner):
            let innerDoc = expression(inner)
            return .group(.text("(") + .nest(Self.indent, .softLine + innerDoc) + .softLine + .text(")"))
        case .error:
            return .text(file.text(of: expr.span))
        }
    }

    /// `a in table` and an optional `where filter`, as the pieces of a group.
    mutating func binding(_ binder: Identifier, _ table: SyntaxExpr, _ filter: SyntaxExpr?) -> [Doc] {
        var head: [Doc] = [.text(binder.name + " in ") + expression(table)]
        if let filter {
            let filterDoc = expression(filter)
            head.append(.line + .text("where ") + filterDoc)
        }
        return head
    }

    /// A chain `a and b and c` (same operator), one operand per line when broken.
    /// Comments before an operand stay before it and force the chain to break.
    mutating func chain(_ expr: SyntaxExpr, _ op: BinaryOperator) -> Doc {
        var operands: [SyntaxExpr] = []
        var current = expr
        while case .binary(let inner, let left, let right) = current.kind, inner == op {
            operands.insert(right, at: 0)
            current = left
        }
        operands.insert(current, at: 0)
        var parts: [Doc] = []
        for (position, operand) in operands.enumerated() {
            if position > 0 {
                for comment in comments.take(before: operand.span.start) {
                    parts.append(.text(comment.text) + .hardLine)
                }
            }
            parts.append(.text(position > 0 ? op.rawValue + " " : "") + expression(operand))
            // A comment at the end of an operand's line stays there.
            if let trailing = comments.takeTrailing(after: operand.span.end, in: file) {
                parts.append(.text("  " + trailing.text) + .hardLine)
            } else if position + 1 < operands.count {
                parts.append(.line)
            }
        }
        return .group(.concat(parts))
    }

    /// `(a, by: b)`; one argument per line when too long or when commented.
    mutating func argumentList(_ arguments: [CallArgument]) -> Doc {
        guard !arguments.isEmpty else { return .text("()") }
        var parts: [Doc] = []
        for (position, argument) in arguments.enumerated() {
            var piece: [Doc] = []
            if position > 0 { piece.append(.text(",") + .line) }
            for comment in comments.take(before: argument.span.start) {
                piece.append(.text(comment.text) + .hardLine)
            }
            if let label = argument.label { piece.append(.text(label.name + ": ")) }
            piece.append(expression(argument.value))
            parts.append(.concat(piece))
        }
        return .group(.text("(") + .nest(Self.indent, .softLine + .concat(parts)) + .softLine + .text(")"))
    }
}

/// Compares the token streams of a file and its formatted text.
enum TokenComparison {
    /// nil when equal (ignoring a `,` right before `}`), else a short description.
    static func difference(original: SourceFile, formatted: String) -> String? {
        let formattedFile = SourceFile(id: original.id, path: original.path, text: formatted)
        let a = significant(Lexer.lex(original))
        let b = significant(Lexer.lex(formattedFile))
        guard a.count == b.count else { return "token count \(a.count) vs \(b.count)" }
        for (x, y) in zip(a, b) where x != y { return "`\(x)` became `\(y)`" }
        let commentsA = Lexer.lex(original).comments.map(\.text)
        let commentsB = Lexer.lex(formattedFile).comments.map(\.text)
        guard commentsA.sorted() == commentsB.sorted() else { return "comments changed" }
        return nil
    }

    static func significant(_ lexed: LexedFile) -> [String] {
        var result: [String] = []
        for (position, token) in lexed.tokens.enumerated() {
            if token.kind == .comma, position + 1 < lexed.tokens.count, lexed.tokens[position + 1].kind == .rightBrace { continue }
            result.append("\(token.kind):\(token.text)")
        }
        return result
    }
}
