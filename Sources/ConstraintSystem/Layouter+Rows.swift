import CircuitIR
import Field

/// Placing atoms in the open row, closing rows, and the bus reads that move
/// range lookups off homes.
extension Layouter {
    /// Counts a bus read of k. If k's home carries a range lookup, the home
    /// becomes the value's write and the lookup moves to a new limb cell
    /// (equal to a read of k), placed after the current step.
    func noteRead(_ k: Key) {
        if k.isAuxiliary { auxReads[k.index] += 1; return }
        valueReads[k.index] += 1
        guard let (bits, instruction) = limbHome.removeValue(forKey: k.raw) else { return }
        if let l = row.local(k), row.roles[l] == 3 {
            row.roles[l] = 1
            row.bits[l] = 0
        } else {
            let i = Int(valueHomeRow[k.index]) * C + Int(valueHomeColumn[k.index])
            cellRoles[i] = 1
            cellBits[i] = 0
        }
        relocations.append((k, bits, instruction))
    }

    /// Places the range lookups moved off homes by `noteRead`.
    func placeRelocations() throws {
        while let (k, bits, instruction) = relocations.popLast() {
            let saved = currentInstruction
            currentInstruction = instruction
            let limb = newAuxiliary(.solved(.cell(k), product: nil))
            try place(Atom(terms: [(k, .one), (limb, -.one)], defines: [(limb, 3, bits)]))
            currentInstruction = saved
        }
    }

    /// New cells the atom needs in the open row (nil: it cannot fit there at all).
    func cellsNeeded(_ atom: Atom) -> Int? {
        var seen: [Key] = []
        var needed = atom.defines.count
        let defined = Set(atom.defines.map(\.0))
        func need(_ k: Key) {
            if defined.contains(k) || seen.contains(k) { return }
            seen.append(k)
            if row.local(k) == nil { needed += 1 }
        }
        for (k, _) in atom.terms { need(k) }
        if let (a, b, _) = atom.product {
            need(a); need(b)
            // A square, or an operand already multiplied or in the slot, needs a second cell.
            if a == b { needed += 1 }
            for k in Set([a, b]) where !defined.contains(k) {
                if let l = row.local(k), row.productOperand[l] || row.inSlot[l] { needed += 1 }
            }
        }
        if let (_, keys) = atom.slot {
            if row.slot != nil { return nil }
            needed += slotWidth - keys.count  // unused components hold zero
            var used: [Key] = []
            for k in keys {
                need(k)
                if used.contains(k) { needed += 1 } else if let l = row.local(k), row.productOperand[l] { needed += 1 }
                used.append(k)
            }
        }
        for k in atom.touch { need(k) }
        // A value placed without a constraint will soon be used by one: keep it
        // out of rows with no slot left, or that use would have to read it back.
        if row.constraints.count >= K && (atom.isConstraint || !atom.defines.isEmpty) { return nil }
        return row.keys.count + needed <= C ? needed : nil
    }

    func place(_ atom: Atom) throws {
        if cellsNeeded(atom) == nil {
            closeRow()
            guard cellsNeeded(atom) != nil else {
                throw LayoutError.unsupported("instruction \(currentInstruction) needs more than \(C) cells in one row")
            }
        }
        for (k, role, bits) in atom.defines { _ = addCell(k, role: role, bits: bits) }
        func cell(_ k: Key, fresh: Bool = false) -> Int {
            if !fresh, let l = row.local(k) { return l }
            if !fresh, !k.isAuxiliary, pending[k.index] {
                pending[k.index] = false
                return addCell(k, role: 1, bits: 0)
            }
            // A read through the bus (of a home in an earlier row or in this one).
            noteRead(k)
            return addCell(k, role: 2, bits: 0)
        }
        var terms: [(Int, Goldilocks)] = []
        var product: (Int, Int, Goldilocks)?
        if let (a, b, m) = atom.product {
            var la = cell(a)
            if row.productOperand[la] || row.inSlot[la] { la = cell(a, fresh: true) }
            row.productOperand[la] = true
            var lb = cell(b)
            if row.productOperand[lb] || row.inSlot[lb] { lb = cell(b, fresh: true) }
            row.productOperand[lb] = true
            product = (la, lb, m)
        }
        for (k, c) in atom.terms { terms.append((cell(k), c)) }
        if let (key, keys) = atom.slot {
            var cells: [Int] = []
            for k in keys {
                var l = cell(k)
                if row.productOperand[l] || row.inSlot[l] { l = cell(k, fresh: true) }
                row.inSlot[l] = true
                cells.append(l)
            }
            for _ in keys.count ..< slotWidth { cells.append(addCell(.none, role: 0, bits: 0)) }
            row.slot = (key, cells, currentInstruction)
        }
        for k in atom.touch { _ = cell(k) }
        if atom.isConstraint {
            row.constraints.append(.init(terms: terms, constant: atom.constant, product: product,
                                         instruction: currentInstruction))
        }
        if !relocations.isEmpty { try placeRelocations() }
    }

    func addCell(_ k: Key, role: UInt8, bits: UInt8) -> Int {
        row.keys.append(k)
        row.roles.append(role)
        row.bits.append(bits)
        row.productOperand.append(false)
        row.inSlot.append(false)
        return row.keys.count - 1
    }

    /// Assigns the open row's cells to columns (product operands to their
    /// slot's pair, lookup components to the last cells) and appends it.
    func closeRow() {
        if row.keys.isEmpty && row.constraints.isEmpty { return }
        var column = [Int](repeating: -1, count: row.keys.count)
        var taken = [Bool](repeating: false, count: C)
        // Constraints with products take the first slots.
        let order = row.constraints.indices.filter { row.constraints[$0].product != nil }
            + row.constraints.indices.filter { row.constraints[$0].product == nil }
        for (k, c) in order.enumerated() {
            if let (a, b, _) = row.constraints[c].product {
                column[a] = 2 * k; column[b] = 2 * k + 1
                taken[2 * k] = true; taken[2 * k + 1] = true
            }
        }
        if let slot = row.slot {
            for (i, l) in slot.cells.enumerated() {
                column[l] = C - slotWidth + i
                taken[C - slotWidth + i] = true
            }
        }
        var free = 0
        for l in row.keys.indices where column[l] < 0 {
            while taken[free] { free += 1 }
            column[l] = free
            taken[free] = true
        }
        // INVARIANT: `cellsNeeded` admitted at most C cells and at most K constraints,
        // and C ≥ 2K + slotWidth, so every cell found a distinct column.
        let base = cellKeys.count
        cellKeys += [Key](repeating: .none, count: C)
        cellRoles += [UInt8](repeating: 0, count: C)
        cellBits += [UInt8](repeating: 0, count: C)
        for l in row.keys.indices {
            let j = column[l], k = row.keys[l]
            cellKeys[base + j] = k
            cellRoles[base + j] = row.roles[l]
            cellBits[base + j] = row.bits[l]
            if row.roles[l] == 1 || row.roles[l] == 3 {
                if k.isAuxiliary {
                    auxHomeRow[k.index] = Int32(rowCount); auxHomeColumn[k.index] = UInt8(j)
                } else {
                    valueHomeRow[k.index] = Int32(rowCount); valueHomeColumn[k.index] = UInt8(j)
                }
            }
        }
        for c in coefficients.indices { coefficients[c].append(.zero) }
        for c in poseidonFixed.indices { poseidonFixed[c].append(.zero) }
        for c in freivaldsFixed.indices { freivaldsFixed[c].append(.zero) }
        slotsOn.append(row.constraints.isEmpty ? .zero : .one)
        constraintInstruction += [Int32](repeating: -1, count: K)
        for (k, c) in order.enumerated() {
            let pc = row.constraints[c]
            let stride = k * (C + 2)
            for (l, a) in pc.terms { coefficients[stride + column[l]][rowCount] += a }
            coefficients[stride + C][rowCount] = pc.constant
            if let (_, _, m) = pc.product { coefficients[stride + C + 1][rowCount] = m }
            constraintInstruction[rowCount * K + k] = pc.instruction
        }
        slotKey.append(row.slot?.key ?? .zero)
        slotInstruction.append(row.slot?.instruction ?? -1)
        rowCount += 1
        row = OpenRow()
    }
}
