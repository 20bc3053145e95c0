import Field

/// What the verifier needs to check proofs of one circuit: the parameters,
/// the shape of the table and its constraints, and the commitment to the
/// fixed columns. `digest` binds all of it and is absorbed by the transcript.
public struct VerifyingKey: Sendable {
    public let parameters: StarkParameters
    public let logRows: Int
    /// SHA-256 of the fixed columns' run-length encoding (`FixedColumns.digest`). The fixed
    /// columns are not committed: the verifier evaluates them itself.
    public let fixedDigest: Digest
    /// SHA-256 of the canonical encoding of everything above and of the constraints.
    public let digest: Digest
    /// The soundness of proofs under this key, in the three regimes.
    public let security: SecurityEstimate
    let layout: VerifierLayout
    /// The fixed columns' values, which the verifier evaluates at z.
    let fixed: FixedColumns

    /// SHA-256 of the canonical encoding of everything the verifier reads: the
    /// parameters, the table's shape, the constraints, the public-input cells,
    /// the view of the columns, the security numbers and the fixed columns'
    /// digest. What the transcript absorbs and proofs name their key by; a
    /// key file is checked by recomputing it (`VerifyingKey(decoding:)`).
    static func digest(parameters: StarkParameters, logRows: Int, layout: VerifierLayout, security: SecurityEstimate,
                       fixedDigest: Digest) -> Digest {
        var encoder = ByteWriter()
        encoder.string(Proof.protocolID(extensionDegree: parameters.extensionDegree))
        encoder.u16(Proof.version)  // so that keys (and transcripts) of different versions never agree
        encoder.parameters(parameters)
        encoder.u32(UInt32(logRows))
        encoder.u32(UInt32(layout.usableRows))
        encoder.u32(UInt32(layout.treeWidths.count))
        for w in layout.treeWidths { encoder.u32(UInt32(w)) }
        encoder.u32(UInt32(layout.phaseChallengeCounts.count))
        for c in layout.phaseChallengeCounts { encoder.u32(UInt32(c)) }
        encoder.u32(UInt32(layout.constraints.count))
        for c in layout.constraints {
            encoder.string(c.name)
            encoder.u32(UInt32(c.index))
            encoder.expression(c.expression)
        }
        encoder.u32(UInt32(layout.instanceColumns.count))
        for (k, column) in layout.instanceColumns.enumerated() {
            encoder.u32(UInt32(column))
            encoder.u32(UInt32(layout.instanceCells[k].count))
            for cell in layout.instanceCells[k] { encoder.u32(UInt32(cell.row)); encoder.u32(UInt32(cell.input)) }
        }
        encoder.u32(UInt32(layout.publicInputCount))
        encoder.u32(UInt32(layout.quotientChunkSize))
        encoder.u32(UInt32(layout.quotientChunks))
        let columns = layout.columnIndex.sorted { ColumnRef.canonicalOrder($0.key, $1.key) }
        encoder.u32(UInt32(columns.count))
        for (column, place) in columns {
            switch column {
            case let .fixed(i): encoder.u8(0); encoder.u32(UInt32(i))
            case let .advice(i): encoder.u8(1); encoder.u32(UInt32(i))
            case let .phase(p, i): encoder.u8(2); encoder.u32(UInt32(p)); encoder.u32(UInt32(i))
            }
            encoder.u32(UInt32(place.index))
            encoder.u8(place.isExt ? 1 : 0)
        }
        encoder.u32(UInt32(layout.nextColumns.count))
        for c in layout.nextColumns { encoder.u32(UInt32(c)) }
        for bits in [security.conjectured, security.provenUniqueDecoding, security.provenJohnson] {
            encoder.u32(UInt32(truncatingIfNeeded: bits))
        }
        encoder.digest(fixedDigest)
        return SHA256.hash(encoder.bytes)
    }
}

/// The part of `CircuitLayout` the verifier reads (no fixed values, no closures).
struct VerifierLayout: Sendable {
    let rows: Int
    let usableRows: Int
    let treeWidths: [Int]
    let phaseChallengeCounts: [Int]
    let constraints: [NamedConstraint]
    let instanceColumns: [Int]
    let instanceCells: [[(row: Int, input: Int)]]
    let publicInputCount: Int
    let quotientChunkSize: Int
    let quotientChunks: Int
    let columnIndex: [ColumnRef: (index: Int, isExt: Bool)]
    /// Flat base-column indices opened at z·ω (`CircuitLayout.nextColumns`).
    let nextColumns: [Int]
    /// Position in the z·ω values of each flat index of `nextColumns`.
    let nextPosition: [Int: Int]

    /// The degree e of the extension (from the key's parameters).
    let extensionDegree: Int

    /// Base columns opened at z: every column but the mask's e.
    var oodColumnCount: Int { treeWidths.reduce(0, +) - extensionDegree }
    /// Fixed columns: the first `treeWidths[0]` columns in view order, never committed.
    var fixedCount: Int { treeWidths[0] }
}

/// Everything the prover needs besides the witness: the compiled circuit
/// (with its fixed columns' values) and the verifying key. Cheap to build:
/// the prover extends the fixed columns itself, block by block, when it
/// computes the quotient.
public struct ProvingKey: Sendable {
    public let verifyingKey: VerifyingKey
    var layout: CircuitLayout
    let phases: [ChallengePhase]

    /// Rows the caller may fill.
    public var usableRows: Int { layout.usableRows }

    /// The circuit's fixed columns, in its order, padded with zeros to the
    /// table's rows: the key's own arrays, shared rather than copied.
    public var paddedFixedColumns: [[Goldilocks]] { Array(layout.fixedValues.prefix(layout.userFixedCount)) }

    /// Compiles the circuit and hashes its fixed columns.
    ///
    /// The circuit is taken by value: a caller that hands over its last
    /// reference (`consume circuit`) lets the key pad the fixed columns to
    /// the table in place instead of copying them (at 10,000 applicants they
    /// are 2.9 GB); one that keeps the circuit keeps it intact.
    public init(circuit: consuming Circuit, parameters: StarkParameters) throws {
        let circuitPhases = circuit.phases
        let layout = try CircuitLayout(circuit: consume circuit, parameters: parameters)
        let fixed = FixedColumns(values: layout.fixedValues)
        let fixedDigest = fixed.digest
        self.layout = layout
        phases = circuitPhases

        var columnIndex: [ColumnRef: (index: Int, isExt: Bool)] = [:]
        for i in 0 ..< layout.fixedCount { columnIndex[.fixed(i)] = layout.viewIndex(.fixed(i)) }
        for i in 0 ..< layout.adviceCount { columnIndex[.advice(i)] = layout.viewIndex(.advice(i)) }
        for (p, count) in layout.phaseColumnCounts.enumerated() {
            for c in 0 ..< count { columnIndex[.phase(p + 1, column: c)] = layout.viewIndex(.phase(p + 1, column: c)) }
        }
        let verifierLayout = VerifierLayout(
            rows: layout.rows, usableRows: layout.usableRows, treeWidths: layout.treeWidths,
            phaseChallengeCounts: layout.phaseChallengeCounts, constraints: layout.constraints,
            instanceColumns: layout.instanceColumns, instanceCells: layout.instanceCells,
            publicInputCount: layout.publicInputCells.count,
            quotientChunkSize: layout.quotientChunkSize, quotientChunks: layout.quotientChunks,
            columnIndex: columnIndex, nextColumns: layout.nextColumns,
            nextPosition: Dictionary(uniqueKeysWithValues: layout.nextColumns.enumerated().map { ($1, $0) }),
            extensionDegree: layout.extensionDegree)
        let shape = ProvingKey.securityShape(layout, phases: circuitPhases)
        let security = SecurityEstimate.compute(parameters, shape: shape)
        let digest = VerifyingKey.digest(parameters: parameters, logRows: layout.logRows, layout: verifierLayout,
                                         security: security, fixedDigest: fixedDigest)
        verifyingKey = VerifyingKey(parameters: parameters, logRows: layout.logRows, fixedDigest: fixedDigest,
                                    digest: digest, security: security, layout: verifierLayout,
                                    fixed: fixed)
    }

    /// The facts of the circuit that its security estimate depends on.
    static func securityShape(_ layout: CircuitLayout, phases: [ChallengePhase]) -> SecurityEstimate.Shape {
        SecurityEstimate.Shape(
            rows: layout.rows, constraintCount: layout.constraints.count, maxConstraintDegree: layout.maxDegree,
            batchedPolynomials: layout.oodColumnCount - layout.fixedCount
                + layout.nextColumns.filter { $0 >= layout.fixedCount }.count,
            logUpFractions: layout.fractions.count, logUpTupleDegree: layout.logUpTupleDegree,
            challengePhaseDegree: phases.reduce(0) { $0 + max(1, $1.challengeDegree) })
    }
}
