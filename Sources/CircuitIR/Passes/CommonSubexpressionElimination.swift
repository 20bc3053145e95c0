extension Pass {
    /// Gives instructions that compute the same thing from the same operands
    /// one result (pure instructions and built-in hints, with commutative
    /// operands normalised), and drops repeated constraints.
    ///
    /// Merging two built-in hints is sound: both are deterministic, so the
    /// honest witness is unchanged, and the constraints that pinned each copy
    /// now all pin the one value, which can only shrink the set of witnesses.
    ///
    /// Kept instructions are emitted with their operands in the canonical
    /// order (commutative operands sorted). Same meaning; a proven bound may
    /// differ from the original order's (interval sums saturate to "full"
    /// partway), which is sound either way and deterministic.
    public static let commonSubexpressionElimination = Pass(
        name: "cse",
        summary: "merge instructions with equal opcode and operands; drop repeated constraints"
    ) { source in
        let rewriter = ProgramRewriter(source, tracksBounds: false)
        // Instructions already emitted, by their canonical (opcode, operands):
        // the table holds indices into the new program, whose operands are the
        // canonical ones, so no key is stored twice.
        var seen = InstructionTable(capacity: source.instructionCount)
        var ops: [UInt32] = []
        for i in 0..<source.instructionCount {
            let opcode = source.opcodes[i]
            switch opcode {
            case .publicInput, .privateInput, .publicOutput, .constant:
                rewriter.copy(i)
                continue
            case .hint where !(source.instruction(i).hintKind?.isDeterministic ?? false):
                rewriter.copy(i)
                continue
            default:
                break
            }
            rewriter.mappedOperands(i, into: &ops)
            CanonicalOperands.normalise(opcode, &ops)
            let hash = InstructionTable.hash(opcode, ops)
            if let j = seen.find(hash: hash, matching: { rewriter.emitted($0, is: opcode, ops) }) {
                // A repeated constraint is dropped; a repeated computation is aliased.
                let existing = rewriter.builder.firstResult(of: j)
                for (k, v) in source.results(of: i).enumerated() { rewriter.alias(Value(index: v), to: Value(existing.id + UInt32(k))) }
                continue
            }
            // Copy with the (possibly reordered) operands: equal meaning, canonical form.
            rewriter.emit(i, opcode, ops)
            seen.insert(hash: hash, index: rewriter.builder.instructionCount - 1)
        }
        return rewriter.finish()
    }
}

/// The canonical operand order CSE compares: commutative operands sorted.
enum CanonicalOperands {
    static func normalise(_ opcode: Opcode, _ ops: inout [UInt32]) {
        switch opcode {
        case .add, .mul, .assertEqual:
            if ops[0] > ops[1] { ops.swapAt(0, 1) }
        case .dot:
            // Order each pair, then the pairs: a dot is a sum of commutative products.
            var p = 0
            while p + 1 < ops.count {
                if ops[p] > ops[p + 1] { ops.swapAt(p, p + 1) }
                p += 2
            }
            sortPairs(&ops, from: 0) { ($0.0, $0.1) }
        case .linear:
            // ops[0] is the constant; then (coefficient, value) terms, ordered by value, then coefficient.
            sortPairs(&ops, from: 1) { ($0.1, $0.0) }
        default:
            break
        }
    }

    /// Sorts the pairs (ops[j], ops[j + 1]) for j = start, start + 2, … by
    /// `key`: in place for short lists (the common case, no allocation).
    private static func sortPairs(_ ops: inout [UInt32], from start: Int,
                                  by key: ((UInt32, UInt32)) -> (UInt32, UInt32)) {
        let pairs = (ops.count - start) / 2
        guard pairs > 1 else { return }
        func less(_ a: (UInt32, UInt32), _ b: (UInt32, UInt32)) -> Bool {
            let (x, y) = (key(a), key(b))
            return x.0 != y.0 ? x.0 < y.0 : x.1 < y.1
        }
        if pairs <= 32 {
            for t in 1..<pairs {
                let j = start + 2 * t
                let item = (ops[j], ops[j + 1])
                var k = j
                while k > start, less(item, (ops[k - 2], ops[k - 1])) {
                    ops[k] = ops[k - 2]
                    ops[k + 1] = ops[k - 1]
                    k -= 2
                }
                ops[k] = item.0
                ops[k + 1] = item.1
            }
            return
        }
        var list = (0..<pairs).map { (ops[start + 2 * $0], ops[start + 2 * $0 + 1]) }
        list.sort(by: less)
        for (t, pair) in list.enumerated() {
            ops[start + 2 * t] = pair.0
            ops[start + 2 * t + 1] = pair.1
        }
    }
}

/// An open-addressing hash set of instruction indices, compared by the
/// caller (who knows where the instructions live). Linear probing over a
/// power-of-two table at most half full; each slot keeps the index + 1 in its
/// low 32 bits and 32 bits of the hash in its high ones, so that a probe
/// touches one cache line and most probes need no comparison.
struct InstructionTable {
    private var slots: [UInt64]
    private let mask: Int

    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// A hash of the opcode and operands (multiply-rotate over the words).
    static func hash(_ opcode: Opcode, _ ops: [UInt32]) -> UInt64 {
        var h = UInt64(opcode.rawValue) &* 0x9E37_79B9_7F4A_7C15
        for x in ops {
            h = (h ^ UInt64(x)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
        }
        return h
    }

    /// The index of an entry with this hash that `matching` accepts.
    func find(hash: UInt64, matching: (Int) -> Bool) -> Int? {
        var s = Int(truncatingIfNeeded: hash) & mask
        let tag = hash >> 32
        while slots[s] != 0 {
            let slot = slots[s]
            if slot >> 32 == tag, matching(Int(slot & 0xFFFF_FFFF) - 1) { return Int(slot & 0xFFFF_FFFF) - 1 }
            s = (s + 1) & mask
        }
        return nil
    }

    /// Adds an index (the table never holds more than `capacity` of them).
    mutating func insert(hash: UInt64, index: Int) {
        var s = Int(truncatingIfNeeded: hash) & mask
        while slots[s] != 0 { s = (s + 1) & mask }
        slots[s] = (hash >> 32) << 32 | UInt64(index + 1)
    }
}
