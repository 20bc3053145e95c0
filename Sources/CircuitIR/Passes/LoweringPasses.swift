extension Pass {
    /// Rewrites every `range_check` into lookups into the 16-bit table
    /// (`CircuitBuilder.rangeCheckByLimbs`), the only range mechanism the layout
    /// needs. Run after the optimiser (which reasons about `range_check`s).
    public static let expandRangeChecks = Pass(
        name: "expand-range-checks",
        summary: "rewrite range checks into 16-bit limb lookups"
    ) { source in
        let rewriter = ProgramRewriter(source)
        for i in 0..<source.instructionCount {
            guard source.opcodes[i] == .rangeCheck else { rewriter.copy(i); continue }
            let ops = source.operands(of: i)
            let x = rewriter.mapped(Value(ops[ops.startIndex]))
            rewriter.withOrigin(of: i) {
                // INVARIANT: a valid program's range checks have 1…63 bits.
                try! rewriter.builder.rangeCheckByLimbs(x, bits: Int(ops[ops.startIndex + 1]))
            }
        }
        return rewriter.finish()
    }

    /// Rewrites every `matmul` into one `dot` per output entry: the scalar
    /// expansion (n·m dots of k pairs), for layouts without a Freivalds check
    /// and to test the instruction's meaning.
    public static let expandMatmul = Pass(
        name: "expand-matmul",
        summary: "rewrite matmul into one dot per output entry"
    ) { source in
        let rewriter = ProgramRewriter(source)
        for i in 0..<source.instructionCount {
            guard source.opcodes[i] == .matmul else { rewriter.copy(i); continue }
            let ins = source.instruction(i)
            let n = Int(ins[0]), k = Int(ins[1]), m = Int(ins[2])
            rewriter.withOrigin(of: i) {
                for row in 0..<n {
                    for col in 0..<m {
                        let xs = (0..<k).map { rewriter.mapped(ins.value(3 + row * k + $0)) }
                        let ws = (0..<k).map { rewriter.mapped(ins.value(3 + n * k + $0 * m + col)) }
                        // INVARIANT: k ≥ 1 in a valid program.
                        let dot = try! rewriter.builder.dot(xs, ws)
                        rewriter.alias(Value(index: ins.results.lowerBound + row * m + col), to: dot)
                    }
                }
            }
        }
        return rewriter.finish()
    }

    /// Rewrites every `poseidon2` into its arithmetic expansion
    /// (`CircuitBuilder.poseidon2Arithmetic`), for layouts without a Poseidon2 gate.
    public static let expandPoseidon2 = Pass(
        name: "expand-poseidon2",
        summary: "rewrite the Poseidon2 permutation into multiplications and linear combinations"
    ) { source in
        let rewriter = ProgramRewriter(source)
        for i in 0..<source.instructionCount {
            guard source.opcodes[i] == .poseidon2 else { rewriter.copy(i); continue }
            let ins = source.instruction(i)
            rewriter.withOrigin(of: i) {
                // INVARIANT: a valid poseidon2 instruction has 12 operands.
                let out = try! rewriter.builder.poseidon2Arithmetic(ins.valueOperands.map(rewriter.mapped))
                for (k, v) in ins.results.enumerated() { rewriter.alias(Value(index: v), to: out[k]) }
            }
        }
        return rewriter.finish()
    }
}
