import Field
import Testing
@testable import CircuitIR

/// The lowering's own gadgets (`CircuitBuilder+Lowering.swift`): honest
/// results against plain Swift integer references, every tampered hint
/// rejected, no second witness, and out-of-domain inputs refused.
@Suite struct LoweringGadgetTests {
    /// A circuit with one private input x (range-checked to `bound`) and the
    /// gadget's result as the public output.
    static func circuit(bound: (Int64, Int64), _ gadget: (CircuitBuilder, Value) throws -> Value) throws -> CircuitProgram {
        let b = CircuitBuilder(name: "gadget")
        let x = try b.privateInput("x")
        try b.checkDomain(x, lower: bound.0, upper: bound.1)
        try b.publicOutput("y", gadget(b, x))
        return b.finish()
    }

    static func run(_ p: CircuitProgram, _ x: Int64) throws -> Int64 {
        try Evaluator(p).generate(WitnessInputs(private: [Goldilocks(signed: x)])).publicOutputs[0].signedValue
    }

    /// Registers rescale_clamp hints on demand.
    static func hints(_ b: CircuitBuilder) -> (Int, Int64, Int64) throws -> HintKind {
        var kinds: [String: HintKind] = [:]
        return { k, lo, hi in
            let name = LoweringHints.rescaleClampName(shift: k, lower: lo, upper: hi)
            if let kind = kinds[name] { return kind }
            let kind = try b.registerHint(name: name, LoweringHints.function(named: name)!)
            kinds[name] = kind
            return kind
        }
    }

    static let clampCases: [(Int64?, Int64?)] = [(-5, 7), (0, nil), (nil, 3), (-131071, 131071), (0, 131071), (2, 2), (-40, -20)]

    @Test(arguments: clampCases.indices)
    func clampMatchesMinMax(_ c: Int) throws {
        let (lo, hi) = Self.clampCases[c]
        let p = try Self.circuit(bound: (-300, 300)) { b, x in try b.clamp(x, lower: lo, upper: hi) }
        for x in Int64(-300)...300 {
            var expected = x
            if let lo { expected = max(expected, lo) }
            if let hi { expected = min(expected, hi) }
            #expect(try Self.run(p, x) == expected, "clamp(\(x), \(String(describing: lo)), \(String(describing: hi)))")
        }
        for x: Int64 in [-300, -41, -6, -5, 0, 1, 2, 3, 7, 8, 300] {
            Harness.expectEveryTamperingRejected(p, WitnessInputs(private: [Goldilocks(signed: x)]))
            Harness.expectNoSecondWitness(p, WitnessInputs(private: [Goldilocks(signed: x)]), trials: 60)
        }
    }

    static let rescaleCases: [(Int, Int64?, Int64?)] = [(3, -5, 7), (1, 0, nil), (4, nil, 2), (2, 0, 20), (5, -3, -1), (6, 1, 1)]

    @Test(arguments: rescaleCases.indices)
    func rescaleClampMatchesTheQuantizedSemantics(_ c: Int) throws {
        let (k, lo, hi) = Self.rescaleCases[c]
        let b = CircuitBuilder(name: "gadget")
        let x = try b.privateInput("x")
        try b.checkDomain(x, lower: -1000, upper: 1000)
        try b.publicOutput("y", b.rescaleClamp(x, shift: k, lower: lo, upper: hi, hintFor: Self.hints(b)))
        let p = b.finish()
        for x in Int64(-1000)...1000 {
            // The quantized model's rescale (round half up) then clamp.
            var expected = Rounding.nearestTiesUp.apply(x, shift: k)
            if let lo { expected = max(expected, lo) }
            if let hi { expected = min(expected, hi) }
            #expect(try Self.run(p, x) == expected, "rescale_clamp(\(x), \(k), \(String(describing: lo)), \(String(describing: hi)))")
        }
        for x: Int64 in [-1000, -99, -33, -4, -1, 0, 1, 3, 4, 5, 17, 64, 250, 1000] {
            Harness.expectEveryTamperingRejected(p, WitnessInputs(private: [Goldilocks(signed: x)]))
            Harness.expectNoSecondWitness(p, WitnessInputs(private: [Goldilocks(signed: x)]), trials: 60)
        }
    }

    /// A cheating prover choosing the clamp flags or the quotient freely is
    /// stopped, whatever the (small) alternative values.
    @Test func rescaleClampAdmitsOnlyTheHonestAdvice() throws {
        let b = CircuitBuilder(name: "gadget")
        let x = try b.privateInput("x")
        try b.checkDomain(x, lower: -200, upper: 200)
        try b.publicOutput("y", b.rescaleClamp(x, shift: 2, lower: -10, upper: 12, hintFor: Self.hints(b)))
        let p = b.finish()
        let hint = (0..<p.instructionCount).first { p.opcodes[$0] == .hint }!
        for x: Int64 in [-200, -43, -42, -41, -40, 0, 3, 46, 47, 48, 50, 200] {
            let inputs = WitnessInputs(private: [Goldilocks(signed: x)])
            let honest = try Evaluator(p).generate(inputs)
            var accepted = 0
            for y in Int64(-12)...14 {
                for r in Int64(-1)...4 {
                    for cLo in Int64(0)...1 {
                        for cHi in Int64(0)...1 {
                            let advice = [y, r, cLo, cHi].map { Goldilocks(signed: $0) }
                            if Harness.accepts(p, inputs, forcing: [hint: advice]) {
                                accepted += 1
                                #expect(y == honest.publicOutputs[0].signedValue, "x = \(x): advice \([y, r, cLo, cHi]) accepted")
                            }
                        }
                    }
                }
            }
            #expect(accepted == 1, "x = \(x): \(accepted) advices accepted")
        }
    }

    static let domains: [(Int64, Int64)] = [(0, 1), (18, 100), (-131071, 131071), (-65536, 65535), (-3, 3), (0, 16), (5, 5),
                                           (-(1 << 47), 1 << 47)]

    @Test(arguments: domains.indices)
    func domainChecksAreExact(_ d: Int) throws {
        let (lo, hi) = Self.domains[d]
        let b = CircuitBuilder(name: "domain")
        let x = try b.privateInput("x")
        try b.checkDomain(x, lower: lo, upper: hi)
        try b.publicOutput("x", x)
        let p = b.finish()
        // The proven bound is the domain (one more for widths 2^k − 2, whose top value is excluded by a non-equality).
        let width = hi - lo
        let oneMore = width > 0 && (width + 2) & (width + 1) == 0
        #expect(b.bound(of: x).isSubset(of: Interval(lo, oneMore ? hi + 1 : hi)), "the proven bound \(b.bound(of: x))")
        for v in [lo - 2, lo - 1, lo, lo + 1, (lo + hi) / 2, hi - 1, hi, hi + 1, hi + 2, Int64(1) << 40, -(Int64(1) << 40)] {
            let accepted = (try? Evaluator(p).generate(WitnessInputs(private: [Goldilocks(signed: v)]))) != nil
            #expect(accepted == (v >= lo && v <= hi), "\(v) in \(lo)...\(hi): accepted \(accepted)")
            if v >= lo && v <= hi { Harness.expectEveryTamperingRejected(p, WitnessInputs(private: [Goldilocks(signed: v)])) }
        }
    }

    @Test func widenedComparisonMatchesIntegers() throws {
        let b = CircuitBuilder(name: "less")
        let x = try b.privateInput("x"), y = try b.privateInput("y")
        try b.checkDomain(x, lower: -5000, upper: 5000)
        try b.checkDomain(y, lower: -70000, upper: 70000)
        try b.publicOutput("lt", b.less(x, y))
        try b.publicOutput("le", b.lessOrEqualWide(x, y))
        let p = b.finish()
        for (u, v): (Int64, Int64) in [(-5000, -70000), (0, 0), (5, 4), (4, 5), (5000, 70000), (-5000, -4999), (3, 3), (-1, 0)] {
            let inputs = WitnessInputs(private: [Goldilocks(signed: u), Goldilocks(signed: v)])
            let out = try Evaluator(p).generate(inputs).publicOutputs
            #expect(out == [u < v ? .one : .zero, u <= v ? .one : .zero], "\(u) vs \(v)")
            Harness.expectEveryTamperingRejected(p, inputs)
        }
    }

    @Test func absoluteValueAndItsBound() throws {
        let p = try Self.circuit(bound: (-500, 300)) { b, x in
            let y = try b.absolute(x)
            #expect(b.bound(of: y).lo >= 0 && b.bound(of: y).hi <= 512)
            return y
        }
        for x in Int64(-500)...300 { #expect(try Self.run(p, x) == abs(x)) }
        for x: Int64 in [-500, -1, 0, 1, 300] { Harness.expectEveryTamperingRejected(p, WitnessInputs(private: [Goldilocks(signed: x)])) }
    }

    @Test func guardedPositivityHoldsOnlyWhereTheGuardDoes() throws {
        let b = CircuitBuilder(name: "positive")
        let v = try b.privateInput("v"), g = try b.privateInput("g")
        try b.checkDomain(v, lower: 0, upper: 1000)
        try b.assertBoolean(g)
        try b.checkPositive(v, guard: g)
        let p = b.finish()
        for (value, guardValue, ok): (Int64, Int64, Bool) in [(0, 1, false), (1, 1, true), (0, 0, true), (1000, 1, true), (7, 0, true)] {
            let accepted = (try? Evaluator(p).generate(WitnessInputs(private: [Goldilocks(signed: value), Goldilocks(signed: guardValue)]))) != nil
            #expect(accepted == ok, "v = \(value), guard = \(guardValue)")
        }
    }

    @Test func divisionWithAKnownQuotientRange() throws {
        let b = CircuitBuilder(name: "divide")
        let a = try b.privateInput("a"), d = try b.privateInput("d")
        try b.checkDomain(a, lower: -1000, upper: 1000)
        try b.checkDomain(d, lower: 1, upper: 1000)
        let (q, r) = try b.divRem(a, by: d, quotientIn: Interval(-8, 8))
        try b.publicOutput("q", q)
        try b.publicOutput("r", r)
        let p = b.finish()
        for (x, y): (Int64, Int64) in [(-1000, 125), (999, 1000), (7, 1), (-7, 1), (-8, 1), (64, 8), (-1, 3)] {
            let inputs = WitnessInputs(private: [Goldilocks(signed: x), Goldilocks(signed: y)])
            let out = try Evaluator(p).generate(inputs).publicOutputs.map(\.signedValue)
            #expect(out == [Harness.floorDiv(x, y), x - Harness.floorDiv(x, y) * y])
            Harness.expectEveryTamperingRejected(p, inputs)
            Harness.expectNoSecondWitness(p, inputs, trials: 60)
        }
        // A quotient outside the declared range fails (the model's precondition).
        #expect(throws: WitnessError.self) { try Evaluator(p).generate(WitnessInputs(private: [Goldilocks(signed: 100), 1])) }
    }
}
