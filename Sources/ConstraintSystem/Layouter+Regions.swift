import CircuitIR
import Field

/// The instructions laid out in regions of consecutive rows: `poseidon2`
/// (the round gate, §4) and `matmul` (the Freivalds check, §5).
extension Layouter {
    /// 32 consecutive rows: the 12 inputs, the state after the initial linear
    /// layer and after each of the 30 rounds (auxiliary cells), the last being
    /// the 12 results. The round gate
    /// checks each transition (docs/constraint-system.md §4).
    func emitPoseidon(_ ins: Instruction) throws {
        let inputs = try ins.valueOperands.map { try cellKey($0) }
        closeRow()
        let block = poseidonInputs.count
        poseidonInputs.append(inputs)
        poseidonInstructions.append(currentInstruction)
        // Row 0: the inputs, in columns 0…11 (a repeated input is read again).
        for k in inputs {
            if !k.isAuxiliary, pending[k.index], row.local(k) == nil {
                pending[k.index] = false
                _ = addCell(k, role: 1, bits: 0)
            } else {
                noteRead(k)
                _ = addCell(k, role: 2, bits: 0)
            }
        }
        // Transition 0: the initial external layer; transition t + 1: round t.
        for t in 0 ... PoseidonRounds.rounds {
            let r = rowCount
            // The open row holds state t; with cubes, round t − 1's cubes beside it.
            if poseidonCubes && t >= 1 {
                for l in 0 ..< (PoseidonRounds.isFull(t - 1) ? Poseidon2.width : 1) {
                    _ = addCell(newAuxiliary(.poseidonCube(block: block, round: t, lane: l)), role: 1, bits: 0)
                }
            }
            closeRow()
            if t == 0 {
                poseidonFixed[0][r] = .one
            } else {
                poseidonFixed[PoseidonRounds.isFull(t - 1) ? 1 : 2][r] = .one
                // INVARIANT: the layout uses the round gate only with ≥ 12 coefficient columns.
                for (l, c) in PoseidonRounds.constants(t - 1).enumerated() { coefficients[l][r] = c }
            }
            for l in 0 ..< Poseidon2.width {
                let k: Key = t == PoseidonRounds.rounds ? .value(ins.results.lowerBound + l)
                    : newAuxiliary(.poseidon(block: block, round: t + 1, lane: l))
                _ = addCell(k, role: 1, bits: 0)
            }
        }
        closeRow()
        try placeRelocations()
    }

    func setSelector(_ s: FreivaldsShape.Selector, _ r: Int) {
        if sharedFreivaldsSelectors { coefficients[s.rawValue][r] = .one } else { freivaldsFixed[s.rawValue][r] = .one }
    }

    /// Y = X·W checked à la Freivalds in a region of consecutive rows: the
    /// entries of Y row by row (each row of Y from a new table row), then for
    /// each inner index t the entries W[t][·] and X[·][t], `C` per table row.
    /// The challenge phase of `FreivaldsShape` weighs them so that the region's
    /// running sum is Σ σ^i·ρ^j·(Y − X·W)[i][j], which must be zero.
    func emitMatmul(_ ins: Instruction) throws {
        let n = Int(ins[0]), k = Int(ins[1]), m = Int(ins[2])
        let operands = ins.valueOperands
        let x = try operands[0 ..< n * k].map { try cellKey($0) }
        let w = try operands[n * k ..< n * k + k * m].map { try cellKey($0) }
        let y = ins.results.map { Key.value($0) }
        matmulInstructions.append(currentInstruction)
        closeRow()
        typealias S = FreivaldsShape.Selector
        var previous: Int?
        /// One table row of lanes; `transition` is set on the row before it.
        func laneRow(_ keys: [Key], defining: Bool, enteredBy transition: S?) {
            for key in keys {
                if defining {
                    _ = addCell(key, role: 1, bits: 0)
                } else if !key.isAuxiliary, pending[key.index], row.local(key) == nil {
                    pending[key.index] = false
                    _ = addCell(key, role: 1, bits: 0)
                } else {
                    // Every lane needs its own cell: a repeated value is read again.
                    noteRead(key)
                    _ = addCell(key, role: 2, bits: 0)
                }
            }
            let r = rowCount
            closeRow()
            if sharedFreivaldsSelectors { freivaldsFixed[0][r] = .one }
            if let p = previous, let t = transition { setSelector(t, p) }
            if previous == nil { setSelector(.first, r) }
            previous = r
        }
        for i in 0 ..< n {
            for c in stride(from: 0, to: m, by: C) {
                laneRow(Array(y[(i * m + c) ..< (i * m + min(m, c + C))]), defining: true,
                        enteredBy: c == 0 ? .yNextRow : .yContinue)
            }
        }
        for t in 0 ..< k {
            for c in stride(from: 0, to: m, by: C) {
                laneRow(Array(w[(t * m + c) ..< (t * m + min(m, c + C))]), defining: false,
                        enteredBy: c == 0 ? .toW : .wContinue)
            }
            for c in stride(from: 0, to: n, by: C) {
                laneRow((c ..< min(n, c + C)).map { x[$0 * k + t] }, defining: false,
                        enteredBy: c == 0 ? .toX : .xContinue)
            }
        }
        setSelector(.last, previous!)
        try placeRelocations()
    }
}
