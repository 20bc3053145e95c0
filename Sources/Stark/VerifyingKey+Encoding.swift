import ByteCoding
import Field

/// A verifying key as a file, so that a verifier can keep the key of a circuit
/// instead of rebuilding the circuit for every proof (`zkpolicyc verify`'s key
/// cache). The digest is what proofs name their key by; the file holds
/// everything the verifier reads.
///
/// Format (version 1 or 2), little endian, counts and small integers as
/// LEB128 varints (`ByteCoding`):
/// - `ZKVK`, the format version (u16), the proof version it was made for (u16);
/// - the STARK parameters, log₂ rows, in format 2 the extension degree (3;
///   format 1 means 2, so quadratic keys keep their bytes), the fixed
///   columns' digest and the key's digest (32 bytes each), the three
///   security numbers;
/// - the layout the verifier reads: usable rows, tree widths, challenges per
///   phase, the constraints (name, index, expression in prefix order), the
///   public-input cells, the quotient's chunking, the view index of every
///   column, the columns opened at z·ω;
/// - the fixed columns: their count, then each column's block of runs
///   (`FixedColumns`), length-prefixed.
///
/// There is no separate checksum: the key's digest covers everything above
/// (`VerifyingKey.digest`), so decoding recomputes the fixed columns' digest
/// from their blocks (22 MB hashed in parallel for the credit audit), then
/// the key's digest from the decoded contents, and refuses the file unless
/// both match the stored ones. A damaged or altered file is refused as a
/// whole; every count and range is checked before anything is allocated.
extension VerifyingKey {
    /// The newest version of `encoded()`: 2, written for keys over the cubic
    /// extension; keys over the quadratic one are written in format 1.
    public static let formatVersion: UInt16 = 2
    static let fileMagic = Array("ZKVK".utf8)

    /// The key as bytes (`init(decoding:)` reads them back). Deterministic.
    public func encoded() -> [UInt8] {
        var w = ByteCoding.ByteWriter()
        w.raw(Self.fileMagic)
        let p = parameters
        w.u16(p.extensionDegree == 2 ? 1 : 2)
        w.u16(Proof.version)
        for v in [p.logBlowup, p.queryCount, p.grindingBits, p.logFoldingFactor, p.logFinalDegree, logRows] {
            w.varint(UInt64(v))
        }
        if p.extensionDegree != 2 { w.varint(UInt64(p.extensionDegree)) }
        w.raw(fixedDigest.bytes)
        w.raw(digest.bytes)
        for bits in [security.conjectured, security.provenUniqueDecoding, security.provenJohnson] {
            w.signedVarint(Int64(bits))
        }
        layout.encode(to: &w)
        fixed.encode(to: &w)
        return w.bytes
    }

    /// Reads a key written by `encoded()` (at `offset` in `bytes`, to their
    /// end); throws `VerificationError.invalidKey` for anything else (never traps).
    public init(decoding bytes: [UInt8], from offset: Int = 0) throws {
        guard offset >= 0, offset <= bytes.count else { throw VerificationError.invalidKey("the key file is truncated") }
        do {
            var r = ByteCoding.ByteReader(bytes, offset: offset)
            guard try r.raw(4, "magic") == Self.fileMagic else { throw VerificationError.invalidKey("not a verifying key file") }
            let version = try r.u16("format version"), proofVersion = try r.u16("proof version")
            guard (1 ... Self.formatVersion).contains(version), proofVersion == Proof.version else {
                throw VerificationError.invalidKey("a key file of format \(version) for proofs of version \(proofVersion) "
                    + "(this verifier reads format \(Self.formatVersion), proofs of version \(Proof.version))")
            }
            let numbers = try (0 ..< 6).map { _ in try r.smallInt("parameter") }
            // Format 2 exists for the cubic extension only: a degree of 2 there
            // would give a second encoding of a quadratic key.
            let degree = version == 1 ? 2 : try r.smallInt("extension degree")
            guard version == 1 || degree == 3 else {
                throw VerificationError.invalidKey("a key file of format 2 with extension degree \(degree)")
            }
            let parameters = StarkParameters(logBlowup: numbers[0], queryCount: numbers[1], grindingBits: numbers[2],
                                             logFoldingFactor: numbers[3], logFinalDegree: numbers[4],
                                             extensionDegree: degree)
            try parameters.validate()
            let logRows = numbers[5]
            // The table shapes the prover accepts, and no other: the checks below
            // and the verifier's arithmetic rely on them.
            try parameters.validate(logRows: logRows)
            let fixedDigest = Digest(bytes: try r.raw(32, "fixed digest"))!
            let digest = Digest(bytes: try r.raw(32, "key digest"))!
            let bits = try (0 ..< 3).map { _ in Int(try r.signedVarint("security")) }
            let security = SecurityEstimate(conjectured: bits[0], provenUniqueDecoding: bits[1], provenJohnson: bits[2])
            let layout = try VerifierLayout(decoding: &r, rows: 1 << logRows, extensionDegree: degree)
            guard layout.usableRows == (1 << logRows) - parameters.blindingRows else {
                throw VerificationError.invalidKey("the key's \(layout.usableRows) usable rows do not match its "
                    + "\(parameters.blindingRows) blinding rows")
            }
            let fixed = try FixedColumns(decoding: &r, rows: 1 << logRows, count: layout.fixedCount)
            try r.expectEnd("verifying key")
            guard fixed.digest == fixedDigest else {
                throw VerificationError.invalidKey("the key's fixed columns do not match their digest")
            }
            guard VerifyingKey.digest(parameters: parameters, logRows: logRows, layout: layout, security: security,
                                      fixedDigest: fixedDigest) == digest else {
                throw VerificationError.invalidKey("the key's digest does not match its contents")
            }
            self.init(parameters: parameters, logRows: logRows, fixedDigest: fixedDigest, digest: digest,
                      security: security, layout: layout, fixed: fixed)
        } catch let error as ByteCodingError {
            throw VerificationError.invalidKey("\(error)")
        } catch let error as StarkError {
            throw VerificationError.invalidKey("\(error)")
        }
    }
}

extension VerifierLayout {
    func encode(to w: inout ByteCoding.ByteWriter) {
        func ints(_ values: [Int]) { w.varint(UInt64(values.count)); for v in values { w.varint(UInt64(v)) } }
        w.varint(UInt64(usableRows))
        ints(treeWidths)
        ints(phaseChallengeCounts)
        w.varint(UInt64(constraints.count))
        for c in constraints {
            w.string(c.name)
            w.varint(UInt64(c.index))
            c.expression.encode(to: &w)
        }
        ints(instanceColumns)
        for cells in instanceCells {
            w.varint(UInt64(cells.count))
            for cell in cells { w.varint(UInt64(cell.row)); w.varint(UInt64(cell.input)) }
        }
        w.varint(UInt64(publicInputCount))
        w.varint(UInt64(quotientChunkSize))
        w.varint(UInt64(quotientChunks))
        // The view index of every column, in a canonical order.
        let entries = columnIndex.sorted { ColumnRef.canonicalOrder($0.key, $1.key) }
        w.varint(UInt64(entries.count))
        for (column, place) in entries {
            column.encode(to: &w)
            w.varint(UInt64(place.index))
            w.bool(place.isExt)
        }
        ints(nextColumns)
    }

    init(decoding r: inout ByteCoding.ByteReader, rows: Int, extensionDegree e: Int) throws {
        func ints() throws -> [Int] { try (0 ..< r.count("list", minimumSize: 1)).map { _ in try r.smallInt("integer") } }
        let usableRows = try r.smallInt("usable rows")
        let treeWidths = try ints()
        let phaseChallengeCounts = try ints()
        // Fixed, advice, a phase tree per phase, the quotient: phase trees
        // hold whole extension columns, the quotient e per chunk and e more.
        guard treeWidths.count == phaseChallengeCounts.count + 3, usableRows <= rows,
              treeWidths.dropFirst(2).allSatisfy({ $0 % e == 0 }), treeWidths.last! >= 2 * e else {
            throw VerificationError.invalidKey("the key's table shape is inconsistent")
        }
        let constraints = try (0 ..< r.count("constraints", minimumSize: 3)).map { _ in
            NamedConstraint(name: try r.string("constraint name"), index: try r.smallInt("constraint index"),
                            expression: try Expression(decoding: &r, depth: 0))
        }
        let instanceColumns = try ints()
        let instanceCells = try instanceColumns.map { _ in
            try (0 ..< r.count("public-input cells", minimumSize: 2)).map { _ in
                (row: try r.smallInt("row"), input: try r.smallInt("input"))
            }
        }
        let publicInputCount = try r.smallInt("public inputs")
        let quotientChunkSize = try r.smallInt("quotient chunk size")
        let quotientChunks = try r.smallInt("quotient chunks")
        var columnIndex: [ColumnRef: (index: Int, isExt: Bool)] = [:]
        for _ in 0 ..< (try r.count("column index", minimumSize: 3)) {
            let column = try ColumnRef(decoding: &r)
            guard columnIndex[column] == nil else { throw VerificationError.invalidKey("column \(column) is indexed twice") }
            columnIndex[column] = (index: try r.smallInt("view index"), isExt: try r.bool("extension flag"))
        }
        let nextColumns = try ints()
        guard Set(nextColumns).count == nextColumns.count else { throw VerificationError.invalidKey("a column is opened twice at z·ω") }
        // Every public input is bound to exactly one usable cell.
        guard instanceCells.map(\.count).reduce(0, +) == publicInputCount else {
            throw VerificationError.invalidKey("the key binds \(publicInputCount) public inputs to a different number of cells")
        }
        var inputsSeen = [Bool](repeating: false, count: publicInputCount)
        for cells in instanceCells {
            for cell in cells {
                guard cell.row < usableRows, cell.input < publicInputCount, !inputsSeen[cell.input] else {
                    throw VerificationError.invalidKey("public input cell (row \(cell.row), input \(cell.input)) is "
                        + "outside the usable rows, out of range or bound twice")
                }
                inputsSeen[cell.input] = true
            }
        }
        guard treeWidths.last! == e * (quotientChunks + 1) else {
            throw VerificationError.invalidKey("the quotient tree's width does not match its \(quotientChunks) chunks")
        }
        // An extension column's e coefficients lie in one phase tree; fixed and
        // advice columns lie in their own trees; only those and phase columns
        // (never the quotient's) are opened at z·ω.
        let phaseStart = treeWidths[0] + treeWidths[1], phaseEnd = treeWidths.dropLast().reduce(0, +)
        for (column, place) in columnIndex {
            let inside: Bool
            switch column {
            case .fixed: inside = !place.isExt && place.index < treeWidths[0]
            case .advice: inside = !place.isExt && place.index >= treeWidths[0] && place.index < phaseStart
            case .phase: inside = place.isExt && place.index >= phaseStart && place.index + e <= phaseEnd
            }
            guard inside else { throw VerificationError.invalidKey("column \(column) lies outside its tree") }
        }
        guard nextColumns.allSatisfy({ $0 < phaseEnd }) else {
            throw VerificationError.invalidKey("a column opened at z·ω is not a fixed, advice or phase column")
        }
        self.init(rows: rows, usableRows: usableRows, treeWidths: treeWidths, phaseChallengeCounts: phaseChallengeCounts,
                  constraints: constraints, instanceColumns: instanceColumns, instanceCells: instanceCells,
                  publicInputCount: publicInputCount, quotientChunkSize: quotientChunkSize, quotientChunks: quotientChunks,
                  columnIndex: columnIndex, nextColumns: nextColumns,
                  nextPosition: Dictionary(uniqueKeysWithValues: nextColumns.enumerated().map { ($1, $0) }),
                  extensionDegree: e)
    }
}

extension FixedColumns {
    /// The column count, then each column's block, length-prefixed.
    func encode(to w: inout ByteCoding.ByteWriter) {
        w.varint(UInt64(count))
        for block in blocks { w.lengthPrefixed(Array(storage[block])) }
    }

    /// The blocks are used in place; `evaluate` checks each as it decodes it.
    init(decoding r: inout ByteCoding.ByteReader, rows: Int, count: Int) throws {
        guard try r.smallInt("fixed columns") == count else {
            throw VerificationError.invalidKey("the key's fixed columns do not match its layout")
        }
        let blocks = try (0 ..< count).map { _ in try r.lengthPrefixedRange("fixed column") }
        self.init(rows: rows, storage: r.bytes, blocks: blocks)
    }
}
