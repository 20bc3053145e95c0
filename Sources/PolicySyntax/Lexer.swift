/// The result of lexing one file.
public struct LexedFile: Sendable {
    public let file: SourceFile
    /// Ends with exactly one `.endOfFile` token.
    public let tokens: [Token]
    /// All comments in source order.
    public let comments: [Comment]
    public let diagnostics: [Diagnostic]
}

/// A hand-written lexer over raw bytes. It never fails: bad input becomes an
/// `.invalid` token plus a diagnostic, and lexing goes on.
public struct Lexer {
    /// Longest number literal, in characters (no value that long fits a circuit).
    public static let maxNumberLength = 200
    /// Longest name, in characters.
    public static let maxNameLength = 200
    /// Longest string literal, in bytes.
    public static let maxStringLength = 4096

    let file: SourceFile
    let bytes: [UInt8]
    var position = 0
    var tokens: [Token] = []
    var comments: [Comment] = []
    var diagnostics: [Diagnostic] = []

    public init(file: SourceFile) {
        self.file = file
        self.bytes = file.bytes
    }

    public static func lex(_ file: SourceFile) -> LexedFile {
        var lexer = Lexer(file: file)
        lexer.run()
        return LexedFile(file: file, tokens: lexer.tokens, comments: lexer.comments, diagnostics: lexer.diagnostics)
    }

    mutating func run() {
        // A UTF-8 byte-order mark is tolerated at the very start.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        while true {
            skipWhitespace()
            guard position < bytes.count else { break }
            lexOne()
        }
        tokens.append(Token(kind: .endOfFile, span: span(bytes.count, bytes.count), text: ""))
    }

    func span(_ start: Int, _ end: Int) -> SourceSpan { SourceSpan(file: file.id, start: start, end: end) }

    func peek(_ offset: Int = 0) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            position += 1
        }
    }

    mutating func add(_ kind: TokenKind, from start: Int, text: String? = nil) {
        // Punctuation needs no text (its kind spells it); this keeps huge inputs small.
        let value = text ?? (kind.spelling.isEmpty || kind == .invalid ? String(decoding: bytes[start..<position], as: UTF8.self) : "")
        tokens.append(Token(kind: kind, span: span(start, position), text: value))
    }

    /// The most diagnostics one file's lexing reports (runs of bad bytes are merged too).
    public static let maxDiagnostics = 100

    mutating func report(_ diagnostic: Diagnostic) {
        if diagnostics.count < Self.maxDiagnostics { diagnostics.append(diagnostic) }
    }

    mutating func lexOne() {
        let start = position
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            lexWord()
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            lexNumber()
        case UInt8(ascii: "\""):
            lexString()
        case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
            lexComment()
        default:
            if let kind = punctuation(byte) {
                add(kind, from: start)
            } else {
                lexUnexpected()
            }
        }
    }

    /// Consumes and classifies one- and two-byte operators.
    mutating func punctuation(_ byte: UInt8) -> TokenKind? {
        let next = peek(1)
        func two(_ kind: TokenKind) -> TokenKind { position += 2; return kind }
        func one(_ kind: TokenKind) -> TokenKind { position += 1; return kind }
        switch byte {
        case UInt8(ascii: "("): return one(.leftParen)
        case UInt8(ascii: ")"): return one(.rightParen)
        case UInt8(ascii: "{"): return one(.leftBrace)
        case UInt8(ascii: "}"): return one(.rightBrace)
        case UInt8(ascii: "["): return one(.leftBracket)
        case UInt8(ascii: "]"): return one(.rightBracket)
        case UInt8(ascii: ","): return one(.comma)
        case UInt8(ascii: ":"): return one(.colon)
        case UInt8(ascii: "."): return next == UInt8(ascii: ".") ? two(.dotDot) : one(.dot)
        case UInt8(ascii: "+"): return one(.plus)
        case UInt8(ascii: "-"): return next == UInt8(ascii: ">") ? two(.arrow) : one(.minus)
        case UInt8(ascii: "*"): return one(.star)
        case UInt8(ascii: "/"): return one(.slash)
        case UInt8(ascii: "="): return next == UInt8(ascii: "=") ? two(.equalEqual) : one(.equal)
        case UInt8(ascii: "!"): return next == UInt8(ascii: "=") ? two(.notEqual) : nil
        case UInt8(ascii: "<"): return next == UInt8(ascii: "=") ? two(.lessEqual) : one(.less)
        case UInt8(ascii: ">"): return next == UInt8(ascii: "=") ? two(.greaterEqual) : one(.greater)
        default: return nil
        }
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
    }

    static func isDigit(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    mutating func lexWord() {
        let start = position
        while let byte = peek(), Self.isWordByte(byte) { position += 1 }
        if position - start > Self.maxNameLength {
            report(.literalTooLong("name", limit: "\(Self.maxNameLength) characters", at: span(start, position)))
            add(.invalid, from: start, text: "")
            return
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if let keyword = Keyword(rawValue: text) {
            add(.keyword(keyword), from: start, text: text)
        } else {
            add(.identifier, from: start, text: text)
        }
    }

    /// Digits with single `_` separators between them.
    mutating func lexDigits() -> Bool {
        var wellFormed = true
        var previousUnderscore = false
        while let byte = peek(), Self.isDigit(byte) || byte == UInt8(ascii: "_") {
            if byte == UInt8(ascii: "_") && previousUnderscore { wellFormed = false }
            previousUnderscore = byte == UInt8(ascii: "_")
            position += 1
        }
        return wellFormed && !previousUnderscore
    }

    mutating func lexNumber() {
        let start = position
        var wellFormed = lexDigits()
        var kind = TokenKind.integer
        if peek() == UInt8(ascii: "."), peek(1) != UInt8(ascii: ".") {
            position += 1
            if Self.isDigit(peek()) {
                wellFormed = lexDigits() && wellFormed
                kind = .decimal
            } else {
                wellFormed = false
            }
        }
        let end = position
        if peek() == UInt8(ascii: "%") {
            position += 1
            kind = .percent
        }
        // A number running into a name (`12abc`, `1e5`) is one malformed literal.
        if let byte = peek(), Self.isWordByte(byte) || byte == UInt8(ascii: ".") && Self.isDigit(peek(1)) {
            while let byte = peek(), Self.isWordByte(byte) || byte == UInt8(ascii: ".") && Self.isDigit(peek(1)) {
                position += 1
            }
            wellFormed = false
        }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        if !wellFormed {
            report(.malformedNumber(String(decoding: bytes[start..<position], as: UTF8.self),
                                                at: span(start, position)))
            add(.invalid, from: start)
        } else if end - start > Self.maxNumberLength {
            report(.literalTooLong("number", limit: "\(Self.maxNumberLength) characters", at: span(start, position)))
            add(.invalid, from: start)
        } else {
            add(kind, from: start, text: text)
        }
    }

    mutating func lexString() {
        let start = position
        position += 1
        var value: [UInt8] = []
        var valid = true
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n") else {
                report(.unterminatedString(at: span(start, start + 1)))
                add(.invalid, from: start)
                return
            }
            if byte == UInt8(ascii: "\"") {
                position += 1
                break
            }
            if byte == UInt8(ascii: "\\") {
                let escaped: UInt8?
                switch peek(1) {
                case UInt8(ascii: "\""): escaped = UInt8(ascii: "\"")
                case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
                case UInt8(ascii: "n"): escaped = 0x0A
                case UInt8(ascii: "t"): escaped = 0x09
                default: escaped = nil
                }
                if let escaped {
                    value.append(escaped)
                    position += 2
                } else {
                    let length = (peek(1) == nil || peek(1) == UInt8(ascii: "\n")) ? 1 : 2
                    report(.invalidEscape(at: span(position, position + length)))
                    position += length
                    valid = false
                }
                continue
            }
            if byte >= 0x80 {
                if let length = UTF8Scalars.validSequenceLength(bytes[...], at: position) {
                    value.append(contentsOf: bytes[position..<position + length])
                    position += length
                } else {
                    reportInvalidUTF8()
                    valid = false
                }
                continue
            }
            value.append(byte)
            position += 1
        }
        if value.count > Self.maxStringLength {
            report(.literalTooLong("string", limit: "\(Self.maxStringLength) bytes", at: span(start, position)))
            valid = false
        }
        add(valid ? .string : .invalid, from: start, text: String(decoding: value, as: UTF8.self))
    }

    mutating func lexComment() {
        let start = position
        let lineStart = file.lineStarts[file.lineIndex(of: start)]
        let startsLine = bytes[lineStart..<start].allSatisfy { $0 == 0x20 || $0 == 0x09 }
        while let byte = peek(), byte != UInt8(ascii: "\n") {
            if byte >= 0x80 {
                if let length = UTF8Scalars.validSequenceLength(bytes[...], at: position) {
                    position += length
                } else {
                    reportInvalidUTF8()
                }
            } else {
                position += 1
            }
        }
        var end = position
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D { end -= 1 }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        let isDoc = text.hasPrefix("///") && !text.hasPrefix("////")
        comments.append(Comment(span: span(start, end), text: text, isDoc: isDoc, startsLine: startsLine))
    }

    /// Reports the invalid bytes at `position` (merging a run of them) and skips them.
    mutating func reportInvalidUTF8() {
        let start = position
        repeat { position += 1 } while position < bytes.count && bytes[position] >= 0x80
            && UTF8Scalars.validSequenceLength(bytes[...], at: position) == nil
        report(.invalidUTF8(at: span(start, position)))
    }

    mutating func lexUnexpected() {
        let start = position
        if bytes[position] >= 0x80 {
            guard let length = UTF8Scalars.validSequenceLength(bytes[...], at: position) else {
                reportInvalidUTF8()
                add(.invalid, from: start)
                return
            }
            position += length
        } else {
            position += 1
        }
        let character = String(decoding: bytes[start..<position], as: UTF8.self)
        report(.unexpectedCharacter(character, at: span(start, position)))
        // A run of the same character is one mistake (`####`), reported once.
        let length = position - start
        while position + length <= bytes.count, bytes[position..<position + length].elementsEqual(bytes[start..<start + length]) {
            position += length
        }
        add(.invalid, from: start)
    }
}
