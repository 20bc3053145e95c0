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
        let instruction = limbHomeInstruction[k.index]
        guard instruction >= 0 else { return }
        let bits = limbHomeBits[k.index]
        limbHomeInstruction[k.index] = -1
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

    /// What placing an atom in the open row would add: new cells (key, role,
    /// bits; role 1 for a value placed here, 2 for a read, 0 for a zero
    /// component of a lookup), the constraint in row-local cell indices, and
    /// the lookup's cells. Computed without changing anything, so that the row
    /// can be tested first.
    struct Plan {
        var cells: [(key: Key, role: UInt8, bits: UInt8)] = []
        var terms: [(Int, Goldilocks)] = []
        var product: (Int, Int, Goldilocks)?
        var tuple: (key: Goldilocks, cells: [Int])?
        var isConstraint = true
    }

    func plan(_ atom: Atom) -> Plan? {
        if atom.slot != nil && row.slot != nil { return nil }
        // A value placed without a constraint will soon be used by one: keep it
        // out of rows with no slot left, or that use would have to read it back.
        if row.constraints.count >= K && (atom.isConstraint || !atom.defines.isEmpty) { return nil }
        var plan = Plan()
        plan.isConstraint = atom.isConstraint
        // Exact capacities: one allocation per list instead of a growth per append.
        plan.cells.reserveCapacity(atom.defines.count + atom.terms.count + 2 * (atom.product == nil ? 0 : 1)
                                   + (atom.slot == nil ? 0 : slotWidth) + atom.touch.count)
        plan.terms.reserveCapacity(atom.terms.count)
        let n0 = row.keys.count
        // Row-local cells (< C ≤ 64) used as product operands or lookup cells, as bit sets.
        var multiplied: UInt64 = 0, inTuple: UInt64 = 0
        func add(_ k: Key, _ role: UInt8, _ bits: UInt8) -> Int {
            plan.cells.append((k, role, bits))
            return n0 + plan.cells.count - 1
        }
        func local(_ k: Key) -> Int? {
            if let l = row.local(k) { return l }
            return plan.cells.firstIndex { $0.key == k && $0.role != 0 }.map { n0 + $0 }
        }
        func isBusy(_ l: Int) -> Bool {
            (multiplied | inTuple) & (1 << UInt64(l)) != 0 || (l < n0 && (row.productOperand[l] || row.inSlot[l]))
        }
        func cell(_ k: Key, fresh: Bool = false) -> Int {
            if !fresh, let l = local(k) { return l }
            if !fresh, !k.isAuxiliary, pending[k.index] { return add(k, 1, 0) }
            return add(k, 2, 0)
        }
        for (k, role, bits) in atom.defines { _ = add(k, role, bits) }
        if let (a, b, m) = atom.product {
            var la = cell(a)
            if isBusy(la) { la = cell(a, fresh: true) }
            multiplied |= 1 << UInt64(la)
            var lb = cell(b)
            if isBusy(lb) { lb = cell(b, fresh: true) }
            multiplied |= 1 << UInt64(lb)
            plan.product = (la, lb, m)
        }
        for (k, c) in atom.terms { plan.terms.append((cell(k), c)) }
        if let (key, keys) = atom.slot {
            var cells: [Int] = []
            cells.reserveCapacity(slotWidth)
            for k in keys {
                var l = cell(k)
                if isBusy(l) { l = cell(k, fresh: true) }
                inTuple |= 1 << UInt64(l)
                cells.append(l)
            }
            for _ in keys.count ..< slotWidth { cells.append(add(.none, 0, 0)) }
            plan.tuple = (key, cells)
        }
        for k in atom.touch { _ = cell(k) }
        return fits(plan) ? plan : nil
    }

    /// Whether the open row with the plan added can be given columns.
    func fits(_ plan: Plan) -> Bool {
        // As `sketch(adding: plan)`, but the plan's constraint goes on the end
        // of the open row's own list and comes off again, so that the list is
        // neither copied nor reallocated for every atom tried.
        let cells = row.keys.count + plan.cells.count
        guard cells <= C else { return false }
        if plan.isConstraint {
            guard row.shapes.count < K else { return false }
            row.shapes.append(Self.shape(of: plan))
        }
        defer { if plan.isConstraint { row.shapes.removeLast() } }
        return windows.canAssign(SlotWindows.Row(cells: cells, constraints: row.shapes,
                                                 tuple: plan.tuple?.cells ?? row.slot?.cells))
    }

    /// A planned constraint as `SlotWindows` sees it: the cells of its terms
    /// and its product's operands.
    static func shape(of plan: Plan) -> SlotWindows.Shape {
        var reads: UInt64 = 0
        for (l, _) in plan.terms { reads |= 1 << UInt64(l) }
        if let (a, b, _) = plan.product { reads |= 1 << UInt64(a) | 1 << UInt64(b) }
        return SlotWindows.Shape(reads: reads, product: plan.product.map { ($0.0, $0.1) })
    }

    /// The open row (and a plan) as `SlotWindows` sees it.
    func sketch(adding plan: Plan? = nil) -> SlotWindows.Row? {
        var constraints = row.shapes
        var tuple = row.slot?.cells
        if let plan {
            if plan.isConstraint { constraints.append(Self.shape(of: plan)) }
            if let t = plan.tuple { tuple = t.cells }
        }
        let cells = row.keys.count + (plan?.cells.count ?? 0)
        guard cells <= C, constraints.count <= K else { return nil }
        return SlotWindows.Row(cells: cells, constraints: constraints, tuple: tuple)
    }

    /// Places the atom in the open row (or a new one), then the range lookups
    /// it moved (unless `relocating` is false: the caller places them later).
    func place(_ atom: Atom, relocating: Bool = true) throws {
        var planned = plan(atom)
        if planned == nil {
            closeRow()
            planned = plan(atom)
            guard planned != nil else {
                throw LayoutError.unsupported("instruction \(currentInstruction) needs more than one row (\(C) cells, \(K) slots)")
            }
        }
        let p = planned!
        for (k, role, bits) in p.cells {
            if role == 1, !k.isAuxiliary, pending[k.index] { pending[k.index] = false }
            // A read through the bus (of a home in an earlier row or in this one).
            if role == 2 { noteRead(k) }
            _ = addCell(k, role: role, bits: bits)
        }
        if let (a, b, _) = p.product { row.productOperand[a] = true; row.productOperand[b] = true }
        if let t = p.tuple {
            for l in t.cells { row.inSlot[l] = true }
            row.slot = (t.key, t.cells, currentInstruction)
        }
        if p.isConstraint {
            row.shapes.append(Self.shape(of: p))
            row.constraints.append(.init(terms: p.terms, constant: atom.constant, product: p.product,
                                         instruction: currentInstruction))
        }
        if relocating && !relocations.isEmpty { try placeRelocations() }
    }

    func addCell(_ k: Key, role: UInt8, bits: UInt8) -> Int {
        row.keys.append(k)
        row.roles.append(role)
        row.bits.append(bits)
        row.productOperand.append(false)
        row.inSlot.append(false)
        return row.keys.count - 1
    }

    /// Assigns the open row's constraints to slots and cells to columns
    /// (`SlotWindows.assign`) and appends the row.
    func closeRow() {
        if row.keys.isEmpty && row.constraints.isEmpty { return }
        // INVARIANT: every atom was admitted only if the row with it could be assigned
        // (`plan`); region rows have no constraints and at most C cells.
        let (slots, column) = windows.assign(sketch()!)!
        let base = cellKeys.count
        cellKeys.append(contentsOf: repeatElement(.none, count: C))
        cellRoles.append(contentsOf: repeatElement(0, count: C))
        cellBits.append(contentsOf: repeatElement(0, count: C))
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
        reserveFixedRow()
        slotsOn.append(row.constraints.isEmpty ? .zero : .one)
        constraintInstruction.append(contentsOf: repeatElement(-1, count: K))
        for (c, pc) in row.constraints.enumerated() {
            let k = slots[c]
            // INVARIANT: `assign` put every cell of the constraint in slot k's window.
            for (l, a) in pc.terms { coefficients[windows.coefficient(k, column[l])!][rowCount] += a }
            coefficients[windows.constant(k)][rowCount] = pc.constant
            if let (_, _, m) = pc.product { coefficients[windows.product(k)!][rowCount] = m }
            constraintInstruction[rowCount * K + k] = pc.instruction
        }
        slotKey.append(row.slot?.key ?? .zero)
        slotInstruction.append(row.slot?.instruction ?? -1)
        rowCount += 1
        row.reset()
    }
}
