/// Diagnostic factories of the parser.
extension Diagnostic {
    static func expected(_ what: String, found token: Token) -> Diagnostic {
        var diagnostic = Diagnostic(.expectedToken, "expected \(what), found \(token.description)", at: token.span)
        if token.kind == .equal && !what.contains("`=`") {
            diagnostic.notes.append(Note("use `==` to compare"))
            diagnostic.fixIts.append(FixIt("compare with `==`", replacing: token.span, with: "=="))
        }
        return diagnostic
    }

    static func expectedExpression(found token: Token) -> Diagnostic {
        var diagnostic = Diagnostic(.expectedExpression, "expected an expression, found \(token.description)", at: token.span)
        if token.kind == .equal {
            diagnostic.notes.append(Note("use `==` to compare"))
        }
        return diagnostic
    }

    static func expectedType(found token: Token) -> Diagnostic {
        Diagnostic(.expectedType, "expected a type, found \(token.description)", at: token.span,
                   notes: [Note("types are bool, int, fixed, ratio, digest, tensor[...], enum { ... }")])
    }

    static func expectedDeclaration(found token: Token) -> Diagnostic {
        Diagnostic(.expectedDeclaration, "expected a declaration, found \(token.description)", at: token.span,
                   notes: [Note("declarations start with policy, import, model, data, param, commitment, let, fn or rule")])
    }
}
