import CircuitIR
import Field
import Stark

extension ConstraintSystem {
    /// Fills the advice columns from a witness of `source` (the program given to
    /// `layout`, as `Evaluator(source).generate` returns it) and returns them
    /// with the proof's public inputs (the program's public inputs, then its
    /// public outputs).
    ///
    /// Every constraint of the table is checked on the way; the first that
    /// fails throws `LayoutError.constraintViolated` naming the IR instruction
    /// it comes from and that instruction's origin (the policy source span).
    public func assign(_ witness: Witness) throws -> (witness: [[Goldilocks]], publicInputs: [Goldilocks]) {
        guard witness.values.count == source.valueCount else {
            throw LayoutError.badWitness("\(witness.values.count) values for a program of \(source.valueCount)")
        }
        let values = lowered ? try reevaluate(witness) : witness.values
        // Auxiliary cells, in creation order.
        var aux = [Goldilocks](repeating: .zero, count: auxiliaries.count)
        func value(_ k: Key) -> Goldilocks { k.isAuxiliary ? aux[k.index] : values[k.index] }
        var permutation = (block: -1, states: [[Goldilocks]]())
        for (i, a) in auxiliaries.enumerated() {
            switch a {
            case let .solved(form, product):
                var v = form.evaluate(value)
                if let p = product { v += p.coefficient * value(p.a) * value(p.b) }
                aux[i] = v
            case let .limb(form, index, bits, isTop):
                let x = forms[form].evaluate(value).value
                let shift = UInt64(bits * index)
                let limb = shift >= 64 ? 0 : x >> shift
                aux[i] = Goldilocks(isTop ? limb : limb & ((1 << UInt64(bits)) - 1))
            case let .poseidon(block, round, lane):
                // INVARIANT: a block's auxiliary cells are created together, after its inputs.
                if permutation.block != block {
                    permutation = (block, PoseidonRounds.states(poseidonInputs[block].map(value)))
                }
                aux[i] = permutation.states[round][lane]
            case let .poseidonCube(block, round, lane):
                if permutation.block != block {
                    permutation = (block, PoseidonRounds.states(poseidonInputs[block].map(value)))
                }
                let x = permutation.states[round][lane] + PoseidonRounds.constants(round - 1)[lane]
                aux[i] = x * x * x
            }
        }
        try checkPermutationsAndProducts(values, value)
        let C = shape.C
        var advice = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: rowCount), count: C + 1)
        // Row ranges on both cores (each thread writes its own rows).
        let auxValues = aux
        withMutablePointers(&advice) { columns in
            Parallel.forRanges(rowCount, minimumPerThread: 4096) { rows in
                for r in rows {
                    for j in 0 ..< C {
                        let k = cellKeys[r * C + j]
                        if k != .none { columns[j][r] = k.isAuxiliary ? auxValues[k.index] : values[k.index] }
                    }
                }
            }
        }
        try checkConstraints(advice)
        advice[C] = try multiplicities(advice)
        let publicInputs = publicRows.map { advice[0][$0] }
        return (advice, publicInputs)
    }

    /// Poseidon2 results and matrix products are checked by gates the witness
    /// cannot be tested against before the challenges (the round gate reads
    /// the auxiliary rows, Freivalds needs σ and ρ): check them here, so that a
    /// wrong witness names its instruction.
    private func checkPermutationsAndProducts(_ values: [Goldilocks], _ value: (Key) -> Goldilocks) throws {
        for (block, inputs) in poseidonInputs.enumerated() {
            let i = Int(poseidonInstructions[block])
            let output = PoseidonRounds.states(inputs.map(value)).last!
            for (lane, v) in program.results(of: i).enumerated() where values[v] != output[lane] {
                throw violation(poseidonInstructions[block], "lane \(lane) is \(values[v].signedValue), the permutation gives \(output[lane].signedValue)")
            }
        }
        for instruction in matmulInstructions {
            let ins = program.instruction(Int(instruction))
            let n = Int(ins[0]), k = Int(ins[1]), m = Int(ins[2])
            let x = ins.valueOperands.map { values[$0.index] }
            let w = Array(x[(n * k)...])
            for r in 0 ..< n {
                for c in 0 ..< m {
                    var acc = Goldilocks.zero
                    for t in 0 ..< k { acc += x[r * k + t] * w[t * m + c] }
                    let y = values[ins.results.lowerBound + r * m + c]
                    if y != acc {
                        throw violation(instruction, "entry (\(r), \(c)) is \(y.signedValue), X·W gives \(acc.signedValue)")
                    }
                }
            }
        }
    }

    /// The lowered program's witness, from the source program's inputs.
    private func reevaluate(_ witness: Witness) throws -> [Goldilocks] {
        var privateValues: [Goldilocks] = []
        for i in 0 ..< source.instructionCount where source.opcodes[i] == .privateInput {
            privateValues.append(witness.values[source.results(of: i).lowerBound])
        }
        do {
            return try Evaluator(program).generate(WitnessInputs(public: witness.publicInputs, private: privateValues)).values
        } catch let error as WitnessError {
            throw LayoutError.badWitness("the lowered program rejects the witness: \(error)")
        }
    }

    private func violation(_ instruction: Int32, _ message: String) -> LayoutError {
        let i = Int(instruction)
        guard i >= 0 else { return .badWitness(message) }
        return .constraintViolated(instruction: i, text: program.text(ofInstruction: i),
                                   origin: program.originTable.describe(program.origins[i]), message: message)
    }

    /// Checks every constraint slot of every row, on both cores; a violation
    /// reported is the first in row order, as a serial check would find it.
    private func checkConstraints(_ advice: [[Goldilocks]]) throws {
        let K = shape.K
        let fixed = circuit.fixedColumns
        // Per slot: its constant's and product's columns, and (coefficient column, cell) of its window.
        let constants = (0 ..< K).map { windows.constant($0) }
        let products = (0 ..< K).map { windows.product($0) }
        let terms = (0 ..< K).map { k in windows.windows[k].map { (windows.coefficient(k, $0)!, $0) } }
        let ranges = max(1, min(rowCount / 4096, 4 * Parallel.threadCount))
        var firstFailure = [(row: Int, slot: Int, value: Goldilocks)?](repeating: nil, count: ranges)
        firstFailure.withUnsafeMutableBufferPointer { failures in
            Parallel.forEach(ranges) { part in
                for r in rowCount * part / ranges ..< rowCount * (part + 1) / ranges {
                    for k in 0 ..< K where constraintInstruction[r * K + k] >= 0 {
                        var v = fixed[constants[k]][r]
                        if let m = products[k] { v += fixed[m][r] * advice[2 * k][r] * advice[2 * k + 1][r] }
                        for (column, j) in terms[k] { v += fixed[column][r] * advice[j][r] }
                        if !v.isZero {
                            failures[part] = (r, k, v)
                            return
                        }
                    }
                }
            }
        }
        if let (r, k, v) = firstFailure.lazy.compactMap({ $0 }).first {
            throw violation(constraintInstruction[r * K + k], "row \(r) slot \(k) evaluates to \(v.signedValue), not 0")
        }
    }

    /// How often each row of the stacked table is looked up; throws for a
    /// looked-up tuple that is not in the table.
    private func multiplicities(_ advice: [[Goldilocks]]) throws -> [Goldilocks] {
        let C = shape.C
        var counts = [UInt32](repeating: 0, count: table.rows.count)
        for r in 0 ..< rowCount {
            for j in 0 ..< C where cellRoles[r * C + j] == 3 {
                let bits = Int(cellBits[r * C + j]), v = advice[j][r].value
                guard v < UInt64(1) << UInt64(bits) else {
                    let k = cellKeys[r * C + j]
                    throw violation(auxInstruction[k.index], "a limb is \(v), not below 2^\(bits): the value is out of range")
                }
                counts[table.rangeStart[bits] + Int(v)] += 1
            }
        }
        if !table.namedStart.isEmpty {
            var index: [[Goldilocks]: Int] = [:]
            for i in table.rows where i >= table.namedStart[0].row {
                index[[table.keys[i]] + table.values.map { $0[i] }] = i
            }
            for r in 0 ..< rowCount where !slotKey[r].isZero {
                let tuple = [slotKey[r]] + (0 ..< shape.slotWidth).map { advice[C - shape.slotWidth + $0][r] }
                guard let i = index[tuple] else {
                    throw violation(slotInstruction[r], "(\(tuple.dropFirst().map { String($0.signedValue) }.joined(separator: ", "))) is not a row of the table")
                }
                counts[i] += 1
            }
        }
        return counts.map { Goldilocks(UInt64($0)) }
    }
}
