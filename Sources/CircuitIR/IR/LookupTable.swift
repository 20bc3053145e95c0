import Field

/// The index of a table in `Program.tables`.
public struct TableID: Hashable, Comparable, Sendable {
    public let raw: UInt32
    public init(raw: UInt32) { self.raw = raw }
    public var index: Int { Int(raw) }
    public static func < (a: TableID, b: TableID) -> Bool { a.raw < b.raw }
}

/// A fixed table of tuples that `lookup` constraints check membership in.
///
/// A table is *functional*: its first `keyColumns` columns determine the row,
/// so a table-lookup hint (keys → the other columns) has exactly one honest
/// answer and the lookup constraint pins it. ModelGraph's quantizer defines the
/// sigmoid/tanh/exp tables; CircuitIR only stores and checks them.
public struct LookupTable: Hashable, Sendable {
    /// How the rows are given.
    public enum Contents: Hashable, Sendable {
        /// The single column 0, 1, …, 2^bits − 1 (never stored row by row).
        case range(bits: Int)
        /// Explicit rows, row-major: `rowCount × width` elements.
        case rows([Goldilocks])
    }

    /// A name unique in the program, e.g. `range16`, `sigmoid_q8`.
    public let name: String
    /// One name per column; the width of the table.
    public let columnNames: [String]
    /// How many leading columns form the key (1 … width).
    public let keyColumns: Int
    public let contents: Contents
    /// The signed range of each column's entries: what a lookup proves about
    /// the value in that position.
    public let columnIntervals: [Interval]

    /// The width of a row.
    public var width: Int { columnNames.count }

    public var rowCount: Int {
        switch contents {
        case .range(let bits): 1 << bits
        case .rows(let rows): rows.count / width
        }
    }

    /// The table of 16-bit values that range checks decompose into.
    public static let range16 = LookupTable(uncheckedName: "range16", columnNames: ["x"], keyColumns: 1,
                                            contents: .range(bits: 16))

    init(uncheckedName name: String, columnNames: [String], keyColumns: Int, contents: Contents) {
        self.name = name
        self.columnNames = columnNames
        self.keyColumns = keyColumns
        self.contents = contents
        self.columnIntervals = LookupTable.intervals(of: contents, width: columnNames.count)
    }

    /// A table with explicit rows (row-major). Fails if the shape is wrong or
    /// two rows share a key, which would make the table non-functional.
    public init(name: String, columnNames: [String], keyColumns: Int = 1, rows: [Goldilocks]) throws {
        guard !columnNames.isEmpty, (1...columnNames.count).contains(keyColumns) else {
            throw CircuitError.invalidTable(name: name, reason: "needs at least one column and 1…width key columns")
        }
        guard rows.count % columnNames.count == 0, !rows.isEmpty else {
            throw CircuitError.invalidTable(name: name, reason: "row data is not a non-empty multiple of the width \(columnNames.count)")
        }
        self.init(uncheckedName: name, columnNames: columnNames, keyColumns: keyColumns, contents: .rows(rows))
        var seen = Set<ArraySlice<Goldilocks>>()
        for r in 0..<rowCount {
            let key = rows[(r * width)..<(r * width + keyColumns)]
            guard seen.insert(key).inserted else {
                throw CircuitError.invalidTable(name: name, reason: "row \(r) repeats the key \(key.map(\.signedValue))")
            }
        }
    }

    /// The table of `(x, f(x))` for every integer x in `domain`, both columns
    /// as signed field elements: the shape of quantized activation tables.
    public static func function(name: String, input: String = "x", output: String = "y",
                                domain: ClosedRange<Int64>,
                                _ f: (Int64) throws -> Int64) throws -> LookupTable {
        var rows: [Goldilocks] = []
        rows.reserveCapacity(2 * (Int(domain.upperBound - domain.lowerBound) + 1))
        for x in domain {
            rows.append(Goldilocks(signed: x))
            rows.append(Goldilocks(signed: try f(x)))
        }
        return try LookupTable(name: name, columnNames: [input, output], keyColumns: 1, rows: rows)
    }

    /// Entry `column` of row `row`.
    public func element(row: Int, column: Int) -> Goldilocks {
        switch contents {
        case .range: Goldilocks(UInt64(row))
        case .rows(let rows): rows[row * width + column]
        }
    }

    private static func intervals(of contents: Contents, width: Int) -> [Interval] {
        switch contents {
        case .range(let bits):
            return [.bits(bits)]
        case .rows(let rows):
            var lo = [Int64](repeating: .max, count: width), hi = [Int64](repeating: .min, count: width)
            for (k, x) in rows.enumerated() {
                let s = x.signedValue
                lo[k % width] = min(lo[k % width], s)
                hi[k % width] = max(hi[k % width], s)
            }
            return (0..<width).map { Interval(lo[$0], hi[$0]) }
        }
    }
}

/// A lookup index over a table, built once per evaluation.
struct TableIndex {
    let table: LookupTable
    private var rowOfTuple: [ArraySlice<Goldilocks>: Int] = [:]
    private var rowOfKey: [ArraySlice<Goldilocks>: Int] = [:]

    init(_ table: LookupTable) {
        self.table = table
        if case .rows(let rows) = table.contents {
            let w = table.width
            rowOfTuple.reserveCapacity(table.rowCount)
            rowOfKey.reserveCapacity(table.rowCount)
            for r in 0..<table.rowCount {
                rowOfTuple[rows[(r * w)..<(r * w + w)]] = r
                rowOfKey[rows[(r * w)..<(r * w + table.keyColumns)]] = r
            }
        }
    }

    /// Whether the tuple is a row.
    func contains(_ tuple: ArraySlice<Goldilocks>) -> Bool {
        switch table.contents {
        case .range(let bits): tuple.count == 1 && tuple.first!.value < (UInt64(1) << bits)
        case .rows: rowOfTuple[tuple] != nil
        }
    }

    /// The row whose key columns equal `key`.
    func row(forKey key: ArraySlice<Goldilocks>) -> Int? {
        switch table.contents {
        case .range(let bits): key.count == 1 && key.first!.value < (UInt64(1) << bits) ? Int(key.first!.value) : nil
        case .rows: rowOfKey[key]
        }
    }
}
