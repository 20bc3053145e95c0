import Field

extension Pass {
    /// Turns sums of products into `dot` instructions (the layout's wide
    /// multiply-accumulate gate): in an `add` or `linear`, operands that are
    /// products used only there (with coefficient 1) — `mul`s of two
    /// non-constant values, `dot`s, or sums already fused this way — become the
    /// pairs of one `dot`; remaining terms stay in a `linear` around it.
    /// Fuses only where at least two products meet, so it never adds instructions.
    public static let dotProductFusion = Pass(
        name: "dot-product-fusion",
        summary: "merge sums of products used once into one dot instruction"
    ) { source in
        var pass = DotProductFusion(source: source)
        // Nothing to fuse: the program as it is (a copy would cost a full rewrite).
        return pass.fuses.contains(true) ? pass.run() : source
    }
}

private struct DotProductFusion {
    let source: Program
    /// Created only when something fuses.
    lazy var rewriter = ProgramRewriter(source, tracksBounds: false)
    /// Source instruction i is absorbed into its only user.
    var absorbed: [Bool]
    /// Source instruction i (an add/linear) fuses the products among its operands.
    var fuses: [Bool]
    /// New-program pairs of each absorbed source value.
    var pairsOf: [UInt32: [(Value, Value)]] = [:]

    init(source: Program) {
        self.source = source
        let n = source.instructionCount
        var isConstant = [Bool](repeating: false, count: source.valueCount)
        var uses = [UInt32](repeating: 0, count: source.valueCount)
        for i in 0..<n {
            if source.opcodes[i] == .constant { isConstant[source.result(of: i).index] = true }
            source.forEachValueOperand(of: i) { uses[$0.index] += 1 }
        }
        // pairCount[v] > 0: v is a pure sum of that many products (a mul, a dot,
        // or a sum this pass turns into a dot).
        var pairCount = [Int](repeating: 0, count: source.valueCount)
        absorbed = [Bool](repeating: false, count: n)
        fuses = [Bool](repeating: false, count: n)
        var definer = [Int32](repeating: -1, count: source.valueCount)
        for i in 0..<n {
            let ops = source.operands(of: i)
            let o = ops.startIndex
            for v in source.results(of: i) { definer[v] = Int32(i) }
            switch source.opcodes[i] {
            case .mul where !isConstant[Int(ops[o])] && !isConstant[Int(ops[o + 1])]:
                pairCount[source.result(of: i).index] = 1
            case .dot:
                pairCount[source.result(of: i).index] = ops.count / 2
            case .add, .linear:
                // Operands (with coefficient 1) that are single-use products.
                var candidates: [Int] = []
                var residual = false
                if source.opcodes[i] == .add {
                    for v in [ops[o], ops[o + 1]] {
                        if pairCount[Int(v)] > 0, uses[Int(v)] == 1 { candidates.append(Int(v)) } else { residual = true }
                    }
                    if ops[o] == ops[o + 1] { candidates = []; residual = true }
                } else {
                    residual = !source.constants[Int(ops[o])].isZero
                    var seen = Set<Int>()
                    for j in stride(from: o + 1, to: ops.endIndex, by: 2) {
                        let v = Int(ops[j + 1])
                        if source.constants[Int(ops[j])] == .one, pairCount[v] > 0, uses[v] == 1, seen.insert(v).inserted {
                            candidates.append(v)
                        } else {
                            residual = true
                        }
                    }
                }
                let total = candidates.reduce(0) { $0 + pairCount[$1] }
                guard total >= 2 else { continue }
                fuses[i] = true
                for v in candidates { absorbed[Int(definer[v])] = true }
                if !residual { pairCount[source.result(of: i).index] = total }
            default:
                break
            }
        }
    }

    mutating func run() -> Program {
        let rewriter = self.rewriter
        for i in 0..<source.instructionCount {
            let ins = source.instruction(i)
            if absorbed[i] {
                // Record this product's pairs for its user; emit nothing.
                let r = source.result(of: i)
                switch ins.opcode {
                case .mul, .dot:
                    pairsOf[r.id] = stride(from: 0, to: ins.operands.count, by: 2).map {
                        (rewriter.mapped(ins.value($0)), rewriter.mapped(ins.value($0 + 1)))
                    }
                default:
                    // A fused pure sum: its pairs are its absorbed operands' pairs.
                    pairsOf[r.id] = fusedPairs(ins).pairs
                }
                continue
            }
            guard fuses[i] else { rewriter.copy(i); continue }
            let (pairs, rest, c0) = fusedPairs(ins)
            rewriter.withOrigin(of: i) {
                let b = rewriter.builder
                // INVARIANT: a fusing instruction has at least two pairs.
                let dot = try! b.dot(pairs.map(\.0), pairs.map(\.1))
                let r = source.result(of: i)
                rewriter.alias(r, to: rest.isEmpty && c0.isZero ? dot : b.linear(rest + [(.one, dot)], constant: c0))
            }
        }
        return rewriter.finish()
    }

    /// The pairs of the absorbed operands of a fusing add/linear, and its other terms.
    mutating func fusedPairs(_ ins: Instruction) -> (pairs: [(Value, Value)], rest: [(Goldilocks, Value)], c0: Goldilocks) {
        var pairs: [(Value, Value)] = []
        var rest: [(Goldilocks, Value)] = []
        var c0 = Goldilocks.zero
        func take(_ c: Goldilocks, _ v: Value) {
            if c == .one, let p = pairsOf.removeValue(forKey: v.id) {
                pairs.append(contentsOf: p)
            } else {
                rest.append((c, rewriter.mapped(v)))
            }
        }
        if ins.opcode == .add {
            take(.one, ins.value(0))
            take(.one, ins.value(1))
        } else {
            c0 = source.constants[Int(ins[0])]
            for j in stride(from: 1, to: ins.operands.count, by: 2) { take(source.constants[Int(ins[j])], ins.value(j + 1)) }
        }
        return (pairs, rest, c0)
    }
}
