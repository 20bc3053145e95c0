/// Canonical one-line spellings of the small pieces of syntax (types, ranges,
/// column bindings, literals), shared by the formatter and the AST dump.
public enum SourcePrinter {
    public static func type(_ type: TypeExpr) -> String {
        switch type.kind {
        case .bool: return "bool"
        case .int(let range): return "int" + Self.range(range)
        case .fixed(let range): return "fixed" + Self.range(range)
        case .ratio(let range): return "ratio" + Self.range(range)
        case .digest: return "digest"
        case .table: return "table"
        case .model: return "model"
        case .tensor(let dimensions, let element, let range):
            return "tensor[" + dimensions.map(\.spelling).joined(separator: ", ") + "]"
                + (element.map { " " + $0.rawValue } ?? "") + Self.range(range)
        case .enumeration(let cases):
            guard let cases else { return "enum" }
            return cases.isEmpty ? "enum {}" : "enum { " + cases.map(\.name).joined(separator: ", ") + " }"
        case .rowFunction(let table, let result): return table.name + " -> " + Self.type(result)
        case .perGroup(let element): return Self.type(element) + " per group"
        case .error: return "<error>"
        }
    }

    public static func range(_ range: RangeExpr?) -> String {
        guard let range else { return "" }
        return " in " + range.lower.source + ".." + range.upper.source
    }

    public static func columnName(_ column: ColumnName) -> String {
        column.quoted || !isPlainName(column.name) ? quoted(column.name) : column.name
    }

    public static func columns(_ binding: ColumnBinding) -> String {
        switch binding.kind {
        case .single(let column): return "from " + columnName(column)
        case .range(let first, let last): return "from " + columnName(first) + ".." + columnName(last)
        case .list(let columns): return "from [" + columns.map(columnName).joined(separator: ", ") + "]"
        }
    }

    public static func literal(_ literal: Literal) -> String {
        switch literal {
        case .bool(let value): return value ? "true" : "false"
        case .number(let number): return number.source
        }
    }

    /// A string literal with the escapes the lexer understands.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.append(character)
            }
        }
        return out + "\""
    }

    /// True for text that lexes as one identifier (not a keyword).
    public static func isPlainName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII,
              first.properties.isAlphabetic || first == "_" else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
            && Keyword(rawValue: text) == nil
    }
}
