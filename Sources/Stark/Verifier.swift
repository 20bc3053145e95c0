import Field

/// The STARK verifier. It reads only the verifying key, the public inputs,
/// the context bytes and the proof, and imports nothing of the prover.
public enum StarkVerifier {
    /// Accepts (returns) or throws a `VerificationError` saying why not.
    public static func verify(key: VerifyingKey, publicInputs: [Goldilocks], proof: Proof,
                              context: [UInt8] = []) throws {
        // One instantiation per extension, chosen by the key (the proof's
        // header must name the same one).
        if key.parameters.extensionDegree == 3 {
            try verify(GoldilocksExt3.self, key: key, publicInputs: publicInputs, proof: proof, context: context)
        } else {
            try verify(GoldilocksExt2.self, key: key, publicInputs: publicInputs, proof: proof, context: context)
        }
    }

    static func verify<E: ExtensionField>(_: E.Type, key: VerifyingKey, publicInputs: [Goldilocks], proof: Proof,
                                          context: [UInt8]) throws {
        let L = key.layout, p = key.parameters, F = p.foldingFactor
        let n = L.rows, logRows = key.logRows
        let logLDE = logRows + p.logBlowup
        let h = proof.header
        let protocolID = Proof.protocolID(extensionDegree: E.degree)
        guard h.version == Proof.version, h.protocolID == protocolID, h.hash == SHA256.name else {
            throw VerificationError.headerMismatch("protocol \(h.protocolID) v\(h.version) with \(h.hash)")
        }
        guard h.parameters == p else { throw VerificationError.headerMismatch("parameters \(h.parameters), key has \(p)") }
        guard h.logRows == logRows else { throw VerificationError.headerMismatch("2^\(h.logRows) rows, key has 2^\(logRows)") }
        guard h.security == key.security else { throw VerificationError.headerMismatch("security \(h.security), key gives \(key.security)") }
        guard publicInputs.count == L.publicInputCount else {
            throw VerificationError.publicInputCount(expected: L.publicInputCount, got: publicInputs.count)
        }
        let phaseCount = L.phaseChallengeCounts.count
        let rounds = FRIFolding.rounds(p, rows: n)
        let finalDegree = max(1, n >> (p.logFoldingFactor * rounds))
        let M = L.oodColumnCount, next = L.nextColumns
        // The proof carries the committed columns' values only: at z, and at
        // z·ω those that constraints read at the next row. The fixed columns'
        // values are the verifier's own (`FixedColumns`).
        let fixedCount = L.fixedCount
        let committedNext = next.indices.filter { next[$0] >= fixedCount }
        guard proof.oodValues.degree == E.degree, proof.finalPolynomial.degree == E.degree,
              proof.friOpenings.allSatisfy({ $0.values.degree == E.degree }), L.extensionDegree == E.degree else {
            throw VerificationError.shapeMismatch("values of another extension")
        }
        guard proof.commitments.count == phaseCount + 2, M >= fixedCount,
              proof.oodValues.count == M - fixedCount + committedNext.count,
              proof.friRoots.count == rounds - 1, proof.finalPolynomial.count == finalDegree,
              proof.treeOpenings.count == L.treeWidths.count - 1, proof.friOpenings.count == rounds - 1 else {
            throw VerificationError.shapeMismatch("wrong number of commitments, values or layers")
        }

        // Replay the transcript.
        var transcript = Transcript(protocolID: protocolID)
        transcript.absorb(bytes: key.digest.bytes)
        transcript.absorb(bytes: context)
        transcript.absorb(publicInputs)
        transcript.absorb(proof.commitments[0])
        var challenges: [[E]] = []
        for phase in 0 ..< phaseCount {
            challenges.append((0 ..< L.phaseChallengeCounts[phase]).map { _ in transcript.challenge(E.self) })
            transcript.absorb(proof.commitments[1 + phase])
        }
        let alpha = transcript.challenge(E.self)
        transcript.absorb(proof.commitments[phaseCount + 1])
        var z = transcript.challenge(E.self)
        while z.isBase || z.power(UInt64(n)) == .one { z = transcript.challenge(E.self) }
        let omega = Goldilocks.rootOfUnity(logOrder: logRows)
        let zNext = z * omega
        let oodValues = proof.oodValues.values(E.self)
        let openedAtZ = Array(oodValues[0 ..< M - fixedCount])
        let openedAtZNext = Array(oodValues[(M - fixedCount)...])
        transcript.absorb(openedAtZ)
        transcript.absorb(openedAtZNext)
        let deepCoefficients = (0 ..< M + next.count).map { _ in transcript.challenge(E.self) }
        var betas: [E] = []
        for r in 0 ..< rounds {
            betas.append(transcript.challenge(E.self))
            if r < rounds - 1 { transcript.absorb(proof.friRoots[r]) }
        }
        let finalPolynomial = proof.finalPolynomial.values(E.self)
        transcript.absorb(finalPolynomial)
        guard transcript.proofOfWorkHolds(nonce: proof.powNonce, bits: p.grindingBits) else {
            throw VerificationError.insufficientProofOfWork
        }
        transcript.absorb(bytes: withUnsafeBytes(of: proof.powNonce.littleEndian) { Array($0) })
        let positions = transcript.challengeIndices(count: p.queryCount, bound: (n << p.logBlowup) / F)
        let leaves = Array(Set(positions)).sorted()

        // Every column at z (and those read at the next row at z·ω): the fixed
        // ones computed here from the key, the committed ones from the proof.
        guard key.fixed.count == fixedCount, key.fixed.rows == n || fixedCount == 0 else {
            throw VerificationError.invalidKey("the key's fixed columns do not match its layout")
        }
        let fixedNext = Set(next.filter { $0 < fixedCount })
        let fixedAt = try key.fixed.evaluate(logRows: logRows, at: z, readAtNext: { fixedNext.contains($0) })
        let atZ = fixedAt.atZ + openedAtZ
        var atZNext = [E](repeating: .zero, count: next.count)
        for (j, c) in next.enumerated() where c < fixedCount { atZNext[j] = fixedAt.atZNext[c] }
        for (k, j) in committedNext.enumerated() { atZNext[j] = openedAtZNext[k] }

        // The constraints at z against the quotient chunks.
        try checkOutOfDomain(L, z: z, atZ: atZ, atZNext: atZNext, alpha: alpha, challenges: challenges,
                             publicInputs: publicInputs, logRows: logRows)

        // Openings of the committed trees (every one but the fixed columns').
        let roots = proof.commitments
        let names = ["advice"] + (0 ..< phaseCount).map { "phase \($0 + 1)" } + ["quotient"]
        // Per opened leaf and point, the row of all columns in view order (trees
        // concatenated; zeros in the fixed columns' places, which are not used).
        let fixedPlaces = [Goldilocks](repeating: .zero, count: fixedCount)
        var perPoint = leaves.map { _ in [[Goldilocks]](repeating: fixedPlaces, count: F) }
        for (t, width) in L.treeWidths.dropFirst().enumerated() {
            let opening = proof.treeOpenings[t]
            // Every committed tree's leaves are salted (docs/security.md): one salt per opened leaf.
            guard opening.values.count == leaves.count * F * width,
                  opening.salts.count == leaves.count else {
                throw VerificationError.shapeMismatch("\(names[t]) opening has the wrong size")
            }
            var digests: [Digest] = []
            for (k, _) in leaves.enumerated() {
                let slice = opening.values[k * F * width ..< (k + 1) * F * width]
                digests.append(CommittedColumns.leafDigest(values: slice, salt: opening.salts[k]))
                for m in 0 ..< F {
                    perPoint[k][m] += opening.values[(k * F + m) * width ..< (k * F + m + 1) * width]
                }
            }
            guard MerkleTree.root(leafCount: (n << p.logBlowup) / F, indices: leaves, leaves: digests,
                                  proof: opening.proof) == roots[t] else {
                throw VerificationError.merkleMismatch(tree: names[t])
            }
        }

        // DEEP composition at the opened points:
        //   f(x) = R(x) + (A(x) − A(z))/(x − z) + (B(x) − B(zω))/(x − zω),
        // A over the M columns opened at z, B over the M′ opened at z·ω.
        // Only committed columns are batched (the fixed ones are exact already).
        var aZ = E.zero, bZ = E.zero
        for i in fixedCount ..< M { aZ += deepCoefficients[i] * atZ[i] }
        for j in committedNext { bZ += deepCoefficients[M + j] * atZNext[j] }
        var layerValues: [Int: [E]] = [:]  // leaf → F values of f
        for (k, leaf) in leaves.enumerated() {
            var values: [E] = []
            for m in 0 ..< F {
                let row = perPoint[k][m]
                let x = E(FRIFolding.point(F * leaf + m, logSize: logLDE, shift: StarkParameters.cosetShift))
                var a = E.zero, b = E.zero
                for i in fixedCount ..< M { a += deepCoefficients[i] * row[i] }
                for j in committedNext { b += deepCoefficients[M + j] * row[next[j]] }
                // The mask R: the last e columns, after the M opened at z.
                var value = E(generating: { row[M + $0] }) + (a - aZ) * (x - z).inverse
                if !committedNext.isEmpty { value += (b - bZ) * (x - zNext).inverse }
                values.append(value)
            }
            layerValues[leaf] = values
        }

        // FRI: fold each query through the layers.
        var layerShift = StarkParameters.cosetShift
        var logSize = logLDE
        var current = leaves.map { ($0, layerValues[$0]!) }  // (position in next layer, coset values)
        for r in 0 ..< rounds {
            let folded = current.map { FRIFolding.foldCoset($0.1, leaf: $0.0, logSize: logSize, shift: layerShift, beta: betas[r]) }
            logSize -= p.logFoldingFactor
            layerShift = layerShift.power(UInt64(F))
            if r == rounds - 1 {
                for (q, (position, _)) in current.enumerated() {
                    let x = E(FRIFolding.point(position, logSize: logSize, shift: layerShift))
                    guard Polynomial.evaluate(finalPolynomial, at: x) == folded[q] else {
                        throw VerificationError.friFinalPolynomialMismatch(query: q)
                    }
                }
                break
            }
            // Layer r + 1 is committed: check folded values against its openings.
            let opening = proof.friOpenings[r]
            let layerLeaves = Array(Set(current.map { $0.0 / F })).sorted()
            guard opening.values.count == layerLeaves.count * F else {
                throw VerificationError.shapeMismatch("FRI layer \(r + 1) opening has the wrong size")
            }
            let openedValues = opening.values.values(E.self)
            var cosets: [Int: [E]] = [:]
            var digests: [Digest] = []
            for (k, leaf) in layerLeaves.enumerated() {
                let values = Array(openedValues[k * F ..< (k + 1) * F])
                cosets[leaf] = values
                digests.append(FRIProver<E>.leafDigest(values[...]))
            }
            guard MerkleTree.root(leafCount: (1 << logSize) / F, indices: layerLeaves, leaves: digests,
                                  proof: opening.proof) == proof.friRoots[r] else {
                throw VerificationError.merkleMismatch(tree: "FRI layer \(r + 1)")
            }
            var next: [(Int, [E])] = []
            for (q, (position, _)) in current.enumerated() {
                guard cosets[position / F]![position % F] == folded[q] else {
                    throw VerificationError.friFoldMismatch(layer: r + 1, query: q)
                }
                if next.last?.0 != position / F { next.append((position / F, cosets[position / F]!)) }
            }
            current = next
        }
    }

    /// Evaluates every constraint at z from the claimed openings and checks
    /// Σ α-combination = Z_H(z)·Σ_i z^{i·c}·Q_i(z).
    static func checkOutOfDomain<E: ExtensionField>(_ L: VerifierLayout, z: E, atZ: [E], atZNext: [E],
                                 alpha: E, challenges: [[E]], publicInputs: [Goldilocks],
                                 logRows: Int) throws {
        let (composition, quotient, vanishing) = try outOfDomainSides(L, z: z, atZ: atZ, atZNext: atZNext, alpha: alpha,
                                                                   challenges: challenges, publicInputs: publicInputs,
                                                                   logRows: logRows)
        guard composition == quotient * vanishing else { throw VerificationError.outOfDomainCheckFailed }
    }

    /// The two sides of the out-of-domain identity: the α-combination of the
    /// constraints at z, Σ_i z^{i·c}·Q_i(z), and z^n − 1. `atZ` holds the M
    /// columns at z, `atZNext` the columns `L.nextColumns` at z·ω. A constraint
    /// that reads anything the key does not define is an error, never a zero.
    static func outOfDomainSides<E: ExtensionField>(_ L: VerifierLayout, z: E, atZ: [E], atZNext: [E],
                                 alpha: E, challenges: [[E]], publicInputs: [Goldilocks],
                                 logRows: Int) throws -> (E, E, E) {
        let n = L.rows
        let zn = z.power(UInt64(n))
        // Public-input interpolants at z: Σ v·L_row(z), L_row(z) = ω^row (z^n − 1) / (n (z − ω^row)).
        let omega = Goldilocks.rootOfUnity(logOrder: logRows)
        let nInverse = Goldilocks(UInt64(n)).inverse
        let instances: [E] = L.instanceCells.map { cells in
            var sum = E.zero
            for c in cells {
                let w = omega.power(UInt64(c.row))
                let lagrange = (zn - .one) * (w * nInverse) * (z - w).inverse
                sum += lagrange * publicInputs[c.input]
            }
            return sum
        }
        /// The opened value of base column `index` at z or z·ω.
        func opened(_ index: Int, _ rotation: Rotation) throws -> E {
            switch rotation {
            case .current:
                guard index < atZ.count else { throw VerificationError.invalidKey("column \(index) is not opened at z") }
                return atZ[index]
            case .next:
                guard let p = L.nextPosition[index] else {
                    throw VerificationError.invalidKey("column \(index) is read at the next row but not opened at z·ω")
                }
                return atZNext[p]
            }
        }
        func value(_ e: Expression) throws -> E {
            switch e {
            case let .constant(c): return E(c)
            case let .column(c, rotation):
                guard let (index, isExt) = L.columnIndex[c] else {
                    throw VerificationError.invalidKey("a constraint reads \(c), which the key does not define")
                }
                // An extension column: Σ_k u^k · (its coefficient k's column).
                var result = E.zero, power = E.one
                for k in 0 ..< (isExt ? E.degree : 1) {
                    result += power * (try opened(index + k, rotation))
                    power *= E.u
                }
                return result
            case let .challenge(p, i):
                guard (1 ... challenges.count).contains(p), challenges[p - 1].indices.contains(i) else {
                    throw VerificationError.invalidKey("a constraint reads challenge \(i) of phase \(p), which does not exist")
                }
                return challenges[p - 1][i]
            case let .selector(s):
                throw VerificationError.invalidKey("a constraint reads the unresolved selector \(s)")
            case let .instance(k):
                guard instances.indices.contains(k) else {
                    throw VerificationError.invalidKey("a constraint reads instance polynomial \(k), which does not exist")
                }
                return instances[k]
            case .x: return z
            case let .sum(a, b): return try value(a) + value(b)
            case let .difference(a, b): return try value(a) - value(b)
            case let .product(a, b): return try value(a) * value(b)
            case let .negation(a): return -(try value(a))
            }
        }
        var composition = E.zero
        for c in L.constraints { composition = composition * alpha + (try value(c.expression)) }
        let quotientStart = L.treeWidths.dropLast().reduce(0, +)
        var quotient = E.zero
        let zc = z.power(UInt64(L.quotientChunkSize))
        var zPower = E.one
        let D = E.degree
        guard quotientStart + D * L.quotientChunks <= atZ.count else {
            throw VerificationError.invalidKey("the quotient chunks are not all opened at z")
        }
        for i in 0 ..< L.quotientChunks {
            // Chunk i is e base columns: Σ_k u^k · (its coefficient k's column at z).
            var chunk = E.zero, power = E.one
            for k in 0 ..< D {
                chunk += power * atZ[quotientStart + D * i + k]
                power *= E.u
            }
            quotient += zPower * chunk
            zPower *= zc
        }
        return (composition, quotient, zn - .one)
    }
}
