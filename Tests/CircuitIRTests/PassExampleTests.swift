import Field
import Testing
@testable import CircuitIR

/// What each pass does to a small program, as text (the body after the header).
@Suite struct PassExampleTests {
    static func body(_ p: Program) -> String {
        p.text().components(separatedBy: "\n\n").last!
    }

    @Test func constantFolding() throws {
        let b = CircuitBuilder(name: "fold")
        let x = try b.privateInput("x")
        let five = b.add(b.constant(2), b.constant(3))
        let y = b.add(b.mul(x, b.constant(1)), b.mul(five, b.constant(0)))
        let z = b.linear([(Int64(2), x), (Int64(3), five), (Int64(-2), x), (Int64(1), y)])
        b.assertEqual(five, b.constant(5))           // holds: dropped
        try b.rangeCheck(five, bits: 3)              // holds: dropped
        try b.rangeCheck(five, bits: 2)              // fails: kept
        try b.publicOutput("z", z)
        let folded = Pass.constantFolding.run(b.finish())
        #expect(Self.body(folded) == """
            %0 = private_input "x"
            %1 = const 2
            %2 = const 3
            %3 = const 5
            %4 = const 1
            %5 = const 0
            %6 = linear 15 + %0
            range_check %3, 2
            public_output "z", %6

            """)
    }

    /// A `linear` with no terms (valid, though the builder never emits one)
    /// folds to its constant.
    @Test func aLinearWithoutTermsFoldsToItsConstant() throws {
        let b = CircuitBuilder(name: "bare")
        let seven = b.constantIndex(Goldilocks(7))
        let bare = b.emitRaw(.linear, [seven], results: 1, origin: b.currentOrigin)
        try b.publicOutput("c", bare)
        let program = b.finish()
        try program.validate()
        let folded = Pass.constantFolding.run(program)
        #expect(!folded.opcodes.contains(.linear))
        #expect(Self.body(folded).contains("const 7"))
    }

    /// CSE's table finds every earlier equal instruction, also when many
    /// instructions share a hash bucket region (thousands of distinct adds).
    @Test func commonSubexpressionsAtScale() throws {
        let b = CircuitBuilder(name: "many")
        let xs = try (0 ..< 64).map { try b.privateInput("x\($0)") }
        var sums: [Value] = []
        for i in 0 ..< 64 { for j in 0 ..< 64 { sums.append(b.add(xs[i], xs[j])) } }
        try b.publicOutput("s", b.linear(sums.map { (Int64(1), $0) }))
        let p = Pass.commonSubexpressionElimination.run(b.finish())
        // x_i + x_j and x_j + x_i are one instruction: 64·65/2 distinct sums.
        #expect(p.opcodes.filter { $0 == .add }.count == 64 * 65 / 2)
    }

    @Test func commonSubexpressions() throws {
        let b = CircuitBuilder(name: "cse")
        let x = try b.privateInput("x"), y = try b.privateInput("y", bits: 8)
        let s1 = b.add(x, y), s2 = b.add(y, x)
        let q1 = try b.hint(.divRem, [y, b.constant(3)], results: 2)
        let q2 = try b.hint(.divRem, [y, b.constant(3)], results: 2)
        b.assertEqual(s1, s2)
        b.assertEqual(s2, s1)
        try b.publicOutput("q", b.add(q1[0], q2[0]))
        let p = Pass.commonSubexpressionElimination.run(b.finish())
        #expect(Self.body(p) == """
            %0 = private_input "x"
            %1 = private_input "y"
            range_check %1, 8
            %2 = add %0, %1
            %3 = const 3
            %4, %5 = hint divrem(%1, %3)
            assert_eq %2, %2
            %6 = add %4, %4
            public_output "q", %6

            """)
        // Folding then drops the trivial assertion.
        #expect(!Pass.constantFolding.run(p).opcodes.contains(.assertEqual))
    }

    @Test func deadCode() throws {
        let b = CircuitBuilder(name: "dce")
        let x = try b.privateInput("x"), unused = try b.publicInput("unused")
        _ = b.mul(x, x)                              // dead
        let h = try b.hint(.lessThan, [x, unused], results: 1)[0]  // kept: constrained
        try b.rangeCheck(h, bits: 1)
        try b.publicOutput("x", b.add(x, b.constant(1)))
        let p = Pass.deadCodeElimination.run(b.finish())
        #expect(Self.body(p) == """
            %0 = private_input "x"
            %1 = public_input "unused"
            %2 = hint less_than(%0, %1)
            range_check %2, 1
            %3 = const 1
            %4 = add %0, %3
            public_output "x", %4

            """)
    }

    @Test func linearFusion() throws {
        let b = CircuitBuilder(name: "linear")
        let xs = try (0..<4).map { try b.privateInput("x\($0)") }
        let two = b.constant(2)
        let chain = b.sub(b.add(b.add(xs[0], xs[1]), b.mul(two, xs[2])), xs[3])
        let shared = b.add(xs[0], xs[1])             // used twice: not fused
        try b.publicOutput("a", b.linear([(Int64(3), chain)], constant: 1))
        try b.publicOutput("b", b.add(shared, shared))
        let p = PassPipeline([.linearFusion, .deadCodeElimination]).run(b.finish()).0
        #expect(Self.body(p) == """
            %0 = private_input "x0"
            %1 = private_input "x1"
            %2 = private_input "x2"
            %3 = private_input "x3"
            %4 = add %0, %1
            %5 = linear 1 + 3*%0 + 3*%1 + 6*%2 - 3*%3
            public_output "a", %5
            %6 = add %4, %4
            public_output "b", %6

            """)
    }

    @Test func dotProductFusion() throws {
        let b = CircuitBuilder(name: "dot")
        let xs = try (0..<3).map { try b.privateInput("x\($0)") }
        let ws = try (0..<3).map { try b.privateInput("w\($0)") }
        var acc = b.mul(xs[0], ws[0])
        for k in 1..<3 { acc = b.add(acc, b.mul(xs[k], ws[k])) }
        let withBias = b.linear([(Int64(1), b.mul(xs[0], xs[1])), (Int64(1), b.mul(ws[0], ws[1])), (Int64(5), xs[2])], constant: 7)
        try b.publicOutput("acc", acc)
        try b.publicOutput("bias", withBias)
        let p = b.finish()
        let fused = Pass.dotProductFusion.run(p)
        #expect(Self.body(fused) == """
            %0 = private_input "x0"
            %1 = private_input "x1"
            %2 = private_input "x2"
            %3 = private_input "w0"
            %4 = private_input "w1"
            %5 = private_input "w2"
            %6 = dot %0*%3 + %1*%4 + %2*%5
            %7 = dot %0*%1 + %3*%4
            %8 = linear 7 + 5*%2 + %7
            public_output "acc", %6
            public_output "bias", %8

            """)
        let inputs = WitnessInputs(private: [2, 3, 5, 7, 11, 13])
        let expected: [Goldilocks] = [Goldilocks(2 * 7 + 3 * 11 + 5 * 13), Goldilocks(7 + 25 + 6 + 77)]
        #expect(try Evaluator(fused).generate(inputs).publicOutputs == expected)
    }

    @Test func rangeCheckMerging() throws {
        let b = CircuitBuilder(name: "ranges")
        let x = try b.privateInput("x"), y = try b.privateInput("y")
        try b.rangeCheck(x, bits: 12)
        try b.rangeCheck(x, bits: 8)                 // tightest: kept
        try b.rangeCheck(x, bits: 8)                 // repeated: dropped
        try b.rangeCheck(y, bits: 8)
        let s = b.add(x, y)
        try b.rangeCheck(s, bits: 9)                 // implied by x, y < 2^8: dropped
        try b.rangeCheck(s, bits: 10)                // looser: dropped
        let d = b.sub(x, y)
        try b.rangeCheck(d, bits: 8)                 // not implied (x − y may be negative): kept
        try b.publicOutput("s", s)
        let p = Pass.rangeCheckMerging.run(b.finish())
        #expect(Self.body(p) == """
            %0 = private_input "x"
            %1 = private_input "y"
            range_check %0, 8
            range_check %1, 8
            %2 = add %0, %1
            %3 = sub %0, %1
            range_check %3, 8
            public_output "s", %2

            """)
    }

    @Test func passesAreFoundByName() {
        for pass in PassPipeline.all { #expect(PassPipeline.pass(named: pass.name)?.name == pass.name) }
        #expect(Set(PassPipeline.all.map(\.name)).count == PassPipeline.all.count)
        #expect(PassPipeline.pass(named: "nope") == nil)
    }
}
