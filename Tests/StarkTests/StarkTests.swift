import Testing
import Field
@testable import Stark

@Suite struct EndToEndTests {
    @Test(arguments: [2, 3])
    func exampleCircuitProvesAndVerifies(degree: Int) throws {
        let example = ExampleCircuit(logRows: 9, parameters: testParameters(degree: degree))
        let key = try ProvingKey(circuit: example.circuit, parameters: testParameters(degree: degree))
        let proof = try StarkProver.prove(key: key, witness: example.witness, publicInputs: example.publicInputs)
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: example.publicInputs, proof: proof)
        let decoded = try Proof(decoding: proof.encoded())
        #expect(decoded == proof)
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: example.publicInputs, proof: decoded)
    }
}

/// Every rejection runs over both extensions (`degree` 2 and 3): the
/// honest prover's checks and the verifier must catch the same lies.
@Suite struct SoundnessTests {
    static let example = ExampleCircuit(logRows: 9, parameters: testParameters(degree: 3))
    static let keys = [2, 3].map { try! ProvingKey(circuit: example.circuit, parameters: testParameters(degree: $0)) }
    static func key(_ degree: Int) -> ProvingKey { keys[degree - 2] }

    /// The honest prover refuses, and a forced proof is rejected.
    func expectRefusedAndRejected(_ witness: [[Goldilocks]], publicInputs: [Goldilocks]? = nil, degree: Int,
                                  _ refusal: (StarkError) -> Bool) throws {
        let inputs = publicInputs ?? Self.example.publicInputs
        let key = Self.key(degree)
        do {
            _ = try StarkProver.prove(key: key, witness: witness, publicInputs: inputs)
            Issue.record("the honest prover accepted a bad witness")
        } catch let error as StarkError {
            #expect(refusal(error), "unexpected refusal \(error)")
        }
        let forged = try proveUnchecked(key, witness, inputs)
        #expect(throws: VerificationError.self) {
            try StarkVerifier.verify(key: key.verifyingKey, publicInputs: inputs, proof: forged)
        }
    }

    @Test(arguments: [2, 3])
    func wrongArithmeticCellIsRejected(degree: Int) throws {
        var w = Self.example.witness
        w[ExampleCircuit.c][10] += .one
        try expectRefusedAndRejected(w, degree: degree) { $0 == .gateNotSatisfied(gate: "arithmetic", constraint: 0, row: 10) || $0 == .copyConstraintViolated(Cell(column: 2, row: 10), Cell(column: 0, row: 11)) }
    }

    @Test(arguments: [2, 3])
    func wrongAccumulatorIsRejected(degree: Int) throws {
        var w = Self.example.witness
        w[ExampleCircuit.x0 + 2][100] += .one
        try expectRefusedAndRejected(w, degree: degree) { $0 == .gateNotSatisfied(gate: "accumulate", constraint: 0, row: 100) }
    }

    @Test(arguments: [2, 3])
    func nonBooleanIsRejected(degree: Int) throws {
        var w = Self.example.witness
        w[ExampleCircuit.bit][200] = 2
        try expectRefusedAndRejected(w, degree: degree) { $0 == .gateNotSatisfied(gate: "boolean", constraint: 0, row: 200) }
    }

    @Test(arguments: [2, 3])
    func brokenCopyConstraintIsRejected(degree: Int) throws {
        var w = Self.example.witness
        // Row 7's bit is copied from row 3: flip it (still boolean, no gate breaks).
        w[ExampleCircuit.bit][7] = .one - w[ExampleCircuit.bit][3]
        try expectRefusedAndRejected(w, degree: degree) { $0 == .copyConstraintViolated(Cell(column: 12, row: 3), Cell(column: 12, row: 7)) }
    }

    @Test(arguments: [2, 3])
    func valueOutsideRangeTableIsRejected(degree: Int) throws {
        var w = Self.example.witness
        w[ExampleCircuit.r0][4] = 256  // row 4 has the range selector on (4 % 3 ≠ 0)
        try expectRefusedAndRejected(w, degree: degree) { if case .lookupFailed("byte range", 4, [256]) = $0 { return true } else { return false } }
    }

    @Test(arguments: [2, 3])
    func tupleOutsideTableIsRejected(degree: Int) throws {
        var w = Self.example.witness
        w[ExampleCircuit.t1][5] += .one
        try expectRefusedAndRejected(w, degree: degree) { if case .lookupFailed("square pair", 5, _) = $0 { return true } else { return false } }
    }

    @Test(arguments: [2, 3])
    func wrongPublicInputIsRejected(degree: Int) throws {
        var inputs = Self.example.publicInputs
        inputs[1] += .one
        try expectRefusedAndRejected(Self.example.witness, publicInputs: inputs, degree: degree) { $0 == .publicInputMismatch(index: 1, cell: Self.example.circuit.publicInputs[1]) }
    }

    @Test(arguments: [2, 3])
    func validProofWithOtherPublicInputsOrKeyIsRejected(degree: Int) throws {
        let key = Self.key(degree)
        let proof = try StarkProver.prove(key: key, witness: Self.example.witness, publicInputs: Self.example.publicInputs)
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: Self.example.publicInputs, proof: proof)
        var inputs = Self.example.publicInputs
        inputs[0] += .one
        #expect(throws: VerificationError.self) {
            try StarkVerifier.verify(key: key.verifyingKey, publicInputs: inputs, proof: proof)
        }
        #expect(throws: VerificationError.self) {
            try StarkVerifier.verify(key: key.verifyingKey, publicInputs: Self.example.publicInputs, proof: proof, context: [1])
        }
        // The same circuit over the other extension: another key, another protocol.
        let otherDegree = Self.key(5 - degree)
        #expect(otherDegree.verifyingKey.digest != key.verifyingKey.digest)
        #expect {
            try StarkVerifier.verify(key: otherDegree.verifyingKey, publicInputs: Self.example.publicInputs, proof: proof)
        } throws: { error in
            if case .headerMismatch? = error as? VerificationError { return true }
            return false
        }
        // Same shape, one fixed value changed: another verifying key.
        var other = Self.example.circuit
        other.fixedColumns[ExampleCircuit.qc][1] += .one
        let otherKey = try ProvingKey(circuit: other, parameters: testParameters(degree: degree))
        #expect(otherKey.verifyingKey.digest != key.verifyingKey.digest)
        #expect(throws: VerificationError.self) {
            try StarkVerifier.verify(key: otherKey.verifyingKey, publicInputs: Self.example.publicInputs, proof: proof)
        }
    }
}

@Suite struct DeepAndFRISoundnessTests {
    /// A prover whose out-of-domain claims satisfy the constraint identity but do
    /// not match its committed polynomials: the DEEP quotient is then not a
    /// polynomial and FRI must reject.
    @Test(arguments: [2, 3])
    func lyingAboutOutOfDomainValuesIsCaughtByFRI(degree: Int) throws {
        let example = ExampleCircuit(logRows: 9, parameters: testParameters(degree: degree))
        let key = try ProvingKey(circuit: example.circuit, parameters: testParameters(degree: degree))
        var w = example.witness
        w[ExampleCircuit.c][10] += .one
        var options = ProverOptions()
        options.skipWitnessChecks = true
        options.lieAtOutOfDomainPoint = true
        let proof = try StarkProver.prove(key: key, witness: w, publicInputs: example.publicInputs, options: options)
        do {
            try StarkVerifier.verify(key: key.verifyingKey, publicInputs: example.publicInputs, proof: proof)
            Issue.record("accepted")
        } catch let error as VerificationError {
            switch error {
            case .friFoldMismatch, .friFinalPolynomialMismatch: break
            default: Issue.record("rejected for the wrong reason: \(error)")
            }
        }
    }
}

@Suite struct VerifyingKeyTests {
    @Test func digestIsDeterministicAndBindsTheConstraints() throws {
        let example = ExampleCircuit(logRows: 9)
        let a = try ProvingKey(circuit: example.circuit, parameters: testParameters)
        let b = try ProvingKey(circuit: ExampleCircuit(logRows: 9).circuit, parameters: testParameters)
        #expect(a.verifyingKey.digest == b.verifyingKey.digest)
        #expect(a.verifyingKey.fixedDigest == b.verifyingKey.fixedDigest)
        // A different gate (same columns and fixed values) gives another key that rejects the proof.
        var other = example.circuit
        other.gates[2] = Gate("boolean", .fixed(ExampleCircuit.qBool) * .advice(ExampleCircuit.bit) * (.advice(ExampleCircuit.bit) - 2))
        let otherKey = try ProvingKey(circuit: other, parameters: testParameters)
        #expect(otherKey.verifyingKey.digest != a.verifyingKey.digest)
        let proof = try StarkProver.prove(key: a, witness: example.witness, publicInputs: example.publicInputs)
        #expect(throws: VerificationError.self) {
            try StarkVerifier.verify(key: otherKey.verifyingKey, publicInputs: example.publicInputs, proof: proof)
        }
        // Other parameters: the header no longer matches.
        var p = testParameters
        p.grindingBits += 1
        let thirdKey = try ProvingKey(circuit: example.circuit, parameters: p)
        #expect(throws: VerificationError.self) {
            try StarkVerifier.verify(key: thirdKey.verifyingKey, publicInputs: example.publicInputs, proof: proof)
        }
    }
}

@Suite struct FixedColumnTests {
    /// The verifier evaluates the fixed columns itself: a key whose fixed values
    /// differ from the prover's (same digest, so only the values can fail)
    /// rejects, and so does a proof whose claimed fixed value at z is changed.
    @Test func fixedValuesAreTheVerifiersOwn() throws {
        let example = ExampleCircuit(logRows: 9)
        let key = try ProvingKey(circuit: example.circuit, parameters: testParameters)
        let proof = try StarkProver.prove(key: key, witness: example.witness, publicInputs: example.publicInputs)
        let vk = key.verifyingKey
        try StarkVerifier.verify(key: vk, publicInputs: example.publicInputs, proof: proof)
        var values = try #require(vk.fixed.dense())
        values[ExampleCircuit.qm][3] += .one
        let altered = VerifyingKey(parameters: vk.parameters, logRows: vk.logRows, fixedDigest: vk.fixedDigest,
                                   digest: vk.digest, security: vk.security, layout: vk.layout,
                                   fixed: FixedColumns(values: values))
        #expect(throws: VerificationError.self) {
            try StarkVerifier.verify(key: altered, publicInputs: example.publicInputs, proof: proof)
        }
        // The proof carries no fixed values: one more (or one fewer) value is a shape error.
        let committedAtZ = vk.layout.oodColumnCount - vk.layout.fixedCount
        let committedNext = vk.layout.nextColumns.filter { $0 >= vk.layout.fixedCount }.count
        #expect(proof.oodValues.count == committedAtZ + committedNext)
        for change in [1, -1] {
            var lying = proof
            if change > 0 {
                lying.oodValues.words.insert(contentsOf: [.one, .zero], at: 0)
            } else {
                lying.oodValues.words.removeFirst(2)
            }
            #expect {
                try StarkVerifier.verify(key: vk, publicInputs: example.publicInputs, proof: lying)
            } throws: { error in
                if case .shapeMismatch? = error as? VerificationError { return true }
                return false
            }
        }
        // A changed committed value at z fails (the transcript and the identity at z).
        var lying = proof
        lying.oodValues.words[0] += .one
        #expect(throws: VerificationError.self) {
            try StarkVerifier.verify(key: vk, publicInputs: example.publicInputs, proof: lying)
        }
    }

    /// The barycentric evaluation over runs agrees with interpolating and
    /// evaluating the coefficients: one weight chunk (2^6) and several (2^13,
    /// 2^14 > 4096), dense, sparse, all-zero, constant and run-length columns,
    /// z with and without a u component,
    /// and a column skipped at z·ω (reported as zero there).
    @Test(arguments: [6, 13, 14])
    func barycentricEvaluationMatchesCoefficients(logRows: Int) throws {
        var rng = SystemRandomNumberGenerator()
        let n = 1 << logRows
        let dense: [Goldilocks] = (0 ..< n).map { _ in Goldilocks(rng.next()) }
        let nearP: [Goldilocks] = (0 ..< n).map { i in Goldilocks(canonical: Goldilocks.modulus - 1 - UInt64(i)) }
        let sparse: [Goldilocks] = (0 ..< n).map { i in i % 3 == 0 ? Goldilocks(rng.next()) : .zero }
        let zero = [Goldilocks](repeating: .zero, count: n)
        let constant = [Goldilocks](repeating: Goldilocks(5), count: n)
        // Runs of random lengths and values (zero among them), some crossing
        // the wrap from row n−1 to row 0 at z·ω.
        var runs: [Goldilocks] = []
        while runs.count < n {
            let value = rng.next() % 3 == 0 ? Goldilocks.zero : Goldilocks(rng.next() % 4 + 1)
            runs += [Goldilocks](repeating: value, count: min(n - runs.count, Int(rng.next() % 9) + 1))
        }
        let columns = [dense, nearP, sparse, zero, constant, runs]
        // Quadratic points with and without a u component; cubic points with
        // a u or a u² component alone and with both.
        let quadratic = [GoldilocksExt2(Goldilocks(rng.next()), Goldilocks(rng.next())),
                         GoldilocksExt2(Goldilocks(rng.next()), .zero)]
        let cubic = [GoldilocksExt3(Goldilocks(rng.next()), Goldilocks(rng.next()), Goldilocks(rng.next())),
                     GoldilocksExt3(Goldilocks(rng.next()), .zero, Goldilocks(rng.next())),
                     GoldilocksExt3(Goldilocks(rng.next()), Goldilocks(rng.next()), .zero)]
        try Self.checkBarycentric(columns, logRows: logRows, at: quadratic)
        try Self.checkBarycentric(columns, logRows: logRows, at: cubic)
    }

    static func checkBarycentric<E: ExtensionField>(_ columns: [[Goldilocks]], logRows: Int, at points: [E]) throws {
        for z in points {
            let fixed = FixedColumns(values: columns)
            #expect(fixed.dense() == columns)
            let (atZ, atZNext) = try fixed.evaluate(logRows: logRows, at: z, readAtNext: { $0 != 2 })
            let zNext = z * Goldilocks.rootOfUnity(logOrder: logRows)
            for (c, column) in columns.enumerated() {
                var coefficients = column
                NTT.inverse(&coefficients)
                #expect(atZ[c] == Polynomial.evaluate(coefficients, at: z), "column \(c), degree \(E.degree)")
                #expect(atZNext[c] == (c == 2 ? .zero : Polynomial.evaluate(coefficients, at: zNext)))
            }
        }
    }
}

@Suite struct VerifierFailsClosedTests {
    static let example = ExampleCircuit(logRows: 9)
    static let key = try! ProvingKey(circuit: example.circuit, parameters: testParameters)
    static let proof = try! StarkProver.prove(key: key, witness: example.witness, publicInputs: example.publicInputs)

    /// The key with its layout changed (same digest, so only the change can fail).
    func keyWith(constraints: [NamedConstraint]? = nil, columnIndex: [ColumnRef: (index: Int, isExt: Bool)]? = nil,
                 nextPosition: [Int: Int]? = nil) -> VerifyingKey {
        let vk = Self.key.verifyingKey, L = vk.layout
        let layout = VerifierLayout(
            rows: L.rows, usableRows: L.usableRows, treeWidths: L.treeWidths, phaseChallengeCounts: L.phaseChallengeCounts,
            constraints: constraints ?? L.constraints, instanceColumns: L.instanceColumns, instanceCells: L.instanceCells,
            publicInputCount: L.publicInputCount, quotientChunkSize: L.quotientChunkSize, quotientChunks: L.quotientChunks,
            columnIndex: columnIndex ?? L.columnIndex, nextColumns: L.nextColumns, nextPosition: nextPosition ?? L.nextPosition,
            extensionDegree: L.extensionDegree)
        return VerifyingKey(parameters: vk.parameters, logRows: vk.logRows, fixedDigest: vk.fixedDigest, digest: vk.digest,
                            security: vk.security, layout: layout, fixed: vk.fixed)
    }

    func expectInvalidKey(_ key: VerifyingKey) {
        #expect {
            try StarkVerifier.verify(key: key, publicInputs: Self.example.publicInputs, proof: Self.proof)
        } throws: { error in
            if case .invalidKey? = error as? VerificationError { return true }
            return false
        }
    }

    /// A proof of an older format (version 2 committed the fixed columns) is
    /// refused by the decoder, saying which version it is.
    @Test func anOlderProofVersionIsRefusedByName() throws {
        var bytes = Self.proof.encoded()
        #expect(Array(bytes[4 ..< 6]) == [UInt8(Proof.version), 0])
        bytes[4] = 2
        #expect {
            try Proof(decoding: bytes)
        } throws: { error in
            guard case .malformedProof(let m)? = error as? VerificationError else { return false }
            return m.contains("unsupported proof version 2")
        }
    }

    @Test func theUnchangedKeyAccepts() throws {
        try StarkVerifier.verify(key: keyWith(), publicInputs: Self.example.publicInputs, proof: Self.proof)
    }

    @Test func anUndefinedColumnIsAnError() {
        var columns = Self.key.verifyingKey.layout.columnIndex
        columns[.advice(ExampleCircuit.a)] = nil
        expectInvalidKey(keyWith(columnIndex: columns))
    }

    @Test func aColumnReadAtTheNextRowButNotOpenedThereIsAnError() {
        expectInvalidKey(keyWith(nextPosition: [:]))
    }

    @Test func anUnresolvedSelectorIsAnError() {
        var constraints = Self.key.verifyingKey.layout.constraints
        constraints[0].expression = .selector(.first) * constraints[0].expression
        expectInvalidKey(keyWith(constraints: constraints))
    }
}

@Suite struct LookupSelectorTests {
    /// Fixed-column selectors (and constants, built-in selectors) are accepted.
    @Test func fixedSelectorsAreAccepted() throws {
        let circuit = Circuit(logRows: 9, fixedColumns: [[1, 0, 1]], adviceColumnCount: 1, tables: [.range(bits: 4)],
                              lookups: [Lookup(name: "l", selector: .fixed(0) + .selector(.first), inputs: [.advice(0)], table: 0)])
        let key = try ProvingKey(circuit: circuit, parameters: testParameters)
        let witness = [(0 ..< key.usableRows).map { Goldilocks(UInt64($0 % 16)) }]
        let proof = try StarkProver.prove(key: key, witness: witness, publicInputs: [])
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: [], proof: proof)
    }

    @Test func adviceSelectorsAreRejected() {
        let circuit = Circuit(logRows: 9, adviceColumnCount: 2, tables: [.range(bits: 4)],
                              lookups: [Lookup(name: "l", selector: .advice(1), inputs: [.advice(0)], table: 0)])
        #expect {
            try ProvingKey(circuit: circuit, parameters: testParameters)
        } throws: { error in
            guard case let .invalidCircuit(message)? = error as? StarkError else { return false }
            return message.contains("selector")
        }
    }
}

@Suite struct TableShapeTests {
    /// A table whose LDE domain would exceed the field's subgroups of order
    /// up to 2^32 (2^28 rows at blowup 64), or beyond 2^28 rows, or too small
    /// for its blinding rows, is refused with a message, before any column is
    /// built (it used to trap on the missing root of unity).
    @Test(arguments: [(28, 6, "subgroups"), (29, 3, "1...28"), (0, 3, "1...28"), (4, 3, "usable rows")])
    func tablesTheFieldCannotHoldAreRefused(logRows: Int, logBlowup: Int, reason: String) {
        var parameters = testParameters
        parameters.logBlowup = logBlowup
        let circuit = Circuit(logRows: logRows, adviceColumnCount: 1)
        #expect {
            try ProvingKey(circuit: circuit, parameters: parameters)
        } throws: { error in
            guard case let .invalidCircuit(message)? = error as? StarkError else { return false }
            return message.contains(reason)
        }
        #expect(throws: StarkError.self) { try parameters.validate(logRows: logRows) }
    }
}
