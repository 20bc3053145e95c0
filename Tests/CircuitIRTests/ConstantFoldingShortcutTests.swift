import Field
import Testing
@testable import CircuitIR

/// Constant folding returns a program unchanged when its scan finds nothing
/// to fold; the builder folds zero coefficients and constant terms of a
/// linear combination as it emits it.
@Suite struct ConstantFoldingShortcutTests {
    static func foldFully(_ p: Program) -> Program {
        var pass = ConstantFolding(source: p)
        return pass.run()
    }

    /// Skipping is lossless: whenever the scan says there is no work, the
    /// whole pass would have produced the same bytes. Checked on random
    /// programs and on their folded forms, where both answers occur.
    @Test func theScanOnlySkipsProgramsThePassWouldNotChange() {
        var skipped = 0, folded = 0, changed = 0
        for seed in UInt64(1) ... 60 {
            let p = RandomProgram.make(seed: seed)
            for program in [p, Self.foldFully(p)] {
                let full = Self.foldFully(program)
                if ConstantFolding.hasWork(program) {
                    folded += 1
                    if full.serialized() != program.serialized() { changed += 1 }
                } else {
                    // Most random programs keep some work after one folding
                    // (constraints that fail on constants stay), so few land here.
                    skipped += 1
                    // Compared as booleans: a failure would otherwise print both programs' bytes.
                    let unchanged = full.serialized() == program.serialized()
                    #expect(unchanged, "seed \(seed): the scan missed work")
                    let returned = Pass.constantFolding.run(program).serialized() == program.serialized()
                    #expect(returned)
                }
            }
        }
        #expect(skipped >= 3 && changed > 30, "skipped \(skipped), folded \(folded) (changed \(changed))")
    }

    @Test func theBuilderFoldsZeroCoefficientsAndConstantTerms() throws {
        let b = CircuitBuilder(name: "linear")
        let x = try b.privateInput("x"), y = try b.privateInput("y")
        let five = b.constant(5)
        let v = b.linear([(Goldilocks(0), x), (Goldilocks(3), five), (Goldilocks(2), y)], constant: .one)
        let onlyConstants = b.linear([(Goldilocks(4), five), (Goldilocks(0), x)], constant: Goldilocks(2))
        try b.publicOutput("v", v)
        try b.publicOutput("c", onlyConstants)
        let p = b.finish()
        #expect(b.constantValue(of: onlyConstants) == Goldilocks(22))
        let linears = (0 ..< p.instructionCount).filter { p.opcodes[$0] == .linear }
        #expect(linears.count == 1)
        let ins = p.instruction(try #require(linears.first))
        // 16 + 2·y: the constant 1 + 3·5, one term.
        #expect(ins.operands.count == 3)
        #expect(p.constants[Int(ins[0])] == Goldilocks(16) && p.constants[Int(ins[1])] == Goldilocks(2) && ins.value(2) == y)
        let out = try Evaluator(p).generate(WitnessInputs(private: [Goldilocks(7), Goldilocks(10)]))
        #expect(out.values[v.index] == Goldilocks(36))
    }
}
