extension Program {
    /// Checks the structural invariants every consumer relies on: operand
    /// layouts and counts per opcode, operands naming earlier values (SSA),
    /// pool and table indices in range, result counts, bit widths, unique
    /// input and output names, and origins that exist. Throws `malformed`
    /// naming the first offending instruction.
    public func validate() throws {
        func fail(_ i: Int?, _ message: String) -> CircuitError {
            CircuitError(.malformed, (i.map { "instruction \($0): " } ?? "") + message)
        }
        let n = instructionCount
        guard operandStart.count == n + 1, resultStart.count == n + 1, origins.count == n,
              operandStart.first == 0, resultStart.first == 0, Int(operandStart[n]) == operands.count else {
            throw fail(nil, "inconsistent instruction arrays")
        }
        for i in 0..<n where operandStart[i] > operandStart[i + 1] || resultStart[i] > resultStart[i + 1] {
            throw fail(i, "decreasing offsets")
        }
        for (k, entry) in originTable.entries.enumerated().dropFirst() where Int(entry.parent.raw) >= k {
            throw fail(nil, "origin !\(k) has a parent that is not earlier")
        }
        var tableNames = Set<String>()
        for t in tables {
            guard tableNames.insert(t.name).inserted else { throw fail(nil, "two tables are named \(t.name)") }
            guard t.name != LookupTable.range16.name || t == .range16 else { throw fail(nil, "the table range16 is not the 16-bit range") }
        }
        var inputNames = Set<String>(), outputNames = Set<String>()
        for i in 0..<n {
            guard Int(origins[i].raw) < originTable.entries.count else { throw fail(i, "unknown origin") }
            let ops = operands(of: i)
            let o = ops.startIndex
            let count = ops.count
            let results = results(of: i).count
            let firstResult = resultStart[i]
            func expect(_ condition: Bool, _ message: String) throws { if !condition { throw fail(i, message) } }
            func constantIndex(_ j: Int) throws { try expect(Int(ops[o + j]) < constants.count, "constant index out of range") }
            func stringIndex(_ j: Int) throws { try expect(Int(ops[o + j]) < strings.count, "string index out of range") }
            switch opcodes[i] {
            case .constant:
                try expect(count == 1 && results == 1, "const takes 1 operand and has 1 result")
                try constantIndex(0)
            case .publicInput, .privateInput:
                try expect(count == 1 && results == 1, "an input takes a name and has 1 result")
                try stringIndex(0)
                try expect(inputNames.insert(strings[Int(ops[o])]).inserted, "input name \(strings[Int(ops[o])]) repeats")
            case .add, .sub, .mul:
                try expect(count == 2 && results == 1, "binary operation shape")
            case .linear:
                try expect(count % 2 == 1 && results == 1, "linear shape")
                try constantIndex(0)
                for j in stride(from: 1, to: count, by: 2) { try constantIndex(j) }
            case .dot:
                try expect(count >= 2 && count % 2 == 0 && results == 1, "dot shape")
            case .hint:
                try expect(count >= 3 && Int(ops[o + 2]) == results && results >= 1, "hint result count")
                guard let kind = HintKind(tag: ops[o], parameter: ops[o + 1]) else { throw fail(i, "unknown hint kind") }
                if let problem = kind.shapeError(inputs: count - 3, results: results, tables: tables, customHints: customHints.count) {
                    throw fail(i, problem)
                }
            case .poseidon2:
                try expect(count == Poseidon2.width && results == Poseidon2.width, "poseidon2 shape")
            case .matmul:
                try expect(count >= 3, "matmul shape")
                let (r, k, m) = (Int(ops[o]), Int(ops[o + 1]), Int(ops[o + 2]))
                try expect(r >= 1 && k >= 1 && m >= 1 && r <= 1 << 20 && k <= 1 << 20 && m <= 1 << 20 && r * m <= 1 << 26,
                           "matmul dimensions")
                try expect(count == 3 + r * k + k * m && results == r * m, "matmul operand or result count")
            case .assertEqual:
                try expect(count == 2 && results == 0, "assert_eq shape")
            case .rangeCheck:
                try expect(count == 2 && results == 0 && (1...63).contains(ops[o + 1]), "range_check shape or bits")
            case .lookup:
                try expect(count >= 2 && results == 0, "lookup shape")
                try expect(Int(ops[o]) < tables.count, "lookup into a missing table")
                try expect(count - 1 == tables[Int(ops[o])].width, "lookup tuple width")
            case .publicOutput:
                try expect(count == 2 && results == 0, "public_output shape")
                try stringIndex(0)
                try expect(outputNames.insert(strings[Int(ops[o])]).inserted, "output name \(strings[Int(ops[o])]) repeats")
            }
            for position in Program.valueOperandPositions(opcodes[i], operandCount: count) {
                try expect(ops[o + position] < firstResult, "operand %\(ops[o + position]) is not defined before its use")
            }
        }
    }
}
