import Field

extension Pass {
    /// Evaluates instructions whose operands are constants, simplifies
    /// identities (x + 0, x·1, x·0, x − x, linear terms on constants or with
    /// zero coefficients, duplicate terms), and drops constraints that hold on
    /// constants. A constraint that fails on constants is kept, so the
    /// program still rejects every witness.
    public static let constantFolding = Pass(
        name: "constant-folding",
        summary: "evaluate constant instructions, simplify identities, drop constraints that hold on constants"
    ) { source in
        // Lowering emits through the builder, which folds as it goes: most
        // programs have nothing left to fold, and copying every instruction
        // to find that out took half a second for the credit audit.
        guard ConstantFolding.hasWork(source) else { return source }
        var pass = ConstantFolding(source: source)
        return pass.run()
    }
}

struct ConstantFolding {
    let source: Program
    let rewriter: ProgramRewriter
    var b: CircuitBuilder { rewriter.builder }
    var tableIndexes: [Int: TableIndex] = [:]

    init(source: Program) {
        self.source = source
        // Reads only `constantValue(of:)`, which needs no bounds.
        rewriter = ProgramRewriter(source, tracksBounds: false)
    }

    mutating func run() -> Program {
        for i in 0..<source.instructionCount { fold(i) }
        return rewriter.finish()
    }

    /// Whether `fold` could change anything in `program`: a conservative
    /// test over the program itself. While nothing has changed the rewriter
    /// maps every value to itself, so each case of `fold` that does not copy
    /// its instruction needs one of the conditions checked here.
    static func hasWork(_ program: Program) -> Bool {
        var isConstant = [Bool](repeating: false, count: program.valueCount)
        for i in 0..<program.instructionCount where program.opcodes[i] == .constant {
            for v in program.results(of: i) { isConstant[v] = true }
        }
        for i in 0..<program.instructionCount {
            let opcode = program.opcodes[i]
            let ins = program.instruction(i)
            func constant(_ j: Int) -> Bool { isConstant[Int(ins[j])] }
            switch opcode {
            case .add, .mul, .sub:
                if constant(0) || constant(1) || ins[0] == ins[1] { return true }
            case .assertEqual:
                if ins[0] == ins[1] || (constant(0) && constant(1)) { return true }
            case .linear:
                if linearNeedsFolding(ins, constants: program.constants, isConstant: constant, mapped: { $0 }) { return true }
            case .dot, .rangeCheck:
                if Program.valueOperandPositions(opcode, operandCount: ins.operands.count).contains(where: constant) { return true }
            case .poseidon2, .matmul:
                if Program.valueOperandPositions(opcode, operandCount: ins.operands.count).allSatisfy(constant) { return true }
            case .lookup:
                if (1..<ins.operands.count).allSatisfy(constant) { return true }
            case .constant, .publicInput, .privateInput, .hint, .publicOutput:
                break
            }
        }
        return false
    }

    func constant(_ v: UInt32) -> Goldilocks? { b.constantValue(of: rewriter.mapped(Value(v))) }

    mutating func fold(_ i: Int) {
        let ins = source.instruction(i)
        let r = ins.results.isEmpty ? nil : Value(index: ins.results.lowerBound)
        func replace(_ v: Value) { rewriter.alias(r!, to: v) }
        func replace(constant c: Goldilocks) { rewriter.withOrigin(of: i) { replace(b.constant(c)) } }
        switch ins.opcode {
        case .add, .sub, .mul:
            let x = rewriter.mapped(ins.value(0)), y = rewriter.mapped(ins.value(1))
            let cx = constant(ins[0]), cy = constant(ins[1])
            switch (ins.opcode, cx, cy) {
            case (.add, let a?, let c?): replace(constant: a + c)
            case (.sub, let a?, let c?): replace(constant: a - c)
            case (.mul, let a?, let c?): replace(constant: a * c)
            case (.add, .zero?, _): replace(y)
            case (.add, _, .zero?), (.sub, _, .zero?): replace(x)
            case (.sub, _, _) where x == y: replace(constant: .zero)
            case (.mul, .zero?, _), (.mul, _, .zero?): replace(constant: .zero)
            case (.mul, .one?, _): replace(y)
            case (.mul, _, .one?): replace(x)
            default: rewriter.copy(i)
            }
        case .linear:
            // Most linear combinations are already folded: check that without allocating.
            guard Self.linearNeedsFolding(ins, constants: source.constants, isConstant: { constant(ins[$0]) != nil },
                                          mapped: rewriter.mapped) else { rewriter.copy(i); return }
            var c0 = source.constants[Int(ins[0])]
            var terms: [(Goldilocks, Value)] = []
            var position: [Value: Int] = [:]
            var changed = false
            for j in stride(from: 1, to: ins.operands.count, by: 2) {
                let c = source.constants[Int(ins[j])]
                if let k = constant(ins[j + 1]) {
                    c0 += c * k
                    changed = true
                    continue
                }
                let x = rewriter.mapped(ins.value(j + 1))
                if let at = position[x] {
                    terms[at].0 += c
                    changed = true
                } else {
                    position[x] = terms.count
                    terms.append((c, x))
                }
            }
            let kept = terms.filter { !$0.0.isZero }
            if kept.count != terms.count { changed = true }
            if kept.isEmpty {
                replace(constant: c0)
            } else if kept.count == 1, c0.isZero, kept[0].0 == .one {
                replace(kept[0].1)
            } else if changed {
                rewriter.withOrigin(of: i) { replace(b.linear(kept, constant: c0)) }
            } else {
                rewriter.copy(i)
            }
        case .dot:
            foldDot(i, ins, r!)
        case .poseidon2, .matmul:
            let inputs = Program.valueOperandPositions(ins.opcode, operandCount: ins.operands.count).map { constant(ins[$0]) }
            guard inputs.allSatisfy({ $0 != nil }) else { rewriter.copy(i); return }
            let xs = inputs.map { $0! }
            let outputs: [Goldilocks]
            if ins.opcode == .poseidon2 {
                outputs = Poseidon2.permutation(xs)
            } else {
                let n = Int(ins[0]), k = Int(ins[1]), m = Int(ins[2])
                outputs = (0..<(n * m)).map { e in
                    (0..<k).reduce(Goldilocks.zero) { $0 + xs[(e / m) * k + $1] * xs[n * k + $1 * m + e % m] }
                }
            }
            rewriter.withOrigin(of: i) {
                for (k, v) in ins.results.enumerated() { rewriter.alias(Value(index: v), to: b.constant(outputs[k])) }
            }
        case .assertEqual:
            let x = rewriter.mapped(ins.value(0)), y = rewriter.mapped(ins.value(1))
            if x == y { return }
            if let a = constant(ins[0]), let c = constant(ins[1]), a == c { return }
            rewriter.copy(i)
        case .rangeCheck:
            if let a = constant(ins[0]), a.value < (UInt64(1) << ins[1]) { return }
            rewriter.copy(i)
        case .lookup:
            let tuple = (1..<ins.operands.count).map { constant(ins[$0]) }
            if tuple.allSatisfy({ $0 != nil }) {
                let t = Int(ins[0])
                if tableIndexes[t] == nil { tableIndexes[t] = TableIndex(source.tables[t]) }
                if tableIndexes[t]!.contains(tuple.map { $0! }[...]) { return }
            }
            rewriter.copy(i)
        case .constant, .publicInput, .privateInput, .hint, .publicOutput:
            rewriter.copy(i)
        }
    }

    /// Whether folding could change a `linear`: no terms (a constant), a zero
    /// coefficient, a constant operand, an operand twice, or a single term x
    /// with coefficient 1 and no constant (which is x itself).
    /// `isConstant(j)`: whether operand j is a constant; `mapped`: the
    /// value standing for a source value.
    static func linearNeedsFolding(_ ins: Instruction, constants: [Goldilocks], isConstant: (Int) -> Bool,
                                   mapped: (Value) -> Value) -> Bool {
        let count = ins.operands.count
        // No terms at all: the constant itself.
        if count == 1 { return true }
        if count == 3, constants[Int(ins[0])].isZero, constants[Int(ins[1])] == .one { return true }
        var j = 1
        while j < count {
            if constants[Int(ins[j])].isZero || isConstant(j + 1) { return true }
            j += 2
        }
        if count <= 33 {
            var a = 2
            while a < count {
                let x = mapped(ins.value(a))
                var c = a + 2
                while c < count {
                    if mapped(ins.value(c)) == x { return true }
                    c += 2
                }
                a += 2
            }
            return false
        }
        var values = Set<Value>()
        for j in stride(from: 2, to: count, by: 2) where !values.insert(mapped(ins.value(j))).inserted { return true }
        return false
    }

    /// Σ aᵢ·bᵢ: pairs with two constants fold into a constant, pairs with one
    /// become linear terms; what remains stays a dot.
    func foldDot(_ i: Int, _ ins: Instruction, _ r: Value) {
        var c0 = Goldilocks.zero
        var terms: [(Goldilocks, Value)] = []
        var pairs: [(Value, Value)] = []
        for j in stride(from: 0, to: ins.operands.count, by: 2) {
            switch (constant(ins[j]), constant(ins[j + 1])) {
            case let (x?, y?): c0 += x * y
            case let (x?, nil): terms.append((x, rewriter.mapped(ins.value(j + 1))))
            case let (nil, y?): terms.append((y, rewriter.mapped(ins.value(j))))
            case (nil, nil): pairs.append((rewriter.mapped(ins.value(j)), rewriter.mapped(ins.value(j + 1))))
            }
        }
        if pairs.count * 2 == ins.operands.count { rewriter.copy(i); return }
        rewriter.withOrigin(of: i) {
            if !pairs.isEmpty {
                // INVARIANT: pairs is non-empty and both lists have its length.
                terms.append((.one, try! b.dot(pairs.map(\.0), pairs.map(\.1))))
            }
            rewriter.alias(r, to: terms.isEmpty ? b.constant(c0) : b.linear(terms, constant: c0))
        }
    }
}
