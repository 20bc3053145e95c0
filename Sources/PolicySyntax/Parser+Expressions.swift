extension Parser {
    /// An expression: precedence climbing over `or` < `and` < `not` <
    /// comparisons < `+ -` < `* /` < unary `-` < postfix (`.x`, `[i]`, `(args)`).
    /// `if`, `all` and `any` extend as far right as possible.
    mutating func parseExpression() -> SyntaxExpr {
        guard enter() else { leave(); return .error(at: current.span) }
        defer { leave() }
        return parseBinary(minimumPrecedence: 1)
    }

    func binaryOperator(_ token: Token) -> BinaryOperator? {
        switch token.kind {
        case .keyword(.or): return .or
        case .keyword(.and): return .and
        case .equalEqual: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        case .plus: return .add
        case .minus: return .subtract
        case .star: return .multiply
        case .slash: return .divide
        default: return nil
        }
    }

    mutating func parseBinary(minimumPrecedence: Int) -> SyntaxExpr {
        var left = minimumPrecedence <= 3 ? parseNot() : parseUnary()
        // Each operator folded into the left operand deepens the tree by one.
        var chain = 0
        while let op = binaryOperator(current), op.precedence >= minimumPrecedence, !recovering {
            let opToken = advance()
            chain += 1
            if depth + chain > Self.maxDepth {
                report(Diagnostic(.nestingTooDeep, "expression nested more than \(Self.maxDepth) levels deep",
                                  at: opToken.span, notes: [Note("split it into smaller parts with `let`")]))
                return .error(at: left.span)
            }
            let right = parseBinary(minimumPrecedence: op.precedence + 1)
            if op.isComparison, let next = binaryOperator(current), next.isComparison, !recovering {
                report(Diagnostic(.chainedComparison, "comparisons cannot be chained", at: current.span,
                                  notes: [Note("write `a < b and b < c`")]))
            }
            left = SyntaxExpr(.binary(op, left, right), span: left.span.union(right.span))
        }
        return left
    }

    /// `not e` binds looser than comparisons: `not a == b` is `not (a == b)`.
    mutating func parseNot() -> SyntaxExpr {
        guard at(.keyword(.not)) else { return parseBinary(minimumPrecedence: 4) }
        let start = advance().span
        guard enter() else { leave(); return .error(at: start) }
        defer { leave() }
        let operand = parseNot()
        return SyntaxExpr(.unary(.not, operand), span: start.union(operand.span))
    }

    mutating func parseUnary() -> SyntaxExpr {
        guard at(.minus) else { return parsePostfix() }
        let start = advance().span
        guard enter() else { leave(); return .error(at: start) }
        defer { leave() }
        let operand = parseUnary()
        return SyntaxExpr(.unary(.negate, operand), span: start.union(operand.span))
    }

    mutating func parsePostfix() -> SyntaxExpr {
        var expr = parsePrimary()
        var chain = 0
        while !recovering {
            if at(.dot) {
                advance()
                guard let member = expectIdentifier("after `.`") else { break }
                expr = SyntaxExpr(.member(expr, member), span: expr.span.union(member.span))
            } else if let open = consume(.leftBracket) {
                var indices: [SyntaxExpr] = []
                repeat {
                    if at(.rightBracket) { break }
                    indices.append(parseExpression())
                } while !recovering && consume(.comma) != nil
                guard !recovering, expectClosing(.rightBracket, opening: open) != nil else { break }
                expr = SyntaxExpr(.index(expr, indices), span: span(from: expr.span.start))
            } else if let open = consume(.leftParen) {
                let arguments = parseArguments(open: open)
                expr = SyntaxExpr(.call(expr, arguments), span: span(from: expr.span.start))
            } else {
                break
            }
            chain += 1
            if depth + chain > Self.maxDepth {
                report(Diagnostic(.nestingTooDeep, "expression nested more than \(Self.maxDepth) levels deep",
                                  at: current.span, notes: [Note("split it into smaller parts with `let`")]))
                return .error(at: expr.span)
            }
        }
        return expr
    }

    /// `(a, by: b)` after the `(`.
    mutating func parseArguments(open: Token) -> [CallArgument] {
        var arguments: [CallArgument] = []
        while !at(.rightParen) && !recovering && !atEnd && !atDeclarationStart {
            var label: Identifier?
            if peek(1).kind == .colon, current.kind == .identifier || isKeywordToken(current) {
                let token = advance()
                advance()
                label = Identifier(token.text, span: token.span)
            }
            arguments.append(CallArgument(label: label, value: parseExpression()))
            if consume(.comma) == nil { break }
        }
        if !recovering { _ = expectClosing(.rightParen, opening: open) }
        return arguments
    }

    mutating func parsePrimary() -> SyntaxExpr {
        let token = current
        switch token.kind {
        case .integer, .decimal, .percent:
            advance()
            let kind: NumberLiteral.Kind = token.kind == .integer ? .integer : (token.kind == .decimal ? .decimal : .percent)
            let literal = NumberLiteral(kind: kind, spelling: token.text, negative: false, span: token.span)
            return SyntaxExpr(.literal(.number(literal)), span: token.span)
        case .keyword(.true), .keyword(.false):
            advance()
            return SyntaxExpr(.literal(.bool(token.kind == .keyword(.true))), span: token.span)
        case .keyword(.if):
            return parseConditional()
        case .identifier:
            if (token.text == "all" || token.text == "any"), peek(1).kind == .identifier, peek(2).kind == .keyword(.in) {
                return parseQuantifier()
            }
            if let kind = AggregateKind(rawValue: token.text), peek(1).kind == .leftParen,
               peek(2).kind == .identifier, peek(3).kind == .keyword(.in) {
                return parseAggregate(kind)
            }
            advance()
            return SyntaxExpr(.name(token.text), span: token.span)
        case .leftParen:
            let open = advance()
            let inner = parseExpression()
            if !recovering { _ = expectClosing(.rightParen, opening: open) }
            return SyntaxExpr(.parenthesized(inner), span: span(from: open.span.start))
        default:
            report(.expectedExpression(found: token))
            // Consume a stray token that cannot end anything, so callers make progress.
            if !atEnd && !atDeclarationStart && binaryOperator(token) == nil {
                switch token.kind {
                case .rightParen, .rightBracket, .rightBrace, .comma, .colon: break
                default: advance()
                }
            }
            return .error(at: token.span)
        }
    }

    /// `if c then a else b`
    mutating func parseConditional() -> SyntaxExpr {
        let start = advance().span.start
        let condition = parseExpression()
        guard !recovering, expect(.keyword(.then), "after the condition of `if`") != nil else {
            return .error(at: span(from: start))
        }
        let then = parseExpression()
        guard !recovering, expect(.keyword(.else), "(an `if` needs an `else`)") != nil else {
            return .error(at: span(from: start))
        }
        let otherwise = parseExpression()
        return SyntaxExpr(.conditional(condition, then, otherwise), span: span(from: start))
    }

    /// `binder in table [where filter]` (shared by aggregates and quantifiers).
    mutating func parseBinding() -> (Identifier, SyntaxExpr, SyntaxExpr?)? {
        let binderToken = advance()
        let binder = Identifier(binderToken.text, span: binderToken.span)
        advance() // `in`
        let table = parsePostfix()
        var filter: SyntaxExpr?
        if !recovering, consume(.keyword(.where)) != nil {
            filter = parseExpression()
        }
        return recovering ? nil : (binder, table, filter)
    }

    /// `all a in t [where p]: body`
    mutating func parseQuantifier() -> SyntaxExpr {
        let keyword = advance()
        let kind: QuantifierKind = keyword.text == "all" ? .all : .any
        guard let (binder, table, filter) = parseBinding() else { return .error(at: keyword.span) }
        guard expect(.colon, "before the condition of `\(kind.rawValue)`") != nil else {
            return .error(at: span(from: keyword.span.start))
        }
        let body = parseExpression()
        let quantifier = QuantifierExpr(kind: kind, keyword: keyword.span, binder: binder, table: table,
                                        filter: filter, body: body)
        return SyntaxExpr(.quantifier(quantifier), span: span(from: keyword.span.start))
    }

    /// `rate(a in t [where p] [by key [skip empty]] [: body])`
    mutating func parseAggregate(_ kind: AggregateKind) -> SyntaxExpr {
        let keyword = advance()
        let open = advance()
        guard let (binder, table, filter) = parseBinding() else { return .error(at: keyword.span) }
        var group: GroupClause?
        if consume(.keyword(.by)) != nil {
            let key = parseExpression()
            var skipEmpty: SourceSpan?
            if !recovering, current.isWord("skip") {
                let skip = advance()
                if current.isWord("empty") {
                    skipEmpty = skip.span.union(advance().span)
                } else {
                    report(.expected("`empty` after `skip`", found: current))
                }
            }
            group = GroupClause(key: key, skipEmpty: skipEmpty)
        }
        var body: SyntaxExpr?
        if !recovering, consume(.colon) != nil {
            body = parseExpression()
        }
        if !recovering, !at(.rightParen) {
            var expected = "`)`"
            if group == nil { expected = "`by`, " + expected }
            if body == nil { expected = "`:`, " + expected }
            if filter == nil && group == nil && body == nil { expected = "`where`, " + expected }
            report(.expected(expected, found: current)
                .with(note: Note("in this `\(kind.rawValue)`", at: open.span)))
        } else if !recovering {
            _ = expectClosing(.rightParen, opening: open)
        }
        let aggregate = AggregateExpr(kind: kind, keyword: keyword.span, binder: binder, table: table,
                                      filter: filter, group: group, body: body)
        return SyntaxExpr(.aggregate(aggregate), span: span(from: keyword.span.start))
    }
}
