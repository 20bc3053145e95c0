/// Diagnostic factories of the lexer (messages live here, not inline).
extension Diagnostic {
    static func invalidUTF8(at span: SourceSpan) -> Diagnostic {
        Diagnostic(.invalidUTF8, "invalid UTF-8 byte sequence", at: span,
                   notes: [Note("policy files must be UTF-8 text")])
    }

    static func unexpectedCharacter(_ character: String, at span: SourceSpan) -> Diagnostic {
        let shown = character.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
            ? "`\(character)`" : "U+" + String(character.unicodeScalars.first!.value, radix: 16, uppercase: true)
        var diagnostic = Diagnostic(.unexpectedCharacter, "unexpected character \(shown)", at: span)
        switch character {
        case "%": diagnostic.notes.append(Note("`%` is only allowed right after a number, as in `5%`"))
        case "&": diagnostic.notes.append(Note("write `and`"))
        case "|": diagnostic.notes.append(Note("write `or`"))
        case "!": diagnostic.notes.append(Note("write `not`, or `!=` for inequality"))
        case "'": diagnostic.notes.append(Note("strings use double quotes"))
        default: break
        }
        return diagnostic
    }

    static func unterminatedString(at span: SourceSpan) -> Diagnostic {
        Diagnostic(.unterminatedString, "unterminated string literal", at: span,
                   notes: [Note("a string must end with `\"` on the same line")])
    }

    static func malformedNumber(_ text: String, at span: SourceSpan) -> Diagnostic {
        Diagnostic(.invalidNumber, "malformed number `\(text)`", at: span,
                   notes: [Note("numbers are written like `12`, `0.05`, `5%` or `1_000`")])
    }

    static func literalTooLong(_ what: String, limit: String, at span: SourceSpan) -> Diagnostic {
        Diagnostic(.literalTooLong, what == "name" ? "name longer than \(limit)" : "\(what) literal longer than \(limit)", at: span)
    }

    static func invalidEscape(at span: SourceSpan) -> Diagnostic {
        Diagnostic(.invalidEscape, "invalid escape in string", at: span,
                   notes: [Note("allowed escapes are \\\", \\\\, \\n and \\t")])
    }
}
