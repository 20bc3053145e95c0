import Field
import Testing
@testable import CircuitIR

@Suite struct BoundTests {
    @Test func intervalArithmeticDetectsWrap() {
        let byte = Interval.bits(8)
        #expect(byte + byte == Interval(0, 510))
        #expect(byte - byte == Interval(-255, 255))
        #expect(byte * Interval(-2, 3) == Interval(-510, 765))
        let big = Interval.bits(40)
        #expect((big * big).isFull)  // 2^80 > p
        #expect(!(Interval.bits(31) * Interval.bits(31)).isFull)
        #expect((Interval(Goldilocks.halfModulus - 1, Goldilocks.halfModulus - 1) + Interval(2, 2)).isFull)
        #expect(Interval.constant(-Goldilocks.one) == Interval(-1, -1))
        #expect(Interval.bits(8).intersection(Interval(300, 400)) == nil)
    }

    /// Why refusing matters: with two 40-bit factors the field product is
    /// not the integer product, so a comparison of it would prove a falsehood.
    @Test func wrapAroundIsCaught() throws {
        let x: Int64 = (1 << 40) - 1, y: Int64 = (1 << 40) - 3
        let fieldProduct = Goldilocks(signed: x) * Goldilocks(signed: y)
        // The exact product is about 2^80; modulo p it is a small-looking number.
        #expect(fieldProduct.signedValue != x &* y)

        let b = CircuitBuilder(name: "wrap")
        let a = try b.privateInput("a", bits: 40), c = try b.privateInput("c", bits: 40)
        let product = b.mul(a, c)
        #expect(b.bound(of: product).isFull)
        let threshold = b.constant(1000)
        #expect { try b.lessThan(product, threshold) } throws: { ($0 as? CircuitError)?.kind == .mayWrap }
        #expect { try b.checkedMul(a, c) } throws: { ($0 as? CircuitError)?.kind == .mayWrap }
        // With 31-bit factors the product is exact and the comparison is allowed.
        let d = try b.privateInput("d", bits: 31), e = try b.privateInput("e", bits: 31)
        #expect(throws: Never.self) { try b.lessThan(b.checkedMul(d, e), threshold) }
    }

    @Test func boundsFollowConstraintsAndBackPropagate() throws {
        let b = CircuitBuilder(name: "bounds")
        let x = try b.privateInput("x")
        #expect(b.bound(of: x).isFull)
        try b.signedRangeCheck(x, bits: 8)  // range check of x + 128
        #expect(b.bound(of: x) == Interval(-128, 127))
        let y = try b.privateInput("y")
        try b.rangeCheck(b.linear([(Int64(-1), y)], constant: 10), bits: 4)  // 0 ≤ 10 − y < 16
        #expect(b.bound(of: y) == Interval(-5, 10))
        let s = b.add(x, y)
        #expect(b.bound(of: s) == Interval(-133, 137))
        let t = try b.table(LookupTable.function(name: "sq", domain: -3...3) { $0 * $0 })
        let z = try b.privateInput("z")
        let sq = try b.lookup(t, key: z)
        #expect(b.bound(of: z) == Interval(-3, 3))
        #expect(b.bound(of: sq) == Interval(0, 9))
        try b.publicOutput("s", s)
        // The finished program's analysis is at least as tight as the builder.
        let p = b.finish()
        let analysis = BoundAnalysis(p)
        for v in 0..<p.valueCount {
            #expect(analysis.bounds[v].isSubset(of: b.bound(of: Value(index: v))))
        }
    }

    /// A fact stated after a value's use still bounds it in the analysis.
    @Test func analysisSeesLaterConstraints() throws {
        let b = CircuitBuilder(name: "late")
        let x = try b.privateInput("x")
        let double = b.add(x, x)
        try b.rangeCheck(x, bits: 8)
        #expect(b.bound(of: double).isFull)  // the builder only sees facts in order
        #expect(BoundAnalysis(b.finish())[double] == Interval(0, 510))
    }
}

@Suite struct BoundSoundnessTests {
    /// On random programs, every value of every accepted witness lies in its
    /// proven bound — before and after optimisation and lowering — and the
    /// builder's bounds are never tighter than the analysis.
    @Test func witnessesRespectProvenBounds() throws {
        var checked = 0
        for seed: UInt64 in 1...40 {
            let p = RandomProgram.make(seed: seed)
            let variants = [p, PassPipeline.optimisation.run(p).0,
                            PassPipeline(PassPipeline.optimisation.passes + [.expandRangeChecks, .expandMatmul]).run(p).0]
            for q in variants {
                let bounds = BoundAnalysis(q)
                for k in 0..<6 {
                    guard let w = try? Evaluator(q).generate(RandomProgram.inputs(seed: seed &* 131 &+ UInt64(k))) else { continue }
                    for v in 0..<q.valueCount where !bounds.bounds[v].contains(w.values[v]) {
                        Issue.record("program \(seed): %\(v) = \(w.values[v].signedValue) outside \(bounds.bounds[v])")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }
}
