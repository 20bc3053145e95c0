/// The CSV formats of `zkpolicyc model eval`.
///
/// Input: a header row (its names are not interpreted), then one sample per
/// row holding every model input flattened in row-major order, inputs in
/// order. Output: a header naming `output[i]` columns (a scalar output is just
/// `output`), then per sample every output flattened, outputs in order.
public struct CSVTable: Sendable {
    public var header: [String]
    /// Cells of each data row, whitespace-trimmed.
    public var rows: [[Substring]]
    /// The 1-based line number of each data row.
    public var lines: [Int]

    /// Splits `text` into rows of comma-separated cells. Blank lines are skipped;
    /// quoted cells are not supported (model inputs are numbers).
    public init(parsing text: String, file: String) throws {
        var header: [String]?
        var rows: [[Substring]] = []
        var lines: [Int] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty { continue }
            if trimmed.contains("\"") {
                throw ModelError(.input, "\(file):\(number + 1):\(trimmed.distance(from: trimmed.startIndex, to: trimmed.firstIndex(of: "\"")!) + 1): quoted CSV cells are not supported")
            }
            let cells = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
            if header == nil { header = cells.map(String.init); continue }
            rows.append(cells)
            lines.append(number + 1)
        }
        guard let header else { throw ModelError(.input, "\(file): empty file (a header row is expected)") }
        self.header = header
        self.rows = rows
        self.lines = lines
    }
}

public enum ModelCSV {
    /// The values of one row, checked against the model's total input width.
    /// Errors name the file, line and column.
    public static func checkedRow(_ table: CSVTable, _ r: Int, width: Int, file: String) throws -> [Substring] {
        let cells = table.rows[r]
        guard cells.count == width else {
            throw ModelError(.input, "\(file):\(table.lines[r]): expected \(width) values (the model's inputs flattened), found \(cells.count)")
        }
        return cells
    }

    /// Parses every row as Doubles, split into the graph's inputs.
    public static func floatInputs(_ table: CSVTable, graph: ModelGraph, file: String) throws -> [[FloatTensor]] {
        let width = graph.inputs.reduce(0) { $0 + $1.count }
        return try table.rows.indices.map { r in
            let cells = try checkedRow(table, r, width: width, file: file)
            var values: [Double] = []
            values.reserveCapacity(width)
            for (c, cell) in cells.enumerated() {
                guard FixedPoint.parseDecimal(cell) != nil, let v = Double(cell), v.isFinite else {
                    throw ModelError(.input, "\(file):\(table.lines[r]):\(c + 1): '\(cell)' is not a number")
                }
                values.append(v)
            }
            var start = 0
            return graph.inputs.map { input in
                defer { start += input.count }
                return FloatTensor(shape: input.shape, scalars: Array(values[start ..< start + input.count]))
            }
        }
    }

    /// Column names for the outputs: `name[i]` per flattened element, `name` for a one-element output.
    public static func outputHeader(_ graph: ModelGraph) -> [String] {
        graph.outputs.flatMap { o in o.count == 1 ? [o.name] : (0..<o.count).map { "\(o.name)[\($0)]" } }
    }

    /// Shortest text that reads back as the same Double; integers without a fraction.
    public static func format(_ x: Double) -> String {
        if x == x.rounded(), x.magnitude < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}
