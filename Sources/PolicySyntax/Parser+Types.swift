extension Parser {
    /// A type, with an optional `per group` suffix.
    mutating func parseType() -> TypeExpr {
        let start = current.span.start
        guard enter() else { leave(); return TypeExpr(kind: .error, span: current.span) }
        defer { leave() }
        var type = parseBaseType()
        var chain = 0
        while at(.keyword(.per)) {
            chain += 1
            if depth + chain > Self.maxDepth {
                report(Diagnostic(.nestingTooDeep, "type nested more than \(Self.maxDepth) levels deep", at: current.span))
                return TypeExpr(kind: .error, span: span(from: start))
            }
            advance()
            if current.isWord("group") {
                advance()
            } else {
                report(.expected("`group` after `per`", found: current))
            }
            type = TypeExpr(kind: .perGroup(type), span: span(from: start))
        }
        return type
    }

    mutating func parseBaseType() -> TypeExpr {
        let start = current.span.start
        let kind: TypeKind
        switch current.kind {
        case .keyword(.bool): advance(); kind = .bool
        case .keyword(.int): advance(); kind = .int(parseRange())
        case .keyword(.fixed): advance(); kind = .fixed(parseRange())
        case .keyword(.ratio): advance(); kind = .ratio(parseRange())
        case .keyword(.digest): advance(); kind = .digest
        case .keyword(.model): advance(); kind = .model
        case .keyword(.tensor): kind = parseTensorType()
        case .keyword(.enum): kind = parseEnumType()
        case .keyword(.table):
            advance()
            if at(.arrow) {
                report(Diagnostic(.expectedType, "a row function names the table parameter whose rows it takes", at: tokens[index - 1].span,
                                  notes: [Note("declare a parameter `rows: table` and write `rows -> bool`")]))
                kind = .error
            } else if let open = at(.leftBrace) ? current : nil {
                report(Diagnostic(.invalidTypeHere, "a table schema can only appear in a `data` declaration",
                                  at: open.span, notes: [Note("a `fn` parameter of type `table` accepts any table")]))
                kind = .error
            } else {
                kind = .table
            }
        case .identifier:
            let table = Identifier(advance().text, span: tokens[index - 1].span)
            if consume(.arrow) != nil {
                kind = .rowFunction(table: table, result: parseType())
            } else {
                report(Diagnostic(.expectedType, "expected a type, found name `\(table.name)`", at: table.span,
                                  notes: [Note("a function of a row of table `\(table.name)` is written `\(table.name) -> bool`")]))
                kind = .error
            }
        default:
            report(.expectedType(found: current))
            kind = .error
        }
        return TypeExpr(kind: kind, span: span(from: start))
    }

    /// `tensor[20]`, `tensor[2, 3] int in 0..9`
    mutating func parseTensorType() -> TypeKind {
        advance()
        guard let open = expect(.leftBracket, "after `tensor` (its dimensions)") else { return .error }
        var dimensions: [NumberLiteral] = []
        repeat {
            guard at(.integer) else {
                report(.expected("a dimension (an integer)", found: current))
                return .error
            }
            let token = advance()
            dimensions.append(NumberLiteral(kind: .integer, spelling: token.text, negative: false, span: token.span))
        } while consume(.comma) != nil
        guard expectClosing(.rightBracket, opening: open) != nil else { return .error }
        var element: ScalarKind?
        if consume(.keyword(.int)) != nil { element = .int } else if consume(.keyword(.fixed)) != nil { element = .fixed }
        return .tensor(dimensions: dimensions, element: element, range: parseRange())
    }

    /// `enum { a, b }`, or `enum` alone (some enum) in a row function's result.
    mutating func parseEnumType() -> TypeKind {
        advance()
        guard let open = consume(.leftBrace) else { return .enumeration(nil) }
        var cases: [Identifier] = []
        while !at(.rightBrace) {
            guard let name = expectIdentifier("for an enum case") else { return .error }
            cases.append(name)
            if consume(.comma) == nil { break }
        }
        guard expectClosing(.rightBrace, opening: open) != nil else { return .error }
        return .enumeration(cases)
    }

    /// An optional `in LO..HI`.
    mutating func parseRange() -> RangeExpr? {
        guard at(.keyword(.in)) else { return nil }
        let start = advance().span.start
        guard let lower = parseSignedNumber("for the lower bound"),
              expect(.dotDot, "between the bounds of the range") != nil,
              let upper = parseSignedNumber("for the upper bound") else { return nil }
        return RangeExpr(lower: lower, upper: upper, span: span(from: start))
    }

    /// A number literal with an optional leading `-`.
    mutating func parseSignedNumber(_ context: String) -> NumberLiteral? {
        let start = current.span.start
        let negative = consume(.minus) != nil
        let kind: NumberLiteral.Kind
        switch current.kind {
        case .integer: kind = .integer
        case .decimal: kind = .decimal
        case .percent: kind = .percent
        default:
            report(.expected("a number " + context, found: current))
            return nil
        }
        let token = advance()
        return NumberLiteral(kind: kind, spelling: token.text, negative: negative, span: span(from: start))
    }
}
