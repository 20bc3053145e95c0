import Field

/// Random programs for property tests (the passes', the layout's): a mix of arithmetic chains,
/// sums of products, duplicates, dead code, constant subexpressions,
/// redundant and tight range checks, gadgets, lookups, Poseidon2 and matmul,
/// with constraints that hold for some inputs and fail for others.
public enum RandomProgram {
    public static let publicInputs = 2
    public static let privateInputs = 4

    public static func make(seed: UInt64, steps: Int = 50) -> Program {
        var rng = SplitMix64(seed: seed)
        func rand(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        let b = CircuitBuilder(name: "random\(seed)")
        var pool: [Value] = []
        var booleans: [Value] = []
        // INVARIANT: the interface calls below cannot fail (fresh names, valid widths).
        for k in 0..<publicInputs { pool.append(try! b.publicInput("p\(k)")) }
        for k in 0..<privateInputs { pool.append(try! b.privateInput("w\(k)")) }
        for (k, x) in pool.enumerated() { try! b.rangeCheck(x, bits: k < publicInputs ? 4 : 8) }
        let square = try! b.table(LookupTable.function(name: "sq_minus_3", domain: 0...8) { $0 * $0 - 3 })

        func pick() -> Value { pool[rand(pool.count)] }
        func small(_ v: Value) -> Bool { let i = b.bound(of: v); return !i.isFull && i.magnitudeBits <= 24 }
        func pickSmall() -> Value {
            for _ in 0..<8 { let v = pick(); if small(v) { return v } }
            return pool[publicInputs]
        }
        func keep(_ v: Value) { if small(v) { pool.append(v) } }

        for step in 0..<steps {
            b.withOrigin(Origin("step \(step)")) {
                do {
                    switch rand(20) {
                    case 0: keep(b.constant(rand(25) - 5))
                    case 1: keep(b.add(pickSmall(), pickSmall()))
                    case 2: keep(b.sub(pickSmall(), pickSmall()))
                    case 3: keep(b.mul(pickSmall(), pickSmall()))
                    case 4:
                        let terms = (0..<(1 + rand(4))).map { _ in (Int64(rand(7) - 3), pickSmall()) }
                        keep(b.linear(terms, constant: Int64(rand(9) - 4)))
                    case 5:
                        var acc = pickSmall()
                        for _ in 0..<(2 + rand(4)) { acc = rand(3) == 0 ? b.sub(acc, pickSmall()) : b.add(acc, pickSmall()) }
                        keep(acc)
                    case 6:
                        var acc = b.mul(pickSmall(), pickSmall())
                        for _ in 0..<(1 + rand(4)) { acc = b.add(acc, b.mul(pickSmall(), pickSmall())) }
                        if rand(2) == 0 { acc = b.linear([(Int64(1), acc), (Int64(1), b.mul(pickSmall(), pickSmall()))], constant: Int64(rand(3))) }
                        keep(acc)
                    case 7:
                        // Duplicates for CSE: the same sum three ways, asserted equal.
                        let (x, y) = (pickSmall(), pickSmall())
                        let s1 = b.add(x, y), s2 = b.add(y, x), s3 = b.linear([(Int64(1), x), (Int64(1), y)])
                        b.assertEqual(s1, s2)
                        b.assertEqual(s1, s3)
                        keep(s2)
                    case 8:
                        // Constant subexpressions and identities.
                        let c = b.add(b.constant(rand(5)), b.constant(rand(5)))
                        keep(b.add(b.mul(pickSmall(), b.constant(1)), b.mul(c, b.constant(0))))
                        keep(b.sub(pickSmall(), b.constant(0)))
                    case 9:
                        if rand(8) == 0 { b.assertEqual(pickSmall(), pickSmall()) }  // usually fails
                        else { let x = pickSmall(); b.assertEqual(b.add(x, b.constant(0)), x) }
                    case 10:
                        let x = pickSmall()
                        let bound = b.bound(of: x)
                        if bound.lo >= 0 {
                            let bits = CircuitBuilder.bitsFor(bound.hi) - (rand(6) == 0 ? 1 : 0)  // sometimes too tight
                            if bits >= 1 { try b.rangeCheck(x, bits: bits) }
                            if rand(2) == 0 { try b.rangeCheck(x, bits: bits + 3) }  // redundant: merged
                        } else {
                            try b.signedRangeCheck(x, bits: bound.magnitudeBits + 1)
                        }
                    case 11: booleans.append(try b.lessThan(pickSmall(), pickSmall()))
                    case 12:
                        if let c = booleans.randomElement(using: &rng) { keep(try b.select(c, pickSmall(), pickSmall())) }
                    case 13:
                        let (q, r) = try b.divRem(pickSmall(), byConstant: Int64(1 + rand(9)))
                        keep(q)
                        keep(r)
                        if rand(2) == 0 { try b.rangeCheck(r, bits: 4) }  // implied by r < 9
                    case 14: booleans.append(try b.isEqual(pickSmall(), pickSmall()))
                    case 15:
                        let (_, r) = try b.divRem(pickSmall(), byConstant: 9)
                        keep(try b.lookup(square, key: r))
                    case 16:
                        let state = (0..<12).map { _ in pick() }
                        let out = try b.poseidon2(state)
                        let again = try b.poseidon2(state)  // CSE
                        let lane = rand(12)
                        b.assertEqual(out[lane], again[rand(6) == 0 ? rand(12) : lane])  // fails unless the same lane
                        let constantOut = try b.poseidon2((0..<12).map { _ in b.constant(rand(3)) })  // folded
                        keep(b.add(out[0], b.sub(constantOut[1], constantOut[1])))
                    case 17:
                        let xs = (0..<4).map { _ in pickSmall() }, ws = (0..<4).map { _ in pickSmall() }
                        for v in try b.matmul(xs, ws, rows: 2, inner: 2, columns: 2) { keep(v) }
                    case 18:
                        keep(try b.dot((0..<3).map { _ in pickSmall() }, (0..<3).map { _ in pickSmall() }))
                    default:
                        booleans.append(try b.argmax((0..<3).map { _ in pickSmall() }).index)
                    }
                } catch {
                    // A gadget refused (e.g. a bound too wide): skip this step.
                }
            }
        }
        var outputs = (0..<4).map { _ in pool[rand(pool.count)] } + booleans.suffix(2)
        outputs.append(pool[pool.count - 1])
        for (k, v) in outputs.enumerated() { try! b.publicOutput("out\(k)", v) }
        return b.finish()
    }

    /// Inputs mostly in range, sometimes not.
    public static func inputs(seed: UInt64) -> WitnessInputs {
        var rng = SplitMix64(seed: seed)
        func value(_ bits: Int) -> Goldilocks {
            rng.next() % 40 == 0 ? Goldilocks(UInt64(1) << bits) : Goldilocks(rng.next() % (UInt64(1) << bits))
        }
        return WitnessInputs(public: (0..<publicInputs).map { _ in value(4) },
                             private: (0..<privateInputs).map { _ in value(8) })
    }

    /// What a program does on inputs: its outputs, or that it rejects them.
    public enum Outcome: Equatable {
        case accepted([Goldilocks])
        case rejected
    }

    public static func outcome(_ p: Program, _ inputs: WitnessInputs) -> Outcome {
        guard let w = try? Evaluator(p).generate(inputs) else { return .rejected }
        return .accepted(w.publicOutputs)
    }
}
