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
    let windows: SlotWindows
    /// The most cells one constraint can read (its slot's window).
    let span: Int

    // Forms of IR values: nil = a cell of its own (or not yet placed).
    var formOf: [LinearForm?]
    /// Whether an IR value is free (an input or a hint result) and not yet placed.
    var pending: [Bool]
    var isPublicInput: [Bool]

    // Homes: row and column of each key's defining cell (−1: none yet).
    var valueHomeRow: [Int32]
    var valueHomeColumn: [UInt8]
    var auxHomeRow: [Int32] = []
    var auxHomeColumn: [UInt8] = []
    var valueReads: [UInt32]
    var auxReads: [UInt32] = []

    var auxiliaries: [Auxiliary] = []
    var auxInstruction: [Int32] = []
    var forms: [LinearForm] = []

    // Closed rows.
    var rowCount = 0
    var cellKeys: [Key] = []
    /// 0 empty, 1 home, 2 read, 3 limb (bits in `cellBits`).
    var cellRoles: [UInt8] = []
    var cellBits: [UInt8] = []
    /// The slot coefficient columns (`SlotWindows` says which is which).
    /// Like `poseidonFixed` and `freivaldsFixed`, they hold `fixedCapacity`
    /// rows (zeros past `rowCount`) until `run` trims them.
    var coefficients: [[Goldilocks]]
    var fixedCapacity = 0
    var constraintInstruction: [Int32] = []
    /// Poseidon2 columns per row (when the program permutes): selectors of the
    /// linear-layer, full-round and partial-round transitions. The round
    /// constants go in the slot coefficient columns of those rows (`slotsOn` is 0 there).
    var poseidonFixed: [[Goldilocks]] = []
    /// Input keys of each laid-out permutation (`Auxiliary.poseidon` refers to them).
    var poseidonInputs: [[Key]] = []
    /// The `poseidon2` instruction of each permutation and the `matmul`
    /// instructions, for the witness checks that name them.
    var poseidonInstructions: [Int32] = []
    var matmulInstructions: [Int32] = []
    let hasPoseidon: Bool
    /// Whether Poseidon2 rows also hold the cubes u = (w + rc)³ of the lanes
    /// their round raises to the 7th power (cells 12…23), which brings the
    /// round gate from degree 8 to 4: rows of at least 24 cells.
    let poseidonCubes: Bool
    /// Freivalds columns per row (when the program multiplies matrices): with
    /// `sharedFreivaldsSelectors`, one column that is 1 on region rows, the
    /// region's selectors going in the slot coefficient columns of those rows;
    /// otherwise one column per selector (see `FreivaldsShape`).
    var freivaldsFixed: [[Goldilocks]] = []
    let hasMatmul: Bool
    /// Whether Freivalds selectors share the coefficient columns (their gates
    /// then have degree 5, which needs a blowup of 8).
    let sharedFreivaldsSelectors: Bool
    /// 1 on rows with constraint slots: the slot gate is off elsewhere, so the
    /// coefficient columns can carry other gates' data there.
    var slotsOn: [Goldilocks] = []
    var slotKey: [Goldilocks] = []
    var slotInstruction: [Int32] = []
    /// Stark public inputs: IR public inputs then outputs, each a cell in column 0.
    var publicRows: [Int] = []

    /// Named tables (not range tables), in program order, and their bus keys.
    var namedTables: [Int] = []
    var namedTableKey: [Int: Goldilocks] = [:]
    static let tableKeyBase: UInt64 = 64
    static let addressBase: UInt64 = 1 << 32

    /// Values whose home cell carries their (single-limb) range lookup: bits and
    /// the range check's instruction. Such a home cannot also be the bus write
    /// of the value, so the first read elsewhere moves the lookup (`noteRead`).
    /// Indexed by value (a dense array: `noteRead` asks for every bus read);
    /// instruction −1 for values without such a home.
    var limbHomeBits: [UInt8]
    var limbHomeInstruction: [Int32]
    var relocations: [(Key, UInt8, Int32)] = []

    var row = OpenRow()
    var currentInstruction: Int32 = -1

    struct OpenRow {
        var keys: [Key] = []
        var roles: [UInt8] = []
        var bits: [UInt8] = []
        var productOperand: [Bool] = []
        var inSlot: [Bool] = []
        var constraints: [Pending] = []
        /// Each constraint as `SlotWindows` sees it (its cells, its product's operands).
        var shapes: [SlotWindows.Shape] = []
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

        /// Empties the row for the next one, keeping the arrays' storage (a
        /// row is closed about every ten instructions).
        mutating func reset() {
            keys.removeAll(keepingCapacity: true)
            roles.removeAll(keepingCapacity: true)
            bits.removeAll(keepingCapacity: true)
            productOperand.removeAll(keepingCapacity: true)
            inSlot.removeAll(keepingCapacity: true)
            constraints.removeAll(keepingCapacity: true)
            shapes.removeAll(keepingCapacity: true)
            slot = nil
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

    /// Called with the fraction of the instructions placed.
    var progress: ((Double) -> Void)?

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
        limbHomeBits = [UInt8](repeating: 0, count: n)
        limbHomeInstruction = [Int32](repeating: -1, count: n)
        windows = SlotWindows(cells: parameters.cells, slots: parameters.constraintsPerRow, windowed: parameters.windowedSlots)
        span = windows.windows.map(\.count).max()!
        coefficients = [[Goldilocks]](repeating: [], count: windows.columnCount)
        hasPoseidon = program.opcodes.contains(.poseidon2)
        poseidonCubes = hasPoseidon && parameters.cells >= 2 * Poseidon2.width
        if hasPoseidon { poseidonFixed = [[Goldilocks]](repeating: [], count: 3) }
        hasMatmul = program.opcodes.contains(.matmul)
        sharedFreivaldsSelectors = parameters.stark.blowup >= 8 && windows.columnCount >= FreivaldsShape.Selector.allCases.count
        if hasMatmul {
            freivaldsFixed = [[Goldilocks]](repeating: [], count: sharedFreivaldsSelectors ? 1 : FreivaldsShape.Selector.allCases.count)
        }
        // Room for the rows the program will likely take (the credit audit lays
        // out about one row per ten instructions). Grown by reallocation, the
        // columns were copied and their pages faulted in about twice over: at
        // 10,000 applicants the kernel's page clearing for them was a sixth
        // of the layout. Capacity never written costs address space only.
        let expectedRows = program.instructionCount / 8 + 4096
        for c in coefficients.indices { coefficients[c].reserveCapacity(expectedRows) }
        for c in poseidonFixed.indices { poseidonFixed[c].reserveCapacity(expectedRows) }
        for c in freivaldsFixed.indices { freivaldsFixed[c].reserveCapacity(expectedRows) }
        cellKeys.reserveCapacity(expectedRows * C)
        cellRoles.reserveCapacity(expectedRows * C)
        cellBits.reserveCapacity(expectedRows * C)
        constraintInstruction.reserveCapacity(expectedRows * K)
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
        // About a hundred progress reports, whatever the program's size.
        let reportEvery = max(1, p.instructionCount / 100)
        for i in 0 ..< p.instructionCount {
            currentInstruction = Int32(i)
            if let progress, i % reportEvery == 0 { progress(Double(i) / Double(p.instructionCount)) }
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
            try place(Atom(isConstraint: false, touch: [k]), relocating: false)
            closeRow()
            publicRows.append(rowCount - 1)
            try placeRelocations()
            closeRow()
        }
        trimFixedColumns()
    }

    /// Makes room in the fixed columns for row `rowCount`. They grow by a
    /// quarter at a time (at least 4,096 rows), so that closing a row writes
    /// only its nonzero coefficients instead of appending to every column.
    func reserveFixedRow() {
        guard rowCount >= fixedCapacity else { return }
        let extra = max(4096, fixedCapacity / 4)
        for c in coefficients.indices { coefficients[c].append(contentsOf: repeatElement(.zero, count: extra)) }
        for c in poseidonFixed.indices { poseidonFixed[c].append(contentsOf: repeatElement(.zero, count: extra)) }
        for c in freivaldsFixed.indices { freivaldsFixed[c].append(contentsOf: repeatElement(.zero, count: extra)) }
        fixedCapacity += extra
    }

    /// Cuts the fixed columns to the rows laid out.
    func trimFixedColumns() {
        for c in coefficients.indices { coefficients[c].removeLast(coefficients[c].count - rowCount) }
        for c in poseidonFixed.indices { poseidonFixed[c].removeLast(poseidonFixed[c].count - rowCount) }
        for c in freivaldsFixed.indices { freivaldsFixed[c].removeLast(freivaldsFixed[c].count - rowCount) }
        fixedCapacity = rowCount
    }

    func newAuxiliary(_ a: Auxiliary) -> Key {
        auxiliaries.append(a)
        auxInstruction.append(currentInstruction)
        auxHomeRow.append(-1)
        auxHomeColumn.append(0)
        auxReads.append(0)
        return .auxiliary(auxiliaries.count - 1)
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
