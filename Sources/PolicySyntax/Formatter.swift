/// The result of formatting a file: the canonical text, or the syntax errors
/// that prevent formatting (a file that does not parse is never rewritten).
public struct FormatResult: Sendable {
    public let text: String?
    public let diagnostics: [Diagnostic]
}

/// Rewrites a policy or module into canonical form: one declaration per line
/// group, four-space indentation, table fields one per line with a trailing
/// comma, expressions broken at `and`/`or` and argument lists when longer than
/// 100 columns, at most one blank line between declarations (blank lines the
/// author wrote are kept), every comment kept.
///
/// Comments between declarations, between table fields, before the operands
/// of `and`/`or` and before call arguments stay where they are; a comment
/// anywhere else inside an expression moves to the line above its declaration.
/// Formatting is idempotent, and the output has the same tokens as the input
/// (except for the trailing comma of a table's last field), which `format`
/// verifies before returning.
public struct Formatter {
    public static let width = 100
    static let indent = 4

    let file: SourceFile
    var comments: CommentQueue

    init(module: SourceModule) {
        file = module.file
        var docSpans: [SourceSpan] = []
        for declaration in module.declarations {
            if let doc = declaration.doc { docSpans.append(doc.span) }
            if case .data(let data) = declaration.kind {
                docSpans += data.fields.compactMap { $0.doc?.span }
            }
        }
        let free = module.comments.filter { comment in !docSpans.contains { $0.contains(comment.span) } }
        comments = CommentQueue(free)
    }

    /// Formats source text; nil text (with diagnostics) when it has syntax errors.
    public static func format(_ file: SourceFile) -> FormatResult {
        let parsed = Parser.parse(file)
        guard !parsed.diagnostics.hasErrors else { return FormatResult(text: nil, diagnostics: parsed.diagnostics) }
        let text = format(parsed.module)
        if let problem = TokenComparison.difference(original: file, formatted: text) {
            // INVARIANT: formatting never changes the token stream; if it did, refuse rather than corrupt.
            let diagnostic = Diagnostic(.expectedToken, "internal error: formatting would change the policy (\(problem))",
                                        at: SourceSpan(file: file.id, start: 0, end: 0))
            return FormatResult(text: nil, diagnostics: [diagnostic])
        }
        return FormatResult(text: text, diagnostics: [])
    }

    /// Formats a parsed module (which must be free of syntax errors).
    public static func format(_ module: SourceModule) -> String {
        var formatter = Formatter(module: module)
        let doc = formatter.moduleDoc(module)
        var text = DocRenderer(width: width).render(doc)
        while text.hasSuffix("\n") || text.hasSuffix(" ") { text.removeLast() }
        return text.isEmpty ? "" : text + "\n"
    }

    // MARK: Layout helpers

    /// True when the source has an empty line between the two offsets.
    func blankLine(between start: Int, and end: Int) -> Bool {
        guard start < end else { return false }
        var newlines = 0
        for byte in file.bytes[start..<end] {
            if byte == 0x0A {
                newlines += 1
                if newlines >= 2 { return true }
            } else if byte != 0x20 && byte != 0x09 && byte != 0x0D {
                newlines = 0
            }
        }
        return false
    }

    func commentLines(_ list: [Comment]) -> [Doc] {
        list.map { .text($0.text) }
    }

    func docLines(_ doc: DocComment?) -> [Doc] {
        guard let doc else { return [] }
        return doc.lines.map { .text($0.isEmpty ? "///" : "/// " + $0) }
    }

    // MARK: Declarations

    mutating func moduleDoc(_ module: SourceModule) -> Doc {
        var parts: [Doc] = []
        var previousEnd: Int?
        for declaration in module.declarations {
            let start = declaration.doc?.span.start ?? declaration.span.start
            // Comments above the declaration (and its doc comment), each line group as written.
            let above = comments.take(before: start)
            let body = declarationDoc(declaration)
            // Comments inside the declaration that found no place of their own go above it.
            let leftovers = comments.take(before: declaration.span.end)
            var lines: [Doc] = []
            var lastEnd = previousEnd
            for comment in above {
                if let lastEnd, blankLine(between: lastEnd, and: comment.span.start) { lines.append(.empty) }
                lines.append(.text(comment.text))
                lastEnd = comment.span.end
            }
            if let lastEnd, blankLine(between: lastEnd, and: start) { lines.append(.empty) }
            for comment in leftovers { lines.append(.text(comment.text)) }
            lines += docLines(declaration.doc)
            var declarationLine = body
            if let trailing = comments.takeTrailing(after: declaration.span.end, in: file) {
                declarationLine = declarationLine + .text("  " + trailing.text)
                previousEnd = trailing.span.end
            } else {
                previousEnd = declaration.span.end
            }
            lines.append(declarationLine)
            if !parts.isEmpty { parts.append(.hardLine) }
            parts.append(.join(lines, separator: .hardLine))
        }
        // Comments after the last declaration.
        var tail: [Doc] = []
        var lastEnd = previousEnd
        for comment in comments.takeAll() {
            if let lastEnd, blankLine(between: lastEnd, and: comment.span.start) { tail.append(.empty) }
            tail.append(.text(comment.text))
            lastEnd = comment.span.end
        }
        if !tail.isEmpty {
            if !parts.isEmpty { parts.append(.hardLine) }
            parts.append(.join(tail, separator: .hardLine))
        }
        return .concat(parts)
    }

    mutating func declarationDoc(_ declaration: Declaration) -> Doc {
        switch declaration.kind {
        case .policy(let header):
            return .text("policy \(header.name.map { SourcePrinter.quoted($0.value) } ?? "\"\"") version \(header.version.map { SourcePrinter.quoted($0.value) } ?? "\"\"")")
        case .import(let decl):
            var text = "import "
            switch decl.target {
            case .standard(let parts): text += parts.map(\.name).joined(separator: ".")
            case .file(let path): text += SourcePrinter.quoted(path.value)
            case nil: break
            }
            if let alias = decl.alias { text += " as " + alias.name }
            return .text(text)
        case .model(let decl):
            return .text("model \(decl.name.name): onnx \(SourcePrinter.type(decl.input)) -> \(SourcePrinter.type(decl.output))"
                         + (decl.visibility.map { " " + $0.visibility.rawValue } ?? ""))
        case .data(let decl):
            return dataDoc(decl)
        case .param(let decl):
            return .group(.text("param \(decl.name.name): \(SourcePrinter.type(decl.type)) =") + body(decl.value))
        case .commitment(let decl):
            return .text("commitment \(decl.name.name)")
        case .function(let decl):
            var head: Doc = .text((decl.isFn ? "fn " : "let ") + decl.name.name)
            if let parameters = decl.parameters {
                let list = parameters.map { parameter -> Doc in
                    .text((parameter.label.map { $0.name + " " } ?? "") + parameter.name.name
                          + (parameter.type.map { ": " + SourcePrinter.type($0) } ?? ""))
                }
                head = head + (list.isEmpty ? .text("()")
                    : .group(.text("(") + .nest(Self.indent, .softLine + .join(list, separator: .text(",") + .line)) + .softLine + .text(")")))
                if let result = decl.resultType { head = head + .text(" -> " + SourcePrinter.type(result)) }
            } else if let result = decl.resultType {
                head = head + .text(": " + SourcePrinter.type(result))
            }
            return .group(head + .text(" =") + body(decl.body))
        case .rule(let decl):
            return .group(.text("rule \(decl.name.name):") + body(decl.body))
        case .error:
            return .text(file.text(of: declaration.span))
        }
    }

    /// The body of a declaration after `:` or `=`: on the same line when it
    /// fits, else indented on the next; comments before it stay before it.
    mutating func body(_ expr: SyntaxExpr) -> Doc {
        var parts: [Doc] = []
        for comment in comments.take(before: expr.span.start) { parts.append(.text(comment.text) + .hardLine) }
        return .nest(Self.indent, .line + .concat(parts) + expression(expr))
    }

    mutating func dataDoc(_ decl: DataDecl) -> Doc {
        var lines: [Doc] = []
        var previousEnd: Int?
        for field in decl.fields {
            let start = field.doc?.span.start ?? field.span.start
            for comment in comments.take(before: start) {
                if let previousEnd, blankLine(between: previousEnd, and: comment.span.start) { lines.append(.empty) }
                lines.append(.text(comment.text))
                previousEnd = comment.span.end
            }
            if let previousEnd, blankLine(between: previousEnd, and: start) { lines.append(.empty) }
            lines += docLines(field.doc)
            var text = field.name.name + ": " + SourcePrinter.type(field.type)
            if let columns = field.columns { text += " " + SourcePrinter.columns(columns) }
            text += ","
            // A trailing comment may follow the comma.
            let end = file.bytes.count > field.span.end && comma(after: field.span.end) != nil ? comma(after: field.span.end)! : field.span.end
            if let trailing = comments.takeTrailing(after: end, in: file) {
                text += "  " + trailing.text
                previousEnd = trailing.span.end
            } else {
                previousEnd = end
            }
            lines.append(.text(text))
        }
        // Comments before the closing brace.
        for comment in comments.take(before: decl.schemaSpan.end) {
            if let previousEnd, blankLine(between: previousEnd, and: comment.span.start) { lines.append(.empty) }
            lines.append(.text(comment.text))
            previousEnd = comment.span.end
        }
        let visibility = decl.visibility.map { " " + $0.visibility.rawValue } ?? ""
        if lines.isEmpty { return .text("data \(decl.name.name): table {}" + visibility) }
        return .text("data \(decl.name.name): table {")
            + .nest(Self.indent, .hardLine + .join(lines, separator: .hardLine))
            + .hardLine + .text("}" + visibility)
    }

    /// The offset just past a `,` that follows `offset` after whitespace only.
    func comma(after offset: Int) -> Int? {
        var position = offset
        while position < file.bytes.count, file.bytes[position] == 0x20 || file.bytes[position] == 0x09 { position += 1 }
        return position < file.bytes.count && file.bytes[position] == UInt8(ascii: ",") ? position + 1 : nil
    }
}

/// The comments not attached as doc comments, consumed in source order.
struct CommentQueue {
    let all: [Comment]
    var next = 0

    init(_ comments: [Comment]) { all = comments }

    /// The comments starting before `offset` that were not taken yet.
    mutating func take(before offset: Int) -> [Comment] {
        var taken: [Comment] = []
        while next < all.count, all[next].span.start < offset {
            taken.append(all[next])
            next += 1
        }
        return taken
    }

    mutating func takeAll() -> [Comment] { take(before: Int.max) }

    /// The next comment if it is on the same line as `offset`, after it.
    mutating func takeTrailing(after offset: Int, in file: SourceFile) -> Comment? {
        guard next < all.count else { return nil }
        let comment = all[next]
        guard comment.span.start >= offset, !comment.startsLine,
              file.lineIndex(of: comment.span.start) == file.lineIndex(of: offset) else { return nil }
        next += 1
        return comment
    }

    /// Whether a comment is waiting before `offset`.
    func hasComment(before offset: Int) -> Bool {
        next < all.count && all[next].span.start < offset
    }

}
