import Testing
import Field
@testable import Stark

/// Regression test for the security review's zero-knowledge finding (docs/security.md §4).
///
/// A verifier collects every linear equation one proof gives about a witness
/// column T: T(z) and T(z·ω) (two base-field equations each), T(x) at the opened
/// query points and T(x·ω) through the quotient opened at x. The witness is
/// a0·2^r on the usable rows (a0 secret) and k random values on the blinding
/// rows, so the unknowns are a0 and the k blinding values. Version 1 proofs
/// also opened the quotient at z·ω, which gave T(z·ω²) and let this attack
/// recover a0 from every proof; now the equations never determine a0.
@Suite struct ZeroKnowledgeAttackTests {
    /// a[r+1] = 2·a[r] on transition rows.
    static func circuit(logRows: Int) -> Circuit {
        Circuit(logRows: logRows, adviceColumnCount: 1,
                gates: [Gate("double", Expression.selector(.transition) * (.advice(0, .next) - 2 * .advice(0)))])
    }

    static let parameters = SecurityPreset.conjectured100.parameters
    static let key = try! ProvingKey(circuit: circuit(logRows: 12), parameters: parameters)

    /// What the verifier learns about T = advice column 0 from one proof: (point, value) pairs.
    static func observations(_ proof: Proof) -> [(point: GoldilocksExt2, value: GoldilocksExt2)] {
        let vk = key.verifyingKey
        let L = vk.layout, p = vk.parameters, F = p.foldingFactor
        let n = L.rows, logRows = vk.logRows
        let M = L.oodColumnCount
        // The verifier's transcript, up to the query positions.
        var transcript = Transcript(protocolID: Proof.protocolID)
        transcript.absorb(bytes: vk.digest.bytes)
        transcript.absorb(bytes: [])
        transcript.absorb([Goldilocks]())
        transcript.absorb(proof.commitments[0])
        for phase in 0 ..< L.phaseChallengeCounts.count {
            for _ in 0 ..< L.phaseChallengeCounts[phase] { _ = transcript.challengeExt() }
            transcript.absorb(proof.commitments[1 + phase])
        }
        _ = transcript.challengeExt()
        transcript.absorb(proof.commitments[L.phaseChallengeCounts.count + 1])
        var z = transcript.challengeExt()
        while z.c1.isZero || z.power(UInt64(n)) == .one { z = transcript.challengeExt() }
        // The proof's out-of-domain values are the committed columns' (the fixed ones are not sent).
        let opened = M - L.fixedCount
        let oodValues = proof.oodValues.values(GoldilocksExt2.self)
        let atZ = Array(oodValues[0 ..< opened]), atZNext = Array(oodValues[opened...])
        let committedNext = L.nextColumns.indices.filter { L.nextColumns[$0] >= L.fixedCount }
        transcript.absorb(atZ)
        transcript.absorb(atZNext)
        for _ in 0 ..< M + L.nextColumns.count { _ = transcript.challengeExt() }
        let rounds = FRIFolding.rounds(p, rows: n)
        for r in 0 ..< rounds {
            _ = transcript.challengeExt()
            if r < rounds - 1 { transcript.absorb(proof.friRoots[r]) }
        }
        transcript.absorb(proof.finalPolynomial.values(GoldilocksExt2.self))
        transcript.absorb(bytes: withUnsafeBytes(of: proof.powNonce.littleEndian) { Array($0) })
        let leaves = Array(Set(transcript.challengeIndices(count: p.queryCount, bound: (n << p.logBlowup) / F))).sorted()

        let omega = Goldilocks.rootOfUnity(logOrder: logRows)
        let column = L.columnIndex[.advice(0)]!.index
        let transition = L.columnIndex[.fixed(BuiltinSelector.transition.rawValue)]!.index
        let c = L.quotientChunkSize
        func quotient(_ chunk: (Int) -> GoldilocksExt2, at y: GoldilocksExt2) -> GoldilocksExt2 {
            var q = GoldilocksExt2.zero, yi = GoldilocksExt2.one
            let yc = y.power(UInt64(c))
            for i in 0 ..< L.quotientChunks { q += yi * chunk(i); yi *= yc }
            return q
        }
        var result: [(point: GoldilocksExt2, value: GoldilocksExt2)] = [
            (z, atZ[column - L.fixedCount]),
            (z * omega, atZNext[committedNext.firstIndex(of: L.nextPosition[column]!)!]),
        ]
        // The only constraint is transition·(T(xω) − 2·T(x)) = Q(x)·(x^n − 1).
        let quotientWidth = L.treeWidths.last!
        // The fixed columns are not opened (the verifier knows them): the selector's polynomial at x.
        let selectorValues = vk.fixed.dense()![transition]
        func selectorAt(_ x: Goldilocks) -> Goldilocks {
            let vanishing = GoldilocksExt2(x.power(UInt64(n)) - .one), nInverse = Goldilocks(UInt64(n)).inverse
            var sum = GoldilocksExt2.zero, w = Goldilocks.one
            for r in 0 ..< n {
                if !selectorValues[r].isZero { sum += vanishing * GoldilocksExt2(w * nInverse * selectorValues[r]) * (GoldilocksExt2(x) - GoldilocksExt2(w)).inverse }
                w *= omega
            }
            return sum.c0
        }
        for (k, leaf) in leaves.enumerated() {
            for m in 0 ..< F {
                let x = FRIFolding.point(F * leaf + m, logSize: logRows + p.logBlowup, shift: StarkParameters.cosetShift)
                let row = k * F + m
                let tx = proof.treeOpenings[0].values[row]
                let selector = selectorAt(x)
                let chunks = Array(proof.treeOpenings.last!.values[row * quotientWidth ..< (row + 1) * quotientWidth])
                let qx = quotient({ GoldilocksExt2(chunks[2 * $0], chunks[2 * $0 + 1]) }, at: GoldilocksExt2(x))
                let cx = qx * GoldilocksExt2(x.power(UInt64(n)) - .one)
                result.append((GoldilocksExt2(x), GoldilocksExt2(tx)))
                result.append((GoldilocksExt2(x * omega), cx * GoldilocksExt2(selector.inverse) + GoldilocksExt2(2 * tx)))
            }
        }
        return result
    }

    /// Solves for a0 from T(y) = Σ_{r<usable} a0·2^r·L_r(y) + Σ_j b_j·L_{usable+j}(y):
    /// a0 when the equations determine it, nil otherwise.
    static func solveForSecret(_ observations: [(point: GoldilocksExt2, value: GoldilocksExt2)]) -> Goldilocks? {
        let n = key.verifyingKey.layout.rows, usable = key.usableRows, k = n - usable
        let omega = Goldilocks.rootOfUnity(logOrder: n.trailingZeroBitCount)
        let nInverse = Goldilocks(UInt64(n)).inverse
        var omegaPowers = [Goldilocks](repeating: .one, count: n)
        for i in 1 ..< n { omegaPowers[i] = omegaPowers[i - 1] * omega }
        var rows: [[Goldilocks]] = [], rhs: [Goldilocks] = []
        var seen = Set<GoldilocksExt2>()
        for (y, value) in observations where seen.insert(y).inserted {
            let vanishing = y.power(UInt64(n)) - .one
            func lagrange(_ r: Int) -> GoldilocksExt2 {
                vanishing * GoldilocksExt2(omegaPowers[r] * nInverse) * (y - GoldilocksExt2(omegaPowers[r])).inverse
            }
            var coefficients = (0 ..< k).map { lagrange(usable + $0) }
            var secret = GoldilocksExt2.zero, power = Goldilocks.one
            for r in 0 ..< usable { secret += lagrange(r) * power; power = power + power }
            coefficients.append(secret)
            rows.append(coefficients.map(\.c0)); rhs.append(value.c0)
            if !y.isBase { rows.append(coefficients.map(\.c1)); rhs.append(value.c1) }
        }
        return solveLast(rows, rhs)
    }

    /// The last unknown of a linear system over F_p, if the system determines it.
    static func solveLast(_ matrix: [[Goldilocks]], _ rhs: [Goldilocks]) -> Goldilocks? {
        var a = matrix, b = rhs
        let columns = a[0].count
        var r = 0
        for c in 0 ..< columns - 1 {
            guard let p = (r ..< a.count).first(where: { !a[$0][c].isZero }) else { continue }
            a.swapAt(r, p); b.swapAt(r, p)
            let inverse = a[r][c].inverse
            for j in 0 ..< columns { a[r][j] *= inverse }
            b[r] *= inverse
            for i in 0 ..< a.count where i != r && !a[i][c].isZero {
                let f = a[i][c]
                for j in 0 ..< columns { a[i][j] -= f * a[r][j] }
                b[i] -= f * b[r]
            }
            r += 1
        }
        // Rows left over have zeros in every other column: one with a nonzero last entry fixes it.
        for i in r ..< a.count where !a[i][columns - 1].isZero { return b[i] * a[i][columns - 1].inverse }
        return nil
    }

    /// The proof's witness column with the prover's blinding values, reproduced
    /// from its fixed seed (the prover's first draws fill advice column 0's blinding rows).
    static func trace(a0: Goldilocks, seed: [UInt8]) -> [Goldilocks] {
        var column: [Goldilocks] = []
        var v = a0
        for _ in 0 ..< key.usableRows { column.append(v); v = v + v }
        var rng = SecureRandom(seed: seed)
        for _ in key.usableRows ..< key.verifyingKey.layout.rows { column.append(Goldilocks.random(using: &rng)) }
        return column
    }

    /// The interpolant of table values at y (barycentric Lagrange form).
    static func evaluate(_ values: [Goldilocks], at y: GoldilocksExt2) -> GoldilocksExt2 {
        let n = values.count
        let omega = Goldilocks.rootOfUnity(logOrder: n.trailingZeroBitCount)
        let factor = (y.power(UInt64(n)) - .one) * GoldilocksExt2(Goldilocks(UInt64(n)).inverse)
        var sum = GoldilocksExt2.zero, w = Goldilocks.one
        for r in 0 ..< n {
            sum += GoldilocksExt2(values[r] * w) * (y - GoldilocksExt2(w)).inverse
            w *= omega
        }
        return factor * sum
    }

    static func prove(a0: Goldilocks, seed: [UInt8]) throws -> Proof {
        var options = ProverOptions()
        options.seed = seed
        let witness = [Array(trace(a0: a0, seed: seed).prefix(key.usableRows))]
        let proof = try StarkProver.prove(key: key, witness: witness, publicInputs: [], options: options)
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: [], proof: proof)
        return proof
    }

    @Test func theQuotientIsNeverOpenedAtZOmega() {
        let L = Self.key.verifyingKey.layout
        let quotientStart = L.treeWidths.dropLast().reduce(0, +)
        #expect(!L.nextColumns.isEmpty)
        #expect(L.nextColumns.allSatisfy { $0 < quotientStart })
        // Exactly the advice column read with `.next` (base field: one component).
        #expect(L.nextColumns == [L.columnIndex[.advice(0)]!.index])
    }

    @Test func aVerifierRecoversNothingFromTheOpenings() throws {
        var rng = SplitMix(state: 7)
        let k = Self.key.verifyingKey.layout.rows - Self.key.usableRows
        for trial in 0 ..< 3 {
            let a0 = Goldilocks.random(using: &rng)
            let seed = [UInt8(trial), 42]
            let proof = try Self.prove(a0: a0, seed: seed)
            let observed = Self.observations(proof)
            // The observations are right: each is the true trace polynomial's value.
            let column = Self.trace(a0: a0, seed: seed)
            for (y, value) in observed { #expect(Self.evaluate(column, at: y) == value) }
            // They number at most 4 + 2·F·q base-field equations, fewer than k + 1 unknowns …
            let equations = Set(observed.map(\.point)).reduce(0) { $0 + ($1.isBase ? 1 : 2) }
            let p = Self.parameters
            #expect(equations <= 4 + 2 * p.foldingFactor * p.queryCount)
            #expect(equations < k + 1)
            // … and do not determine a0.
            #expect(Self.solveForSecret(observed) == nil)
        }
    }

    /// Control: the same attack succeeds once the verifier knows the column at
    /// enough further out-of-domain points (version 1 leaked one, z·ω², which
    /// sufficed with its 4 + 2·F·q blinding rows), so the test above can fail.
    @Test func theAttackSucceedsWithMoreEquationsThanBlindingRows() throws {
        let a0 = Goldilocks(123_456_789)
        let seed: [UInt8] = [9, 9]
        let proof = try Self.prove(a0: a0, seed: seed)
        var observed = Self.observations(proof)
        let column = Self.trace(a0: a0, seed: seed)
        let k = Self.key.verifyingKey.layout.rows - Self.key.usableRows
        let equations = Set(observed.map(\.point)).reduce(0) { $0 + ($1.isBase ? 1 : 2) }
        // Each extra extension point gives two equations; k + 1 unknowns in all.
        let omega = Goldilocks.rootOfUnity(logOrder: Self.key.verifyingKey.logRows)
        var y = observed[1].point  // z·ω
        for _ in 0 ..< (k + 1 - equations + 1) / 2 {
            y = y * omega
            observed.append((y, Self.evaluate(column, at: y)))
        }
        #expect(Self.solveForSecret(observed) == a0)
    }
}
