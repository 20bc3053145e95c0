import CircuitIR

/// What a layout produced, for `--emit stats` and the benchmarks.
public struct LayoutStats: Sendable, Equatable, CustomStringConvertible {
    /// Rows holding cells or constraints (before padding to a power of two).
    public let usedRows: Int
    /// log₂ of the table's rows (including the blinding rows).
    public let logRows: Int
    /// Rows the prover lets the layout use (table rows less blinding rows).
    public let usableRows: Int
    /// Rows of the stacked lookup table (range table and named tables).
    public let tableRows: Int
    public let adviceColumns: Int
    public let fixedColumns: Int
    public let limbBits: Int
    /// Cells holding a value (of usedRows × cells).
    public let filledCells: Int
    /// Constraint slots used, by the opcode of the IR instruction they come from.
    public let constraintsByOpcode: [String: Int]
    /// Range lookups (one per limb) and named-table lookups.
    public let rangeLookups: Int
    public let tableLookups: Int
    /// Values wired between rows through the bus (reads; each has one home write).
    public let busReads: Int

    init(layouter: Layouter, program: Program, logRows: Int, tableRows: Int, fixedColumns: Int,
         adviceColumns: Int, usableRows: Int, limbBits: Int) {
        usedRows = layouter.rowCount
        self.logRows = logRows
        self.usableRows = usableRows
        self.tableRows = tableRows
        self.adviceColumns = adviceColumns
        self.fixedColumns = fixedColumns
        self.limbBits = limbBits
        filledCells = layouter.cellRoles.reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
        rangeLookups = layouter.cellRoles.reduce(0) { $0 + ($1 == 3 ? 1 : 0) }
        tableLookups = layouter.slotKey.reduce(0) { $0 + ($1.isZero ? 0 : 1) }
        busReads = layouter.readCount
        var counts: [String: Int] = [:]
        for i in layouter.constraintInstruction where i >= 0 {
            counts[program.opcodes[Int(i)].description, default: 0] += 1
        }
        constraintsByOpcode = counts
    }

    public var constraints: Int { constraintsByOpcode.values.reduce(0, +) }

    /// `name: value` lines, in a fixed order.
    public var description: String {
        var lines = [
            "rows: \(usedRows) used of \(usableRows) usable (2^\(logRows) with blinding rows)",
            "columns: \(adviceColumns) advice, \(fixedColumns) fixed",
            "cells: \(filledCells) filled",
            "constraints: \(constraints)",
        ]
        for (name, count) in constraintsByOpcode.sorted(by: { $0.key < $1.key }) { lines.append("  from \(name): \(count)") }
        lines += [
            "lookups: \(rangeLookups) range (\(limbBits)-bit limbs), \(tableLookups) table",
            "table rows: \(tableRows)",
            "bus reads (copies between rows): \(busReads)",
        ]
        return lines.joined(separator: "\n")
    }
}
