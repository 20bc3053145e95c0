/// Renders diagnostics for people: `path:line:col: error[E0300]: message`,
/// then the source line with a caret under the span (Swift/Rust style), then
/// notes and fix-its. The only place that turns diagnostics into text.
public struct DiagnosticRenderer: Sendable {
    public let sources: SourceMap

    public init(sources: SourceMap) { self.sources = sources }

    /// All diagnostics, each followed by a blank line, then a summary line.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        for diagnostic in diagnostics {
            out += render(diagnostic)
            out += "\n"
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        if errors + warnings > 0 {
            var parts: [String] = []
            if errors > 0 { parts.append(errors == 1 ? "1 error" : "\(errors) errors") }
            if warnings > 0 { parts.append(warnings == 1 ? "1 warning" : "\(warnings) warnings") }
            out += parts.joined(separator: ", ") + " generated\n"
        }
        return out
    }

    /// One diagnostic with its notes and fix-its, ending in a newline.
    public func render(_ diagnostic: Diagnostic) -> String {
        var out = header(diagnostic.span, path: diagnostic.path)
            + "\(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]: \(diagnostic.message)\n"
        if let span = diagnostic.span { out += snippet(span) }
        for note in diagnostic.notes {
            if let span = note.span {
                out += header(span, path: nil) + "note: \(note.message)\n"
                out += snippet(span)
            } else {
                out += "   = note: \(note.message)\n"
            }
        }
        for fix in diagnostic.fixIts {
            let shown = fix.replacement.replacingNewlines()
            let action = fix.span.start == fix.span.end
                ? "insert `\(shown)`"
                : (fix.replacement.isEmpty ? "remove this" : "replace with `\(shown)`")
            out += "   = fix-it: \(fix.message) (\(action) at \(sources.describe(fix.span)))\n"
        }
        return out
    }

    /// `path:line:col: ` (or `path: ` for a whole file, or nothing).
    func header(_ span: SourceSpan?, path: String?) -> String {
        if let span, sources[span.file] != nil { return sources.describe(span) + ": " }
        if let path { return path + ": " }
        return ""
    }

    /// The line holding the start of the span, with `^~~~` under the span
    /// (clipped to that line).
    func snippet(_ span: SourceSpan) -> String {
        guard let file = sources[span.file] else { return "" }
        let lineIndex = file.lineIndex(of: min(span.start, file.bytes.count))
        let lineNumber = String(lineIndex + 1)
        let gutter = String(repeating: " ", count: lineNumber.count)
        var line = file.lineBytes(lineIndex)
        let start = max(line.startIndex, min(span.start, line.endIndex))
        var end = max(start, min(span.end, line.endIndex))
        // A very long line is shown as a window around the span.
        var prefix = "", suffix = ""
        if line.count > Self.maxLineBytes {
            let from = max(line.startIndex, start - Self.maxLineBytes / 3)
            let to = min(line.endIndex, from + Self.maxLineBytes)
            if from > line.startIndex { prefix = "..." }
            if to < line.endIndex { suffix = "..." }
            line = line[from..<to]
            end = min(end, to)
        }
        let shown = prefix + Self.displayText(line) + suffix
        let before = prefix.count + Self.displayWidth(line[line.startIndex..<start])
        let width = min(max(1, Self.displayWidth(line[start..<end])), Self.maxLineBytes)
        let marker = "^" + String(repeating: "~", count: width - 1)
        return "\(gutter) |\n\(lineNumber) | \(shown)\n\(gutter) | "
            + String(repeating: " ", count: before) + marker + "\n"
    }

    /// Lines longer than this many bytes are shown as a window around the span.
    static let maxLineBytes = 240

    /// The line as shown: tabs become 4 spaces, invalid bytes U+FFFD, control characters `?`.
    static func displayText(_ bytes: ArraySlice<UInt8>) -> String {
        var out = ""
        for scalar in scalars(bytes) {
            if scalar == "\t" { out += "    " }
            else if scalar.value < 0x20 || scalar.value == 0x7F { out += "?" }
            else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// The number of columns `displayText` uses for these bytes.
    static func displayWidth(_ bytes: ArraySlice<UInt8>) -> Int {
        scalars(bytes).reduce(0) { $0 + ($1 == "\t" ? 4 : 1) }
    }

    /// Decodes leniently: each byte of an invalid sequence becomes U+FFFD.
    static func scalars(_ bytes: ArraySlice<UInt8>) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if let length = UTF8Scalars.validSequenceLength(bytes, at: index) {
                let text = String(decoding: bytes[index..<index + length], as: UTF8.self)
                result.append(contentsOf: text.unicodeScalars)
                index += length
            } else {
                result.append("\u{FFFD}")
                index += 1
            }
        }
        return result
    }
}

extension String {
    /// Newlines shown as `\n`, so that a fix-it stays on one line.
    func replacingNewlines() -> String {
        var out = ""
        for character in self { out += character == "\n" ? "\\n" : String(character) }
        return out
    }
}
