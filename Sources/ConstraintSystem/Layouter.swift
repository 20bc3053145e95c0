import CircuitIR
import Field

/// Packs a program's instructions into rows of `cells` cells and
/// `constraintsPerRow` constraint slots, in program order (so the result is
/// deterministic), wiring values between rows through the LogUp bus.
///
/// The main ideas (docs/constraint-system.md §2):
/// - `linear`, `add`, `sub` and `const` results are *forms* (c + Σ aᵢ·kᵢ over
///   cells), substituted into the constraints that use them; they get a cell
///   only when a product, a lookup or an output needs one;
/// - inputs and hint results are placed lazily, in the row of their first use;
/// - a value used in a later row is *read* there: the row's cell carries the bus
///   fraction +1/(β − (address, value)) and the value's home cell the matching
///   −(number of reads), so every read equals the written value;
/// - a range check of b bits becomes ⌈b/L⌉ limb cells, each with a range
///   lookup (bits, limb) on the bus, and one constraint recombining them.
final class Layouter {
    let program: Program
    let C: Int
    let K: Int
    let L: Int
    let slotWidth: Int

    // Forms of IR values: nil = a cell of its own (or not yet placed).
    private var formOf: [LinearForm?]
    /// Whether an IR value is free (an input or a hint result) and not yet placed.
    private var pending: [Bool]
    private var isPublicInput: [Bool]

    // Homes: row and column of each key's defining cell (−1: none yet).
    private var valueHomeRow: [Int32]
    private var valueHomeColumn: [UInt8]
    private var auxHomeRow: [Int32] = []
    private var auxHomeColumn: [UInt8] = []
    private var valueReads: [UInt32]
    private var auxReads: [UInt32] = []

    private(set) var auxiliaries: [Auxiliary] = []
    private(set) var auxInstruction: [Int32] = []
    private(set) var forms: [LinearForm] = []

    // Closed rows.
    private(set) var rowCount = 0
    private(set) var cellKeys: [Key] = []
    /// 0 empty, 1 home, 2 read, 3 limb (bits in `cellBits`).
    private(set) var cellRoles: [UInt8] = []
    private(set) var cellBits: [UInt8] = []
    /// coefficients[k·(C + 2) + j] for j < C, + C the constant, + C + 1 the product's.
    private(set) var coefficients: [[Goldilocks]]
    private(set) var constraintInstruction: [Int32] = []
    /// Poseidon2 columns per row (when the program permutes): selectors of the
    /// linear-layer, full-round and partial-round transitions. The round
    /// constants go in the slot coefficient columns of those rows (`slotsOn` is 0 there).
    private(set) var poseidonFixed: [[Goldilocks]] = []
    /// Input keys of each laid-out permutation (`Auxiliary.poseidon` refers to them).
    private(set) var poseidonInputs: [[Key]] = []
    /// The `poseidon2` instruction of each permutation and the `matmul`
    /// instructions, for the witness checks that name them.
    private(set) var poseidonInstructions: [Int32] = []
    private(set) var matmulInstructions: [Int32] = []
    let hasPoseidon: Bool
    /// Freivalds columns per row (when the program multiplies matrices): with
    /// `sharedFreivaldsSelectors`, one column that is 1 on region rows, the
    /// region's selectors going in the slot coefficient columns of those rows;
    /// otherwise one column per selector (see `FreivaldsShape`).
    private(set) var freivaldsFixed: [[Goldilocks]] = []
    let hasMatmul: Bool
    /// Whether Freivalds selectors share the coefficient columns (their gates
    /// then have degree 5, which needs a blowup of 8).
    let sharedFreivaldsSelectors: Bool
    /// 1 on rows with constraint slots: the slot gate is off elsewhere, so the
    /// coefficient columns can carry other gates' data there.
    private(set) var slotsOn: [Goldilocks] = []
    private(set) var slotKey: [Goldilocks] = []
    private(set) var slotInstruction: [Int32] = []
    /// Stark public inputs: IR public inputs then outputs, each a cell in column 0.
    private(set) var publicRows: [Int] = []

    /// Named tables (not range tables), in program order, and their bus keys.
    private(set) var namedTables: [Int] = []
    private var namedTableKey: [Int: Goldilocks] = [:]
    static let tableKeyBase: UInt64 = 64
    static let addressBase: UInt64 = 1 << 32

    /// Values whose home cell carries their (single-limb) range lookup: bits and
    /// the range check's instruction. Such a home cannot also be the bus write
    /// of the value, so the first read elsewhere moves the lookup (`noteRead`).
    private var limbHome: [UInt32: (bits: UInt8, instruction: Int32)] = [:]
    private var relocations: [(Key, UInt8, Int32)] = []

    private var row = OpenRow()
    private var currentInstruction: Int32 = -1

    struct OpenRow {
        var keys: [Key] = []
        var roles: [UInt8] = []
        var bits: [UInt8] = []
        var productOperand: [Bool] = []
        var inSlot: [Bool] = []
        var constraints: [Pending] = []
        var slot: (key: Goldilocks, cells: [Int], instruction: Int32)?

        struct Pending {
            var terms: [(Int, Goldilocks)]
            var constant: Goldilocks
            var product: (Int, Int, Goldilocks)?
            var instruction: Int32
        }

        func local(_ k: Key) -> Int? {
            for (i, x) in keys.enumerated() where x == k { return i }
            return nil
        }
    }

    /// An atom: what one step places in a single row.
    struct Atom {
        var terms: [(Key, Goldilocks)] = []
        var constant: Goldilocks = .zero
        var product: (Key, Key, Goldilocks)?
        /// New keys defined (homes) here, with their role (1 home, 3 limb) and bits.
        var defines: [(Key, UInt8, UInt8)] = []
        var isConstraint = true
        var slot: (Goldilocks, [Key])?
        /// Keys that must have a cell in the row without a constraint (e.g. to bind).
        var touch: [Key] = []
    }

    init(program: Program, parameters: LayoutParameters, limbBits: Int, slotWidth: Int) {
        self.program = program
        C = parameters.cells
        K = parameters.constraintsPerRow
        L = limbBits
        self.slotWidth = slotWidth
        let n = program.valueCount
        formOf = [LinearForm?](repeating: nil, count: n)
        pending = [Bool](repeating: false, count: n)
        isPublicInput = [Bool](repeating: false, count: n)
        valueHomeRow = [Int32](repeating: -1, count: n)
        valueHomeColumn = [UInt8](repeating: 0, count: n)
        valueReads = [UInt32](repeating: 0, count: n)
        coefficients = [[Goldilocks]](repeating: [], count: parameters.constraintsPerRow * (parameters.cells + 2))
        hasPoseidon = program.opcodes.contains(.poseidon2)
        if hasPoseidon { poseidonFixed = [[Goldilocks]](repeating: [], count: 3) }
        hasMatmul = program.opcodes.contains(.matmul)
        sharedFreivaldsSelectors = parameters.stark.blowup >= 8
        if hasMatmul {
            freivaldsFixed = [[Goldilocks]](repeating: [], count: sharedFreivaldsSelectors ? 1 : FreivaldsShape.Selector.allCases.count)
        }
    }

    // MARK: driving

    func run() throws {
        let p = program
        // Public inputs first, one per row in column 0 (so one column binds them all).
        for i in 0 ..< p.instructionCount where p.opcodes[i] == .publicInput {
            currentInstruction = Int32(i)
            let v = Key.value(p.results(of: i).lowerBound)
            isPublicInput[v.index] = true
            try place(Atom(defines: [(v, 1, 0)], isConstraint: false))
            closeRow()
            publicRows.append(rowCount - 1)
        }
        var outputs: [(Key, Int)] = []
        for i in 0 ..< p.instructionCount {
            currentInstruction = Int32(i)
            let ins = p.instruction(i)
            let r = ins.results.lowerBound
            switch ins.opcode {
            case .constant:
                formOf[r] = LinearForm(constant: p.constants[Int(ins[0])])
            case .publicInput:
                break
            case .privateInput:
                pending[r] = true
            case .hint:
                for v in ins.results { pending[v] = true }
            case .add, .sub:
                let sign: Goldilocks = ins.opcode == .add ? .one : -.one
                try setForm(r, LinearForm.combine([(.one, form(ins.value(0))), (sign, form(ins.value(1)))], constant: .zero))
            case .linear:
                var parts: [(Goldilocks, LinearForm)] = []
                var j = 1
                while j < ins.operands.count {
                    parts.append((p.constants[Int(ins[j])], form(ins.value(j + 1))))
                    j += 2
                }
                try setForm(r, LinearForm.combine(parts, constant: p.constants[Int(ins[0])]))
            case .mul:
                let a = form(ins.value(0)), b = form(ins.value(1))
                if a.isConstant || b.isConstant {
                    let (c, f) = a.isConstant ? (a.constant, b) : (b.constant, a)
                    try setForm(r, LinearForm.combine([(c, f)], constant: .zero))
                } else {
                    try emitProducts([(ins.value(0), ins.value(1))], result: .value(r))
                }
            case .dot:
                let pairs = stride(from: 0, to: ins.operands.count, by: 2).map { (ins.value($0), ins.value($0 + 1)) }
                try emitProducts(pairs, result: .value(r))
            case .assertEqual:
                try emitLinear(LinearForm.combine([(.one, form(ins.value(0))), (-.one, form(ins.value(1)))], constant: .zero))
            case .rangeCheck:
                try emitRangeCheck(form(ins.value(0)), bits: Int(ins[1]), value: ins.value(0))
            case .lookup:
                try emitLookup(table: Int(ins[0]), ins.valueOperands)
            case .publicOutput:
                outputs.append((try cellKey(ins.value(1)), i))
            case .poseidon2:
                try emitPoseidon(ins)
            case .matmul:
                try emitMatmul(ins)
            }
        }
        closeRow()
        // Public inputs never used still sit in their rows (placed above).
        for (k, i) in outputs {
            currentInstruction = Int32(i)
            // Alone in a fresh row, so in column 0: a read of the value (or its home).
            try place(Atom(isConstraint: false, touch: [k]))
            closeRow()
            publicRows.append(rowCount - 1)
        }
    }

    // MARK: forms and cells

    private func form(_ v: Value) -> LinearForm {
        formOf[v.index] ?? LinearForm.cell(.value(v.index))
    }

    /// Records the form of a linear result, materialising it when it is too long
    /// to substitute into one constraint.
    private func setForm(_ r: Int, _ f: LinearForm) throws {
        if f.terms.count > C - 2 {
            try emitLinear(f, defining: .value(r))
        } else {
            formOf[r] = f
        }
    }

    /// A key holding v's value in a cell: v itself, or the cell its form is.
    private func cellKey(_ v: Value) throws -> Key {
        let f = form(v)
        if let k = f.singleCell { return k }
        // Materialise: v gets a home defined by f − v = 0.
        try emitLinear(f, defining: .value(v.index))
        formOf[v.index] = nil
        return .value(v.index)
    }

    /// Constraint f = 0 (or f − defined = 0 defining a new cell), chained through
    /// partial sums when it has more terms than a row has cells.
    private func emitLinear(_ f: LinearForm, defining: Key? = nil) throws {
        var f = f
        let room = C - (defining == nil ? 0 : 1)
        while f.terms.count > room {
            // s = c + first C − 1 terms; then f = s + the rest.
            let chunk = LinearForm(constant: f.constant, terms: Array(f.terms.prefix(C - 1)))
            let s = newAuxiliary(.solved(chunk, product: nil))
            var atom = Atom()
            atom.terms = chunk.terms.map { ($0.key, $0.coefficient) } + [(s, -.one)]
            atom.constant = chunk.constant
            atom.defines = [(s, 1, 0)]
            try place(atom)
            f = LinearForm(constant: .zero, terms: [LinearForm.Term(key: s, coefficient: .one)] + f.terms.dropFirst(C - 1))
        }
        var atom = Atom()
        atom.terms = f.terms.map { ($0.key, $0.coefficient) }
        atom.constant = f.constant
        if let d = defining {
            atom.terms.append((d, -.one))
            atom.defines = [(d, 1, 0)]
        }
        try place(atom)
    }

    /// result = Σ aᵢ·bᵢ, one product per constraint, chained by partial sums.
    private func emitProducts(_ pairs: [(Value, Value)], result: Key) throws {
        var previous: Key?
        for (n, (a, b)) in pairs.enumerated() {
            var fa = form(a), fb = form(b)
            if fa.terms.count > 1 { fa = .cell(try cellKey(a)) }
            if fb.terms.count > 1 { fb = .cell(try cellKey(b)) }
            // (ca·ka + da)(cb·kb + db) with at most one term each.
            var atom = Atom()
            var linear: [(Goldilocks, LinearForm)] = []
            if let ta = fa.terms.first, let tb = fb.terms.first {
                atom.product = (ta.key, tb.key, ta.coefficient * tb.coefficient)
                linear.append((fb.constant, .cell(ta.key).scaled(ta.coefficient)))
                linear.append((fa.constant, .cell(tb.key).scaled(tb.coefficient)))
            } else {
                linear.append((fb.constant, fa.constantFree))
                linear.append((fa.constant, fb.constantFree))
            }
            if let previous { linear.append((.one, .cell(previous))) }
            let rest = LinearForm.combine(linear, constant: fa.constant * fb.constant)
            let target = n == pairs.count - 1 ? result
                : newAuxiliary(.solved(rest, product: atom.product.map { .init(a: $0.0, b: $0.1, coefficient: $0.2) }))
            atom.terms = rest.terms.map { ($0.key, $0.coefficient) } + [(target, -.one)]
            atom.constant = rest.constant
            atom.defines = [(target, 1, 0)]
            try place(atom)
            previous = target
        }
    }

    /// 0 ≤ f < 2^bits: limb cells with range lookups, and f = Σ 2^(L·i)·limbᵢ.
    private func emitRangeCheck(_ f0: LinearForm, bits: Int, value: Value) throws {
        let n = (bits + L - 1) / L
        // One limb of a value in a cell of this row, or not placed yet: its home
        // cell carries the lookup itself.
        if n == 1, let k = f0.singleCell, !k.isAuxiliary, limbHome[k.raw] == nil, valueReads[k.index] == 0 {
            if pending[k.index] {
                try place(Atom(defines: [(k, 3, UInt8(bits))], isConstraint: false))
                pending[k.index] = false
                limbHome[k.raw] = (UInt8(bits), currentInstruction)
                return
            }
            if let l = row.local(k), row.roles[l] == 1 {
                row.roles[l] = 3
                row.bits[l] = UInt8(bits)
                limbHome[k.raw] = (UInt8(bits), currentInstruction)
                return
            }
        }
        var f = f0
        if f.terms.count + n > C { f = .cell(try cellKey(value)) }
        forms.append(f)
        let formIndex = forms.count - 1
        var atom = Atom()
        atom.terms = f.terms.map { ($0.key, $0.coefficient) }
        atom.constant = f.constant
        for i in 0 ..< n {
            let isTop = i == n - 1
            let limbBits = isTop ? bits - L * (n - 1) : L
            let limb = newAuxiliary(.limb(form: formIndex, index: i, bits: L, isTop: isTop))
            atom.terms.append((limb, -Goldilocks(UInt64(1) << UInt64(L * i))))
            atom.defines.append((limb, 3, UInt8(limbBits)))
        }
        try place(atom)
    }

    private func emitLookup(table t: Int, _ tuple: [Value]) throws {
        let table = program.tables[t]
        if case .range(let bits) = table.contents {
            try emitRangeCheck(form(tuple[0]), bits: bits, value: tuple[0])
            return
        }
        guard table.width <= slotWidth else {
            throw LayoutError.unsupported("table \(table.name) is \(table.width) columns wide")
        }
        let key: Goldilocks
        if let k = namedTableKey[t] { key = k } else {
            key = Goldilocks(Layouter.tableKeyBase + UInt64(namedTables.count))
            namedTableKey[t] = key
            namedTables.append(t)
        }
        let keys = try tuple.map { try cellKey($0) }
        try place(Atom(isConstraint: false, slot: (key, keys)))
    }

    /// 32 consecutive rows: the 12 inputs, the state after the initial linear
    /// layer and after each of the 30 rounds (auxiliary cells), the last being
    /// the 12 results. The round gate
    /// checks each transition (docs/constraint-system.md §4).
    private func emitPoseidon(_ ins: Instruction) throws {
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
            closeRow()
            if t == 0 {
                poseidonFixed[0][r] = .one
            } else {
                poseidonFixed[PoseidonRounds.isFull(t - 1) ? 1 : 2][r] = .one
                // INVARIANT: coefficient column l is slot 0's coefficient of cell l (l < 12 ≤ C).
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

    private func setSelector(_ s: FreivaldsShape.Selector, _ r: Int) {
        if sharedFreivaldsSelectors { coefficients[s.rawValue][r] = .one } else { freivaldsFixed[s.rawValue][r] = .one }
    }

    /// Y = X·W checked à la Freivalds in a region of consecutive rows: the
    /// entries of Y row by row (each row of Y from a new table row), then for
    /// each inner index t the entries W[t][·] and X[·][t], `C` per table row.
    /// The challenge phase of `FreivaldsShape` weighs them so that the region's
    /// running sum is Σ σ^i·ρ^j·(Y − X·W)[i][j], which must be zero.
    private func emitMatmul(_ ins: Instruction) throws {
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

    /// Counts a bus read of k. If k's home carries a range lookup, the home
    /// becomes the value's write and the lookup moves to a new limb cell
    /// (equal to a read of k), placed after the current step.
    private func noteRead(_ k: Key) {
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
    private func placeRelocations() throws {
        while let (k, bits, instruction) = relocations.popLast() {
            let saved = currentInstruction
            currentInstruction = instruction
            let limb = newAuxiliary(.solved(.cell(k), product: nil))
            try place(Atom(terms: [(k, .one), (limb, -.one)], defines: [(limb, 3, bits)]))
            currentInstruction = saved
        }
    }

    private func newAuxiliary(_ a: Auxiliary) -> Key {
        auxiliaries.append(a)
        auxInstruction.append(currentInstruction)
        auxHomeRow.append(-1)
        auxHomeColumn.append(0)
        auxReads.append(0)
        return .auxiliary(auxiliaries.count - 1)
    }

    // MARK: placing atoms

    private func homeRow(_ k: Key) -> Int32 { k.isAuxiliary ? auxHomeRow[k.index] : valueHomeRow[k.index] }

    /// New cells the atom needs in the open row (nil: it cannot fit there at all).
    private func cellsNeeded(_ atom: Atom) -> Int? {
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

    private func place(_ atom: Atom) throws {
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

    private func addCell(_ k: Key, role: UInt8, bits: UInt8) -> Int {
        row.keys.append(k)
        row.roles.append(role)
        row.bits.append(bits)
        row.productOperand.append(false)
        row.inSlot.append(false)
        return row.keys.count - 1
    }

    /// Assigns the open row's cells to columns (product operands to their
    /// slot's pair, lookup components to the last cells) and appends it.
    private func closeRow() {
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

    // MARK: results

    /// The bus multiplicity and key of every cell (numerator, key), row-major.
    func busColumns() -> (numerators: [[Goldilocks]], keys: [[Goldilocks]]) {
        var numerators = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: rowCount), count: C)
        var keys = numerators
        for r in 0 ..< rowCount {
            for j in 0 ..< C {
                let i = r * C + j
                let k = cellKeys[i]
                let address = Goldilocks(Layouter.addressBase + UInt64(k.raw))
                switch cellRoles[i] {
                case 1:
                    let reads = k.isAuxiliary ? auxReads[k.index] : valueReads[k.index]
                    if reads > 0 { numerators[j][r] = -Goldilocks(UInt64(reads)); keys[j][r] = address }
                case 2:
                    numerators[j][r] = .one; keys[j][r] = address
                case 3:
                    // Counted in units of the key, as the table counts its rows.
                    numerators[j][r] = Goldilocks(UInt64(cellBits[i])); keys[j][r] = Goldilocks(UInt64(cellBits[i]))
                default:
                    break
                }
            }
        }
        return (numerators, keys)
    }

    /// Bus reads per key kind, for statistics.
    var readCount: Int { Int(valueReads.reduce(0, +) + auxReads.reduce(0, +)) }
}

extension LinearForm {
    func scaled(_ a: Goldilocks) -> LinearForm { LinearForm.combine([(a, self)], constant: .zero) }
    /// The form without its constant.
    var constantFree: LinearForm { LinearForm(constant: .zero, terms: terms) }
}
