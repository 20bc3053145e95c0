/// The reserved words of the language. Words that only matter in one place
/// (`count`, `rate`, `all`, `skip`, `empty`, `group`, `std`, ...) are not
/// reserved: they stay usable as names and the parser recognises them by context.
public enum Keyword: String, CaseIterable, Sendable, Hashable {
    case policy, version, `import`, `as`
    case model, onnx, data, table, param, commitment, `let`, fn, rule
    case `if`, then, `else`, and, or, not, `in`, `where`, by, from
    case `true`, `false`
    case `public`, `private`, committed
    case bool, int, fixed, ratio, digest, tensor, `enum`, per

    /// Keywords that start a top-level declaration (where the parser resynchronises).
    public static let declarationStarts: Set<Keyword> = [
        .policy, .import, .model, .data, .param, .commitment, .let, .fn, .rule,
    ]
}

public enum TokenKind: Hashable, Sendable {
    case identifier
    case keyword(Keyword)
    /// `12`, `1_000_000`
    case integer
    /// `0.05`
    case decimal
    /// `5%`, `12.5%` (text without the `%`)
    case percent
    /// `"..."`; `Token.text` holds the decoded value
    case string
    case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
    case comma, colon, dot, dotDot, arrow, equal
    case plus, minus, star, slash
    case equalEqual, notEqual, less, lessEqual, greater, greaterEqual
    case endOfFile
    /// Bytes that could not be tokenised (already reported by the lexer).
    case invalid

    /// How the token kind is named in "expected X, found Y" messages.
    public var displayName: String {
        switch self {
        case .identifier: return "name"
        case .keyword(let keyword): return "`\(keyword.rawValue)`"
        case .integer: return "integer"
        case .decimal: return "decimal number"
        case .percent: return "percentage"
        case .string: return "string"
        case .endOfFile: return "end of file"
        case .invalid: return "invalid input"
        default: return "`\(spelling)`"
        }
    }

    /// The fixed spelling of punctuation and operators (empty for other kinds).
    public var spelling: String {
        switch self {
        case .leftParen: return "("
        case .rightParen: return ")"
        case .leftBrace: return "{"
        case .rightBrace: return "}"
        case .leftBracket: return "["
        case .rightBracket: return "]"
        case .comma: return ","
        case .colon: return ":"
        case .dot: return "."
        case .dotDot: return ".."
        case .arrow: return "->"
        case .equal: return "="
        case .plus: return "+"
        case .minus: return "-"
        case .star: return "*"
        case .slash: return "/"
        case .equalEqual: return "=="
        case .notEqual: return "!="
        case .less: return "<"
        case .lessEqual: return "<="
        case .greater: return ">"
        case .greaterEqual: return ">="
        case .keyword(let keyword): return keyword.rawValue
        default: return ""
        }
    }
}

public struct Token: Hashable, Sendable {
    public let kind: TokenKind
    public let span: SourceSpan
    /// The source text, except for strings (the decoded value) and numbers
    /// (digits with `_` separators kept, `%` dropped).
    public let text: String

    public init(kind: TokenKind, span: SourceSpan, text: String) {
        self.kind = kind
        self.span = span
        self.text = text
    }

    public func isKeyword(_ keyword: Keyword) -> Bool { kind == .keyword(keyword) }

    /// True for an identifier spelled `word` (a contextual keyword).
    public func isWord(_ word: String) -> Bool { kind == .identifier && text == word }

    /// How this token is named in "found X" messages.
    public var description: String {
        switch kind {
        case .identifier: return "name `\(text)`"
        case .integer, .decimal: return "number `\(text)`"
        case .percent: return "percentage `\(text)%`"
        case .string: return "string"
        default: return kind.displayName
        }
    }
}

/// A `//` comment, kept out of the token stream so that the formatter can put
/// it back. Doc comments (`///`) that precede a declaration or field become
/// part of the AST instead.
public struct Comment: Hashable, Sendable {
    public let span: SourceSpan
    /// The full text including the leading slashes, trailing whitespace removed.
    public let text: String
    /// `///` (exactly three slashes).
    public let isDoc: Bool
    /// Only whitespace precedes the comment on its line.
    public let startsLine: Bool
}
