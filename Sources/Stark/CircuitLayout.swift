import Field

/// A constraint of the compiled circuit, named for error messages.
struct NamedConstraint: Hashable, Sendable {
    var name: String
    var index: Int
    var expression: Expression
}

/// One fraction n/d of the LogUp sum, Σ over usable rows of all fractions = 0.
struct Fraction: Hashable, Sendable {
    var numerator: Expression
    var denominator: Expression
}

/// The circuit as the prover and verifier see it: the caller's columns plus the
/// internal ones (built-in selectors, public-input selectors, lookup tables,
/// copy-constraint permutations, multiplicities, the LogUp phase), and every
/// constraint with selectors resolved to fixed columns.
///
/// Column order — fixed: caller's, built-in selectors, public-input selectors,
/// table columns, permutation (σ) columns; advice: caller's, then one
/// multiplicity column per table; phases: caller's, then the LogUp phase.
struct CircuitLayout: Sendable {
    let parameters: StarkParameters
    let logRows: Int
    let rows: Int
    let usableRows: Int

    let userFixedCount: Int
    let userAdviceCount: Int
    /// All fixed columns, `rows` values each (zero on blinding rows). A
    /// proving run takes them out of its own copy of the key (`ProverRun`),
    /// so that it can reuse their storage: read `fixedCount` for their number.
    var fixedValues: [[Goldilocks]]
    let fixedCount: Int
    let adviceCount: Int
    /// Extension-field columns per phase (index p − 1 for phase p), LogUp phase last.
    let phaseColumnCounts: [Int]
    let phaseChallengeCounts: [Int]
    let userPhaseCount: Int

    /// For each instance polynomial: the advice column it binds and the
    /// (usable row, public input index) pairs on it.
    let instanceColumns: [Int]
    let instanceCells: [[(row: Int, input: Int)]]
    let publicInputCells: [Cell]

    let constraints: [NamedConstraint]
    let fractions: [Fraction]
    /// Fraction indices of each LogUp helper column.
    let helperGroups: [[Int]]
    /// Whether the last group has no helper column (the accumulator sums it).
    let mergedLastGroup: Bool
    let tables: [LookupTable]
    let lookups: [Lookup]
    let bus: [BusTerm]
    let tableColumnStart: [Int]
    let copyConstraints: [CopyConstraint]
    let copiedColumns: [Int]
    let userGates: [Gate]

    /// Highest constraint degree as a polynomial in X.
    let maxDegree: Int
    let quotientChunkSize: Int
    let quotientChunks: Int
    /// Flat base-column indices opened at z·ω, increasing: all e coefficients of
    /// every fixed, advice or phase column some constraint reads at the next row.
    /// The quotient chunks are never among them (docs/security.md §4).
    private(set) var nextColumns: [Int] = []

    var logUpPhase: Int? { phaseColumnCounts.count > userPhaseCount ? phaseColumnCounts.count : nil }

    func selectorColumn(_ s: BuiltinSelector) -> Int { userFixedCount + s.rawValue }

    /// The degree e of the extension the challenges and extension columns live in.
    var extensionDegree: Int { parameters.extensionDegree }

    /// Base-field columns per committed tree, in commitment order: fixed, advice,
    /// each phase (e per extension column), quotient (e per chunk, plus e for
    /// the masking polynomial).
    var treeWidths: [Int] {
        let e = extensionDegree
        return [fixedCount, adviceCount] + phaseColumnCounts.map { e * $0 } + [e * (quotientChunks + 1)]
    }

    /// Flat "view" index of the first base column of each tree (the quotient's included).
    var treeOffsets: [Int] {
        var offsets: [Int] = []
        var total = 0
        for w in treeWidths { offsets.append(total); total += w }
        return offsets
    }

    /// Base columns that are opened at z (every committed column but the
    /// masking polynomial's e); they come first in view order.
    var oodColumnCount: Int { treeWidths.reduce(0, +) - extensionDegree }

    /// Flat index of the instance polynomials (after all trace and quotient columns).
    var instanceOffset: Int { treeWidths.reduce(0, +) }

    /// The flat base-column index of a column and whether it is extension-valued
    /// (then it occupies that index and the e − 1 after it, one per coefficient).
    func viewIndex(_ c: ColumnRef) -> (index: Int, isExt: Bool) {
        let offsets = treeOffsets
        switch c {
        case let .fixed(i): return (offsets[0] + i, false)
        case let .advice(i): return (offsets[1] + i, false)
        case let .phase(p, column): return (offsets[1 + p] + extensionDegree * column, true)
        }
    }

    // MARK: construction

    /// The circuit's fixed columns are padded to the table in place when the
    /// caller gave up its references to them (`ProvingKey(circuit:)`).
    init(circuit: consuming Circuit, parameters: StarkParameters) throws {
        try parameters.validate()
        self.parameters = parameters
        try parameters.validate(logRows: circuit.logRows)
        logRows = circuit.logRows
        rows = 1 << logRows
        usableRows = rows - parameters.blindingRows
        userFixedCount = circuit.fixedColumns.count
        userAdviceCount = circuit.adviceColumnCount
        userPhaseCount = circuit.phases.count
        tables = circuit.tables
        lookups = circuit.lookups
        bus = circuit.bus
        copyConstraints = circuit.copyConstraints
        publicInputCells = circuit.publicInputs
        userGates = circuit.gates
        let usable = usableRows
        let n = rows

        // Fixed: caller's columns, then the built-in selectors. Each caller's
        // column is moved out of the circuit and padded with zeros: in place
        // when no one else holds it (and its capacity allows), else a copy.
        var callerColumns = circuit.fixedColumns
        circuit.fixedColumns = []
        var fixed: [[Goldilocks]] = []
        fixed.reserveCapacity(callerColumns.count + 4)
        for i in callerColumns.indices {
            var column: [Goldilocks] = []
            swap(&column, &callerColumns[i])
            guard column.count <= usable else {
                throw StarkError.invalidCircuit("fixed column \(i) has \(column.count) values but only \(usable) rows are usable")
            }
            column.append(contentsOf: repeatElement(.zero, count: n - column.count))
            fixed.append(column)
        }
        var usableSel = [Goldilocks](repeating: .zero, count: n)
        var firstSel = usableSel, lastSel = usableSel, transitionSel = usableSel
        for r in 0 ..< usable { usableSel[r] = .one }
        for r in 0 ..< usable - 1 { transitionSel[r] = .one }
        firstSel[0] = .one
        lastSel[usable - 1] = .one
        fixed += [usableSel, firstSel, lastSel, transitionSel]

        // Validation of column references in the caller's expressions.
        let phaseCounts = circuit.phases.map(\.columnCount)
        let challengeCounts = circuit.phases.map(\.challengeCount)
        let userFixedCount = userFixedCount
        func validate(_ e: Expression, _ what: String, allowPhases: Bool) throws {
            var problem: String?
            e.forEachNode { node in
                guard problem == nil else { return }
                switch node {
                case let .column(.fixed(i), _) where !(0 ..< userFixedCount).contains(i):
                    problem = "fixed column \(i) does not exist"
                case let .column(.advice(i), _) where !(0 ..< circuit.adviceColumnCount).contains(i):
                    problem = "advice column \(i) does not exist"
                case let .column(.phase(p, c), _):
                    if !allowPhases { problem = "challenge-phase columns cannot be used here" }
                    else if !(1 ... max(1, phaseCounts.count)).contains(p) || p > phaseCounts.count
                        || !(0 ..< phaseCounts[p - 1]).contains(c) { problem = "phase \(p) column \(c) does not exist" }
                case let .challenge(p, i):
                    if !allowPhases { problem = "challenges cannot be used here" }
                    else if p < 1 || p > challengeCounts.count || !(0 ..< challengeCounts[p - 1]).contains(i) {
                        problem = "challenge \(i) of phase \(p) does not exist"
                    }
                case .instance: problem = "instance polynomials are internal"
                default: break
                }
            }
            if let problem { throw StarkError.invalidCircuit("\(what): \(problem)") }
        }
        for g in circuit.gates { for (i, c) in g.constraints.enumerated() {
            try validate(c, "gate '\(g.name)' constraint \(i)", allowPhases: true)
        } }
        for phase in circuit.phases where phase.columnCount < 0 || phase.challengeCount < 0 {
            throw StarkError.invalidCircuit("phase '\(phase.name)' has a negative count")
        }

        // Public inputs: one instance polynomial and selector per advice column used.
        var instanceColumns: [Int] = []
        var instanceCells: [[(row: Int, input: Int)]] = []
        for (k, cell) in circuit.publicInputs.enumerated() {
            guard (0 ..< circuit.adviceColumnCount).contains(cell.column), (0 ..< usable).contains(cell.row) else {
                throw StarkError.invalidCircuit("public input \(k) names \(cell), outside the usable table")
            }
            if let j = instanceColumns.firstIndex(of: cell.column) {
                if instanceCells[j].contains(where: { $0.row == cell.row }) {
                    throw StarkError.invalidCircuit("public input \(k): \(cell) is already a public input")
                }
                instanceCells[j].append((cell.row, k))
            } else {
                instanceColumns.append(cell.column)
                instanceCells.append([(cell.row, k)])
            }
        }
        self.instanceColumns = instanceColumns
        self.instanceCells = instanceCells
        let publicSelectorStart = fixed.count
        for cells in instanceCells {
            var s = [Goldilocks](repeating: .zero, count: n)
            for c in cells { s[c.row] = .one }
            fixed.append(s)
        }

        // Lookup tables as fixed columns (padded by repeating their first row).
        var tableStart: [Int] = []
        for (t, table) in circuit.tables.enumerated() {
            guard table.arity >= 1, table.count >= 1, table.columns.allSatisfy({ $0.count == table.count }) else {
                throw StarkError.invalidCircuit("table \(t) '\(table.name)' must have ≥ 1 column of equal, nonzero lengths")
            }
            guard table.count <= usable else {
                throw StarkError.invalidCircuit("table '\(table.name)' has \(table.count) rows but only \(usable) rows are usable")
            }
            tableStart.append(fixed.count)
            for column in table.columns {
                fixed.append(column.padded(to: n, with: column[0]))
            }
        }
        tableColumnStart = tableStart
        for l in circuit.lookups {
            guard (0 ..< circuit.tables.count).contains(l.table) else {
                throw StarkError.invalidCircuit("lookup '\(l.name)' names table \(l.table), which does not exist")
            }
            // A selector the prover could choose would let it switch its own lookups off
            // (or count a tuple any number of times): selectors are public, fixed-column expressions.
            guard !l.selector.readsAdvice else {
                throw StarkError.invalidCircuit("lookup '\(l.name)': the selector must read only fixed columns and constants")
            }
            guard l.inputs.count == circuit.tables[l.table].arity else {
                throw StarkError.invalidCircuit("lookup '\(l.name)' has \(l.inputs.count) inputs for a table of arity \(circuit.tables[l.table].arity)")
            }
            for e in l.inputs + [l.selector] { try validate(e, "lookup '\(l.name)'", allowPhases: false) }
        }

        for term in circuit.bus {
            guard !term.values.isEmpty else { throw StarkError.invalidCircuit("bus term '\(term.name)' has no values") }
            for e in term.values + [term.multiplicity] { try validate(e, "bus term '\(term.name)'", allowPhases: false) }
        }

        // Copy constraints: σ columns over the copied advice columns.
        var copied: [Int] = []
        for c in circuit.copyConstraints {
            for cell in [c.a, c.b] {
                guard (0 ..< circuit.adviceColumnCount).contains(cell.column), (0 ..< usable).contains(cell.row) else {
                    throw StarkError.invalidCircuit("copy constraint names \(cell), outside the usable table")
                }
                if !copied.contains(cell.column) { copied.append(cell.column) }
            }
        }
        copied.sort()
        copiedColumns = copied
        let sigmaStart = fixed.count
        if !copied.isEmpty {
            fixed += CircuitLayout.permutationColumns(copied: copied, constraints: circuit.copyConstraints, rows: n)
        }
        fixedValues = fixed
        fixedCount = fixed.count
        adviceCount = circuit.adviceColumnCount + circuit.tables.count

        // Constraints: caller's gates (times the usable selector), public inputs.
        let ufc = userFixedCount
        let usableExpr = Expression.fixed(ufc + BuiltinSelector.usable.rawValue)
        func resolve(_ e: Expression) -> Expression {
            e.mapLeaves { leaf in
                if case let .selector(s) = leaf { return .fixed(ufc + s.rawValue) }
                return leaf
            }
        }
        var constraints: [NamedConstraint] = []
        for g in circuit.gates {
            for (i, c) in g.constraints.enumerated() {
                // Fixed columns are zero on the blinding rows, so a constraint whose every
                // term has a fixed factor already vanishes there (and keeps its degree).
                let e = resolve(c)
                constraints.append(NamedConstraint(name: g.name, index: i,
                                                   expression: e.vanishesWhereFixedColumnsVanish ? e : usableExpr * e))
            }
        }
        for (k, column) in instanceColumns.enumerated() {
            constraints.append(NamedConstraint(
                name: "public inputs of advice column \(column)", index: 0,
                expression: .fixed(publicSelectorStart + k) * (.advice(column) - .instance(k))))
        }

        // The LogUp phase: β = challenge 0, γ = challenge 1.
        let logUpPhase = circuit.phases.count + 1
        let beta = Expression.challenge(phase: logUpPhase, index: 0)
        let gamma = Expression.challenge(phase: logUpPhase, index: 1)
        func compress(tag: UInt64, _ values: [Expression]) -> Expression {
            // tag + γ·v0 + γ²·v1 + …, by Horner.
            var acc = Expression.zero
            for v in values.reversed() { acc = gamma * (v + acc) }
            return tag == 0 ? acc : .constant(Goldilocks(tag)) + acc
        }
        var fractions: [Fraction] = []
        for (j, column) in copied.enumerated() {
            let id = Expression.constant(CircuitLayout.cosetTag(j)) * .x
            fractions.append(Fraction(numerator: usableExpr, denominator: beta - compress(tag: 0, [.advice(column), id])))
            fractions.append(Fraction(numerator: -usableExpr,
                                      denominator: beta - compress(tag: 0, [.advice(column), .fixed(sigmaStart + j)])))
        }
        for l in circuit.lookups {
            let selector = resolve(l.selector)
            fractions.append(Fraction(numerator: selector.vanishesWhereFixedColumnsVanish ? selector : usableExpr * selector,
                                      denominator: beta - compress(tag: UInt64(l.table + 1), l.inputs.map(resolve))))
        }
        // The bus: one tag after the tables'.
        let busTag = UInt64(circuit.tables.count + 1)
        for term in circuit.bus {
            let m = resolve(term.multiplicity)
            fractions.append(Fraction(numerator: m.vanishesWhereFixedColumnsVanish ? m : usableExpr * m,
                                      denominator: beta - compress(tag: busTag, term.values.map(resolve))))
        }
        for (t, table) in circuit.tables.enumerated() {
            let values = (0 ..< table.arity).map { Expression.fixed(tableStart[t] + $0) }
            fractions.append(Fraction(numerator: -(usableExpr * .advice(circuit.adviceColumnCount + t)),
                                      denominator: beta - compress(tag: UInt64(t + 1), values)))
        }
        self.fractions = fractions

        // User constraint degree sets the budget for the helper columns.
        let userMax = constraints.map { $0.expression.columnDegree }.max() ?? 0
        let budget = min(parameters.blowup, max(userMax, 4))
        var groups: [[Int]] = []
        func helperDegree(_ group: [Int]) -> Int {
            let dd = group.map { fractions[$0].denominator.columnDegree }
            let nd = group.map { fractions[$0].numerator.columnDegree }
            let total = dd.reduce(0, +)
            var worst = 1 + total
            for i in group.indices { worst = max(worst, nd[i] + total - dd[i]) }
            return 1 + worst
        }
        for f in fractions.indices {
            if var last = groups.last, helperDegree(last + [f]) <= budget {
                last.append(f)
                groups[groups.count - 1] = last
            } else {
                guard helperDegree([f]) <= parameters.blowup else {
                    throw StarkError.invalidCircuit("a lookup or copy fraction has degree \(helperDegree([f])) > blowup \(parameters.blowup)")
                }
                groups.append([f])
            }
        }
        helperGroups = groups
        var phaseColumnCounts = phaseCounts
        var phaseChallengeCounts = challengeCounts
        // The accumulator absorbs the last group's fractions itself when they can
        // be read at the next row (saves one extension column):
        //   first row:   (acc − Σh)·Πd − Σ n·Π_{others} d = 0
        //   transitions: (acc' − acc − Σh')·Πd' − Σ n'·Π_{others} d' = 0
        let omega = Goldilocks.rootOfUnity(logOrder: circuit.logRows)
        let lastRotated = groups.last.map { group in group.map { f in
            (fractions[f].numerator.rotatedToNext(omega: omega), fractions[f].denominator.rotatedToNext(omega: omega))
        } }
        let merge = lastRotated.map { pairs in pairs.allSatisfy { $0.0 != nil && $0.1 != nil } } ?? false
        mergedLastGroup = merge
        func fractionIdentity(_ value: Expression, _ pairs: [(Expression, Expression)]) -> Expression {
            // value = Σ n_i / d_i, multiplied out: value·Π d_i − Σ_i n_i·Π_{j≠i} d_j.
            // The sum is built incrementally, N_k = N_{k−1}·d_k + n_k·D_{k−1} and
            // D_k = D_{k−1}·d_k, so evaluating it costs 3 products per fraction
            // instead of one per pair (same polynomial, same degree).
            guard let (n0, d0) = pairs.first else { return value }
            var numerators = n0, product = d0
            for (num, d) in pairs.dropFirst() {
                numerators = numerators * d + num * product
                product = product * d
            }
            return value * product - numerators
        }
        if !fractions.isEmpty {
            let helpers = merge ? groups.count - 1 : groups.count
            phaseColumnCounts.append(helpers + 1)
            phaseChallengeCounts.append(2)
            let acc = Expression.phaseColumn(logUpPhase, helpers)
            let accNext = Expression.phaseColumn(logUpPhase, helpers, .next)
            for h in 0 ..< helpers {
                let pairs = groups[h].map { (fractions[$0].numerator, fractions[$0].denominator) }
                constraints.append(NamedConstraint(name: "logup helper \(h)", index: 0,
                                                   expression: usableExpr * fractionIdentity(.phaseColumn(logUpPhase, h), pairs)))
            }
            let helperSum = Expression.sum(of: (0 ..< helpers).map { .phaseColumn(logUpPhase, $0) })
            let helperSumNext = Expression.sum(of: (0 ..< helpers).map { .phaseColumn(logUpPhase, $0, .next) })
            let first = Expression.fixed(ufc + BuiltinSelector.first.rawValue)
            let transition = Expression.fixed(ufc + BuiltinSelector.transition.rawValue)
            if merge {
                let current = groups.last!.map { (fractions[$0].numerator, fractions[$0].denominator) }
                let next = lastRotated!.map { ($0.0!, $0.1!) }
                constraints.append(NamedConstraint(name: "logup first row", index: 0,
                    expression: first * fractionIdentity(acc - helperSum, current)))
                constraints.append(NamedConstraint(name: "logup accumulation", index: 0,
                    expression: transition * fractionIdentity(accNext - acc - helperSumNext, next)))
            } else {
                constraints.append(NamedConstraint(name: "logup first row", index: 0, expression: first * (acc - helperSum)))
                constraints.append(NamedConstraint(name: "logup accumulation", index: 0,
                    expression: transition * (accNext - acc - helperSumNext)))
            }
            constraints.append(NamedConstraint(name: "logup total is zero", index: 0,
                expression: .fixed(ufc + BuiltinSelector.lastUsable.rawValue) * acc))
        }
        self.phaseColumnCounts = phaseColumnCounts
        self.phaseChallengeCounts = phaseChallengeCounts
        self.constraints = constraints

        let maxDegree = constraints.map { $0.expression.degree(rows: n) }.max() ?? 0
        guard maxDegree < parameters.blowup * n else {
            throw StarkError.invalidCircuit("constraint degree \(maxDegree) needs a blowup above \(parameters.blowup)")
        }
        self.maxDegree = maxDegree
        quotientChunkSize = n - parameters.quotientMaskDegree
        let quotientDegree = max(0, maxDegree - n)
        quotientChunks = max(1, (quotientDegree + quotientChunkSize) / quotientChunkSize)
        nextColumns = CircuitLayout.columnsReadAtNextRow(constraints, extensionDegree: parameters.extensionDegree, viewIndex)
    }

    /// The flat base-column indices of every column the expressions read at the next row.
    static func columnsReadAtNextRow(_ constraints: [NamedConstraint], extensionDegree: Int,
                                     _ viewIndex: (ColumnRef) -> (index: Int, isExt: Bool)) -> [Int] {
        var columns = Set<Int>()
        for c in constraints {
            c.expression.forEachNode { node in
                guard case let .column(ref, .next) = node else { return }
                let (index, isExt) = viewIndex(ref)
                for k in 0 ..< (isExt ? extensionDegree : 1) { columns.insert(index + k) }
            }
        }
        return columns.sorted()
    }

    /// k_j, the coset representative separating copied column j's cell ids:
    /// 7^j, whose cosets of the table's subgroup are pairwise distinct.
    static func cosetTag(_ j: Int) -> Goldilocks {
        Goldilocks.multiplicativeGenerator.power(UInt64(j))
    }

    /// σ columns: each equivalence class of cells (union of copy constraints) is
    /// one cycle; σ maps a cell to the id k_j'·ω^row' of the next cell of its cycle.
    static func permutationColumns(copied: [Int], constraints: [CopyConstraint], rows n: Int) -> [[Goldilocks]] {
        let omega = Goldilocks.rootOfUnity(logOrder: n.trailingZeroBitCount)
        var omegaPowers = [Goldilocks](repeating: .one, count: n)
        for i in 1 ..< n { omegaPowers[i] = omegaPowers[i - 1] * omega }
        func key(_ c: Cell) -> Int { copied.firstIndex(of: c.column)! * n + c.row }
        // Union–find over cell keys.
        var parent: [Int: Int] = [:]
        func find(_ x: Int) -> Int {
            var r = x
            while let p = parent[r], p != r { r = p }
            var y = x
            while let p = parent[y], p != r { parent[y] = r; y = p }
            return r
        }
        for c in constraints {
            let a = key(c.a), b = key(c.b)
            if parent[a] == nil { parent[a] = a }
            if parent[b] == nil { parent[b] = b }
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        var classes: [Int: [Int]] = [:]
        for k in parent.keys.sorted() { classes[find(k), default: []].append(k) }
        var sigma = (0 ..< copied.count).map { j in omegaPowers.map { cosetTag(j) * $0 } }
        for (_, members) in classes.sorted(by: { $0.key < $1.key }) where members.count > 1 {
            for (i, m) in members.enumerated() {
                let next = members[(i + 1) % members.count]
                sigma[m / n][m % n] = cosetTag(next / n) * omegaPowers[next % n]
            }
        }
        return sigma
    }
}

extension CircuitLayout {
    /// The highest degree of a LogUp denominator in the compression challenge γ:
    /// the widest tuple (copy-constraint terms count 2: value and cell id).
    var logUpTupleDegree: Int {
        guard let phase = logUpPhase else { return 1 }
        return fractions.map { $0.denominator.degree(inChallenge: phase, index: 1) }.max() ?? 1
    }
}

extension Expression {
    /// Whether the expression reads an advice column (at any row).
    var readsAdvice: Bool {
        var found = false
        forEachNode { if case .column(.advice, _) = $0 { found = true } }
        return found
    }

    /// The degree as a polynomial in challenge `index` of phase `phase`, every
    /// other leaf a constant.
    func degree(inChallenge phase: Int, index: Int) -> Int {
        switch self {
        case let .challenge(p, i): return p == phase && i == index ? 1 : 0
        case .constant, .column, .selector, .instance, .x: return 0
        case let .sum(a, b), let .difference(a, b):
            return Swift.max(a.degree(inChallenge: phase, index: index), b.degree(inChallenge: phase, index: index))
        case let .product(a, b): return a.degree(inChallenge: phase, index: index) + b.degree(inChallenge: phase, index: index)
        case let .negation(a): return a.degree(inChallenge: phase, index: index)
        }
    }

    /// Whether every term has a factor that is a fixed column read at the current
    /// row: then the expression is zero wherever all fixed columns are zero (the
    /// blinding rows). Conservative: false means "not shown".
    var vanishesWhereFixedColumnsVanish: Bool {
        switch self {
        case .column(.fixed, .current): return true
        case let .constant(c): return c.isZero
        case .column, .challenge, .selector, .instance, .x: return false
        case let .sum(a, b), let .difference(a, b):
            return a.vanishesWhereFixedColumnsVanish && b.vanishesWhereFixedColumnsVanish
        case let .product(a, b): return a.vanishesWhereFixedColumnsVanish || b.vanishesWhereFixedColumnsVanish
        case let .negation(a): return a.vanishesWhereFixedColumnsVanish
        }
    }
}

extension Expression {
    /// The expression read one row later (current → next, X → ω·X); nil when it
    /// already reads the next row or an instance polynomial.
    func rotatedToNext(omega: Goldilocks) -> Expression? {
        switch self {
        case .constant, .challenge: return self
        case let .column(c, .current): return .column(c, .next)
        case .column(_, .next), .instance, .selector: return nil
        case .x: return .constant(omega) * .x
        case let .sum(a, b):
            guard let a = a.rotatedToNext(omega: omega), let b = b.rotatedToNext(omega: omega) else { return nil }
            return .sum(a, b)
        case let .difference(a, b):
            guard let a = a.rotatedToNext(omega: omega), let b = b.rotatedToNext(omega: omega) else { return nil }
            return .difference(a, b)
        case let .product(a, b):
            guard let a = a.rotatedToNext(omega: omega), let b = b.rotatedToNext(omega: omega) else { return nil }
            return .product(a, b)
        case let .negation(a): return a.rotatedToNext(omega: omega).map { .negation($0) }
        }
    }
}
