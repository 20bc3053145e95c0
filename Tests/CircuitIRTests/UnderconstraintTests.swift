import Field
import Testing
@testable import CircuitIR

@Suite struct UnderconstraintTests {
    /// Gadgets composed at random: no second witness for accepted inputs, and
    /// every hint reaches a constraint.
    @Test func randomGadgetCompositionsAreFullyConstrained() throws {
        var searched = 0
        for seed: UInt64 in 1...25 {
            let p = RandomProgram.make(seed: seed, steps: 30)
            #expect(UnderconstraintSearch.hintsReachingNoConstraint(p).isEmpty)
            for k in 0..<6 {
                let inputs = RandomProgram.inputs(seed: seed &* 31 &+ UInt64(k))
                guard (try? Evaluator(p).generate(inputs)) != nil else { continue }
                Harness.expectNoSecondWitness(p, inputs, trials: 40, seed: seed)
                searched += 1
                break
            }
        }
        #expect(searched >= 5)
    }

    @Test func syntheticModelIsFullyConstrained() throws {
        let mlp = SyntheticMLP(rows: 2, widths: [3, 2, 1])
        let p = try mlp.build()
        #expect(UnderconstraintSearch.hintsReachingNoConstraint(p).isEmpty)
        Harness.expectNoSecondWitness(p, mlp.inputs(), trials: 150)
    }

    @Test func aHintNobodyConstrainsIsFlagged() throws {
        let b = CircuitBuilder(name: "free")
        let x = try b.privateInput("x")
        let free = try b.hint(.inverseOrZero, [x], results: 1)[0]
        try b.publicOutput("y", b.add(free, x))
        let p = b.finish()
        #expect(UnderconstraintSearch.hintsReachingNoConstraint(p) == [1])
        let finding = try UnderconstraintSearch(p).search(WitnessInputs(private: [3]), trials: 20)
        #expect(finding != nil)
    }

    /// A subtler bug the search must also find: a comparison whose range check
    /// is one bit too wide admits the wrong answer for some inputs.
    @Test func searchFindsAnOffByOneComparison() throws {
        let b = CircuitBuilder(name: "off by one")
        let x = try b.privateInput("a", bits: 4), y = try b.privateInput("b", bits: 4)
        let lt = try b.hint(.lessThan, [x, y], results: 1)[0]
        try b.rangeCheck(lt, bits: 1)
        // Correct is k = 4 (|b − a| < 16); with 5 bits both answers pass when |b − a| is small.
        try b.rangeCheck(b.linear([(Int64(1), y), (Int64(-1), x), (Int64(-16), lt)], constant: 15), bits: 5)
        try b.publicOutput("lt", lt)
        let finding = try UnderconstraintSearch(b.finish()).search(WitnessInputs(private: [3, 9]), trials: 100)
        #expect(finding != nil)
    }
}
