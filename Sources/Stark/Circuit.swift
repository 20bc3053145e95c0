import Field

/// A custom gate: constraints that must vanish on every usable row.
///
/// Constraints are multiplied by the `usable` selector automatically; use
/// fixed selector columns to switch a gate on and off per row, and the
/// `transition` selector (or one of your own) for constraints that read `.next`.
public struct Gate: Hashable, Sendable {
    public var name: String
    public var constraints: [Expression]

    public init(_ name: String, _ constraints: [Expression]) {
        self.name = name
        self.constraints = constraints
    }

    public init(_ name: String, _ constraint: Expression) {
        self.init(name, [constraint])
    }
}

/// A fixed table of tuples (one array per tuple component, all the same length,
/// at most `usableRows` long) that lookups read.
public struct LookupTable: Hashable, Sendable {
    public var name: String
    public var columns: [[Goldilocks]]

    public init(name: String, columns: [[Goldilocks]]) {
        self.name = name
        self.columns = columns
    }

    /// The table 0 ..< 2^bits in one column (the range-check table for `bits` = 16).
    public static func range(bits: Int) -> LookupTable {
        LookupTable(name: "range\(bits)", columns: [(0 ..< (1 << bits)).map { Goldilocks(UInt64($0)) }])
    }

    public var arity: Int { columns.count }
    public var count: Int { columns.first?.count ?? 0 }
}

/// A lookup: on every usable row where `selector` ≠ 0, the tuple `inputs` must be
/// a row of table `table` (it is counted `selector` times; selectors are 0 or 1
/// in practice). The selector may read only fixed columns, built-in selectors,
/// X and constants — never advice, or a prover could switch its own lookups off;
/// the circuit is rejected otherwise. Inputs may read advice and fixed columns,
/// not challenge-phase columns.
public struct Lookup: Hashable, Sendable {
    public var name: String
    public var selector: Expression
    public var inputs: [Expression]
    public var table: Int

    public init(name: String, selector: Expression, inputs: [Expression], table: Int) {
        self.name = name
        self.selector = selector
        self.inputs = inputs
        self.table = table
    }
}

/// A term of the circuit's LogUp bus: on every usable row it contributes the
/// fraction multiplicity / (β − (tag + γ·v₀ + γ²·v₁ + …)) with `values` = (v₀, v₁, …),
/// and the sum over all rows and all terms must be zero. So the bus balances
/// exactly when, for every tuple, the multiplicities of the terms producing it
/// sum to zero: writes (negative multiplicities) and reads (positive) of the
/// same tuples, a memory or a lookup into a table the caller keeps in its own
/// columns. All terms share one tag, distinct from every lookup table's and
/// from the copy constraints', so they never cancel those.
///
/// Multiplicities and values may read advice and fixed columns (the current or
/// next row), not challenge-phase columns. Trailing zero values do not change
/// the fraction: (a, b) and (a, b, 0) are the same tuple.
public struct BusTerm: Hashable, Sendable {
    public var name: String
    public var multiplicity: Expression
    public var values: [Expression]

    public init(name: String, multiplicity: Expression, values: [Expression]) {
        self.name = name
        self.multiplicity = multiplicity
        self.values = values
    }
}

/// A cell of an advice column, row counted among usable rows.
public struct Cell: Hashable, Sendable, CustomStringConvertible {
    public var column: Int
    public var row: Int

    public init(column: Int, row: Int) {
        self.column = column
        self.row = row
    }

    public var description: String { "advice[\(column)][\(row)]" }
}

/// Two advice cells that must hold the same value.
public struct CopyConstraint: Hashable, Sendable {
    public var a: Cell
    public var b: Cell

    public init(_ a: Cell, _ b: Cell) {
        self.a = a
        self.b = b
    }
}

/// What a challenge phase's fill sees: the table so far, on usable rows only,
/// with the challenges and earlier phases' columns in the proof's extension E.
public struct PhaseInput<E: ExtensionField>: Sendable {
    /// Usable rows of the table (the fill returns columns of this length).
    public let usableRows: Int
    /// Fixed columns given in the circuit. Like the other columns here they
    /// hold every row of the table, shared with the prover rather than copied
    /// (the credit audit's fixed columns are 360 MB); only the first
    /// `usableRows` are meaningful, the rest are blinding rows.
    public let fixed: [[Goldilocks]]
    /// Advice columns (every row; read the first `usableRows`).
    public let advice: [[Goldilocks]]
    /// The columns of earlier phases: `phaseColumns[p - 1]` for phase p
    /// (every row; read the first `usableRows`).
    public let phaseColumns: [[[E]]]
    /// The challenges of this phase and every earlier one: `challenges[p - 1]` for phase p.
    public let challenges: [[E]]
}

/// How a challenge phase computes its columns, in whichever extension the
/// proof uses (`StarkParameters.extensionDegree`): the prover calls `fill`
/// with E = `GoldilocksExt2` or `GoldilocksExt3`.
public protocol PhaseFilling: Sendable {
    /// The phase's columns on the usable rows, from the table so far and the challenges.
    func fill<E: ExtensionField>(_ input: PhaseInput<E>) throws -> [[E]]
}

/// A challenge phase: after the verifier's `challengeCount` challenges are drawn
/// (the transcript has absorbed every earlier commitment), `filling` computes
/// `columnCount` extension-field columns on the usable rows. Gates may read these
/// columns and the challenges (`Expression.challenge(phase:index:)`).
///
/// The permutation and lookup arguments are built on this same mechanism (as
/// the last phase, after the caller's).
public struct ChallengePhase: Sendable {
    public var name: String
    public var challengeCount: Int
    public var columnCount: Int
    /// The phase's contribution to the soundness error: the degree, in this
    /// phase's challenges, of the identity its gates check on one row, so that a
    /// false row passes for at most that many challenge values. The security
    /// estimate adds challengeDegree·n/|F| (a union bound over the n rows).
    /// A Freivalds check h_r = Σ_j H[i][j]·r^j of a product with m columns has
    /// degree m − 1 in r. Declare it: the default 1 fits one random linear
    /// combination of two values and understates anything of higher degree.
    public var challengeDegree: Int
    public var filling: any PhaseFilling

    public init(name: String, challengeCount: Int, columnCount: Int, challengeDegree: Int = 1, filling: any PhaseFilling) {
        self.name = name
        self.challengeCount = challengeCount
        self.columnCount = columnCount
        self.challengeDegree = challengeDegree
        self.filling = filling
    }

    /// A phase filled by a closure over the quadratic extension: proofs over
    /// another extension refuse it (`StarkError.phaseFillInvalid`). Write a
    /// `PhaseFilling` to support both.
    public init(name: String, challengeCount: Int, columnCount: Int, challengeDegree: Int = 1,
                fill: @escaping @Sendable (PhaseInput<GoldilocksExt2>) throws -> [[GoldilocksExt2]]) {
        self.init(name: name, challengeCount: challengeCount, columnCount: columnCount, challengeDegree: challengeDegree,
                  filling: QuadraticPhaseFill(name: name, body: fill))
    }
}

/// A closure written for the quadratic extension, as a `PhaseFilling`.
struct QuadraticPhaseFill: PhaseFilling {
    let name: String
    let body: @Sendable (PhaseInput<GoldilocksExt2>) throws -> [[GoldilocksExt2]]

    func fill<E: ExtensionField>(_ input: PhaseInput<E>) throws -> [[E]] {
        guard let quadratic = input as? PhaseInput<GoldilocksExt2>, let columns = try body(quadratic) as? [[E]] else {
            throw StarkError.phaseFillInvalid(phase: name, "its fill closure is written for the quadratic extension, "
                                                + "the proof uses degree \(E.degree)")
        }
        return columns
    }
}

/// A circuit: the shape of the table and everything that constrains it, with
/// the fixed columns' values, but no witness.
///
/// The table has `2^logRows` rows, of which the last `parameters.blindingRows`
/// are random (zero knowledge); `usableRows(parameters)` tells how many remain
/// for the caller. Fixed and advice columns shorter than that are padded with zeros.
public struct Circuit: Sendable {
    public var logRows: Int
    public var fixedColumns: [[Goldilocks]]
    public var adviceColumnCount: Int
    public var gates: [Gate]
    public var tables: [LookupTable]
    public var lookups: [Lookup]
    public var copyConstraints: [CopyConstraint]
    /// Cells whose values are public inputs, in the order of the values passed
    /// to `prove` and `verify`.
    public var publicInputs: [Cell]
    public var phases: [ChallengePhase]
    /// The terms of the LogUp bus (see `BusTerm`); empty for none.
    public var bus: [BusTerm]

    public init(logRows: Int, fixedColumns: [[Goldilocks]] = [], adviceColumnCount: Int,
                gates: [Gate] = [], tables: [LookupTable] = [], lookups: [Lookup] = [],
                copyConstraints: [CopyConstraint] = [], publicInputs: [Cell] = [],
                phases: [ChallengePhase] = [], bus: [BusTerm] = []) {
        self.logRows = logRows
        self.fixedColumns = fixedColumns
        self.adviceColumnCount = adviceColumnCount
        self.gates = gates
        self.tables = tables
        self.lookups = lookups
        self.copyConstraints = copyConstraints
        self.publicInputs = publicInputs
        self.phases = phases
        self.bus = bus
    }

    /// Rows of the table.
    public var rows: Int { 1 << logRows }

    /// Rows the caller may fill: the table's rows less the blinding rows.
    public func usableRows(_ parameters: StarkParameters) -> Int {
        rows - parameters.blindingRows
    }

    /// The smallest `logRows` giving at least `usable` usable rows (and room for
    /// the quotient's randomisation); capped at 40.
    public static func logRows(forUsableRows usable: Int, _ parameters: StarkParameters) -> Int {
        var log = 1
        while log < 40 && ((1 << log) - parameters.blindingRows < usable
                           || parameters.quotientMaskDegree >= (1 << log) / 2) { log += 1 }
        return log
    }
}
