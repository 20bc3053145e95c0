import Field
@testable import Stark
import Testing

@Suite struct TableIndexTests {
    /// The first row of each tuple, as a dictionary built from the last row
    /// to the first finds it.
    static func reference(_ table: LookupTable) -> [[UInt64]: Int] {
        var rows: [[UInt64]: Int] = [:]
        for r in stride(from: table.count - 1, through: 0, by: -1) { rows[table.columns.map { $0[r].value }] = r }
        return rows
    }

    static func check(_ table: LookupTable, probes: [[Goldilocks]]) {
        let index = TableIndex(table)
        let expected = reference(table)
        for r in 0 ..< table.count {
            let tuple = table.columns.map { $0[r] }
            #expect(index.row({ tuple[$0] }) == expected[tuple.map(\.value)], "table row \(r)")
        }
        for tuple in probes {
            #expect(index.row({ tuple[$0] }) == expected[tuple.map(\.value)], "probe \(tuple)")
        }
    }

    /// Tables of one to three columns with repeated tuples, small values
    /// (many equal low bits) and values near p: every row finds its tuple's
    /// first row, tuples outside the table find nothing.
    @Test(arguments: [1, 2, 3])
    func findsTheFirstRowOfEveryTuple(arity: Int) {
        var rng = SplitMix(state: UInt64(arity))
        let count = 3000
        let columns = (0 ..< arity).map { c in
            (0 ..< count).map { r -> Goldilocks in
                switch r % 3 {
                case 0: Goldilocks(UInt64(r / 6))  // repeats
                case 1: Goldilocks(UInt64(r) << 32 | UInt64(c))
                default: -Goldilocks(UInt64(r % 97))  // near p
                }
            }
        }
        let table = LookupTable(name: "t", columns: columns)
        var probes = (0 ..< 500).map { _ in (0 ..< arity).map { _ in Goldilocks(rng.next() % 1000) } }
        probes += (0 ..< 500).map { _ in (0 ..< arity).map { _ in Goldilocks.random(using: &rng) } }
        Self.check(table, probes: probes)
    }

    /// The range table (0, 1, 2, …) takes the direct path: a value is its row,
    /// and anything from the table's size on, p − 1 included, is absent.
    @Test func rangeTableIndexesByValue() {
        let table = LookupTable.range(bits: 8)
        let values: [UInt64] = [0, 255, 256, 1 << 40, Goldilocks.modulus - 1]
        Self.check(table, probes: values.map { [Goldilocks($0)] })
        let index = TableIndex(table)
        #expect(index.row({ _ in Goldilocks(200) }) == 200)
        #expect(index.row({ _ in Goldilocks(256) }) == nil)
        // Not the range table: one value out of order; found by hashing, same answers.
        var shuffled = table
        shuffled.columns[0].swapAt(3, 4)
        Self.check(shuffled, probes: [3, 4, 256].map { [Goldilocks(UInt64($0))] })
    }
}
