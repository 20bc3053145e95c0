import Field

/// The row of a lookup table where a tuple first occurs, for the honest
/// prover's multiplicities: an open-addressing table of row numbers probed
/// with a multiply-shift hash of the tuple, every candidate row compared
/// with the tuple value by value (so a hash collision costs a probe, never a
/// wrong row). Seeded `Dictionary` hashing of tuple keys made the count a
/// serial 40–60 ms of every 2^18-row proof.
struct TableIndex: Sendable {
    private let columns: [[Goldilocks]]
    /// Row + 1 of the tuple in each slot, 0 when the slot is empty.
    private var slots: [Int32]
    private let mask: Int
    private let shift: UInt64
    /// Whether the table is the single column 0, 1, 2, …: then a value is its own row.
    private let isIdentity: Bool

    init(_ table: LookupTable) {
        columns = table.columns
        let count = table.count
        precondition(count < Int(Int32.max), "a lookup table has fewer than 2^31 rows")
        isIdentity = table.arity == 1 && table.columns[0].enumerated().allSatisfy { $0.element.value == UInt64($0.offset) }
        var size = 16
        while size < 2 * count { size <<= 1 }
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        slots = [Int32](repeating: 0, count: isIdentity ? 0 : size)
        guard !isIdentity else { return }
        // Rows in increasing order: a repeated tuple keeps its first row.
        for r in 0 ..< count {
            var s = slot(hash { columns[$0][r] })
            while slots[s] != 0 {
                if matches(Int(slots[s]) - 1, { columns[$0][r] }) { break }
                s = (s + 1) & mask
            }
            if slots[s] == 0 { slots[s] = Int32(r + 1) }
        }
    }

    /// The first row holding the tuple whose i-th value is `value(i)`, or nil.
    @inline(__always)
    func row(_ value: (Int) -> Goldilocks) -> Int? {
        if isIdentity {
            let v = value(0).value
            return v < UInt64(columns[0].count) ? Int(v) : nil
        }
        var s = slot(hash(value))
        while slots[s] != 0 {
            let r = Int(slots[s]) - 1
            if matches(r, value) { return r }
            s = (s + 1) & mask
        }
        return nil
    }

    @inline(__always)
    private func hash(_ value: (Int) -> Goldilocks) -> UInt64 {
        var h: UInt64 = 0
        for i in 0 ..< columns.count { h = (h ^ value(i).value) &* 0x9E37_79B9_7F4A_7C15 }
        return h
    }

    @inline(__always)
    private func slot(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h >> shift) }

    @inline(__always)
    private func matches(_ r: Int, _ value: (Int) -> Goldilocks) -> Bool {
        for i in 0 ..< columns.count where columns[i][r] != value(i) { return false }
        return true
    }
}
