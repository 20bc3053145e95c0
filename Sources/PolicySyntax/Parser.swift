/// The result of parsing one file: the tree plus the lexer's and the parser's
/// diagnostics (in source order).
public struct ParsedFile: Sendable {
    public let module: SourceModule
    public let diagnostics: [Diagnostic]
}

/// A hand-written recursive-descent parser with error recovery.
///
/// Recovery: a syntax error inside a declaration is reported once, the rest of
/// the declaration is skipped up to the next declaration keyword (or, inside a
/// table schema, up to the next field), and parsing goes on, so one run reports
/// every independent error. Broken parts become `.error` nodes; a declaration
/// keeps its name whenever the name itself parsed, so later stages do not
/// report its uses as unknown.
///
/// Depth: every nested expression or type counts against `maxDepth`, which
/// bounds the recursion of this parser and of every later tree walk.
public struct Parser {
    /// The deepest nesting of expressions and types accepted.
    public static let maxDepth = 100

    let file: SourceFile
    let tokens: [Token]
    let comments: [Comment]
    var index = 0
    var diagnostics: [Diagnostic] = []
    /// Set by the first error of a declaration; further errors are suppressed
    /// until the parser resynchronises.
    var recovering = false
    var depth = 0
    /// Doc comments already attached to a declaration or field (their start offsets).
    var attachedDocs: Set<Int> = []

    init(_ lexed: LexedFile) {
        file = lexed.file
        tokens = lexed.tokens
        comments = lexed.comments
        diagnostics = lexed.diagnostics
    }

    /// Lexes and parses a file.
    public static func parse(_ file: SourceFile) -> ParsedFile {
        parse(Lexer.lex(file))
    }

    public static func parse(_ lexed: LexedFile) -> ParsedFile {
        var parser = Parser(lexed)
        let declarations = parser.parseDeclarations()
        let module = SourceModule(file: lexed.file, declarations: declarations, comments: lexed.comments)
        return ParsedFile(module: module, diagnostics: parser.diagnostics.sortedBySource())
    }

    // MARK: Cursor

    var current: Token { tokens[index] }

    func peek(_ offset: Int) -> Token { tokens[min(index + offset, tokens.count - 1)] }

    var atEnd: Bool { current.kind == .endOfFile }

    func at(_ kind: TokenKind) -> Bool { current.kind == kind }

    func at(_ keyword: Keyword) -> Bool { current.kind == .keyword(keyword) }

    /// The end of the last consumed token (for spans and insertion fix-its).
    var previousEnd: Int { index > 0 ? tokens[index - 1].span.end : 0 }

    var previousEndSpan: SourceSpan { SourceSpan(file: file.id, start: previousEnd, end: previousEnd) }

    @discardableResult
    mutating func advance() -> Token {
        let token = current
        if token.kind != .endOfFile { index += 1 }
        return token
    }

    mutating func consume(_ kind: TokenKind) -> Token? {
        at(kind) ? advance() : nil
    }

    mutating func consume(_ keyword: Keyword) -> Token? {
        consume(.keyword(keyword))
    }

    /// Consumes `kind` or reports "expected `kind` <context>, found X".
    mutating func expect(_ kind: TokenKind, _ context: String) -> Token? {
        if let token = consume(kind) { return token }
        report(.expected(kind.displayName + (context.isEmpty ? "" : " " + context), found: current))
        return nil
    }

    /// An identifier, or a report "expected a name <context>".
    mutating func expectIdentifier(_ context: String) -> Identifier? {
        if at(.identifier) {
            let token = advance()
            return Identifier(token.text, span: token.span)
        }
        var diagnostic = Diagnostic.expected("a name " + context, found: current)
        if case .keyword(let keyword) = current.kind {
            diagnostic.notes.append(Note("`\(keyword.rawValue)` is a reserved word"))
        }
        report(diagnostic)
        return nil
    }

    func span(from start: Int) -> SourceSpan {
        SourceSpan(file: file.id, start: start, end: max(start, previousEnd))
    }

    // MARK: Errors and recovery

    /// Records a diagnostic unless an earlier error of the same declaration is
    /// still being recovered from.
    /// The most diagnostics the parser reports for one file (on top of the lexer's).
    public static let maxDiagnostics = 200

    mutating func report(_ diagnostic: Diagnostic) {
        guard !recovering else { return }
        guard diagnostics.count < Self.maxDiagnostics + Lexer.maxDiagnostics else { recovering = true; return }
        // The lexer already reported invalid tokens; don't pile a parse error on them.
        if current.kind != .invalid || diagnostic.code == .nestingTooDeep {
            diagnostics.append(diagnostic)
        }
        recovering = true
    }

    var atDeclarationStart: Bool {
        if case .keyword(let keyword) = current.kind { return Keyword.declarationStarts.contains(keyword) }
        return false
    }

    /// Skips tokens up to the next declaration keyword or the end of the file.
    mutating func skipToDeclaration() {
        while !atEnd && !atDeclarationStart { advance() }
    }

    /// Skips tokens, keeping brackets balanced, until one of `stops` at the
    /// current nesting level, a declaration keyword, or the end of the file.
    mutating func skip(until stops: Set<TokenKind>) {
        var nesting = 0
        while !atEnd && !atDeclarationStart {
            if nesting == 0 && stops.contains(current.kind) { return }
            switch current.kind {
            case .leftParen, .leftBracket, .leftBrace: nesting += 1
            case .rightParen, .rightBracket, .rightBrace:
                if nesting == 0 { return }
                nesting -= 1
            default: break
            }
            advance()
        }
    }

    /// Consumes the closing bracket matching `opening`, or reports it missing
    /// (as an unclosed delimiter when the declaration ends first).
    mutating func expectClosing(_ kind: TokenKind, opening: Token) -> Token? {
        if let token = consume(kind) { return token }
        if atEnd || atDeclarationStart {
            report(Diagnostic(.unclosedDelimiter, "unclosed `\(opening.kind.spelling)`", at: opening.span,
                              notes: [Note("expected `\(kind.spelling)` before \(current.description)", at: current.span)]))
        } else {
            report(Diagnostic.expected(kind.displayName, found: current)
                .with(note: Note("to match this `\(opening.kind.spelling)`", at: opening.span)))
        }
        return nil
    }

    /// Enters one level of nesting; false (after reporting once) when too deep.
    mutating func enter() -> Bool {
        depth += 1
        if depth > Self.maxDepth {
            if !recovering {
                report(Diagnostic(.nestingTooDeep, "expression nested more than \(Self.maxDepth) levels deep",
                                  at: current.span, notes: [Note("split it into smaller parts with `let`")]))
            }
            recovering = true
            return false
        }
        return true
    }

    mutating func leave() { depth -= 1 }

    /// The `///` lines directly above `token` (no blank line in between), marked as attached.
    mutating func docComment(before token: Token) -> DocComment? {
        // The last comment ending before the token.
        var low = 0, high = comments.count
        while low < high {
            let middle = (low + high) / 2
            if comments[middle].span.end <= token.span.start { low = middle + 1 } else { high = middle }
        }
        var index = low - 1
        var lines: [Comment] = []
        var nextStart = token.span.start
        while index >= 0 {
            let comment = comments[index]
            guard comment.isDoc, comment.startsLine, onlyOneLineBreak(between: comment.span.end, and: nextStart) else { break }
            lines.insert(comment, at: 0)
            nextStart = comment.span.start
            index -= 1
        }
        guard let first = lines.first, let last = lines.last else { return nil }
        for line in lines { attachedDocs.insert(line.span.start) }
        let texts = lines.map { comment -> String in
            var text = comment.text.dropFirst(3)
            if text.first == " " { text = text.dropFirst() }
            return String(text)
        }
        return DocComment(lines: texts, span: first.span.union(last.span))
    }

    /// True when only whitespace with exactly one newline lies between the offsets.
    func onlyOneLineBreak(between start: Int, and end: Int) -> Bool {
        var newlines = 0
        for byte in file.bytes[start..<end] {
            if byte == 0x0A { newlines += 1 } else if byte != 0x20 && byte != 0x09 && byte != 0x0D { return false }
        }
        return newlines == 1
    }
}
