import Field

/// The net multiplicity of each bus tuple key, for the honest prover's
/// check that the bus balances: an open-addressing table from a 64-bit key
/// to a field sum, with a multiply-shift hash (millions of updates on the
/// credit audit, where `Dictionary`'s seeded hashing dominated the check).
struct BusTally {
    private var keys: [UInt64]
    private var sums: [Goldilocks]
    private var used: [Bool]
    private var count = 0
    private var mask: Int
    /// 64 − log₂(size): the slot is the top bits of key·C (the top bits of a
    /// multiplicative hash depend on every bit of the key).
    private var shift: UInt64

    init(capacity: Int = 1 << 12) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        sums = [Goldilocks](repeating: .zero, count: size)
        used = [Bool](repeating: false, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    /// Adds m to the sum of `key`.
    mutating func add(_ key: UInt64, _ m: Goldilocks) {
        var s = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while used[s] {
            if keys[s] == key { sums[s] += m; return }
            s = (s + 1) & mask
        }
        used[s] = true
        keys[s] = key
        sums[s] = m
        count += 1
        if 2 * count > keys.count { grow() }
    }

    /// Adds every sum of `other` (a tally of another part of the table).
    mutating func merge(_ other: BusTally) {
        for s in other.used.indices where other.used[s] { add(other.keys[s], other.sums[s]) }
    }

    /// Whether every key's sum is zero.
    var balances: Bool {
        for s in used.indices where used[s] && !sums[s].isZero { return false }
        return true
    }

    private mutating func grow() {
        let old = (keys, sums, used)
        var bigger = BusTally(capacity: keys.count)
        for s in old.2.indices where old.2[s] { bigger.add(old.0[s], old.1[s]) }
        self = bigger
    }
}
