import Field

/// Options of a proving run.
public struct ProverOptions: Sendable {
    /// Called with a stage name and the fraction of the work done (0…1).
    public var progress: (@Sendable (String, Double) -> Void)?
    /// Testing only: skip the honest-prover checks so that soundness tests can
    /// produce proofs of false statements and watch the verifier reject them.
    var skipWitnessChecks = false
    /// Testing only: claim quotient values at z that satisfy the out-of-domain
    /// identity (a cheating prover), leaving DEEP and FRI to catch the lie.
    var lieAtOutOfDomainPoint = false
    /// Testing only: a fixed seed for the prover's randomness.
    var seed: [UInt8]?
    /// Whether the committed columns' low-degree extensions are kept from
    /// their commitment to the openings or recomputed where needed.
    public var extensionStorage = ExtensionStorage.automatic
    /// Called with the name of each step as it starts, finer than the
    /// stages of `progress` (for benchmarks: `zkpolicy-bench stark --stages`
    /// prints each step's duration; the command line does not show them).
    public var step: (@Sendable (String) -> Void)?

    public init(progress: (@Sendable (String, Double) -> Void)? = nil) {
        self.progress = progress
    }
}

/// The STARK prover (the protocol is described in docs/security.md):
/// commit advice → for each challenge phase: challenges, fill, commit →
/// α, quotient + mask commit → z, out-of-domain values → γ, DEEP composition →
/// FRI → proof of work → queries → openings.
public enum StarkProver {
    /// Proves that `witness` (advice columns, usable rows each) satisfies the
    /// circuit of `key` with these public inputs. Throws, naming the gate, row,
    /// lookup or cell, when it does not.
    ///
    /// - Parameter context: bytes bound into the transcript before any challenge
    ///   (the policy digest); the verifier must pass the same bytes.
    ///
    /// The key is taken by value: a caller that hands over its last reference
    /// (`consume key`) lets the prover reuse the fixed columns' storage for
    /// their coefficients; one that keeps the key keeps it intact.
    public static func prove(key: consuming ProvingKey, witness: consuming [[Goldilocks]], publicInputs: [Goldilocks],
                             context: [UInt8] = [], options: ProverOptions = ProverOptions()) throws -> Proof {
        // One instantiation per extension, chosen once here.
        if key.verifyingKey.parameters.extensionDegree == 3 {
            var run = try ProverRun<GoldilocksExt3>(key: key, witness: witness, publicInputs: publicInputs, options: options)
            return try run.prove(context: context)
        }
        var run = try ProverRun<GoldilocksExt2>(key: key, witness: witness, publicInputs: publicInputs, options: options)
        return try run.prove(context: context)
    }
}

/// The state of one proof in progress, over the extension E of the key's
/// parameters (challenges, extension columns, out-of-domain point, FRI).
struct ProverRun<E: ExtensionField> {
    typealias Program = ConstraintProgram<E>

    let key: ProvingKey
    let layout: CircuitLayout
    let params: StarkParameters
    let domain: LDEDomain
    let options: ProverOptions
    let publicInputs: [Goldilocks]
    var rng: SecureRandom
    /// Table columns (n rows each) in view order: fixed, advice, phase components.
    var tableColumns: [[Goldilocks]]
    var phaseValues: [[[E]]] = []
    var challenges: [[E]] = []
    var committed: [CommittedColumns] = []
    let instanceTable: [[Goldilocks]]
    /// Whether committed columns keep their LDE (`ExtensionStorage`).
    let keepsExtensions: Bool

    init(key: consuming ProvingKey, witness: consuming [[Goldilocks]], publicInputs: [Goldilocks], options: ProverOptions) throws {
        // The run holds the fixed columns once, in `tableColumns`, not also in
        // its key and layout: when no one else holds them, the quotient turns
        // them into coefficients in place instead of copying them.
        let fixedValues = key.layout.fixedValues
        key.layout.fixedValues = []
        self.key = key
        layout = key.layout
        params = layout.parameters
        domain = LDEDomain(logRows: layout.logRows, logBlowup: params.logBlowup)
        self.options = options
        self.publicInputs = publicInputs
        rng = options.seed.map { SecureRandom(seed: $0) } ?? SecureRandom()
        guard witness.count == layout.userAdviceCount else {
            throw StarkError.invalidWitness("\(witness.count) advice columns given, the circuit has \(layout.userAdviceCount)")
        }
        for (i, column) in witness.enumerated() where column.count > layout.usableRows {
            throw StarkError.invalidWitness("advice column \(i) has \(column.count) values, only \(layout.usableRows) rows are usable")
        }
        guard publicInputs.count == layout.publicInputCells.count else {
            throw StarkError.invalidWitness("\(publicInputs.count) public inputs given, the circuit has \(layout.publicInputCells.count)")
        }
        let n = layout.rows
        tableColumns = fixedValues
        // Each witness column is padded to the table; a column no one else
        // holds is released as soon as its padded copy exists.
        for i in witness.indices {
            let column = witness[i]
            witness[i] = []
            tableColumns.append(column.padded(to: n, with: .zero))
        }
        // Multiplicity columns are filled in `fillMultiplicities`.
        for _ in 0 ..< layout.tables.count { tableColumns.append([Goldilocks](repeating: .zero, count: n)) }
        instanceTable = ProverRun.instanceColumns(layout, publicInputs)
        keepsExtensions = options.extensionStorage.keeps(ProverRun.committedExtensionBytes(layout))
    }

    /// The bytes of every committed column's LDE kept at once: advice, phase
    /// components and the quotient tree.
    static func committedExtensionBytes(_ layout: CircuitLayout) -> Int {
        let width = layout.treeWidths.dropFirst().reduce(0, +)
        return width * (layout.rows << layout.parameters.logBlowup) * MemoryLayout<Goldilocks>.stride
    }

    /// The public-input interpolants on the table: value at the cell's row, 0 elsewhere.
    static func instanceColumns(_ layout: CircuitLayout, _ inputs: [Goldilocks]) -> [[Goldilocks]] {
        layout.instanceCells.map { cells in
            var column = [Goldilocks](repeating: .zero, count: layout.rows)
            for c in cells { column[c.row] = inputs[c.input] }
            return column
        }
    }

    func report(_ stage: String, _ fraction: Double) { options.progress?(stage, fraction) }

    /// Marks the start of a step (`ProverOptions.step`).
    func mark(_ step: String) { options.step?(step) }

    // MARK: evaluation on the table

    /// Runs a program over the table (one block, shift 1), handing each batch's
    /// scratch to `visit(start, count, scratch)`.
    func evaluateOnTable(_ program: Program, extraColumns: [[Goldilocks]] = [],
                         _ visit: (Int, Int, UnsafeMutablePointer<Goldilocks>) -> Void) {
        withPointers(tableColumns + extraColumns) { pointers in
            program.forEachBatch(columns: pointers, rows: layout.rows, visit)
        }
    }

    /// Like `evaluateOnTable`, on all cores; `visit` must only write state owned by its batch.
    func evaluateOnTableInParallel(_ program: Program, extraColumns: [[Goldilocks]] = [],
                                   _ visit: (Int, Int, UnsafeMutablePointer<Goldilocks>) -> Void) {
        // A few parts per core balance uneven work without much overhead.
        evaluateOnTableInParts(program, parts: 4 * Parallel.threadCount, extraColumns: extraColumns) { _, start, count, scratch in
            visit(start, count, scratch)
        }
    }

    /// Like `evaluateOnTable`, the table cut into `parts` contiguous runs of
    /// batches evaluated in parallel: `visit(part, start, count, scratch)` may
    /// write state owned by its batch or by its part (a per-part accumulator).
    func evaluateOnTableInParts(_ program: Program, parts: Int, extraColumns: [[Goldilocks]] = [],
                                _ visit: (Int, Int, Int, UnsafeMutablePointer<Goldilocks>) -> Void) {
        withPointers(tableColumns + extraColumns) { pointers in
            program.forEachBatch(columns: pointers, rows: layout.rows, parts: parts, visit)
        }
    }

    /// Table columns padded with zero columns up to the instance offset, then instances.
    var instancePadding: [[Goldilocks]] {
        let missing = layout.instanceOffset - tableColumns.count
        return [[Goldilocks]](repeating: [], count: max(0, missing)) + instanceTable
    }

    func program(_ expressions: [Expression]) -> Program {
        let offset = layout.instanceOffset
        return Program(expressions: expressions, columnIndex: { layout.viewIndex($0) },
                       instanceIndex: { offset + $0 }, challenges: challenges)
    }

    // MARK: honest-prover checks and multiplicities

    /// Counts how often each table row is looked up (the multiplicity
    /// columns) and checks that every looked-up tuple is in its table. Each
    /// part of the table counts into arrays of its own, on all cores; the
    /// parts' counts are then summed.
    mutating func fillMultiplicitiesAndCheckLookups() throws {
        if layout.lookups.isEmpty { return }
        let indices = layout.tables.map(TableIndex.init)
        var expressions: [Expression] = []
        for l in layout.lookups { expressions.append(l.selector.resolved(layout)); expressions += l.inputs.map { $0.resolved(layout) } }
        let prog = program(expressions)
        let n = layout.rows, tableCount = layout.tables.count
        let parts = Parallel.threadCount
        // Part p's count of table t's row r: counts[(p·tables + t)·n + r].
        var counts = [Goldilocks](largeRepeating: .zero, count: parts * tableCount * n)
        var failures = [StarkError?](repeating: nil, count: parts)
        let usable = layout.usableRows
        let lookups = layout.lookups
        // Where each lookup's selector and inputs lie in a batch's scratch.
        var offsets: [(selector: Int, inputs: [Int])] = []
        for l in lookups {
            let first = offsets.reduce(0) { $0 + 1 + $1.inputs.count }
            offsets.append((prog.outputOffset(first), (0 ..< l.inputs.count).map { prog.outputOffset(first + 1 + $0) }))
        }
        counts.withUnsafeMutableBufferPointer { counts in
            failures.withUnsafeMutableBufferPointer { failures in
                // Within a part the batches run in order, so its first failure is its earliest.
                evaluateOnTableInParts(prog, parts: parts) { part, start, count, scratch in
                    for (l, lookup) in lookups.enumerated() {
                        let selector = scratch + offsets[l].selector, inputs = offsets[l].inputs
                        let index = indices[lookup.table]
                        let partCounts = counts.baseAddress! + (part * tableCount + lookup.table) * n
                        for i in 0 ..< count where start + i < usable && !selector[i].isZero {
                            if let r = index.row({ scratch[inputs[$0] + i] }) {
                                partCounts[r] += selector[i]
                            } else if failures[part] == nil {
                                failures[part] = .lookupFailed(lookup: lookup.name, row: start + i,
                                                               values: inputs.map { scratch[$0 + i].value })
                            }
                        }
                    }
                }
            }
        }
        if !options.skipWitnessChecks, let failure = failures.compactMap({ $0 }).first { throw failure }
        let base = layout.fixedCount + layout.userAdviceCount
        for t in 0 ..< tableCount {
            var multiplicities = [Goldilocks](repeating: .zero, count: n)
            multiplicities.withUnsafeMutableBufferPointer { out in
                counts.withUnsafeBufferPointer { counts in
                    Parallel.forRanges(n, minimumPerThread: 1 << 14) { rows in
                        for p in 0 ..< parts {
                            let part = counts.baseAddress! + (p * tableCount + t) * n
                            for r in rows { out[r] += part[r] }
                        }
                    }
                }
            }
            tableColumns[base + t] = multiplicities
        }
    }

    /// Called when the LogUp running sum does not end at zero: finds the
    /// first bus tuple whose multiplicities do not sum to zero and throws
    /// `busUnbalanced` for it (returns when every tuple balances, leaving the
    /// constraint check to report the failed "logup total is zero").
    ///
    /// The sum is Σ over tuples t of net(t) / (β − compress(t)), a rational
    /// function of β: when some net(t) is not zero it vanishes at no more
    /// β than there are tuples, out of the whole extension field. So the sum,
    /// which the prover computes anyway, is the fast test of the balance;
    /// this slow search only runs on a witness the prover refuses. Tuples are
    /// keyed by a fixed linear compression (v₀ + c·v₁ + c²·v₂ + …): an
    /// accidental collision could only hide which tuple is at fault.
    func locateUnbalancedBusTuple() throws {
        if layout.bus.isEmpty { return }
        var expressions: [Expression] = []
        for t in layout.bus { expressions.append(t.multiplicity.resolved(layout)); expressions += t.values.map { $0.resolved(layout) } }
        let prog = program(expressions)
        let c = Goldilocks(0x9E37_79B9_7F4A_7C15 % Goldilocks.modulus)
        var net: [UInt64: Goldilocks] = [:]
        var first: [UInt64: (row: Int, term: Int, values: [UInt64])] = [:]
        let usable = layout.usableRows
        let terms = layout.bus
        evaluateOnTable(prog) { start, count, scratch in
            var output = 0
            for (k, t) in terms.enumerated() {
                let m = prog.output(output, in: scratch)
                let values = (0 ..< t.values.count).map { prog.output(output + 1 + $0, in: scratch) }
                output += 1 + t.values.count
                for i in 0 ..< count where start + i < usable && !m[i].isZero {
                    // Trailing zeros do not change the tuple (nor this key).
                    var key = Goldilocks.zero, power = Goldilocks.one
                    for v in values { key += power * v[i]; power *= c }
                    net[key.value, default: .zero] += m[i]
                    if first[key.value] == nil { first[key.value] = (start + i, k, values.map { $0[i].value }) }
                }
            }
        }
        if let bad = first.filter({ !(net[$0.key] ?? .zero).isZero }).min(by: { ($0.value.row, $0.value.term) < ($1.value.row, $1.value.term) }) {
            throw StarkError.busUnbalanced(term: terms[bad.value.term].name, row: bad.value.row, values: bad.value.values)
        }
    }

    func checkCopiesAndPublicInputs() throws {
        if options.skipWitnessChecks { return }
        let adviceBase = layout.fixedCount
        for c in layout.copyConstraints
        where tableColumns[adviceBase + c.a.column][c.a.row] != tableColumns[adviceBase + c.b.column][c.b.row] {
            throw StarkError.copyConstraintViolated(c.a, c.b)
        }
        for (i, cell) in layout.publicInputCells.enumerated()
        where tableColumns[adviceBase + cell.column][cell.row] != publicInputs[i] {
            throw StarkError.publicInputMismatch(index: i, cell: cell)
        }
    }

    /// Checks the constraints that only read columns committed so far (all of
    /// them when `upToPhase` is the last phase).
    func checkConstraints(upToPhase: Int) throws {
        if options.skipWitnessChecks { return }
        let selected = layout.constraints.filter { $0.expression.maxPhase == upToPhase }
        if selected.isEmpty { return }
        let prog = program(selected.map(\.expression))
        // The first failing row of each batch (batches write only their own slot).
        let B = Program.batch
        let batches = (layout.rows + B - 1) / B
        var failures = [(row: Int, constraint: Int)?](repeating: nil, count: batches)
        failures.withUnsafeMutableBufferPointer { slots in
            evaluateOnTableInParallel(prog, extraColumns: instancePadding) { start, count, scratch in
                var first: (row: Int, constraint: Int)?
                for k in selected.indices {
                    // A constraint holds on a row when every coefficient of its value is zero.
                    let out = prog.output(k, in: scratch)
                    for i in 0 ..< count where (0 ..< E.degree).contains(where: { !out[$0 * B + i].isZero }) {
                        if first == nil || start + i < first!.row { first = (start + i, k) }
                        break
                    }
                }
                slots[start / B] = first
            }
        }
        if let first = failures.compactMap({ $0 }).first {
            let c = selected[first.constraint]
            throw StarkError.gateNotSatisfied(gate: c.name, constraint: c.index, row: first.row)
        }
    }

    // MARK: the protocol

    mutating func prove(context: [UInt8]) throws -> Proof {
        let n = layout.rows, usable = layout.usableRows
        let protocolID = Proof.protocolID(extensionDegree: E.degree)
        var transcript = Transcript(protocolID: protocolID)
        transcript.absorb(bytes: key.verifyingKey.digest.bytes)
        transcript.absorb(bytes: context)
        transcript.absorb(publicInputs)

        report("checking witness", 0)
        mark("copy constraints and public inputs")
        try checkCopiesAndPublicInputs()
        mark("lookup multiplicities")
        try fillMultiplicitiesAndCheckLookups()
        // The bus balance is checked on the LogUp running sum (`locateUnbalancedBusTuple`).
        // Blinding: random rows after the usable ones in every witness column
        // (before the checks, so that a gate reading `.next` on the last usable
        // row sees what the proof will contain).
        let adviceRange = layout.fixedCount ..< layout.fixedCount + layout.adviceCount
        for c in adviceRange {
            for r in usable ..< n { tableColumns[c][r] = Goldilocks.random(using: &rng) }
        }
        mark("gate check")
        try checkConstraints(upToPhase: 0)
        report("committing advice", 0.05)
        mark("advice commitment")
        let salts = rng.split()
        let advice = CommittedColumns(values: Array(tableColumns[adviceRange]), domain: domain,
                                      foldingFactor: params.foldingFactor, salts: salts, saltDomain: 1,
                                      keepExtension: keepsExtensions)
        committed.append(advice)
        transcript.absorb(advice.tree.root)

        for (p, count) in layout.phaseColumnCounts.enumerated() {
            let phase = p + 1
            challenges.append((0 ..< layout.phaseChallengeCounts[p]).map { _ in transcript.challenge(E.self) })
            report("challenge phase \(phase)", 0.1 + 0.1 * Double(p) / Double(layout.phaseColumnCounts.count))
            var columns: [[E]]
            mark("phase \(phase) fill")
            if phase == layout.logUpPhase {
                columns = fillLogUp()
                if !options.skipWitnessChecks, let total = columns.last?.last, !total.isZero {
                    try locateUnbalancedBusTuple()
                }
            } else {
                let user = key.phases[p]
                let input = PhaseInput(
                    usableRows: usable,
                    fixed: Array(tableColumns[0 ..< layout.userFixedCount]),
                    advice: Array(tableColumns[layout.fixedCount ..< layout.fixedCount + layout.userAdviceCount]),
                    phaseColumns: phaseValues,
                    challenges: challenges)
                columns = try user.filling.fill(input)
                guard columns.count == count else {
                    throw StarkError.phaseFillInvalid(phase: user.name, "returned \(columns.count) columns, expected \(count)")
                }
                for (i, column) in columns.enumerated() where column.count != usable {
                    throw StarkError.phaseFillInvalid(phase: user.name, "column \(i) has \(column.count) values, expected \(usable)")
                }
            }
            for c in columns.indices {
                columns[c].removeSubrange(usable...)
                for _ in usable ..< n { columns[c].append(E.random(using: &rng)) }
            }
            mark("phase \(phase) commitment")
            phaseValues.append(columns)
            var base: [[Goldilocks]] = []
            for column in columns { base += ProverRun.coefficientColumns(column) }
            tableColumns += base
            let tree = CommittedColumns(values: base, domain: domain, foldingFactor: params.foldingFactor,
                                        salts: salts, saltDomain: UInt64(2 + phase), keepExtension: keepsExtensions)
            committed.append(tree)
            transcript.absorb(tree.tree.root)
            mark("phase \(phase) check")
            try checkConstraints(upToPhase: phase)
        }

        // The table's values are not read again: the quotient works from the
        // fixed columns' coefficients and the committed LDEs or coefficients.
        var fixed = Array(tableColumns.prefix(layout.fixedCount))
        tableColumns = []
        phaseValues = []

        // Quotient.
        let alpha = transcript.challenge(E.self)
        report("quotient", 0.3)
        mark("quotient: regrouping")
        let quotient = computeQuotient(alpha: alpha, fixed: &fixed)
        fixed = []
        mark("quotient: randomisation and commitment")
        let quotientTree = commitQuotient(quotient, salts: salts)
        committed.append(quotientTree)
        transcript.absorb(quotientTree.tree.root)

        // Out-of-domain sampling: every committed column but the mask at z; at z·ω
        // only the columns constraints read at the next row — never the quotient
        // chunks, whose values at z·ω would reveal the trace at z·ω² (docs/security.md §4).
        var z = transcript.challenge(E.self)
        while z.isBase || z.power(UInt64(n)) == .one { z = transcript.challenge(E.self) }
        let zNext = z * Goldilocks.rootOfUnity(logOrder: layout.logRows)
        report("out-of-domain evaluation", 0.5)
        mark("out-of-domain values: fixed columns")
        // Fixed columns as the verifier computes them (they are not committed);
        // the others from their coefficients.
        let fixedCount = layout.fixedCount
        let fixedNext = Set(layout.nextColumns.filter { $0 < fixedCount })
        let fixedAt = try key.verifyingKey.fixed.evaluate(logRows: layout.logRows, at: z,
                                            readAtNext: { fixedNext.contains($0) })
        mark("out-of-domain values: committed columns")
        let committedCoefficients = committed.map(\.coefficients).flatMap { $0 }
        var atZ = fixedAt.atZ + ProverRun.evaluate(Array(committedCoefficients.prefix(layout.oodColumnCount - fixedCount)), at: z)
        let committedNext = ProverRun.evaluate(layout.nextColumns.filter { $0 >= fixedCount }
                                                .map { committedCoefficients[$0 - fixedCount] }, at: zNext)
        var nextCursor = 0
        let atZNext = layout.nextColumns.map { c -> E in
            if c < fixedCount { return fixedAt.atZNext[c] }
            defer { nextCursor += 1 }
            return committedNext[nextCursor]
        }
        if options.lieAtOutOfDomainPoint {
            let L = key.verifyingKey.layout
            let (composition, quotient, vanishing) = try StarkVerifier.outOfDomainSides(
                L, z: z, atZ: atZ, atZNext: atZNext, alpha: alpha, challenges: challenges,
                publicInputs: publicInputs, logRows: layout.logRows)
            // Shift chunk 0's first component so that the identity holds.
            let q = L.treeWidths.dropLast().reduce(0, +)
            atZ[q] += composition * vanishing.inverse - quotient
        }
        // Only the committed columns' values go into the proof (and the
        // transcript): the verifier computes the fixed ones itself.
        let openedAtZ = Array(atZ[fixedCount...])
        let openedAtZNext = layout.nextColumns.indices.filter { layout.nextColumns[$0] >= fixedCount }.map { atZNext[$0] }
        precondition(openedAtZNext.count == committedNext.count)
        transcript.absorb(openedAtZ)
        transcript.absorb(openedAtZNext)

        // DEEP composition (one independent coefficient per opened value) and FRI.
        let deepCoefficients = (0 ..< atZ.count + atZNext.count).map { _ in transcript.challenge(E.self) }
        report("DEEP composition", 0.6)
        mark("DEEP: combination")
        let deep = try deepComposition(z: z, zNext: zNext, atZ: atZ, atZNext: atZNext, coefficients: deepCoefficients)
        report("FRI", 0.7)
        mark("FRI")
        let fri = try FRIProver.commit(deep, parameters: params, logRows: layout.logRows, transcript: &transcript,
                                       exact: !options.skipWitnessChecks)

        report("proof of work", 0.85)
        mark("proof of work")
        let nonce = transcript.grind(bits: params.grindingBits)
        transcript.absorb(bytes: withUnsafeBytes(of: nonce.littleEndian) { Array($0) })
        let positions = transcript.challengeIndices(count: params.queryCount, bound: domain.size / params.foldingFactor)
        let leaves = Array(Set(positions)).sorted()

        mark("openings")
        var openings: [TreeOpening] = []
        for (t, tree) in committed.enumerated() {
            // Trees whose extension was not kept recompute their blocks here.
            report("openings", 0.9 + 0.1 * Double(t) / Double(committed.count))
            openings.append(tree.open(leaves))
        }
        mark("done")
        report("done", 1)
        return Proof(header: ProofHeader(version: Proof.version, protocolID: protocolID, hash: SHA256.name,
                                         parameters: params, logRows: layout.logRows,
                                         security: key.verifyingKey.security),
                     commitments: committed.map(\.tree.root), oodValues: ExtensionWords(openedAtZ + openedAtZNext),
                     friRoots: fri.roots, finalPolynomial: ExtensionWords(fri.finalPolynomial), powNonce: nonce,
                     treeOpenings: openings, friOpenings: fri.open(leaves))
    }

    // MARK: LogUp

    /// Helper columns h = Σ_group n/d and the running sum, on usable rows.
    ///
    /// Batch by batch: the program evaluates every fraction's numerator and
    /// denominator on the batch's rows, one inversion serves all of the
    /// batch's denominators (Montgomery's trick over fractions × rows), and
    /// only the helper values leave the batch. Whole-table numerator and
    /// denominator arrays (fractions × rows extension values, 285 MB for the
    /// credit audit's 34 fractions) are never built or faulted in.
    func fillLogUp() -> [[E]] {
        let usable = layout.usableRows
        var expressions: [Expression] = []
        for f in layout.fractions { expressions.append(f.numerator); expressions.append(f.denominator) }
        let prog = program(expressions)
        let B = Program.batch
        let fractionCount = layout.fractions.count
        let groups = layout.helperGroups
        var helpers = groups.map { _ in [E](repeating: .zero, count: usable) }
        var total = [E](repeating: .zero, count: usable)
        // One buffer of fractions × B inverses per part (a part's batches run in order on one thread).
        let parts = 4 * Parallel.threadCount
        let inverses = UnsafeMutablePointer<E>.allocate(capacity: parts * fractionCount * B)
        defer { inverses.deallocate() }
        withMutablePointers(&helpers) { out in
            total.withUnsafeMutableBufferPointer { sum in
                // Each batch writes only its own rows.
                evaluateOnTableInParts(prog, parts: parts) { part, start, count, scratch in
                    let rows = min(count, usable - start)
                    guard rows > 0 else { return }
                    let inverse = inverses + part * fractionCount * B
                    for f in 0 ..< fractionCount {
                        let denominator = prog.output(2 * f + 1, in: scratch)
                        for i in 0 ..< rows { inverse[f * rows + i] = E(denominator + i, stride: B) }
                    }
                    E.batchInvert(UnsafeMutableBufferPointer(start: inverse, count: fractionCount * rows))
                    for (g, group) in groups.enumerated() {
                        for i in 0 ..< rows {
                            var h = E.zero
                            for f in group { h += E(prog.output(2 * f, in: scratch) + i, stride: B) * inverse[f * rows + i] }
                            out[g][start + i] = h
                            sum[start + i] += h
                        }
                    }
                }
            }
        }
        // The last group has no column of its own when the accumulator absorbs it.
        var columns = layout.mergedLastGroup ? Array(helpers.dropLast()) : helpers
        var acc = [E](repeating: .zero, count: usable)
        var running = E.zero
        for r in 0 ..< usable { running += total[r]; acc[r] = running }
        columns.append(acc)
        return columns
    }

    // MARK: quotient

    /// The coefficients of Q = (Σ α^i C_i) / (X^n − 1), as e base-field vectors
    /// (one per coefficient of the extension).
    ///
    /// Q has degree maxDegree − n, so it is evaluated only on the fewest storage
    /// blocks that determine it (`QuotientInterpolation`).
    ///
    /// `fixed` holds the fixed columns' values; the columns the quotient reads
    /// are turned into coefficients in place.
    func computeQuotient(alpha: E, fixed: inout [[Goldilocks]]) -> [[Goldilocks]] {
        let D = E.degree
        let n = layout.rows
        let plan = QuotientInterpolation(degree: max(0, layout.maxDegree - n), domain: domain)
        let offset = layout.instanceOffset
        let fixedCount = layout.fixedCount
        // Slot-style terms regrouped into a few extension columns (`FixedRegrouping`):
        // the same polynomial from fewer extended fixed columns.
        let regrouping = FixedRegrouping(layout.constraints.map(\.expression), fixedCount: fixedCount)
        var combined = regrouping.combinedColumns(fixed: fixed, alpha: alpha,
                                                  constraintCount: layout.constraints.count, rows: n)
        mark("quotient: fixed and public columns' interpolation")
        var instanceCoefficients = instanceTable
        domain.interpolate(&instanceCoefficients)
        // Columns are read from `flat`, in the program's view order. Most
        // committed columns are read from their kept LDE. The others are
        // extended one block at a time into `block` (n values each):
        // - the fixed columns still read, the regrouped ones and the public
        //   inputs' columns (their count times n values instead of B times that);
        // - committed columns whose LDE was not kept.
        // Their slots in `flat` are placeholders, replaced by pointers into
        // the block below, which the program reads without a block offset
        // (`singleBlock`).
        let extendedFixed = (0 ..< fixedCount).filter { regrouping.fixedStillRead[$0] }
        for c in 0 ..< fixedCount where !regrouping.fixedStillRead[c] { fixed[c] = [] }
        domain.interpolate(&fixed, only: extendedFixed)
        domain.interpolate(&combined)
        let placeholder: [Goldilocks] = [.zero]
        let ldeColumns = [[[Goldilocks]](repeating: placeholder, count: fixedCount)]
            + committed.map { $0.lde ?? [[Goldilocks]](repeating: placeholder, count: $0.width) }
            + [[[Goldilocks]](repeating: [], count: D * (layout.quotientChunks + 1)),
               [[Goldilocks]](repeating: placeholder, count: instanceCoefficients.count),
               [[Goldilocks]](repeating: placeholder, count: combined.count)]
        let flat = ldeColumns.flatMap { $0 }
        let combinedStart = flat.count - combined.count
        // Every column extended per block: its slot in `flat`, its coefficients.
        var blockSlots = extendedFixed + instanceCoefficients.indices.map { offset + $0 }
            + combined.indices.map { combinedStart + $0 }
        var blockSources = extendedFixed.map { fixed[$0] } + instanceCoefficients + combined
        var committedStart = fixedCount
        for tree in committed {
            if tree.lde == nil {
                blockSlots += tree.coefficients.indices.map { committedStart + $0 }
                blockSources += tree.coefficients
            }
            committedStart += tree.width
        }
        var singleBlock = [Bool](repeating: false, count: flat.count)
        for c in 0 ..< fixedCount { singleBlock[c] = true }
        for slot in blockSlots { singleBlock[slot] = true }
        let regroupedPhase = -1  // not a phase of the circuit: names the regrouped columns
        let prog = Program(combining: regrouping.remaining, alpha: alpha,
                           plus: regrouping.regroupedExpression { .phaseColumn(regroupedPhase, $0) },
                           columnIndex: { c in
                               if case let .phase(p, g) = c, p == regroupedPhase { return (combinedStart + D * g, true) }
                               return layout.viewIndex(c)
                           },
                           instanceIndex: { offset + $0 }, challenges: challenges)
        // The block holds only the extended fixed columns: the program must read no other.
        precondition(prog.loadedColumns.allSatisfy { $0 >= fixedCount || regrouping.fixedStillRead[$0] },
                     "the quotient reads a fixed column it did not extend")
        // Every value read is written by the block's LDE first: no zero fill.
        // One buffer of n values per column rather than one for all of them:
        // small buffers fit in the memory the table's columns just freed,
        // where one large one (280 MB on the credit audit) took fresh pages,
        // 0.4 s of page faults there.
        let block = blockSlots.map { _ in UnsafeMutablePointer<Goldilocks>.allocate(capacity: n) }
        defer { for column in block { column.deallocate() } }
        let shifts = domain.blockShifts()
        // 1 / (x^n − 1) is constant on each block: x^n = shift_k^n.
        var zInverse = shifts.map { $0.power(UInt64(n)) - .one }
        BatchInverse.invert(&zInverse)
        var omegaPowers = [Goldilocks](repeating: .one, count: n)
        let w = Goldilocks.rootOfUnity(logOrder: layout.logRows)
        for i in 1 ..< n { omegaPowers[i] = omegaPowers[i - 1] * w }
        // Each coefficient column holds Q's values as `plan.position` lays them out.
        var q = (0 ..< D).map { _ in [Goldilocks](largeRepeating: .zero, count: plan.valueCount) }
        let B = Program.batch
        let batchesPerBlock = (n + B - 1) / B
        withPointers(flat) { pointers in
            omegaPowers.withUnsafeBufferPointer { op in
                withMutablePointers(&q) { out in
                    for (i, k) in plan.blocks.enumerated() {
                        report("quotient", 0.3 + 0.15 * Double(i) / Double(plan.blocks.count))
                        let placed = plan.placement(ofBlock: i)
                        // The columns extended per block, on block k only.
                        mark("quotient: block \(k) extension")
                        domain.extendBlock(k, of: blockSources, into: block)
                        mark("quotient: block \(k) evaluation")
                        var columns = pointers
                        for (j, slot) in blockSlots.enumerated() {
                            columns[slot] = UnsafePointer(block[j])
                        }
                        let d = EvaluationDomain(columns: columns, n: n, blockShifts: shifts, omegaPowers: op.baseAddress!,
                                                 singleBlock: singleBlock)
                        let workers = min(batchesPerBlock, Parallel.threadCount * 8)
                        // Each item writes only the points of its own rows.
                        Parallel.forEach(workers) { wkr in
                            let scratch = prog.makeScratch()
                            defer { scratch.deallocate() }
                            var item = wkr
                            while item < batchesPerBlock {
                                let start = item * B
                                let count = min(B, n - start)
                                prog.run(d, block: k, start: start, count: count, scratch: scratch)
                                let r = prog.output(0, in: scratch)
                                let zi = zInverse[k]
                                for c in 0 ..< D {
                                    let o = out[c] + placed.start + placed.stride * start, rc = r + c * B
                                    for t in 0 ..< count { o[placed.stride * t] = rc[t] * zi }
                                }
                                item += workers
                            }
                        }
                    }
                    mark("quotient: interpolation")
                    Parallel.forEach(D) { c in plan.interpolate(out[c], parallel: false) }
                }
            }
        }
        return q
    }

    /// The e base columns of extension values, one per coefficient.
    static func coefficientColumns(_ values: [E]) -> [[Goldilocks]] {
        (0 ..< E.degree).map { k in values.map { $0.coefficient(k) } }
    }

    /// Splits Q into chunks of degree < chunkSize, randomises them (they still
    /// sum to Q) and appends the masking polynomial R; commits all as base columns.
    mutating func commitQuotient(_ q: [[Goldilocks]], salts: SecureRandom) -> CommittedColumns {
        let n = layout.rows
        let c = layout.quotientChunkSize, m = layout.quotientChunks, h = params.quotientMaskDegree
        let D = E.degree, length = q[0].count
        // Chunk i's coefficient k is column i·D + k: Q's coefficients i·c ..< (i+1)·c.
        var columns = (0 ..< m * D).map { _ in [Goldilocks](largeRepeating: .zero, count: n) }
        withMutablePointers(&columns) { out in
            Parallel.forEach(m * D) { item in
                let start = (item / D) * c, end = min(length, start + c)
                guard start < end else { return }
                q[item % D].withUnsafeBufferPointer { src in
                    out[item].update(from: src.baseAddress! + start, count: end - start)
                }
            }
        }
        // Q'_0 = Q_0 + X^c s_1, Q'_i = Q_i − s_i + X^c s_{i+1}, Q'_{m−1} = Q_{m−1} − s_{m−1}.
        for i in 1 ..< max(1, m) {
            for j in 0 ..< h {
                let s = E.random(using: &rng)
                for k in 0 ..< D {
                    columns[i * D + k][j] -= s.coefficient(k)
                    columns[(i - 1) * D + k][c + j] += s.coefficient(k)
                }
            }
        }
        // The masking polynomial: n random extension elements, drawn as
        // `E.random` would draw them one after the other (coefficient k of
        // element i is value D·i + k), split into D base columns.
        var maskValues = [Goldilocks](largeRepeating: .zero, count: D * n)
        maskValues.withUnsafeMutableBufferPointer { rng.fill($0) }
        for k in 0 ..< D {
            columns.append([Goldilocks](unsafeUninitializedCapacity: n) { column, count in
                for i in 0 ..< n { column[i] = maskValues[D * i + k] }
                count = n
            })
        }
        return CommittedColumns(coefficients: columns, domain: domain, foldingFactor: params.foldingFactor,
                                salts: salts, saltDomain: 2, keepExtension: keepsExtensions)
    }

    // MARK: out of domain and DEEP

    /// Each polynomial (coefficients) at an extension point: per polynomial
    /// and coefficient of the extension, one dot product with the powers of
    /// the point, reduced once (`UnreducedSum`).
    static func evaluate(_ polynomials: [[Goldilocks]], at z: E) -> [E] {
        guard let n = polynomials.map(\.count).max(), n > 0 else { return polynomials.map { _ in .zero } }
        let D = E.degree
        // Coefficient k of z^i at powers[k·n + i].
        var powers = [Goldilocks](repeating: .zero, count: D * n)
        var power = E.one
        for i in 0 ..< n {
            for k in 0 ..< D { powers[k * n + i] = power.coefficient(k) }
            power *= z
        }
        var result = [E](repeating: .zero, count: polynomials.count)
        result.withUnsafeMutableBufferPointer { out in
            powers.withUnsafeBufferPointer { powers in
                Parallel.forEach(polynomials.count) { p in
                    let values = polynomials[p].withUnsafeBufferPointer { c in
                        var s0 = UnreducedSum(), s1 = UnreducedSum(), s2 = UnreducedSum()
                        let p0 = powers.baseAddress!, p1 = p0 + n, p2 = p0 + (D - 1) * n
                        for i in 0 ..< c.count {
                            let v = c[i]
                            s0.add(p0[i], times: v)
                            s1.add(p1[i], times: v)
                            if D == 3 { s2.add(p2[i], times: v) }
                        }
                        return (s0.value, s1.value, s2.value)
                    }
                    out[p] = E(generating: { $0 == 0 ? values.0 : $0 == 1 ? values.1 : values.2 })
                }
            }
        }
        return result
    }

    /// The DEEP composition, returned in commitment order:
    ///   f(x) = R(x) + (A(x) − A(z))/(x − z) + (B(x) − B(zω))/(x − zω),
    /// A = Σ_{i<M} c_i·P_i over the M columns opened at z, B = Σ_j c_{M+j}·P_{next_j}
    /// over the M′ columns opened at z·ω, with independent challenges c (R's
    /// coefficient is 1 and shared with no column).
    ///
    /// f is built in coefficient form: A and B are combinations of the
    /// columns' coefficients (M·n work), each quotient by a linear factor is
    /// one pass of synthetic division, and R's coefficients are the quotient
    /// tree's last e columns. Then f alone is extended to the LDE domain: e
    /// base columns, instead of extending A, B and R and inverting x − z and
    /// x − zω at every point of the domain. The values are those of the same
    /// polynomial, so the proof is the same.
    func deepComposition(z: E, zNext: E, atZ: [E], atZNext: [E], coefficients: [E]) throws -> [E] {
        let M = layout.oodColumnCount, next = layout.nextColumns, fixedCount = layout.fixedCount
        let D = E.degree, n = layout.rows
        // Only committed columns are batched: the verifier computes the fixed ones
        // itself (`FixedColumns`), so their coefficients are unused.
        let committedNext = next.indices.filter { next[$0] >= fixedCount }
        var aZ = E.zero, bZ = E.zero
        for i in fixedCount ..< M { aZ += coefficients[i] * atZ[i] }
        for j in committedNext { bZ += coefficients[M + j] * atZNext[j] }
        let all = [[Goldilocks]](repeating: [], count: fixedCount) + committed.map(\.coefficients).flatMap { $0 }
        // f's coefficients, coefficient k of the extension in column k; R first.
        var f = Array(committed.last!.coefficients.suffix(D))
        precondition(f.allSatisfy { $0.count == n }, "the mask polynomial has n coefficients")
        let a = combine(all, columns: Array(fixedCount ..< M), coefficients: coefficients[fixedCount ..< M])
        mark("DEEP: next-row combination and divisions")
        var divisions = [(p: a, y: z, value: aZ)]
        if !committedNext.isEmpty {
            let b = combine(all, columns: committedNext.map { next[$0] },
                            coefficients: ArraySlice(committedNext.map { coefficients[M + $0] }))
            divisions.append((b, zNext, bZ))
        }
        // Each division is a serial loop, independent of the other: one per core.
        var quotients = [[[Goldilocks]]](repeating: [], count: divisions.count)
        quotients.withUnsafeMutableBufferPointer { out in
            Parallel.forEach(divisions.count) { i in
                out[i] = ProverRun.quotient(of: divisions[i].p, by: divisions[i].y, value: divisions[i].value)
            }
        }
        for q in quotients {
            try ProverRun.addQuotient(q, into: &f, exact: !options.skipWitnessChecks)
        }
        mark("DEEP: extension")
        let lde = domain.extend(f)
        mark("DEEP: commitment order")
        // Commitment (bit-reversed) order for FRI. Row j of storage block k
        // is at position bitrev(k)·n + bitrev(j) (`LDEDomain.commitmentBase`),
        // so each block fills its own run of n positions: the scatter stays
        // within n values instead of spanning the whole domain.
        var ordered = [E](largeRepeating: .zero, count: domain.size)
        let d = domain
        withPointers(lde) { columns in
            ordered.withUnsafeMutableBufferPointer { out in
                Parallel.forEach(1 << d.logBlowup) { k in
                    let run = out.baseAddress! + d.commitmentBase(ofBlock: k)
                    let first = k * n, bits = d.logRows, t = 4
                    guard bits >= 2 * t else {
                        for j in 0 ..< n { run[NTT.bitReverse(j, bits: bits)] = E(generating: { columns[$0][first + j] }) }
                        return
                    }
                    // In 16 × 16 tiles, as `NTT.forwardCoset` permutes: with
                    // j = a·2^(b−4) + m·2^4 + c, bitrev(j) = bitrev(c)·2^(b−4) +
                    // bitrev(m)·2^4 + bitrev(a), so a tile's reads are 16 runs of
                    // 16 rows and its writes 16 runs of 16 positions.
                    let high = bits - t, middleBits = bits - 2 * t
                    let reversed = (0 ..< 1 << t).map { NTT.bitReverse($0, bits: t) }
                    for m in 0 ..< 1 << middleBits {
                        let middle = NTT.bitReverse(m, bits: middleBits) << t
                        for a in 0 ..< 1 << t {
                            let source = first + (a << high | m << t), destination = middle | reversed[a]
                            for c in 0 ..< 1 << t {
                                run[reversed[c] << high | destination] = E(generating: { columns[$0][source + c] })
                            }
                        }
                    }
                }
            }
        }
        return ordered
    }

    /// The coefficients of (P(X) − value)/(X − y) by synthetic division,
    /// q_{i−1} = p_i + y·q_i from the top, P given by its e coefficient columns
    /// (n coefficients each): e columns, the first n − 1 coefficients the
    /// quotient's, the last the remainder p_0 + y·q_0 − value (zero exactly
    /// when `value` is P(y)) as an extension element's coefficients.
    static func quotient(of p: [[Goldilocks]], by y: E, value: E) -> [[Goldilocks]] {
        let n = p[0].count
        var out = (0 ..< E.degree).map { _ in [Goldilocks](repeating: .zero, count: n) }
        withPointers(p) { p in
            withMutablePointers(&out) { out in
                var q = E.zero
                for i in stride(from: n - 1, through: 1, by: -1) {
                    q = q * y + E(generating: { p[$0][i] })
                    for k in 0 ..< E.degree { out[k][i - 1] = q.coefficient(k) }
                }
                let remainder = q * y + E(generating: { p[$0][0] }) - value
                for k in 0 ..< E.degree { out[k][n - 1] = remainder.coefficient(k) }
            }
        }
        return out
    }

    /// Adds the quotient `q` of `quotient(of:by:value:)` (e columns of n:
    /// n − 1 coefficients and the remainder) to `f` (e base columns of n
    /// coefficients). A nonzero remainder means the value was not P(y);
    /// `exact` (an honest prover) makes that an error.
    static func addQuotient(_ q: [[Goldilocks]], into f: inout [[Goldilocks]], exact: Bool) throws {
        let n = q[0].count
        if exact, !E(generating: { q[$0][n - 1] }).isZero {
            throw StarkError.internalInconsistency("the DEEP quotient by X − z leaves a remainder")
        }
        for k in 0 ..< E.degree {
            f[k].withUnsafeMutableBufferPointer { fk in
                q[k].withUnsafeBufferPointer { qk in
                    BatchArithmetic.add(fk.baseAddress!, fk.baseAddress!, UnsafeMutablePointer(mutating: qk.baseAddress!),
                                        count: n - 1)
                }
            }
        }
    }

    /// Σ_k coefficients[k]·all[columns[k]] over polynomial coefficients (n each),
    /// as the e base-field coefficient columns of an extension polynomial.
    /// Rows are summed a tile at a time, every column's term of a row added
    /// to one `UnreducedSum` per extension coefficient and reduced once.
    func combine(_ all: [[Goldilocks]], columns: [Int], coefficients: ArraySlice<E>) -> [[Goldilocks]] {
        let n = layout.rows, D = E.degree
        let g = Array(coefficients)
        // Coefficient j of term k's weight at D·k + j; output coefficient j of row t at j·n + t.
        let weights = g.flatMap { w in (0 ..< D).map { w.coefficient($0) } }
        var out = [Goldilocks](repeating: .zero, count: D * n)
        let tile = 128
        withPointers(columns.map { all[$0] }) { cols in
            out.withUnsafeMutableBufferPointer { o in
                weights.withUnsafeBufferPointer { weights in
                    Parallel.forRanges(n, minimumPerThread: 1024) { range in
                        // Sum j of row first + t at sums[j·tile + t].
                        let sums = UnsafeMutablePointer<UnreducedSum>.allocate(capacity: D * tile)
                        defer { sums.deallocate() }
                        var first = range.lowerBound
                        while first < range.upperBound {
                            let count = min(tile, range.upperBound - first)
                            sums.initialize(repeating: UnreducedSum(), count: D * tile)
                            for (k, column) in cols.enumerated() {
                                let wk = weights.baseAddress! + D * k, v = column + first
                                for j in 0 ..< D {
                                    let w = wk[j], row = sums + j * tile
                                    for t in 0 ..< count { row[t].add(w, times: v[t]) }
                                }
                            }
                            for j in 0 ..< D {
                                for t in 0 ..< count { o[j * n + first + t] = sums[j * tile + t].value }
                            }
                            first += count
                        }
                    }
                }
            }
        }
        return (0 ..< D).map { Array(out[$0 * n ..< ($0 + 1) * n]) }
    }
}

extension Expression {
    /// Selectors replaced by their fixed columns.
    func resolved(_ layout: CircuitLayout) -> Expression {
        mapLeaves { leaf in
            if case let .selector(s) = leaf { return .fixed(layout.selectorColumn(s)) }
            return leaf
        }
    }

    /// The highest challenge phase whose columns or challenges the expression reads (0: none).
    var maxPhase: Int {
        var m = 0
        forEachNode { node in
            switch node {
            case let .column(.phase(p, _), _): m = Swift.max(m, p)
            case let .challenge(p, _): m = Swift.max(m, p)
            default: break
            }
        }
        return m
    }
}
