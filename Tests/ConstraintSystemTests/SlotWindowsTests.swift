import Testing
@testable import ConstraintSystem

/// The assignment of a row's constraints to slots and cells to columns, on
/// random rows of every row shape the layout uses: whatever it returns must
/// be a valid placement, and `canAssign` must agree with `assign`.
@Suite struct SlotWindowsTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct SplitMix {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    static func randomRow(_ w: SlotWindows, _ random: inout SplitMix) -> SlotWindows.Row {
        let cells = 1 + random.next(w.C)
        var constraints: [SlotWindows.Shape] = []
        for _ in 0 ..< random.next(w.K + 1) {
            var reads: UInt64 = 0
            for _ in 0 ..< 1 + random.next(4) { reads |= 1 << UInt64(random.next(cells)) }
            var product: (Int, Int)?
            if cells >= 2, random.next(3) == 0 {
                let a = random.next(cells), b = (a + 1 + random.next(cells - 1)) % cells
                product = (a, b)
                reads |= 1 << UInt64(a) | 1 << UInt64(b)
            }
            constraints.append(.init(reads: reads, product: product))
        }
        var tuple: [Int]?
        if cells >= 3, random.next(4) == 0 {
            let width = 1 + random.next(2)
            tuple = Array(cells - width ..< cells)
        }
        return SlotWindows.Row(cells: cells, constraints: constraints, tuple: tuple)
    }

    @Test(arguments: [(12, 4, false), (12, 4, true), (16, 4, true), (32, 8, true), (24, 6, true), (64, 8, true)])
    func assignmentsAreValidPlacements(cells: Int, slots: Int, windowed: Bool) {
        let w = SlotWindows(cells: cells, slots: slots, windowed: windowed)
        var random = SplitMix(state: UInt64(cells * 100 + slots) &+ (windowed ? 7 : 0))
        var placed = 0, refused = 0
        for _ in 0 ..< 4000 {
            let row = Self.randomRow(w, &random)
            let result = w.assign(row)
            #expect(w.canAssign(row) == (result != nil))
            guard let (slotOf, column) = result else { refused += 1; continue }
            placed += 1
            // Every cell in its own column, inside the row.
            #expect(column.count == row.cells)
            #expect(Set(column).count == row.cells && column.allSatisfy { (0 ..< cells).contains($0) })
            // Every constraint in its own slot, reading only its window, with its
            // product's operands at the slot's pair.
            #expect(Set(slotOf).count == row.constraints.count && slotOf.allSatisfy { (0 ..< slots).contains($0) })
            for (c, shape) in row.constraints.enumerated() {
                let k = slotOf[c]
                for l in 0 ..< row.cells where shape.reads & (1 << UInt64(l)) != 0 {
                    #expect(w.coefficient(k, column[l]) != nil, "cell \(l) outside the window of slot \(k)")
                }
                if let (a, b) = shape.product {
                    #expect(w.product(k) != nil)
                    #expect(column[a] == 2 * k && column[b] == 2 * k + 1)
                }
            }
            // A lookup's cells in the last columns, in order.
            if let tuple = row.tuple {
                for (i, l) in tuple.enumerated() { #expect(column[l] == cells - tuple.count + i) }
            }
        }
        // Both outcomes occur, so the checks above are not vacuous.
        #expect(placed > 500 && refused > 50, "placed \(placed), refused \(refused)")
    }

    /// Cells without readers keep their order (region and public rows rely on it).
    @Test func unreadCellsStayInOrder() throws {
        for (cells, slots) in [(12, 4), (32, 8)] {
            let w = SlotWindows(cells: cells, slots: slots, windowed: true)
            let (_, column) = try #require(w.assign(.init(cells: cells, constraints: [], tuple: nil)))
            #expect(column == Array(0 ..< cells))
        }
    }
}
