/// A pretty-printing document in the style of Wadler's "prettier printer":
/// text pieces, line breaks that a `group` lays out flat (as a space, or as
/// nothing for `softLine`) when the group fits in the width, and broken
/// otherwise. `hardLine` always breaks and forces its enclosing groups to break.
indirect enum Doc {
    case text(String)
    case line
    case softLine
    case hardLine
    case nest(Int, Doc)
    case group(Doc)
    case concat([Doc])

    static let empty = Doc.concat([])

    static func + (a: Doc, b: Doc) -> Doc { .concat([a, b]) }

    static func join(_ docs: [Doc], separator: Doc) -> Doc {
        var parts: [Doc] = []
        for (position, doc) in docs.enumerated() {
            if position > 0 { parts.append(separator) }
            parts.append(doc)
        }
        return .concat(parts)
    }
}

/// Lays out a `Doc` within a line width.
struct DocRenderer {
    enum Mode { case flat, broken }

    let width: Int

    func render(_ doc: Doc) -> String {
        var out = ""
        var column = 0
        // A stack of pending pieces: (indent, mode, doc), processed last-in first-out.
        var stack: [(Int, Mode, Doc)] = [(0, .broken, doc)]
        while let (indent, mode, doc) = stack.popLast() {
            switch doc {
            case .text(let text):
                out += text
                column += text.count
            case .line, .softLine, .hardLine:
                if mode == .flat, case .line = doc {
                    out += " "
                    column += 1
                } else if mode == .flat, case .softLine = doc {
                    // nothing
                } else {
                    // Trailing spaces never survive a line break.
                    while out.last == " " { out.removeLast() }
                    out += "\n" + String(repeating: " ", count: indent)
                    column = indent
                }
            case .nest(let extra, let inner):
                stack.append((indent + extra, mode, inner))
            case .concat(let parts):
                for part in parts.reversed() { stack.append((indent, mode, part)) }
            case .group(let inner):
                if mode == .flat {
                    stack.append((indent, .flat, inner))
                } else {
                    let flat = fits(width - column, first: (indent, .flat, inner), rest: stack)
                    stack.append((indent, flat ? .flat : .broken, inner))
                }
            }
        }
        return out
    }

    /// Whether `first` (laid out flat) and what follows it on the stack fit in
    /// `remaining` columns, up to the first line break of a broken part. A
    /// hard line inside a flat part never fits. The stack is read in place
    /// (from its top), never copied, so that long files lay out in linear time.
    func fits(_ remaining: Int, first: (Int, Mode, Doc), rest: [(Int, Mode, Doc)]) -> Bool {
        var remaining = remaining
        var local: [(Int, Mode, Doc)] = [first]
        var next = rest.count - 1
        while remaining >= 0 {
            let piece: (Int, Mode, Doc)
            if let top = local.popLast() {
                piece = top
            } else if next >= 0 {
                piece = rest[next]
                next -= 1
            } else {
                return true
            }
            let (indent, mode, doc) = piece
            switch doc {
            case .text(let text): remaining -= text.count
            case .line:
                if mode == .broken { return true }
                remaining -= 1
            case .softLine:
                if mode == .broken { return true }
            case .hardLine:
                return mode == .broken
            case .nest(let extra, let inner): local.append((indent + extra, mode, inner))
            case .concat(let parts): for part in parts.reversed() { local.append((indent, mode, part)) }
            case .group(let inner): local.append((indent, mode, inner))
            }
        }
        return false
    }
}
