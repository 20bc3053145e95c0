extension Pass {
    /// Removes instructions whose results nothing needs. Roots are the
    /// constraints, the inputs (the interface stays fixed) and the public
    /// outputs; everything they use, transitively, is kept.
    public static let deadCodeElimination = Pass(
        name: "dce",
        summary: "remove instructions whose results no constraint or output uses"
    ) { source in
        var live = [Bool](repeating: false, count: source.valueCount)
        var keep = [Bool](repeating: false, count: source.instructionCount)
        // One backward sweep suffices: every operand is defined before its use.
        for i in stride(from: source.instructionCount - 1, through: 0, by: -1) {
            let opcode = source.opcodes[i]
            let needed = opcode.isConstraint || opcode.isInterface || source.results(of: i).contains { live[$0] }
            guard needed else { continue }
            keep[i] = true
            source.forEachValueOperand(of: i) { live[$0.index] = true }
        }
        let rewriter = ProgramRewriter(source, tracksBounds: false)
        for i in 0..<source.instructionCount where keep[i] { rewriter.copy(i) }
        return rewriter.finish()
    }
}
