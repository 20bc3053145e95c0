/// Which cells each constraint slot reads, and where its coefficients live.
///
/// Without windows every slot has a coefficient for every cell and a product
/// of the pair (2k, 2k+1): K·(C + 2) fixed columns. With windows the first
/// 2P cells are *shared* (P = K/2 slots have products, of the pairs
/// (2k, 2k+1)) and every other cell is *private* to one slot (cell 2P + i to
/// slot i mod K): a slot reads the shared cells and its private ones, so it
/// has (2P + its private cells) coefficients, a constant, and a product
/// coefficient if k < P. For 12 cells and 4 slots: 30 columns instead of 56.
/// A value used by several constraints of a row must then sit in a shared
/// cell, which `assign` arranges (or reports that the row cannot hold them).
struct SlotWindows: Hashable, Sendable {
    let C: Int
    let K: Int
    let windowed: Bool
    /// Slots with a product term.
    let productSlots: Int
    /// Cells every slot reads (positions 0 ..< shared).
    let shared: Int
    /// The cells slot k reads, in increasing order.
    let windows: [[Int]]
    /// First coefficient column of each slot; then its window's coefficients,
    /// its constant and (k < productSlots) its product coefficient.
    let start: [Int]
    /// Total coefficient columns.
    let columnCount: Int
    /// Positions as bit sets: the shared ones, each slot's private ones, all.
    let sharedMask: UInt64
    let privateMask: [UInt64]
    let allMask: UInt64

    init(cells C: Int, slots K: Int, windowed: Bool) {
        self.C = C
        self.K = K
        self.windowed = windowed
        let products = windowed ? max(1, K / 2) : K
        let shared = windowed ? 2 * products : C
        productSlots = products
        self.shared = shared
        var windows: [[Int]] = []
        var start: [Int] = []
        var total = 0
        for k in 0 ..< K {
            let w = Array(0 ..< shared) + (shared ..< C).filter { ($0 - shared) % K == k }
            windows.append(w)
            start.append(total)
            total += w.count + 1 + (k < products ? 1 : 0)
        }
        self.windows = windows
        self.start = start
        columnCount = total
        func mask(_ positions: some Sequence<Int>) -> UInt64 { positions.reduce(0) { $0 | 1 << UInt64($1) } }
        sharedMask = mask(0 ..< shared)
        privateMask = (0 ..< K).map { k in mask((shared ..< C).filter { ($0 - shared) % K == k }) }
        allMask = mask(0 ..< C)
    }

    /// The slot a private cell belongs to; nil for a shared cell.
    func owner(_ position: Int) -> Int? { position < shared ? nil : (position - shared) % K }

    /// The coefficient column of cell j in slot k (nil: outside the window).
    func coefficient(_ k: Int, _ j: Int) -> Int? {
        if j < shared { return start[k] + j }
        guard owner(j) == k else { return nil }
        return start[k] + shared + (j - shared) / K
    }

    func constant(_ k: Int) -> Int { start[k] + windows[k].count }
    func product(_ k: Int) -> Int? { k < productSlots ? start[k] + windows[k].count + 1 : nil }

    /// A constraint as the assignment sees it: the row-local cells it reads
    /// (a bit set: rows have at most 64 cells) and its product's operands.
    /// Plain values, so that trying a constraint allocates nothing.
    struct Shape {
        var reads: UInt64
        var product: (Int, Int)?
    }

    /// A row to place: `cells` cells, the constraints, and the cells of a
    /// table lookup, which sit in the last positions.
    struct Row {
        var cells: Int
        var constraints: [Shape]
        var tuple: [Int]?
    }

    /// A slot for each constraint and a column for each cell such that every
    /// constraint's cells are in its slot's window and its product operands
    /// at the slot's pair; nil if there is none.
    func assign(_ row: Row) -> (slots: [Int], columns: [Int])? { assignment(row, build: true) }

    /// Whether `assign` would succeed, without building its result (the
    /// layouter asks this for every constraint it tries to add to a row).
    func canAssign(_ row: Row) -> Bool { assignment(row, build: false) != nil }

    private func assignment(_ row: Row, build: Bool) -> (slots: [Int], columns: [Int])? {
        guard row.cells <= C, row.constraints.count <= K else { return nil }
        let count = row.constraints.count
        // Canonical mapping: products in the first slots, the others after them
        // (`order` on the stack: this runs for every constraint tried).
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: max(count, 1)) { order in
            var k = 0
            for (i, c) in row.constraints.enumerated() where c.product != nil { order[k] = i; k += 1 }
            let products = k
            guard products <= productSlots else { return nil }
            for (i, c) in row.constraints.enumerated() where c.product == nil { order[k] = i; k += 1 }
            let order = UnsafeMutableBufferPointer(rebasing: order[0 ..< count])
            if let mapping = place(row, order, build: build) { return mapping }
            // Only a lookup's fixed cells can make another mapping succeed.
            guard row.tuple != nil, windowed else { return nil }
            var result: (slots: [Int], columns: [Int])?
            func permute(_ i: Int) {
                if result != nil { return }
                if i == count { result = place(row, order, build: build); return }
                for j in i ..< count {
                    order.swapAt(i, j)
                    permute(i + 1)
                    order.swapAt(i, j)
                }
            }
            permute(products)
            return result
        }
    }

    /// Places the row with constraint `order[k]` in slot k.
    ///
    /// Called for every constraint the layouter tries to add to a row, so the
    /// working state lives on the stack (C ≤ 64 cells, K ≤ 8 slots): taken
    /// columns as a bit set, each cell's readers as a bit set of slots.
    /// With `build` false, success returns empty arrays (nothing allocated).
    private func place(_ row: Row, _ order: UnsafeMutableBufferPointer<Int>, build: Bool) -> (slots: [Int], columns: [Int])? {
        let n = row.cells
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: max(row.constraints.count, 1)) { slots in
            for (k, c) in order.enumerated() { slots[c] = k }
            return withUnsafeTemporaryAllocation(of: Int8.self, capacity: max(n, 1)) { column in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(n, 1)) { readers in
                    column.initialize(repeating: -1)
                    readers.initialize(repeating: 0)
                    var taken: UInt64 = 0
                    for (c, constraint) in row.constraints.enumerated() {
                        let slot = UInt8(1) << UInt8(slots[c])
                        var reads = constraint.reads
                        while reads != 0 {
                            readers[reads.trailingZeroBitCount] |= slot
                            reads &= reads - 1
                        }
                    }
                    func fits(_ l: Int, _ p: Int) -> Bool {
                        guard taken & (1 << UInt64(p)) == 0 else { return false }
                        if let o = owner(p) { return readers[l] & ~(UInt8(1) << UInt8(o)) == 0 }
                        return true
                    }
                    func put(_ l: Int, _ p: Int) -> Bool {
                        if Int(column[l]) == p { return true }
                        guard column[l] < 0, fits(l, p) else { return false }
                        column[l] = Int8(p)
                        taken |= 1 << UInt64(p)
                        return true
                    }
                    if let tuple = row.tuple {
                        for (i, l) in tuple.enumerated() where !put(l, C - tuple.count + i) { return nil }
                    }
                    for (c, constraint) in row.constraints.enumerated() {
                        if let (a, b) = constraint.product {
                            guard put(a, 2 * slots[c]), put(b, 2 * slots[c] + 1) else { return nil }
                        }
                    }
                    // Cells read by several slots need shared positions; then single readers
                    // their slot's private cells before shared ones; then the rest in the
                    // first free columns (so that a row without constraints keeps its
                    // cells in order: region rows, public rows). Each takes the lowest
                    // free position of its kind (the lowest set bit of a mask).
                    func take(_ l: Int, _ free: UInt64) {
                        let p = free.trailingZeroBitCount
                        column[l] = Int8(p)
                        taken |= 1 << UInt64(p)
                    }
                    for l in 0 ..< n where column[l] < 0 && readers[l].nonzeroBitCount >= 2 {
                        let free = ~taken & sharedMask
                        guard free != 0 else { return nil }
                        take(l, free)
                    }
                    for l in 0 ..< n where column[l] < 0 && readers[l].nonzeroBitCount == 1 {
                        let own = ~taken & privateMask[readers[l].trailingZeroBitCount]
                        let free = own != 0 ? own : ~taken & sharedMask
                        guard free != 0 else { return nil }
                        take(l, free)
                    }
                    for l in 0 ..< n where column[l] < 0 {
                        let free = ~taken & allMask
                        guard free != 0 else { return nil }
                        take(l, free)
                    }
                    guard build else { return ([], []) }
                    return (Array(slots.prefix(row.constraints.count)), column.prefix(n).map { Int($0) })
                }
            }
        }
    }
}
