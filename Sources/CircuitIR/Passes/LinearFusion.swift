import Field

extension Pass {
    /// Merges chains of additions, subtractions, multiplications by a constant
    /// and linear combinations into single `linear` instructions: an
    /// affine instruction whose only use is another affine instruction is
    /// substituted into it. Turns `((a + b) + c) − 2·d` into
    /// `linear a + b + c − 2·d` (one instruction, one gate row of the wide
    /// linear gate, instead of three).
    public static let linearFusion = Pass(
        name: "linear-fusion",
        summary: "merge chains of add/sub/scale/linear used once into one linear combination"
    ) { var pass = LinearFusion(source: $0); return pass.run() }
}

/// c₀ + Σ cᵢ·xᵢ over values of the new program (terms may repeat until emitted).
struct AffineForm {
    var c0: Goldilocks
    var terms: [(Goldilocks, Value)]

    /// Adds c·form.
    mutating func add(_ other: AffineForm, times c: Goldilocks) {
        c0 += c * other.c0
        if c == .one {
            terms.append(contentsOf: other.terms)
        } else {
            terms.append(contentsOf: other.terms.map { (c * $0.0, $0.1) })
        }
    }

    /// Terms with repeated values merged (first-occurrence order) and zero coefficients dropped.
    func normalisedTerms() -> [(Goldilocks, Value)] {
        var merged: [(Goldilocks, Value)] = []
        var position: [Value: Int] = [:]
        merged.reserveCapacity(terms.count)
        for (c, x) in terms {
            if let at = position[x] {
                merged[at].0 += c
            } else {
                position[x] = merged.count
                merged.append((c, x))
            }
        }
        return merged.filter { !$0.0.isZero }
    }
}

private struct LinearFusion {
    let source: Program
    let rewriter: ProgramRewriter
    let isConstant: [Bool]          // source value is the result of `const`
    var inlined: [Bool]             // source instruction is substituted into its only user
    var forms: [UInt32: AffineForm] = [:]  // source value of an inlined instruction → its form

    init(source: Program) {
        self.source = source
        rewriter = ProgramRewriter(source, tracksBounds: false)
        var isConstant = [Bool](repeating: false, count: source.valueCount)
        for i in 0..<source.instructionCount where source.opcodes[i] == .constant { isConstant[source.result(of: i).index] = true }
        self.isConstant = isConstant
        // Which affine instructions have exactly one use, by an affine instruction?
        var uses = [UInt32](repeating: 0, count: source.valueCount)
        var user = [Int32](repeating: -1, count: source.valueCount)
        for i in 0..<source.instructionCount {
            source.forEachValueOperand(of: i) { v in
                uses[v.index] += 1
                user[v.index] = Int32(i)
            }
        }
        inlined = [Bool](repeating: false, count: source.instructionCount)
        for i in 0..<source.instructionCount where Self.isAffine(source, i, isConstant) {
            let v = source.result(of: i).index
            if uses[v] == 1, Self.isAffine(source, Int(user[v]), isConstant) { inlined[i] = true }
        }
    }

    static func isAffine(_ p: Program, _ i: Int, _ isConstant: [Bool]) -> Bool {
        switch p.opcodes[i] {
        case .add, .sub, .linear: return true
        case .mul:
            let ops = p.operands(of: i)
            return isConstant[Int(ops[ops.startIndex])] || isConstant[Int(ops[ops.startIndex + 1])]
        default: return false
        }
    }

    mutating func run() -> Program {
        for i in 0..<source.instructionCount {
            guard Self.isAffine(source, i, isConstant) else { rewriter.copy(i); continue }
            // Copy unchanged when nothing is substituted into it and it is not substituted itself.
            var absorbs = false
            source.forEachValueOperand(of: i) { v in if forms[v.id] != nil { absorbs = true } }
            if !absorbs && !inlined[i] { rewriter.copy(i); continue }
            let form = affineForm(i)
            let r = source.result(of: i)
            if inlined[i] {
                forms[r.id] = form
            } else {
                rewriter.withOrigin(of: i) { rewriter.alias(r, to: emit(form)) }
            }
        }
        return rewriter.finish()
    }

    /// Instruction i as an affine form over new values, with inlined operands substituted.
    mutating func affineForm(_ i: Int) -> AffineForm {
        let ins = source.instruction(i)
        var form = AffineForm(c0: .zero, terms: [])
        func addTerm(_ c: Goldilocks, _ v: Value) {
            // An inlined operand's form is used exactly once: take it out of the table.
            if let inner = forms.removeValue(forKey: v.id) {
                form.add(inner, times: c)
            } else {
                form.terms.append((c, rewriter.mapped(v)))
            }
        }
        func constantOf(_ v: Value) -> Goldilocks {
            let d = source.definingInstruction(ofResult: v.index)
            return source.constants[Int(source.operands[Int(source.operandStart[d])])]
        }
        switch ins.opcode {
        case .add:
            addTerm(.one, ins.value(0))
            addTerm(.one, ins.value(1))
        case .sub:
            addTerm(.one, ins.value(0))
            addTerm(-Goldilocks.one, ins.value(1))
        case .mul:
            let (a, b) = (ins.value(0), ins.value(1))
            if isConstant[a.index] { addTerm(constantOf(a), b) } else { addTerm(constantOf(b), a) }
        case .linear:
            form.c0 = source.constants[Int(ins[0])]
            for j in stride(from: 1, to: ins.operands.count, by: 2) {
                addTerm(source.constants[Int(ins[j])], ins.value(j + 1))
            }
        default:
            // INVARIANT: only affine instructions reach here.
            preconditionFailure("not affine")
        }
        return form
    }

    func emit(_ form: AffineForm) -> Value {
        let terms = form.normalisedTerms()
        let b = rewriter.builder
        if terms.isEmpty { return b.constant(form.c0) }
        if terms.count == 1, form.c0.isZero, terms[0].0 == .one { return terms[0].1 }
        return b.linear(terms, constant: form.c0)
    }
}
