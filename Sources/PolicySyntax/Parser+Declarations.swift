extension Parser {
    /// All declarations of the file, with structural checks on their order
    /// (the header first and once, imports before everything else).
    mutating func parseDeclarations() -> [Declaration] {
        var declarations: [Declaration] = []
        while !atEnd {
            recovering = false
            depth = 0
            guard atDeclarationStart else {
                report(.expectedDeclaration(found: current))
                advance()
                skipToDeclaration()
                continue
            }
            var declaration = parseDeclaration()
            if recovering {
                // The body of a declaration with a syntax error is dropped (its name is kept),
                // so that later stages do not report the consequences of a half-parsed expression.
                declaration.kind = Self.withoutBody(declaration.kind)
                skipToDeclaration()
            }
            declarations.append(declaration)
        }
        checkOrder(declarations)
        return declarations
    }

    static func withoutBody(_ kind: DeclarationKind) -> DeclarationKind {
        switch kind {
        case .rule(let rule):
            return .rule(RuleDecl(name: rule.name, body: .error(at: rule.body.span)))
        case .function(let function):
            return .function(FunctionDecl(isFn: function.isFn, name: function.name, parameters: function.parameters,
                                          resultType: function.resultType, body: .error(at: function.body.span)))
        case .param(let param):
            return .param(ParamDecl(name: param.name, type: param.type, value: .error(at: param.value.span)))
        default:
            return kind
        }
    }

    mutating func checkOrder(_ declarations: [Declaration]) {
        var seenHeader = false
        var seenOther = false
        for (position, declaration) in declarations.enumerated() {
            switch declaration.kind {
            case .policy:
                if seenHeader {
                    diagnostics.append(Diagnostic(.misplacedPolicyHeader, "duplicate policy header", at: declaration.span))
                } else if position > 0 {
                    diagnostics.append(Diagnostic(.misplacedPolicyHeader, "the policy header must come first", at: declaration.span))
                }
                seenHeader = true
            case .import:
                if seenOther {
                    diagnostics.append(Diagnostic(.misplacedImport, "import after other declarations", at: declaration.span,
                                                  notes: [Note("move imports right after the policy header")]))
                }
            case .error: break
            default: seenOther = true
            }
        }
    }

    mutating func parseDeclaration() -> Declaration {
        let start = current
        let doc = docComment(before: start)
        let kind: DeclarationKind
        switch start.kind {
        case .keyword(.policy): kind = parseHeader()
        case .keyword(.import): kind = parseImport()
        case .keyword(.model): kind = parseModel()
        case .keyword(.data): kind = parseData()
        case .keyword(.param): kind = parseParam()
        case .keyword(.commitment): kind = parseCommitment()
        case .keyword(.let), .keyword(.fn): kind = parseFunction()
        case .keyword(.rule): kind = parseRule()
        default:
            report(.expectedDeclaration(found: current))
            advance()
            kind = .error
        }
        return Declaration(kind: kind, doc: doc, span: span(from: start.span.start))
    }

    mutating func parseString(_ context: String) -> StringLiteral? {
        guard let token = expect(.string, context) else { return nil }
        return StringLiteral(value: token.text, span: token.span)
    }

    /// `policy "name" version "x.y"`
    mutating func parseHeader() -> DeclarationKind {
        let start = advance().span.start
        let name = parseString("naming the policy")
        var version: StringLiteral?
        if name != nil, expect(.keyword(.version), "after the policy name") != nil {
            version = parseString("after `version`")
        }
        return .policy(PolicyHeader(name: name, version: version, span: span(from: start)))
    }

    /// `import std.fairness [as name]` or `import "./path.zkp" [as name]`
    mutating func parseImport() -> DeclarationKind {
        let start = advance().span.start
        var target: ImportDecl.Target?
        if at(.string) {
            let token = advance()
            target = .file(StringLiteral(value: token.text, span: token.span))
        } else if at(.identifier) {
            var parts = [Identifier(advance().text, span: tokens[index - 1].span)]
            while consume(.dot) != nil {
                guard let part = expectIdentifier("after `.` in the module path") else { break }
                parts.append(part)
            }
            target = .standard(parts)
        } else {
            report(.expected("a module (`std.fairness`) or a file (`\"./lib.zkp\"`)", found: current))
        }
        var alias: Identifier?
        if target != nil, consume(.as) != nil {
            alias = expectIdentifier("after `as`")
        }
        return .import(ImportDecl(target: target, alias: alias, span: span(from: start)))
    }

    mutating func parseVisibility(_ what: String) -> VisibilityClause? {
        let visibilities: [Keyword: Visibility] = [.public: .public, .private: .private, .committed: .committed]
        if case .keyword(let keyword) = current.kind, let visibility = visibilities[keyword] {
            return VisibilityClause(visibility: visibility, span: advance().span)
        }
        guard !recovering else { return nil }
        report(Diagnostic(.missingVisibility, "\(what) needs a visibility: private, committed or public",
                          at: previousEndSpan,
                          fixIts: [FixIt("make it private", replacing: previousEndSpan, with: " private")]))
        return nil
    }

    /// `model NAME: onnx tensor[..] -> tensor[..] VISIBILITY`
    mutating func parseModel() -> DeclarationKind {
        advance()
        guard let name = expectIdentifier("for the model") else { return .error }
        let fallback = TypeExpr(kind: .error, span: name.span)
        guard expect(.colon, "after the model name") != nil,
              expect(.keyword(.onnx), "(the model format)") != nil else {
            return .model(ModelDecl(name: name, input: fallback, output: fallback, visibility: nil))
        }
        if case .keyword(let keyword) = current.kind, [.private, .public, .committed].contains(keyword) {
            report(Diagnostic(.expectedType, "a model declares its input and output tensors", at: current.span,
                              notes: [Note("for example `model scorer: onnx tensor[20] -> tensor[2] in 0..1 private`")]))
            return .model(ModelDecl(name: name, input: fallback, output: fallback, visibility: nil))
        }
        let input = parseType()
        var output = fallback
        if !recovering, expect(.arrow, "between the model's input and output types") != nil {
            output = parseType()
        }
        let visibility = recovering ? nil : parseVisibility("a model")
        return .model(ModelDecl(name: name, input: input, output: output, visibility: visibility))
    }

    /// `data NAME: table { fields } VISIBILITY`
    mutating func parseData() -> DeclarationKind {
        advance()
        guard let name = expectIdentifier("for the table") else { return .error }
        guard expect(.colon, "after the table name") != nil else {
            return .data(DataDecl(name: name, fields: [], visibility: nil, schemaSpan: name.span))
        }
        let schemaStart = current.span.start
        guard expect(.keyword(.table), "(a data declaration is a table)") != nil,
              let open = expect(.leftBrace, "to start the table's fields") else {
            return .data(DataDecl(name: name, fields: [], visibility: nil, schemaSpan: span(from: schemaStart)))
        }
        var fields: [FieldDecl] = []
        while !at(.rightBrace) && !atEnd && !atDeclarationStart {
            let before = index
            if let field = parseField() { fields.append(field) }
            if recovering {
                // Resynchronise at the next field.
                skip(until: [.comma, .rightBrace])
                if at(.comma) || at(.rightBrace) { recovering = false }
            }
            if consume(.comma) == nil {
                if !at(.rightBrace) && !atEnd && !atDeclarationStart {
                    report(.expected("`,` or `}` after the field", found: current))
                    skip(until: [.comma, .rightBrace])
                    if at(.comma) || at(.rightBrace) { recovering = false }
                    _ = consume(.comma)
                }
            }
            if index == before { advance() }
        }
        let closed = expectClosing(.rightBrace, opening: open) != nil
        let schemaSpan = span(from: schemaStart)
        let visibility = closed && !recovering ? parseVisibility("a data table") : nil
        return .data(DataDecl(name: name, fields: fields, visibility: visibility, schemaSpan: schemaSpan))
    }

    /// `[doc] name: type [from columns]`
    mutating func parseField() -> FieldDecl? {
        let start = current
        let doc = docComment(before: start)
        guard let name = expectIdentifier("for the field") else { return nil }
        guard expect(.colon, "after the field name") != nil else { return nil }
        let type = parseType()
        var columns: ColumnBinding?
        if !recovering, at(.keyword(.from)) {
            columns = parseColumns()
        }
        return FieldDecl(doc: doc, name: name, type: type, columns: columns, span: span(from: start.span.start))
    }

    mutating func parseColumnName() -> ColumnName? {
        if at(.string) {
            let token = advance()
            return ColumnName(name: token.text, quoted: true, span: token.span)
        }
        if at(.identifier) {
            let token = advance()
            return ColumnName(name: token.text, quoted: false, span: token.span)
        }
        report(.expected("a column name", found: current))
        return nil
    }

    /// `from col`, `from "col"`, `from f0..f19`, `from [a, b, "c d"]`
    mutating func parseColumns() -> ColumnBinding? {
        let start = advance().span.start
        if let open = consume(.leftBracket) {
            var names: [ColumnName] = []
            repeat {
                if at(.rightBracket) { break }
                guard let name = parseColumnName() else { return nil }
                names.append(name)
            } while consume(.comma) != nil
            guard expectClosing(.rightBracket, opening: open) != nil else { return nil }
            return ColumnBinding(kind: .list(names), span: span(from: start))
        }
        guard let first = parseColumnName() else { return nil }
        guard consume(.dotDot) != nil else {
            return ColumnBinding(kind: .single(first), span: span(from: start))
        }
        guard let last = parseColumnName() else { return nil }
        let binding = ColumnBinding(kind: .range(first, last), span: span(from: start))
        if ColumnRange.expand(first.name, last.name) == nil {
            report(Diagnostic(.invalidColumnRange, "invalid column range `\(first.name)..\(last.name)`", at: first.span.union(last.span),
                              notes: [Note("a range joins two names with the same prefix and increasing numbers, like `f0..f19`")]))
        }
        return binding
    }

    /// `param NAME: type = literal`
    mutating func parseParam() -> DeclarationKind {
        advance()
        guard let name = expectIdentifier("for the parameter") else { return .error }
        let fallback = TypeExpr(kind: .error, span: name.span)
        guard expect(.colon, "after the parameter name") != nil else {
            return .param(ParamDecl(name: name, type: fallback, value: .error(at: name.span)))
        }
        let type = parseType()
        guard !recovering, expect(.equal, "before the parameter's value") != nil else {
            return .param(ParamDecl(name: name, type: type, value: .error(at: name.span)))
        }
        let value = parseExpression()
        return .param(ParamDecl(name: name, type: type, value: value))
    }

    /// `commitment NAME`
    mutating func parseCommitment() -> DeclarationKind {
        advance()
        guard let name = expectIdentifier("for the commitment") else { return .error }
        return .commitment(CommitmentDecl(name: name))
    }

    /// `let NAME [: T] = e`, `let NAME(params) [-> T] = e`, `fn NAME(params) [-> T] = e`
    mutating func parseFunction() -> DeclarationKind {
        let keyword = advance()
        let isFn = keyword.kind == .keyword(.fn)
        guard let name = expectIdentifier(isFn ? "for the function" : "after `let`") else { return .error }
        var parameters: [Parameter]?
        var resultType: TypeExpr?
        if let open = consume(.leftParen) {
            parameters = parseParameters(open: open)
            if !recovering, consume(.arrow) != nil { resultType = parseType() }
        } else if isFn {
            report(.expected("`(` and the parameters of the function", found: current))
        } else if consume(.colon) != nil {
            resultType = parseType()
        }
        var body = SyntaxExpr.error(at: name.span)
        if !recovering {
            if consume(.equal) != nil {
                body = parseExpression()
            } else {
                var diagnostic = Diagnostic.expected("`=` before the definition", found: current)
                if at(.colon) && parameters != nil {
                    diagnostic.notes.append(Note("a function's result type is written `-> T`"))
                }
                report(diagnostic)
            }
        }
        return .function(FunctionDecl(isFn: isFn, name: name, parameters: parameters, resultType: resultType, body: body))
    }

    /// `(a, rows: table, by group: rows -> enum)` after the `(`.
    mutating func parseParameters(open: Token) -> [Parameter] {
        var parameters: [Parameter] = []
        while !at(.rightParen) && !atEnd && !atDeclarationStart && !recovering {
            let start = current.span.start
            var label: Identifier?
            // `by group: ...`: a label (a name or a keyword) followed by the parameter name.
            if peek(1).kind == .identifier, current.kind == .identifier || isKeywordToken(current) {
                let token = advance()
                label = Identifier(token.text, span: token.span)
            }
            guard let name = expectIdentifier("for the parameter") else { break }
            var type: TypeExpr?
            if consume(.colon) != nil { type = parseType() }
            parameters.append(Parameter(label: label, name: name, type: type, span: span(from: start)))
            if consume(.comma) == nil { break }
        }
        _ = expectClosing(.rightParen, opening: open)
        return parameters
    }

    func isKeywordToken(_ token: Token) -> Bool {
        if case .keyword = token.kind { return true }
        return false
    }

    /// `rule NAME: expression`
    mutating func parseRule() -> DeclarationKind {
        advance()
        guard let name = expectIdentifier("for the rule") else { return .error }
        guard consume(.colon) != nil else {
            var diagnostic = Diagnostic.expected("`:` after the rule name", found: current)
            if at(.equal) {
                diagnostic.fixIts.append(FixIt("a rule is written `rule NAME: condition`", replacing: current.span, with: ":"))
            }
            report(diagnostic)
            return .rule(RuleDecl(name: name, body: .error(at: name.span)))
        }
        return .rule(RuleDecl(name: name, body: parseExpression()))
    }
}

/// Column ranges such as `f0..f19`.
public enum ColumnRange {
    /// The column names from `first` to `last` inclusive, or nil when they do
    /// not share a prefix followed by increasing numbers (at most 2^20 columns).
    public static func expand(_ first: String, _ last: String) -> [String]? {
        guard let (prefix, from) = split(first), let (lastPrefix, to) = split(last),
              prefix == lastPrefix, from <= to, to - from < 1 << 20 else { return nil }
        return (from...to).map { prefix + String($0) }
    }

    /// `f12` → ("f", 12); nil without trailing digits or with a leading zero (`f01`).
    static func split(_ name: String) -> (String, Int)? {
        let digits = name.reversed().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        let number = String(digits.reversed())
        guard number == "0" || !number.hasPrefix("0"), let value = Int(number) else { return nil }
        return (String(name.dropLast(digits.count)), value)
    }
}
