extension Pass {
    /// Gives instructions that compute the same thing from the same operands
    /// one result (pure instructions and built-in hints, with commutative
    /// operands normalised), and drops repeated constraints.
    ///
    /// Merging two built-in hints is sound: both are deterministic, so the
    /// honest witness is unchanged, and the constraints that pinned each copy
    /// now all pin the one value, which can only shrink the set of witnesses.
    public static let commonSubexpressionElimination = Pass(
        name: "cse",
        summary: "merge instructions with equal opcode and operands; drop repeated constraints"
    ) { source in
        let rewriter = ProgramRewriter(source)
        struct Key: Hashable {
            let opcode: Opcode
            let operands: [UInt32]
        }
        /// Most instructions have at most 4 operands: keep those keys inline (no allocation).
        struct SmallKey: Hashable {
            let opcode: Opcode
            let count: UInt8
            let a: UInt32, b: UInt32, c: UInt32, d: UInt32
        }
        var seen: [Key: Value] = [:]
        var seenSmall: [SmallKey: Value] = [:]
        seenSmall.reserveCapacity(source.instructionCount)
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
            var ops = rewriter.mappedOperands(i)
            switch opcode {
            case .add, .mul, .assertEqual:
                if ops[0] > ops[1] { ops.swapAt(0, 1) }
            case .dot:
                // Order each pair, then the pairs: a dot is a sum of commutative products.
                var pairs = stride(from: 0, to: ops.count, by: 2).map { (Swift.min(ops[$0], ops[$0 + 1]), Swift.max(ops[$0], ops[$0 + 1])) }
                pairs.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
                ops = pairs.flatMap { [$0.0, $0.1] }
            case .linear:
                var terms = stride(from: 1, to: ops.count, by: 2).map { (ops[$0], ops[$0 + 1]) }
                terms.sort { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
                ops = [ops[0]] + terms.flatMap { [$0.0, $0.1] }
            default:
                break
            }
            let small = ops.count <= 4
                ? SmallKey(opcode: opcode, count: UInt8(ops.count), a: ops.count > 0 ? ops[0] : 0, b: ops.count > 1 ? ops[1] : 0,
                           c: ops.count > 2 ? ops[2] : 0, d: ops.count > 3 ? ops[3] : 0)
                : nil
            let key = small == nil ? Key(opcode: opcode, operands: ops) : nil
            if let existing = small.map({ seenSmall[$0] }) ?? key.map({ seen[$0] }) ?? nil {
                // A repeated constraint is dropped; a repeated computation is aliased.
                for (k, v) in source.results(of: i).enumerated() { rewriter.alias(Value(index: v), to: Value(existing.id + UInt32(k))) }
                continue
            }
            // Copy with the (possibly reordered) operands: equal meaning, canonical form.
            let first = rewriter.copy(i)
            if let small { seenSmall[small] = first } else if let key { seen[key] = first }
        }
        return rewriter.finish()
    }
}
