/// Machine-readable diagnostics for editors and CI (`zkpolicyc check --json`).
///
/// Shape (keys always in this order):
/// `{"diagnostics":[{"code","severity","message","file","line","column",
/// "endLine","endColumn","notes":[{"message","file"?,"line"?,"column"?}],
/// "fixIts":[{"message","file","line","column","endLine","endColumn","replacement"}]}],
/// "errors":N,"warnings":N}`. Lines and columns are 1-based; a diagnostic about
/// a whole file has `file` but no `line`/`column`.
extension DiagnosticRenderer {
    public func renderJSON(_ diagnostics: [Diagnostic]) -> String {
        var items: [String] = []
        for diagnostic in diagnostics {
            var fields: [(String, String)] = [
                ("code", JSON.string(diagnostic.code.rawValue)),
                ("severity", JSON.string(diagnostic.severity.rawValue)),
                ("message", JSON.string(diagnostic.message)),
            ]
            if let span = diagnostic.span {
                fields += locationFields(span, withEnd: true)
            } else if let path = diagnostic.path {
                fields.append(("file", JSON.string(path)))
            }
            let notes = diagnostic.notes.map { note -> String in
                var noteFields = [("message", JSON.string(note.message))]
                if let span = note.span { noteFields += locationFields(span, withEnd: true) }
                return JSON.object(noteFields)
            }
            fields.append(("notes", JSON.array(notes)))
            let fixes = diagnostic.fixIts.map { fix -> String in
                JSON.object([("message", JSON.string(fix.message))] + locationFields(fix.span, withEnd: true)
                            + [("replacement", JSON.string(fix.replacement))])
            }
            fields.append(("fixIts", JSON.array(fixes)))
            items.append(JSON.object(fields))
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        return JSON.object([
            ("diagnostics", JSON.array(items)),
            ("errors", String(errors)),
            ("warnings", String(diagnostics.count - errors)),
        ]) + "\n"
    }

    func locationFields(_ span: SourceSpan, withEnd: Bool) -> [(String, String)] {
        guard let file = sources[span.file] else { return [] }
        let start = file.location(of: span.start)
        var fields = [("file", JSON.string(file.path)), ("line", String(start.line)), ("column", String(start.column))]
        if withEnd {
            let end = file.location(of: span.end)
            fields += [("endLine", String(end.line)), ("endColumn", String(end.column))]
        }
        return fields
    }
}

/// A minimal JSON writer: deterministic key order, RFC 8259 string escaping.
public enum JSON {
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// An object from already-encoded values, keys in the given order.
    public static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    public static func array(_ items: [String]) -> String {
        "[" + items.joined(separator: ",") + "]"
    }
}
