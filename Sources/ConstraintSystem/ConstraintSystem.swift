import CircuitIR
import Field
import Stark

/// A circuit IR program laid out into the STARK prover's table: the circuit
/// (fixed columns, gates, bus), its proving and verifying keys, and what the
/// witness generator needs to fill the advice columns from an IR witness.
///
/// ```swift
/// let cs = try ConstraintSystem.layout(program, parameters: LayoutParameters(preset: .proven100))
/// let irWitness = try Evaluator(program).generate(inputs)
/// let (advice, publicInputs) = try cs.assign(irWitness)
/// let proof = try StarkProver.prove(key: cs.provingKey, witness: advice, publicInputs: publicInputs)
/// try StarkVerifier.verify(key: cs.verifyingKey, publicInputs: publicInputs, proof: proof)
/// ```
///
/// The layout depends on the program and the parameters only (never on a
/// witness), so a verifier rebuilds the same verifying key from the program;
/// the same program gives byte-identical `serialized()` output and digest.
/// Public inputs of the proof are the program's public inputs, then its public
/// outputs, in declaration order (`publicValueNames`).
public struct ConstraintSystem: Sendable {
    /// The program as laid out (after lowering `poseidon2` and `matmul` when present).
    public let program: Program
    /// The program given to `layout`, whose witnesses `assign` takes.
    public let source: Program
    public let parameters: LayoutParameters
    /// Bits per range-check limb actually used.
    public let limbBits: Int
    public let circuit: Circuit
    public let provingKey: ProvingKey
    public let stats: LayoutStats

    let shape: RowShape
    let cellKeys: [Key]
    let cellRoles: [UInt8]
    let cellBits: [UInt8]
    /// The slot coefficient columns (the first fixed columns).
    var coefficients: ArraySlice<[Goldilocks]> { circuit.fixedColumns[0 ..< shape.slotsOn] }
    /// Which cells each slot reads and where its coefficients are.
    var windows: SlotWindows { shape.windows }
    let constraintInstruction: [Int32]
    let slotKey: [Goldilocks]
    let slotInstruction: [Int32]
    let auxiliaries: [Auxiliary]
    let auxInstruction: [Int32]
    let forms: [LinearForm]
    let poseidonInputs: [[Key]]
    let poseidonInstructions: [Int32]
    let matmulInstructions: [Int32]
    let table: StackedTable
    let publicRows: [Int]
    let rowCount: Int
    let lowered: Bool

    public var verifyingKey: VerifyingKey { provingKey.verifyingKey }
    /// The digest the transcript binds (parameters, table size, every constraint, fixed columns).
    public var verifyingKeyDigest: Digest { provingKey.verifyingKey.digest }

    /// Names of the proof's public inputs: the program's public inputs, then its outputs.
    public var publicValueNames: [String] { source.publicInputNames + source.publicOutputNames }

    /// Lays `program` out. Deterministic: depends on the program and the parameters only.
    /// Large programs get wide rows (`LayoutParameters.wideRows`); `parameters`
    /// of the result are the ones used.
    ///
    /// `progress` (called on the calling thread) receives the fraction done:
    /// the placement of the instructions up to 0.9, then the proving key.
    public static func layout(_ program: Program, parameters requested: LayoutParameters,
                              progress: ((Double) -> Void)? = nil) throws -> ConstraintSystem {
        let parameters = requested.forProgram(instructions: program.instructionCount)
        let stats0 = ProgramStats(program)
        // The round gate has degree 8 (x⁷ times its selector): with a smaller
        // blowup, Poseidon2 is expanded into arithmetic instead.
        // It also needs a row of 12 cells and 12 coefficient columns for the round constants.
        let roundGate = parameters.stark.blowup >= 8 && parameters.cells >= Poseidon2.width
            && SlotWindows(cells: parameters.cells, slots: parameters.constraintsPerRow,
                           windowed: parameters.windowedSlots).columnCount >= Poseidon2.width
        let expandPoseidon = stats0[.poseidon2] > 0 && !roundGate
        let lowering: [Pass] = expandPoseidon ? [.expandPoseidon2] : []
        let needsLowering = !lowering.isEmpty
        let laid = needsLowering ? PassPipeline(lowering).run(program).0 : program
        let slotWidth = max(1, laid.tables.filter { if case .rows = $0.contents { true } else { false } }.map(\.width).max() ?? 1)
        try parameters.validate(slotWidth: slotWidth)
        var best: (Layouter, Int, Int)?
        var refusal: Error?
        final class Reported { var value = -1.0 }
        let reported = Reported()
        for limbBits in parameters.limbBits.map({ [$0] }) ?? [16, 15, 14, 12, 8] {
            let layouter = Layouter(program: laid, parameters: parameters, limbBits: limbBits, slotWidth: slotWidth)
            // A retry with narrower limbs starts over: progress never goes back.
            layouter.progress = progress.map { report in
                { fraction in
                    guard 0.9 * fraction > reported.value else { return }
                    reported.value = 0.9 * fraction
                    report(reported.value)
                }
            }
            // Narrow limbs make a wide range check need more cells than a
            // row has: that limb size is not a candidate, a wider one may be.
            do { try layouter.run() } catch let error as LayoutError {
                guard case .unsupported = error else { throw error }
                refusal = refusal ?? error
                continue
            }
            let tableRows = StackedTable.rowCount(limbBits: limbBits, program: laid, named: layouter.namedTables)
            let logRows = Circuit.logRows(forUsableRows: max(layouter.rowCount, tableRows, 1), parameters.stark)
            if best == nil || logRows < best!.2 { best = (layouter, limbBits, logRows) }
            // Smaller limbs only help when the range table, not the rows, sets the size.
            if layouter.rowCount >= tableRows { break }
        }
        guard let (layouter, limbBits, logRows) = best else { throw refusal! }
        guard logRows <= 28 else {
            throw LayoutError.tooLarge("\(layouter.rowCount) rows need 2^\(logRows) table rows; at most 2^28 are supported")
        }
        let table = StackedTable(limbBits: limbBits, program: laid, named: layouter.namedTables, width: slotWidth)
        let shape = RowShape(windows: layouter.windows, slotWidth: slotWidth,
                             namedTables: !layouter.namedTables.isEmpty, poseidon: layouter.hasPoseidon,
                             poseidonCubes: layouter.poseidonCubes,
                             freivalds: layouter.hasMatmul, sharedFreivaldsSelectors: layouter.sharedFreivaldsSelectors)
        let (numerators, keys) = layouter.busColumns()
        // The fixed columns move out of the layouter into the proving key,
        // which pads them to the table in place; the constraint system then
        // reads the key's columns. One copy of them instead of two: at
        // 10,000 applicants they are 2.9 GB, and copying them took 8 s.
        var fixed = layouter.coefficients + [layouter.slotsOn] + numerators + keys
        layouter.coefficients = []
        layouter.slotsOn = []
        if shape.namedTables { fixed.append(layouter.slotKey) }
        fixed.append(table.keys)
        fixed += table.values
        fixed += layouter.poseidonFixed
        fixed += layouter.freivaldsFixed
        layouter.poseidonFixed = []
        layouter.freivaldsFixed = []
        let fixedCount = fixed.count
        var circuit = Circuit(
            logRows: logRows, adviceColumnCount: parameters.cells + 1,
            gates: shape.gates, publicInputs: layouter.publicRows.map { Cell(column: 0, row: $0) },
            phases: shape.freivalds.map { [$0.phase] } ?? [], bus: shape.bus)
        progress?(0.9)
        let provingKey = try ProvingKey(circuit: circuit.movingFixedColumns(from: &fixed), parameters: parameters.stark)
        circuit.fixedColumns = provingKey.paddedFixedColumns
        progress?(1)
        let stats = LayoutStats(layouter: layouter, program: laid, logRows: logRows, tableRows: table.rows.count,
                                fixedColumns: fixedCount, adviceColumns: parameters.cells + 1,
                                usableRows: provingKey.usableRows, limbBits: limbBits)
        return ConstraintSystem(
            program: laid, source: program, parameters: parameters, limbBits: limbBits, circuit: circuit,
            provingKey: provingKey, stats: stats, shape: shape, cellKeys: layouter.cellKeys,
            cellRoles: layouter.cellRoles, cellBits: layouter.cellBits,
            constraintInstruction: layouter.constraintInstruction, slotKey: layouter.slotKey,
            slotInstruction: layouter.slotInstruction, auxiliaries: layouter.auxiliaries,
            auxInstruction: layouter.auxInstruction, forms: layouter.forms, poseidonInputs: layouter.poseidonInputs,
            poseidonInstructions: layouter.poseidonInstructions, matmulInstructions: layouter.matmulInstructions,
            table: table,
            publicRows: layouter.publicRows, rowCount: layouter.rowCount, lowered: needsLowering)
    }
}

/// Column indices of the row shape, and the gates and bus terms over them.
struct RowShape: Sendable {
    let C: Int
    let K: Int
    let windows: SlotWindows
    let slotWidth: Int
    /// Whether the program looks up named tables (the lookup slot's key column and bus term).
    let namedTables: Bool
    /// Whether the Poseidon2 round gate (and its 3 selector columns) is present.
    let poseidon: Bool
    /// Whether its rows hold the cubes of the S-box inputs (degree 4 instead of 8).
    let poseidonCubes: Bool
    /// The Freivalds check's gates and phase, when the program multiplies matrices.
    private(set) var freivalds: FreivaldsShape?

    init(windows: SlotWindows, slotWidth: Int, namedTables: Bool, poseidon: Bool, poseidonCubes: Bool = false,
         freivalds: Bool, sharedFreivaldsSelectors: Bool) {
        self.poseidonCubes = poseidonCubes
        C = windows.C
        K = windows.K
        self.windows = windows
        self.slotWidth = slotWidth
        self.namedTables = namedTables
        self.poseidon = poseidon
        self.freivalds = nil
        if freivalds {
            let start = poseidonStart + (poseidon ? 3 : 0)
            self.freivalds = sharedFreivaldsSelectors ? FreivaldsShape(C: C, onColumn: start, dataStart: 0)
                : FreivaldsShape(C: C, onColumn: nil, dataStart: start)
        }
    }

    /// 1 on rows whose slots hold constraints.
    var slotsOn: Int { windows.columnCount }
    var numeratorStart: Int { slotsOn + 1 }
    var keyStart: Int { numeratorStart + C }
    /// The lookup slot's key (when `namedTables`).
    var slotKey: Int { keyStart + C }
    var tableKey: Int { keyStart + C + (namedTables ? 1 : 0) }
    var tableValueStart: Int { tableKey + 1 }
    var poseidonStart: Int { tableValueStart + slotWidth }
    var fixedCount: Int {
        poseidonStart + (poseidon ? 3 : 0) + (freivalds.map { $0.onColumn == nil ? FreivaldsShape.Selector.allCases.count : 1 } ?? 0)
    }
    var multiplicity: Int { C }

    /// Slot k: Σⱼ aₖⱼ·wⱼ + cₖ + mₖ·w₂ₖ·w₂ₖ₊₁ = 0 where `slotsOn` is 1; the
    /// Poseidon2 round gate; the Freivalds gates.
    var gates: [Gate] {
        let slots = (0 ..< K).map { k in
            var e = Expression.fixed(windows.constant(k))
            if let m = windows.product(k) { e = e + .fixed(m) * .advice(2 * k) * .advice(2 * k + 1) }
            for j in windows.windows[k] { e = e + .fixed(windows.coefficient(k, j)!) * .advice(j) }
            return Gate("slot \(k)", .fixed(slotsOn) * e)
        }
        return slots + (poseidon ? [poseidonGate] : []) + (freivalds?.gates ?? [])
    }

    /// Row r holds a Poseidon2 state in cells 0…11 and row r + 1 the next one:
    /// after the initial layer, w' = M_E·w; after a full round, w' = M_E·(w + rc)⁷;
    /// after a partial round, w' = M_I·((w₀ + rc₀)⁷, w₁, …, w₁₁). The linear
    /// layers are written with their structure (`PoseidonRounds.external`,
    /// `internal`) so that the quotient evaluates few products. Degree 8 with
    /// its selector.
    ///
    /// With `poseidonCubes` the row also holds u_l = (w_l + rc_l)³ in cell
    /// 12 + l (every lane of a full round, lane 0 of a partial one), the gate
    /// checks u_l − (w_l + rc_l)³ = 0 and uses u_l²·(w_l + rc_l) for the 7th
    /// power: the same permutation at degree 4 (so that the quotient of the
    /// whole circuit needs half the points). Cells 12 + l of partial rows,
    /// l ≥ 1, are not read.
    var poseidonGate: Gate {
        let n = Poseidon2.width
        let w = (0 ..< n).map { Expression.advice($0) }, next = (0 ..< n).map { Expression.advice($0, .next) }
        // The round constants sit in the first coefficient columns of Poseidon2 rows.
        let rc = (0 ..< n).map { Expression.fixed($0) }
        let linear = Expression.fixed(poseidonStart), full = Expression.fixed(poseidonStart + 1)
        let partial = Expression.fixed(poseidonStart + 2)
        let cube = (0 ..< n).map { Expression.advice(n + $0) }
        func seventh(_ x: Expression) -> Expression { let x2 = x * x; return x2 * x2 * x2 * x }
        func seventh(_ l: Int) -> Expression {
            let x = w[l] + rc[l]
            return poseidonCubes ? cube[l] * cube[l] * x : seventh(x)
        }
        func external(_ y: [Expression]) -> [Expression] {
            PoseidonRounds.external(y, add: { $0 + $1 }, scale: { $0 == 1 ? $1 : Expression.constant(Goldilocks($0)) * $1 })
        }
        let linearOut = external(w)
        let fullOut = external((0 ..< n).map { seventh($0) })
        var lanes = w
        lanes[0] = seventh(0)
        let partialOut = PoseidonRounds.internal(lanes, add: { $0 + $1 }, multiply: { Expression.constant($0) * $1 })
        var constraints = (0 ..< n).map { l -> Expression in
            let a: Expression = linear * (next[l] - linearOut[l])
            let b: Expression = full * (next[l] - fullOut[l])
            let c: Expression = partial * (next[l] - partialOut[l])
            return a + b + c
        }
        if poseidonCubes {
            for l in 0 ..< n {
                let x = w[l] + rc[l]
                let e: Expression = full * (cube[l] - x * x * x)
                constraints.append(l == 0 ? e + partial * (cube[0] - x * x * x) : e)
            }
        }
        return Gate("poseidon2 round", constraints)
    }

    /// One term per cell (range lookup, write or read), the table-lookup slot,
    /// and the stacked table with its multiplicities. The lookup slot and the
    /// table count in units of their (nonzero) key, so that the key column is
    /// also the selector: a row of table key κ looked up c times balances
    /// c·κ against multiplicity·κ.
    var bus: [BusTerm] {
        var terms = (0 ..< C).map { j in
            BusTerm(name: "cell \(j)", multiplicity: .fixed(numeratorStart + j), values: [.fixed(keyStart + j), .advice(j)])
        }
        if namedTables {
            terms.append(BusTerm(name: "table lookup", multiplicity: .fixed(slotKey),
                                 values: [.fixed(slotKey)] + (0 ..< slotWidth).map { .advice(C - slotWidth + $0) }))
        }
        terms.append(BusTerm(name: "table", multiplicity: -(.fixed(tableKey) * .advice(multiplicity)),
                             values: [.fixed(tableKey)] + (0 ..< slotWidth).map { .fixed(tableValueStart + $0) }))
        return terms
    }
}

/// The range table (every (b, v) with 1 ≤ b ≤ limb bits and v < 2^b) and the
/// program's named tables (key 64 + t, then the row), stacked in the same
/// fixed columns, one bus key per table.
struct StackedTable: Sendable {
    let rows: [Int]
    let keys: [Goldilocks]
    /// `width` columns of values.
    let values: [[Goldilocks]]
    /// Row of (b, 0) for each b (index b).
    let rangeStart: [Int]
    /// For each named table (by bus key order): its program table index and first row.
    let namedStart: [(table: Int, row: Int)]

    static func rowCount(limbBits: Int, program: Program, named: [Int]) -> Int {
        (1 << (limbBits + 1)) - 2 + named.map { program.tables[$0].rowCount }.reduce(0, +)
    }

    init(limbBits: Int, program: Program, named: [Int], width: Int) {
        var keys: [Goldilocks] = []
        var values = [[Goldilocks]](repeating: [], count: width)
        var rangeStart = [0]
        for b in 1 ... limbBits {
            rangeStart.append(keys.count)
            for v in 0 ..< (1 << b) {
                keys.append(Goldilocks(UInt64(b)))
                values[0].append(Goldilocks(UInt64(v)))
                for c in 1 ..< width { values[c].append(.zero) }
            }
        }
        var namedStart: [(Int, Int)] = []
        for (i, t) in named.enumerated() {
            let table = program.tables[t]
            namedStart.append((t, keys.count))
            let key = Goldilocks(Layouter.tableKeyBase + UInt64(i))
            for r in 0 ..< table.rowCount {
                keys.append(key)
                for c in 0 ..< width { values[c].append(c < table.width ? table.element(row: r, column: c) : .zero) }
            }
        }
        self.rows = Array(keys.indices)
        self.keys = keys
        self.values = values
        self.rangeStart = rangeStart
        self.namedStart = namedStart
    }
}

extension Circuit {
    /// This circuit with `columns` as its fixed columns, moved out of
    /// `columns` (left empty), so that the result holds the only references.
    func movingFixedColumns(from columns: inout [[Goldilocks]]) -> Circuit {
        var circuit = self
        circuit.fixedColumns = []
        swap(&circuit.fixedColumns, &columns)
        return circuit
    }
}
