import ByteCoding
import Field
@testable import Stark
import Testing

/// A verifying key written to bytes and read back (the key cache of
/// `zkpolicyc verify`) is the same key: it verifies the same proofs and
/// rejects the same forgeries. A damaged or inconsistent file is refused.
@Suite struct VerifyingKeyEncodingTests {
    static let example = ExampleCircuit(logRows: 9, parameters: testParameters(degree: 3))
    static let key = try! ProvingKey(circuit: example.circuit, parameters: testParameters)
    static let proof = try! StarkProver.prove(key: key, witness: example.witness, publicInputs: example.publicInputs)
    static let cubicKey = try! ProvingKey(circuit: example.circuit, parameters: testParameters(degree: 3))
    static let cubicProof = try! StarkProver.prove(key: cubicKey, witness: example.witness, publicInputs: example.publicInputs)

    static func key(_ degree: Int) -> ProvingKey { degree == 3 ? cubicKey : key }

    @Test(arguments: [2, 3])
    func aDecodedKeyIsTheSameKey(degree: Int) throws {
        let vk = Self.key(degree).verifyingKey
        let proof = degree == 3 ? Self.cubicProof : Self.proof
        let bytes = vk.encoded()
        let decoded = try VerifyingKey(decoding: bytes)
        #expect(decoded.digest == vk.digest)
        #expect(decoded.fixedDigest == vk.fixedDigest)
        #expect(decoded.parameters == vk.parameters && decoded.logRows == vk.logRows && decoded.security == vk.security)
        #expect(decoded.fixed.dense() == vk.fixed.dense())
        #expect(decoded.fixed.digest == vk.fixedDigest)
        let (a, b) = (decoded.layout, vk.layout)
        #expect(a.constraints == b.constraints)
        #expect(a.treeWidths == b.treeWidths && a.phaseChallengeCounts == b.phaseChallengeCounts)
        #expect(a.nextColumns == b.nextColumns && a.nextPosition == b.nextPosition)
        #expect(a.instanceColumns == b.instanceColumns && a.publicInputCount == b.publicInputCount)
        #expect(a.instanceCells.map { $0.map { [$0.row, $0.input] } } == b.instanceCells.map { $0.map { [$0.row, $0.input] } })
        #expect(a.columnIndex.count == b.columnIndex.count)
        for (column, place) in b.columnIndex {
            #expect(a.columnIndex[column]?.index == place.index && a.columnIndex[column]?.isExt == place.isExt)
        }
        // Deterministic: writing the decoded key gives the same bytes.
        #expect(decoded.encoded() == bytes)

        try StarkVerifier.verify(key: decoded, publicInputs: Self.example.publicInputs, proof: proof)
        var otherInputs = Self.example.publicInputs
        otherInputs[0] += .one
        #expect(throws: VerificationError.self) {
            try StarkVerifier.verify(key: decoded, publicInputs: otherInputs, proof: proof)
        }
    }

    /// Quadratic keys keep format 1 (their files did not change); cubic keys
    /// are format 2, whose degree field admits 3 only. A cubic file passed off
    /// as format 1 (the degree dropped) is another key and fails its digest.
    @Test func theCubicExtensionHasItsOwnFormat() throws {
        let quadratic = Self.key.verifyingKey.encoded(), cubic = Self.cubicKey.verifyingKey.encoded()
        #expect(quadratic[4 ..< 6].elementsEqual([1, 0]) && cubic[4 ..< 6].elementsEqual([2, 0]))
        // The degree follows magic, two versions and six one-byte parameter varints.
        #expect(cubic[14] == 3 && quadratic[14] != 3)
        #expect(try VerifyingKey(decoding: cubic).parameters.extensionDegree == 3)
        for degree: UInt8 in [0, 1, 2, 4, 200] {
            var changed = cubic
            changed[14] = degree
            #expect(throws: VerificationError.self) { try VerifyingKey(decoding: changed) }
        }
        var asFormat1 = cubic
        asFormat1[4] = 1
        asFormat1.remove(at: 14)
        #expect(throws: VerificationError.self) { try VerifyingKey(decoding: asFormat1) }
        var asFormat2 = quadratic
        asFormat2[4] = 2
        asFormat2.insert(2, at: 14)
        #expect(throws: VerificationError.self) { try VerifyingKey(decoding: asFormat2) }
    }

    /// Every byte is bound by a digest the decoder recomputes (or is
    /// structure it checks): any changed byte is refused, and every truncation.
    @Test(arguments: [2, 3])
    func aDamagedFileIsRefused(degree: Int) throws {
        let bytes = Self.key(degree).verifyingKey.encoded()
        var rng = SystemRandomNumberGenerator()
        let positions = Set((0 ..< 300).map { _ in Int.random(in: 0 ..< bytes.count, using: &rng) } + [0, 4, bytes.count - 1])
        for position in positions {
            var damaged = bytes
            damaged[position] ^= UInt8.random(in: 1 ... 255, using: &rng)
            #expect(throws: VerificationError.self) { try VerifyingKey(decoding: damaged) }
        }
        for length in [0, 3, 40, bytes.count / 2, bytes.count - 1] {
            #expect(throws: VerificationError.self) { try VerifyingKey(decoding: Array(bytes.prefix(length))) }
        }
    }

    /// A well-formed file whose layout does not give the stored digest (a
    /// constraint changed), or whose fixed columns do not give the stored
    /// fixed digest, is refused.
    @Test func aKeyWhoseContentsDoNotGiveItsDigestIsRefused() throws {
        let vk = Self.key.verifyingKey, L = vk.layout
        var constraints = L.constraints
        constraints[0].expression = .sum(constraints[0].expression, .constant(.one))
        let layout = VerifierLayout(
            rows: L.rows, usableRows: L.usableRows, treeWidths: L.treeWidths, phaseChallengeCounts: L.phaseChallengeCounts,
            constraints: constraints, instanceColumns: L.instanceColumns, instanceCells: L.instanceCells,
            publicInputCount: L.publicInputCount, quotientChunkSize: L.quotientChunkSize, quotientChunks: L.quotientChunks,
            columnIndex: L.columnIndex, nextColumns: L.nextColumns, nextPosition: L.nextPosition,
            extensionDegree: L.extensionDegree)
        let forged = VerifyingKey(parameters: vk.parameters, logRows: vk.logRows, fixedDigest: vk.fixedDigest, digest: vk.digest,
                                  security: vk.security, layout: layout, fixed: vk.fixed)
        #expect {
            try VerifyingKey(decoding: forged.encoded())
        } throws: { error in
            (error as? VerificationError) == .invalidKey("the key's digest does not match its contents")
        }
        var values = try #require(vk.fixed.dense())
        values[0][1] += .one
        let otherFixed = VerifyingKey(parameters: vk.parameters, logRows: vk.logRows, fixedDigest: vk.fixedDigest, digest: vk.digest,
                                      security: vk.security, layout: L, fixed: FixedColumns(values: values))
        #expect {
            try VerifyingKey(decoding: otherFixed.encoded())
        } throws: { error in
            (error as? VerificationError) == .invalidKey("the key's fixed columns do not match their digest")
        }
    }

    /// The key, with whatever changed, under its own recomputed digest: what
    /// a forger of a key-cache file can write. `relayout` edits the layout.
    static func forged(parameters: StarkParameters? = nil, logRows: Int? = nil,
                       relayout: (inout LayoutParts) -> Void = { _ in }) -> [UInt8] {
        let vk = key.verifyingKey, L = vk.layout
        var parts = LayoutParts(usableRows: L.usableRows, instanceCells: L.instanceCells, publicInputCount: L.publicInputCount,
                                columnIndex: L.columnIndex, nextColumns: L.nextColumns)
        relayout(&parts)
        let layout = VerifierLayout(
            rows: L.rows, usableRows: parts.usableRows, treeWidths: L.treeWidths, phaseChallengeCounts: L.phaseChallengeCounts,
            constraints: L.constraints, instanceColumns: L.instanceColumns, instanceCells: parts.instanceCells,
            publicInputCount: parts.publicInputCount, quotientChunkSize: L.quotientChunkSize, quotientChunks: L.quotientChunks,
            columnIndex: parts.columnIndex, nextColumns: parts.nextColumns,
            nextPosition: Dictionary(uniqueKeysWithValues: parts.nextColumns.enumerated().map { ($1, $0) }),
            extensionDegree: L.extensionDegree)
        let p = parameters ?? vk.parameters, rows = logRows ?? vk.logRows
        let digest = VerifyingKey.digest(parameters: p, logRows: rows, layout: layout, security: vk.security,
                                         fixedDigest: vk.fixedDigest)
        return VerifyingKey(parameters: p, logRows: rows, fixedDigest: vk.fixedDigest, digest: digest,
                            security: vk.security, layout: layout, fixed: vk.fixed).encoded()
    }

    struct LayoutParts {
        var usableRows: Int
        var instanceCells: [[(row: Int, input: Int)]]
        var publicInputCount: Int
        var columnIndex: [ColumnRef: (index: Int, isExt: Bool)]
        var nextColumns: [Int]
    }

    /// A key whose digest matches its contents but whose shape the verifier
    /// could not run (found by review: each of these used to reach a trap in
    /// the verifier) is refused when it is read, with the reason.
    @Test func aKeyTheVerifierCouldNotRunIsRefused() throws {
        func refused(_ bytes: [UInt8], _ reason: String) {
            #expect {
                try VerifyingKey(decoding: bytes)
            } throws: { error in
                guard case let .invalidKey(message) = error as? VerificationError else { return false }
                return message.contains(reason)
            }
        }
        // Unchanged, the forger's re-encoding is accepted: the refusals below are the changes'.
        _ = try VerifyingKey(decoding: Self.forged())
        let L = Self.key.verifyingKey.layout
        let cell = try #require(L.instanceCells.first?.first)
        refused(Self.forged { $0.instanceCells[0][0].input = L.publicInputCount }, "public input cell")
        refused(Self.forged { $0.instanceCells[0][0].row = L.usableRows }, "public input cell")
        refused(Self.forged { $0.instanceCells[0].append((row: cell.row + 1, input: cell.input)); $0.publicInputCount += 1 },
                "bound twice")
        refused(Self.forged { $0.publicInputCount += 1 }, "public inputs to a different number of cells")
        refused(Self.forged { $0.usableRows -= 1 }, "usable rows do not match")
        // A column opened at z·ω inside the quotient tree, and an advice column placed in a phase tree.
        let quotientStart = L.treeWidths.dropLast().reduce(0, +)
        refused(Self.forged { $0.nextColumns.append(quotientStart) }, "opened at z·ω")
        refused(Self.forged { $0.columnIndex[.advice(0)] = (index: L.treeWidths[0] + L.treeWidths[1], isExt: false) },
                "outside its tree")
        refused(Self.forged { $0.columnIndex[.fixed(0)] = (index: L.treeWidths[0], isExt: false) }, "outside its tree")
        // Tables the prover does not build: too many rows, an LDE domain beyond
        // the field's 2-adic subgroups, fewer rows than the folding factor.
        refused(Self.forged(logRows: 29), "logRows must be in 1...28")
        var wide = testParameters
        wide.logBlowup = 6
        refused(Self.forged(parameters: wide, logRows: 28), "exceed the field's subgroups")
        var folding = testParameters
        folding.queryCount = 1
        folding.logFoldingFactor = 4
        folding.logFinalDegree = 3
        refused(Self.forged(parameters: folding, logRows: 3), "rows")
    }

    /// Field elements round-trip through their nearest signed representative,
    /// including the ends of the range; values beyond it are refused.
    @Test func fieldElementsRoundTripSigned() throws {
        let p = Goldilocks.modulus
        for v: UInt64 in [0, 1, 2, p / 2, p / 2 + 1, p - 2, p - 1, 1 << 32, (1 << 63) + 5] {
            let x = Goldilocks(canonical: v)
            #expect(Goldilocks(nearestSigned: x.nearestSigned) == x)
        }
        #expect(Goldilocks(canonical: p - 1).nearestSigned == -1)
        #expect(Goldilocks(nearestSigned: Int64(p / 2) + 1) == nil)
        #expect(Goldilocks(nearestSigned: -Int64(p / 2) - 1) == nil)
        #expect(Goldilocks(nearestSigned: Int64.min) == nil)
    }

    /// A column block that is not what the encoder writes (a run past the
    /// table, a zero value, runs out of order, bytes left over, a truncated
    /// varint) is refused when the key is used, never read out of bounds.
    @Test func malformedFixedBlocksAreRefused() throws {
        func block(_ runs: [(gap: UInt64, length: UInt64, value: Int64)], extra: [UInt8] = []) -> [UInt8] {
            var b = ByteCoding.ByteWriter()
            b.u8(FixedColumns.runsTag)
            b.varint(UInt64(runs.count))
            for run in runs { b.varint(run.gap); b.varint(run.length); b.signedVarint(run.value) }
            return b.bytes + extra
        }
        let rows = 64
        let good = block([(0, 3, 5), (2, 1, -1), (10, 48, 7)])
        let bad = [
            block([(0, 65, 5)]),                         // past the table
            block([(60, 5, 5)]),                         // ends past the table
            block([(0, 3, 0)]),                          // a zero value
            block([(0, 0, 5)]),                          // an empty run
            block([(0, 3, 5)], extra: [0]),              // bytes left over
            Array(block([(0, 3, 5), (1, 2, 9)]).dropLast()),  // truncated
            block([(0, 3, Int64.max)]),                  // a value out of range
            [FixedColumns.wordsTag] + [UInt8](repeating: 1, count: 8 * rows - 1),    // words: one byte short
            [FixedColumns.wordsTag] + [UInt8](repeating: 0xFF, count: 8 * rows),     // words: not canonical
            [7] + Array(block([(0, 3, 5)]).dropFirst()),                              // an unknown tag
            [],                                                                       // empty
        ]
        func evaluate(_ block: [UInt8]) throws {
            let fixed = FixedColumns(rows: rows, storage: block, blocks: [0 ..< block.count])
            _ = try fixed.evaluate(logRows: 6, at: GoldilocksExt2(Goldilocks(3), Goldilocks(4)))
        }
        try evaluate(good)
        let dense = try #require(FixedColumns(rows: rows, storage: good, blocks: [0 ..< good.count]).dense())
        #expect(dense[0][0 ..< 3].allSatisfy { $0 == Goldilocks(5) } && dense[0][5] == -Goldilocks.one && dense[0][16 ..< 64].allSatisfy { $0 == Goldilocks(7) })
        #expect(FixedColumns(values: dense).storage == good)
        for b in bad {
            #expect(throws: VerificationError.self) { try evaluate(b) }
        }
        // A column of random words is kept as its words, and reads back.
        var rng = SystemRandomNumberGenerator()
        let random = (0 ..< rows).map { _ in Goldilocks(rng.next()) }
        let words = FixedColumns(values: [random])
        #expect(words.storage.first == FixedColumns.wordsTag && words.storage.count == 1 + 8 * rows)
        #expect(words.dense() == [random])
        try evaluate(words.storage)
    }
}
