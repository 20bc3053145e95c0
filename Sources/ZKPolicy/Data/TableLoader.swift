import BigNumber
import CircuitIR
import ModelGraph
import PolicySemantics

/// Reads a CSV file into the rows of a policy table (DESIGN §8, docs/language.md
/// "data"), streaming: only the parsed rows are kept, as canonical integers
/// (`TableRows`, 8 bytes a value), so 10^6 rows of 22 columns take about 180 MB.
///
/// The header binds columns to the schema by name: a scalar field reads the
/// column of its name (or its `from` column), a `tensor[n]` field `NAME[0]` …
/// `NAME[n-1]` (or its `from` list or range). Extra columns are ignored.
/// Cells:
/// - `bool`: `true`/`false` (any letter case) or `1`/`0`;
/// - `int`: an integer, optionally signed;
/// - `fixed`: a decimal (`-12.5`, `3e-4`), rounded to the nearest multiple
///   of 2^-16 (ties up) exactly, never through a Double;
/// - an enum: the name of one of its cases, exactly;
/// and every value must lie in the field's declared range (for `fixed`, the
/// rounded value). Every problem is a `DataError` naming the file, the line
/// and the column: a missing or repeated column, an empty file, a row with
/// too few or too many cells, an empty, malformed or out-of-range value.
public enum TableLoader {
    /// Loads a file for `table`. `displayName` is the path shown in errors.
    public static func load(path: String, table: PolicySemantics.Table, displayName: String? = nil) throws -> TableRows {
        var reader = try CSVReader(path: path, displayName: displayName)
        return try load(&reader, table: table)
    }

    /// Loads CSV bytes for `table`.
    public static func load(bytes: [UInt8], file: String, table: PolicySemantics.Table) throws -> TableRows {
        var reader = CSVReader(bytes: bytes, file: file)
        return try load(&reader, table: table)
    }

    static func load(_ reader: inout CSVReader, table: PolicySemantics.Table) throws -> TableRows {
        let file = reader.file
        var rows: TableRows
        do { rows = try TableRows(schema: table) } catch {
            throw DataError(file: file, line: 1, message: "table `\(table.name)` cannot be stored: \(error)")
        }
        let layouts = rows.fields
        var header: [String]?
        /// For each field and element, the CSV column it reads.
        var sources: [[Int]] = []
        var values: [Int64] = []
        values.reserveCapacity(layouts.reduce(0) { $0 + $1.elements })
        try reader.forEachRecord { record in
            guard let names = header else {
                let names = (0..<record.count).map { record.text($0) }
                header = names
                sources = try bind(names, table: table, layouts: layouts, file: file, line: record.line)
                return
            }
            guard record.count == names.count else {
                throw DataError(file: file, line: record.line, column: min(record.count, names.count) + 1,
                                message: "this row has \(record.count) values; the header has \(names.count) columns")
            }
            values.removeAll(keepingCapacity: true)
            for (f, layout) in layouts.enumerated() {
                for column in sources[f] {
                    let cell = record.field(column)
                    do {
                        values.append(try parse(cell, layout))
                    } catch let problem as CellProblem {
                        throw DataError(file: file, line: record.line, column: column + 1,
                                        message: "column `\(names[column])`: \(problem.describe(cell, layout, field: table.fields[f], table: table.name))")
                    }
                }
            }
            // INVARIANT: every value was checked against its field's domain above.
            try rows.append(values)
        }
        guard header != nil else {
            throw DataError(file: file, line: 1, message: "empty file (a header row naming the columns is expected)")
        }
        return rows
    }

    /// The column of every field element, from the header.
    static func bind(_ names: [String], table: PolicySemantics.Table, layouts: [FieldLayout], file: String, line: Int) throws -> [[Int]] {
        var index: [String: Int] = [:]
        var repeated: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            if index[name] == nil { index[name] = i } else if repeated[name] == nil { repeated[name] = i }
        }
        return try Swift.zip(table.fields, layouts).map { field, layout in
            try layout.columns.map { column in
                if let second = repeated[column] {
                    throw DataError(file: file, line: line, column: second + 1,
                                    message: "column `\(column)` appears twice in the header")
                }
                guard let i = index[column] else {
                    throw DataError(file: file, line: line,
                                    message: "missing column `\(column)` (field `\(field.name)` of table `\(table.name)`)")
                }
                return i
            }
        }
    }

    /// Why a cell cannot be read.
    enum CellProblem: Error {
        case empty, malformed, outOfRange

        func describe(_ cell: ArraySlice<UInt8>, _ layout: FieldLayout, field: PolicySemantics.Field, table: String) -> String {
            let text = String(decoding: cell.prefix(60), as: UTF8.self)
            switch self {
            case .empty:
                return "empty value for `\(table).\(field.name)`"
            case .malformed:
                switch layout.kind {
                case .bool: return "`\(text)` is not a bool (true, false, 1 or 0)"
                case .integer: return "`\(text)` is not an integer"
                case .fixed: return "`\(text)` is not a decimal number"
                case .enumeration(let cases): return "`\(text)` is not a case of \(field.name) (\(cases.joined(separator: ", ")))"
                }
            case .outOfRange:
                let range = field.range.map { "\($0)" } ?? "its range"
                return "\(text) is outside the declared range \(range) of `\(table).\(field.name)`"
            }
        }
    }

    /// The canonical integer of one cell.
    static func parse(_ cell: ArraySlice<UInt8>, _ layout: FieldLayout) throws -> Int64 {
        guard !cell.isEmpty else { throw CellProblem.empty }
        let value: Int64
        switch layout.kind {
        case .bool:
            switch cell.count {
            case 1 where cell.first == UInt8(ascii: "1"): value = 1
            case 1 where cell.first == UInt8(ascii: "0"): value = 0
            case 4 where lowercased(cell) == "true": value = 1
            case 5 where lowercased(cell) == "false": value = 0
            default: throw CellProblem.malformed
            }
        case .integer:
            guard let v = integer(cell) else { throw allDigits(cell) ? CellProblem.outOfRange : CellProblem.malformed }
            value = v
        case .fixed(let bits):
            value = try fixed(cell, bits: bits)
        case .enumeration(let cases):
            let text = String(decoding: cell, as: UTF8.self)
            guard let k = cases.firstIndex(of: text) else { throw CellProblem.malformed }
            value = Int64(k)
        }
        guard value >= layout.lower && value <= layout.upper else { throw CellProblem.outOfRange }
        return value
    }

    static func lowercased(_ cell: ArraySlice<UInt8>) -> String {
        String(decoding: cell.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// `[+-]digits`, nil if malformed or beyond Int64.
    static func integer(_ cell: ArraySlice<UInt8>) -> Int64? {
        var i = cell.startIndex
        var negative = false
        if cell[i] == UInt8(ascii: "-") || cell[i] == UInt8(ascii: "+") { negative = cell[i] == UInt8(ascii: "-"); i += 1 }
        guard i < cell.endIndex else { return nil }
        var v: Int64 = 0
        while i < cell.endIndex {
            let d = cell[i]
            guard d >= 0x30 && d <= 0x39 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(d - 0x30))
            if o1 || o2 { return nil }
            v = s
            i += 1
        }
        return negative ? -v : v
    }

    /// Whether the cell is a well-formed integer (then a failure is its size).
    static func allDigits(_ cell: ArraySlice<UInt8>) -> Bool {
        let body = cell.first == UInt8(ascii: "-") || cell.first == UInt8(ascii: "+") ? cell.dropFirst() : cell
        return !body.isEmpty && body.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// ⌊x · 2^bits + 1/2⌋ for the decimal x, exactly. Integers and short
    /// decimals take an Int64 fast path; anything else (exponents, many digits)
    /// goes through `FixedPoint.quantize(decimal:scale:)` (GMP).
    static func fixed(_ cell: ArraySlice<UInt8>, bits: Int) throws -> Int64 {
        var i = cell.startIndex
        var negative = false
        if cell[i] == UInt8(ascii: "-") || cell[i] == UInt8(ascii: "+") { negative = cell[i] == UInt8(ascii: "-"); i += 1 }
        var mantissa: Int64 = 0
        var digits = 0, fraction = 0
        var seenPoint = false, fast = true
        while i < cell.endIndex {
            let c = cell[i]
            if c >= 0x30 && c <= 0x39 {
                if digits >= 17 { fast = false; break }
                mantissa = mantissa * 10 + Int64(c - 0x30)
                digits += 1
                if seenPoint { fraction += 1 }
            } else if c == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                fast = false
                break
            }
            i += 1
        }
        if fast && digits > 0 && mantissa < Int64(1) << 45 && fraction <= 13 {
            // x = ±mantissa / 10^fraction; q = ⌊(±mantissa·2^(bits+1) + 10^f) / (2·10^f)⌋.
            var ten: Int64 = 1
            for _ in 0..<fraction { ten *= 10 }
            let scaled = (negative ? -mantissa : mantissa) << Int64(bits + 1)
            let numerator = scaled + ten, denominator = 2 * ten
            var q = numerator / denominator
            if numerator % denominator != 0 && numerator < 0 { q -= 1 }
            return q
        }
        guard let text = String(validatingUTF8Bytes: cell), looksDecimal(text) else { throw CellProblem.malformed }
        guard let q = FixedPoint.quantize(decimal: Substring(text), scale: bits) else { throw CellProblem.outOfRange }
        return q
    }

    /// `[+-]digits[.digits][(e|E)[+-]digits]` (the numerals `FixedPoint.quantize(decimal:)` reads).
    static func looksDecimal(_ text: String) -> Bool {
        var s = Substring(text)
        if s.first == "-" || s.first == "+" { s = s.dropFirst() }
        var mantissa = s
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = s[..<e]
            var exponent = s[s.index(after: e)...]
            if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
            guard !exponent.isEmpty, exponent.count <= 6, exponent.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts.allSatisfy(\.isEmpty) else { return false }
        return parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}

extension String {
    /// The text of UTF-8 bytes, nil if they are not valid UTF-8.
    init?(validatingUTF8Bytes bytes: ArraySlice<UInt8>) {
        var decoded = ""
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): decoded.unicodeScalars.append(scalar)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = decoded
    }
}
