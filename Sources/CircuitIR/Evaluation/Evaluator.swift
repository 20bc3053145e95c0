import Field

/// Concrete inputs for a program, by position (declaration order).
public struct WitnessInputs: Sendable, Equatable {
    /// One value per `public_input`, in declaration order.
    public var publicValues: [Goldilocks]
    /// One value per `private_input`, in declaration order.
    public var privateValues: [Goldilocks]

    public init(public publicValues: [Goldilocks] = [], private privateValues: [Goldilocks] = []) {
        self.publicValues = publicValues
        self.privateValues = privateValues
    }

    /// Inputs by name; every input of the program must be given, and nothing else.
    public init(for program: Program, public named: [String: Goldilocks],
                private namedPrivate: [String: Goldilocks]) throws {
        func arrange(_ names: [String], _ given: [String: Goldilocks], _ what: String) throws -> [Goldilocks] {
            let unknown = Set(given.keys).subtracting(names)
            if let name = unknown.sorted().first {
                throw WitnessError(kind: .badInputs, instruction: nil, instructionText: "", origin: "",
                                   message: "the circuit has no \(what) input \"\(name)\"")
            }
            return try names.map { name in
                guard let v = given[name] else {
                    throw WitnessError(kind: .badInputs, instruction: nil, instructionText: "", origin: "",
                                       message: "missing \(what) input \"\(name)\"")
                }
                return v
            }
        }
        publicValues = try arrange(program.publicInputNames, named, "public")
        privateValues = try arrange(program.privateInputNames, namedPrivate, "private")
    }
}

/// A full assignment of a program's values.
public struct Witness: Sendable, Equatable {
    /// Every value, by id.
    public let values: [Goldilocks]
    /// The public inputs, in declaration order.
    public let publicInputs: [Goldilocks]
    /// The public outputs, in declaration order (names: `Program.publicOutputNames`).
    public let publicOutputs: [Goldilocks]

    /// The value of v.
    public subscript(v: Value) -> Goldilocks { values[v.index] }
}

/// Evaluates a program on concrete inputs: computes every value, runs the
/// hints, and checks every constraint, stopping at the first failure with the
/// instruction and its origin. The witness generator of the pipeline.
public struct Evaluator: Sendable {
    /// The program evaluated; it must be valid (built by `CircuitBuilder` or
    /// loaded and validated), which the evaluator relies on.
    public let program: Program
    private let indexes: [TableIndex]

    /// Prepares an evaluator (indexes the lookup tables once).
    public init(_ program: Program) {
        self.program = program
        indexes = program.tables.map(TableIndex.init)
    }

    /// Called after a hint instruction computed its results, with a chance to
    /// change them: how tests play a cheating prover.
    public typealias HintOverride = (_ instruction: Int, _ results: inout [Goldilocks]) -> Void

    /// Computes the witness for `inputs`, or throws `WitnessError` at the
    /// first hint that fails or constraint that does not hold.
    public func generate(_ inputs: WitnessInputs, overridingHints override: HintOverride? = nil) throws -> Witness {
        let run = try execute(inputs, overridingHints: override)
        if let failure = run.failure { throw failure }
        return Witness(values: run.values, publicInputs: inputs.publicValues, publicOutputs: run.outputs)
    }

    /// What `execute` produced: the values computed up to the first failure
    /// (all of them if none), the public outputs seen, and the failure.
    struct Run {
        var values: [Goldilocks]
        var outputs: [Goldilocks]
        var failure: WitnessError?
    }

    /// Runs the program, stopping at the first failing hint or constraint.
    /// Throws only for inputs that do not fit the interface. With `fallback`
    /// (a full assignment), a failing hint takes its results from it instead
    /// of stopping — a cheating prover supplies advice without running hints.
    func execute(_ inputs: WitnessInputs, overridingHints override: HintOverride? = nil,
                 fallback: [Goldilocks]? = nil) throws -> Run {
        let p = program
        guard inputs.publicValues.count == p.publicInputNames.count,
              inputs.privateValues.count == p.privateInputNames.count else {
            throw WitnessError(kind: .badInputs, instruction: nil, instructionText: "", origin: "",
                               message: "the circuit takes \(p.publicInputNames.count) public and \(p.privateInputNames.count) private inputs, given \(inputs.publicValues.count) and \(inputs.privateValues.count)")
        }
        var run = Run(values: [Goldilocks](repeating: .zero, count: p.valueCount), outputs: [], failure: nil)
        var nextPublic = 0, nextPrivate = 0
        for i in 0..<p.instructionCount {
            let opcode = p.opcodes[i]
            switch opcode {
            case .publicInput:
                run.values[Int(p.resultStart[i])] = inputs.publicValues[nextPublic]
                nextPublic += 1
            case .privateInput:
                run.values[Int(p.resultStart[i])] = inputs.privateValues[nextPrivate]
                nextPrivate += 1
            case .hint:
                var results: [Goldilocks]
                do {
                    results = try computeHint(i, run.values)
                } catch {
                    guard let fallback else {
                        run.failure = failure(.hintFailed, i, "\(error)")
                        return run
                    }
                    results = p.results(of: i).map { fallback[$0] }
                }
                override?(i, &results)
                let r = p.results(of: i)
                guard results.count == r.count else {
                    run.failure = failure(.hintFailed, i, "the hint returned \(results.count) values, not \(r.count)")
                    return run
                }
                for (k, v) in r.enumerated() { run.values[v] = results[k] }
            case .publicOutput:
                run.outputs.append(run.values[Int(p.operands[Int(p.operandStart[i]) + 1])])
            case .assertEqual, .rangeCheck, .lookup:
                if let message = violation(i, run.values) {
                    run.failure = failure(.constraintViolated, i, message)
                    return run
                }
            case .constant, .add, .sub, .mul, .linear, .dot, .poseidon2, .matmul:
                computePure(i, &run.values)
            }
        }
        return run
    }

    /// Checks a complete assignment against the constraint system the program
    /// denotes: every value-defining instruction must match its operands,
    /// public inputs must equal `publicInputs`, every constraint must hold;
    /// hint results and private inputs are free. Returns the first failure, or
    /// nil if the assignment satisfies the circuit.
    public func check(_ assignment: [Goldilocks], publicInputs: [Goldilocks]) -> WitnessError? {
        let p = program
        guard assignment.count == p.valueCount, publicInputs.count == p.publicInputNames.count else {
            return WitnessError(kind: .badInputs, instruction: nil, instructionText: "", origin: "",
                                message: "the assignment has \(assignment.count) values for \(p.valueCount), and \(publicInputs.count) public inputs for \(p.publicInputNames.count)")
        }
        var nextPublic = 0
        // Pure instructions are recomputed into `scratch`, compared with the
        // assignment, and the slots restored, so operands always read the assignment.
        var scratch = assignment
        for i in 0..<p.instructionCount {
            switch p.opcodes[i] {
            case .publicInput:
                let v = assignment[Int(p.resultStart[i])]
                if v != publicInputs[nextPublic] {
                    return failure(.definitionMismatch, i, "the public input is \(publicInputs[nextPublic].signedValue) but the assignment has \(v.signedValue)")
                }
                nextPublic += 1
            case .privateInput, .hint, .publicOutput:
                break
            case .assertEqual, .rangeCheck, .lookup:
                if let message = violation(i, assignment) { return failure(.constraintViolated, i, message) }
            case .constant, .add, .sub, .mul, .linear, .dot, .poseidon2, .matmul:
                computePure(i, &scratch)
                for v in p.results(of: i) where scratch[v] != assignment[v] {
                    return failure(.definitionMismatch, i, "%\(v) is \(assignment[v].signedValue) but its definition gives \(scratch[v].signedValue)")
                }
            }
        }
        return nil
    }

    // MARK: Instruction semantics

    /// Writes the results of a pure instruction into `values`, reading its
    /// operands (earlier values) from the same array.
    @inline(__always)
    private func computePure(_ i: Int, _ values: inout [Goldilocks]) {
        let p = program
        let ops = p.operands(of: i)
        let o = ops.startIndex
        let r = Int(p.resultStart[i])
        switch p.opcodes[i] {
        case .constant:
            values[r] = p.constants[Int(ops[o])]
        case .add:
            values[r] = values[Int(ops[o])] + values[Int(ops[o + 1])]
        case .sub:
            values[r] = values[Int(ops[o])] - values[Int(ops[o + 1])]
        case .mul:
            values[r] = values[Int(ops[o])] * values[Int(ops[o + 1])]
        case .linear:
            var acc = p.constants[Int(ops[o])]
            var j = o + 1
            while j < ops.endIndex {
                acc += p.constants[Int(ops[j])] * values[Int(ops[j + 1])]
                j += 2
            }
            values[r] = acc
        case .dot:
            var acc = Goldilocks.zero
            var j = o
            while j < ops.endIndex {
                acc += values[Int(ops[j])] * values[Int(ops[j + 1])]
                j += 2
            }
            values[r] = acc
        case .poseidon2:
            var state = ops.map { values[Int($0)] }
            Poseidon2.permute(&state)
            for k in 0..<Poseidon2.width { values[r + k] = state[k] }
        case .matmul:
            let n = Int(ops[o]), k = Int(ops[o + 1]), m = Int(ops[o + 2])
            let x = o + 3, w = x + n * k
            for row in 0..<n {
                for col in 0..<m {
                    var acc = Goldilocks.zero
                    for t in 0..<k { acc += values[Int(ops[x + row * k + t])] * values[Int(ops[w + t * m + col])] }
                    values[r + row * m + col] = acc
                }
            }
        default:
            // INVARIANT: callers dispatch only pure opcodes here.
            preconditionFailure("not a pure instruction")
        }
    }

    /// Why constraint i fails on `values`, or nil if it holds.
    private func violation(_ i: Int, _ values: [Goldilocks]) -> String? {
        let p = program
        let ops = p.operands(of: i)
        let o = ops.startIndex
        switch p.opcodes[i] {
        case .assertEqual:
            let a = values[Int(ops[o])], b = values[Int(ops[o + 1])]
            return a == b ? nil : "%\(ops[o]) = \(a.signedValue) but %\(ops[o + 1]) = \(b.signedValue)"
        case .rangeCheck:
            let x = values[Int(ops[o])], bits = ops[o + 1]
            return x.value < (UInt64(1) << bits) ? nil
                : "%\(ops[o]) = \(x.signedValue) is not in 0 ..< 2^\(bits)"
        case .lookup:
            let tuple = ops[(o + 1)...].map { values[Int($0)] }
            let index = indexes[Int(ops[o])]
            if index.contains(tuple[...]) { return nil }
            let names = ops[(o + 1)...].map { "%\($0)" }.joined(separator: ", ")
            return "(\(names)) = (\(tuple.map { String($0.signedValue) }.joined(separator: ", "))) is not a row of table \(index.table.name)"
        default:
            return nil
        }
    }

    /// Runs hint instruction i on earlier values.
    private func computeHint(_ i: Int, _ values: [Goldilocks]) throws -> [Goldilocks] {
        let ins = program.instruction(i)
        let inputs = (3..<ins.operands.count).map { values[Int(ins[$0])] }
        let count = Int(ins[2])
        guard let kind = ins.hintKind else { throw HintFailure("unknown hint kind \(ins[0])") }
        switch kind {
        case .divRem:
            guard inputs.count == 2 else { throw HintFailure("divrem takes 2 inputs") }
            let a = inputs[0].signedValue, d = inputs[1].signedValue
            guard d >= 1 else { throw HintFailure("division of \(a) by \(d): the divisor must be at least 1") }
            var q = a / d, r = a % d
            if r < 0 { q -= 1; r += d }  // floor division
            return [Goldilocks(signed: q), Goldilocks(signed: r)]
        case .lessThan:
            guard inputs.count == 2 else { throw HintFailure("less_than takes 2 inputs") }
            return [inputs[0].signedValue < inputs[1].signedValue ? .one : .zero]
        case .inverseOrZero:
            guard inputs.count == 1 else { throw HintFailure("inverse_or_zero takes 1 input") }
            return [inputs[0].inverse]
        case .limbs(let n):
            guard inputs.count == 1 else { throw HintFailure("limbs takes 1 input") }
            let x = inputs[0].value
            return (0..<n).map { k in k >= 4 ? .zero : Goldilocks((x >> (16 * UInt64(k))) & 0xFFFF) }
        case .bits(let n):
            guard inputs.count == 1 else { throw HintFailure("bits takes 1 input") }
            let x = inputs[0].value
            return (0..<n).map { k in k >= 64 ? .zero : Goldilocks((x >> UInt64(k)) & 1) }
        case .tableLookup(let t):
            guard t.index < indexes.count else { throw HintFailure("table #\(t.raw) does not exist") }
            let index = indexes[t.index]
            let table = index.table
            guard inputs.count == table.keyColumns, count == table.width - table.keyColumns else {
                throw HintFailure("table \(table.name) has \(table.keyColumns) key and \(table.width - table.keyColumns) other columns")
            }
            guard let row = index.row(forKey: inputs[...]) else {
                throw HintFailure("no row of table \(table.name) has the key (\(inputs.map { String($0.signedValue) }.joined(separator: ", ")))")
            }
            return (table.keyColumns..<table.width).map { table.element(row: row, column: $0) }
        case .argmaxOneHot:
            guard !inputs.isEmpty else { throw HintFailure("argmax of nothing") }
            var best = 0
            for k in 1..<inputs.count where inputs[k].signedValue > inputs[best].signedValue { best = k }
            return (0..<inputs.count).map { $0 == best ? .one : .zero }
        case .custom(let h):
            guard h < program.customHints.count else { throw HintFailure("custom hint #\(h) is not registered") }
            return try program.customHints[h].compute(inputs)
        }
    }

    private func failure(_ kind: WitnessError.Kind, _ i: Int, _ message: String) -> WitnessError {
        WitnessError(kind: kind, instruction: i, instructionText: program.text(ofInstruction: i),
                     origin: program.originTable.describe(program.origins[i]), message: message)
    }
}
