import Field

/// The fixed (preprocessed) columns as the verifier uses them: their values on
/// the table, which it knows, evaluated at the out-of-domain point itself.
///
/// Why the fixed columns are not committed (docs/security.md §2): the verifier
/// rebuilds them from the circuit anyway, so instead of checking the prover's
/// openings against a Merkle root over their LDE (which costs the verifier an
/// LDE and a tree of every fixed column, tens of seconds at 2^20 rows), it
/// computes each fixed polynomial at z (and z·ω) by the barycentric formula
/// and the constraint identity at z uses those exact values. A prover cannot
/// choose them, so nothing needs binding to a commitment, and the DEEP
/// composition only batches the committed (advice, phase, quotient) columns.
/// The key's digest binds the fixed values by a hash of their encoding (`digest`).
///
/// Fixed columns are mostly zero, and their nonzero values come in runs (a
/// selector over a region, a coefficient repeated down a gadget), so each
/// column is kept as its runs, run-length encoded with varints: the same
/// bytes in memory and in a key file (`VerifyingKey.encoded()`), 22 MB for
/// the credit audit's 173 columns × 2^18 rows (3.9 million runs) instead of
/// 360 MB of words. `evaluate` decodes them as it goes: O(runs) work per
/// column on top of one O(n) pass shared by all columns.
///
/// A column's block: the tag 0, its run count, then per run the gap since the
/// previous run's end, the run's length and its value (zigzag of the
/// representative of least magnitude, `Goldilocks.nearestSigned`), each a
/// LEB128 varint (`ByteCoding`); runs are maximal, in row order, inside the
/// table, of nonzero values. A column whose runs would take more bytes than
/// its words (random values on most rows, as in the synthetic benchmark) is
/// the tag 1 and its n words instead, little endian.
struct FixedColumns: Sendable {
    /// Rows n of every column.
    let rows: Int
    /// The number of columns.
    let count: Int
    /// Every column's block, one after the other.
    let storage: [UInt8]
    /// Where each column's block lies in `storage`.
    let blocks: [Range<Int>]

    /// The runs of every column (columns encoded in parallel).
    init(values: [[Goldilocks]]) {
        precondition(values.allSatisfy { $0.count == values.first?.count }, "fixed columns of different lengths")
        var encoded = [[UInt8]](repeating: [], count: values.count)
        encoded.withUnsafeMutableBufferPointer { out in
            Parallel.forEach(values.count) { c in
                out[c] = values[c].withUnsafeBufferPointer { FixedColumns.encodeColumn($0) }
            }
        }
        var storage: [UInt8] = []
        storage.reserveCapacity(encoded.reduce(0) { $0 + $1.count })
        var blocks: [Range<Int>] = []
        for block in encoded {
            blocks.append(storage.count ..< storage.count + block.count)
            storage += block
        }
        self.init(rows: values.first?.count ?? 0, storage: storage, blocks: blocks)
    }

    /// Columns whose blocks lie at `blocks` in `storage` (a decoded key file;
    /// `evaluate` checks each block as it decodes it).
    init(rows: Int, storage: [UInt8], blocks: [Range<Int>]) {
        precondition(blocks.allSatisfy { $0.lowerBound >= 0 && $0.upperBound <= storage.count }, "a block outside the storage")
        self.rows = rows
        self.count = blocks.count
        self.storage = storage
        self.blocks = blocks
    }

    /// SHA-256 of each column's block, then of the column digests (columns
    /// hashed in parallel): what the key's digest binds the fixed columns by.
    /// The blocks determine the values, so this binds the values; it hashes
    /// 22 MB for the credit audit instead of its 360 MB of words.
    var digest: Digest {
        var digests = [Digest](repeating: .zero, count: count)
        storage.withUnsafeBytes { all in
            digests.withUnsafeMutableBufferPointer { out in
                Parallel.forEach(count) { c in
                    out[c] = SHA256.hash(UnsafeRawBufferPointer(rebasing: all[blocks[c]]))
                }
            }
        }
        return digests.withUnsafeBytes { SHA256.hash($0) }
    }

    /// Each column's polynomial (interpolating its values on ⟨ω⟩, n = 2^logRows)
    /// at z and at z·ω, for z outside ⟨ω⟩:
    ///   P(y) = (y^n − 1)/n · Σᵢ vᵢ·ωⁱ/(y − ωⁱ),
    /// and since L_i(z·ω) = L_{i−1}(z), P(z·ω) = Σᵢ vᵢ·L_{i−1}(z). Only the
    /// columns `readAtNext` says are evaluated at z·ω (the others are zero there).
    ///
    /// The weights need no extension-field inversion. With dᵢ = z₀ − ωⁱ (z₀
    /// the constant coefficient of z), the norm of z − ωⁱ is a base polynomial
    /// Nᵢ = N(dᵢ) and its adjugate is Σ_k A_k·dᵢ^k with A_k in the extension
    /// (`ExtensionField.differenceForms`; in the quadratic extension
    /// Nᵢ = dᵢ² − 7b² and the adjugate dᵢ − b·u). So with rᵢ = ωⁱ/Nᵢ,
    ///   Σᵢ vᵢ·ωⁱ/(z − ωⁱ) = Σ_k A_k · Σᵢ vᵢ·rᵢ·dᵢ^k.
    /// One base batch inversion and e prefix sums S_k of rᵢ·dᵢ^k over all
    /// rows (e the extension's degree); then a run of value v on rows [s, s+ℓ)
    /// adds v·(S_k[s+ℓ] − S_k[s]) to sum k, its rows shifted down by one
    /// (row 0 to row n−1) at z·ω; a words block takes each row's own weights.
    ///
    /// Throws `VerificationError.invalidKey` if a column's block is malformed.
    func evaluate<E: ExtensionField>(logRows: Int, at z: E,
                                     readAtNext: (Int) -> Bool = { _ in true }) throws -> (atZ: [E], atZNext: [E]) {
        let n = 1 << logRows
        guard count > 0 else { return ([], []) }
        guard rows == n else { throw VerificationError.invalidKey("the fixed columns have \(rows) rows, not \(n)") }
        let zn = z.power(UInt64(n))
        // z in ⟨ω⟩ would divide by zero; both prover and verifier redraw such a z.
        precondition(zn != .one, "the out-of-domain point lies in the trace domain")
        let omega = Goldilocks.rootOfUnity(logOrder: logRows)
        let scale = (zn - .one) * Goldilocks(UInt64(n)).inverse
        let (normForm, adjugateForm) = E.differenceForms(from: z)
        let z0 = z.coefficient(0)
        let D = E.degree, width = n + 1
        // The prefix sums, shifted by one: S_k[i] = Σ_{j<i} r_j·d_j^k at
        // sums[k·(n+1) + i], S_k[n] the total. Chunks in parallel: each
        // chunk's weights and running sums, then each chunk's offset. Every
        // entry is written, so the array starts uninitialised.
        let chunk = min(n, 1 << 12), chunks = n / chunk
        var totals = [Goldilocks](repeating: .zero, count: chunks * D)
        var sums = [Goldilocks](unsafeUninitializedCapacity: D * width) { buffer, initialised in
            for k in 0 ..< D { buffer[k * width] = .zero }
            initialised = D * width
        }
        sums.withUnsafeMutableBufferPointer { out in
            totals.withUnsafeMutableBufferPointer { totals in
                Parallel.forRanges(chunks, minimumPerThread: 1) { range in
                    var norms = [Goldilocks](repeating: .zero, count: chunk), w = norms, d = norms
                    for c in range {
                        let start = c * chunk
                        var x = omega.power(UInt64(start))
                        for t in 0 ..< chunk {
                            let dt = z0 - x
                            var norm = Goldilocks.zero
                            for coefficient in normForm.reversed() { norm = norm * dt + coefficient }
                            norms[t] = norm
                            w[t] = x
                            d[t] = dt
                            x *= omega
                        }
                        BatchInverse.invert(&norms)
                        for t in 0 ..< chunk { w[t] *= norms[t] }  // rᵢ
                        for k in 0 ..< D {
                            // w holds rᵢ·dᵢ^k.
                            var sum = Goldilocks.zero
                            let row = out.baseAddress! + k * width + start + 1
                            for t in 0 ..< chunk { sum += w[t]; row[t] = sum }
                            totals[c * D + k] = sum
                            if k + 1 < D { for t in 0 ..< chunk { w[t] *= d[t] } }
                        }
                    }
                }
                var offsets = [Goldilocks](repeating: .zero, count: chunks * D)
                for c in 1 ..< max(1, chunks) {
                    for k in 0 ..< D { offsets[c * D + k] = offsets[(c - 1) * D + k] + totals[(c - 1) * D + k] }
                }
                Parallel.forRanges(chunks, minimumPerThread: 1) { range in
                    for c in range where c > 0 {
                        for k in 0 ..< D {
                            let offset = offsets[c * D + k], row = out.baseAddress! + k * width
                            for i in c * chunk + 1 ... (c + 1) * chunk { row[i] += offset }
                        }
                    }
                }
            }
        }
        var atZ = [E](repeating: .zero, count: count), atZNext = atZ
        var wellFormed = [Bool](repeating: false, count: count)
        sums.withUnsafeBufferPointer { all in
            let S = all.baseAddress!
            storage.withUnsafeBufferPointer { storage in
                atZ.withUnsafeMutableBufferPointer { outZ in
                    atZNext.withUnsafeMutableBufferPointer { outNext in
                        wellFormed.withUnsafeMutableBufferPointer { outOK in
                            Parallel.forEach(count) { c in
                                // Sum k at z in [k], at z·ω in [D + k].
                                var acc = [ProductSum](repeating: ProductSum(), count: 2 * D)
                                let atNext = readAtNext(c)
                                let block = UnsafeBufferPointer(rebasing: storage[blocks[c]])
                                // Adds v·(S_k[end] − S_k[start]) to sum k (at z·ω: `slot` D).
                                @inline(__always) func add(_ v: Goldilocks, _ start: Int, _ end: Int, slot: Int) {
                                    for k in 0 ..< D { acc[slot + k].add(v, times: S[k * width + end] - S[k * width + start]) }
                                }
                                if block.first == FixedColumns.wordsTag {
                                    // Every row's own weight (row i at z·ω takes row i−1's).
                                    outOK[c] = FixedColumns.forEachWord(in: block, rows: n) { i, v in
                                        add(v, i, i + 1, slot: 0)
                                        guard atNext else { return }
                                        let p = (i &- 1) & (n - 1)
                                        add(v, p, p + 1, slot: D)
                                    }
                                } else {
                                    outOK[c] = FixedColumns.forEachRun(in: block, rows: n) { s, length, v in
                                        let end = s + length
                                        add(v, s, end, slot: 0)
                                        guard atNext else { return }
                                        // Rows s ..< end take the weights of rows s−1 ..< end−1.
                                        if s == 0 {
                                            add(v, n - 1, n, slot: D)
                                            add(v, 0, end - 1, slot: D)
                                        } else {
                                            add(v, s - 1, end - 1, slot: D)
                                        }
                                    }
                                }
                                var value = E.zero, next = E.zero
                                for k in 0 ..< D {
                                    value += adjugateForm[k] * acc[k].value
                                    if atNext { next += adjugateForm[k] * acc[D + k].value }
                                }
                                outZ[c] = value * scale
                                if atNext { outNext[c] = next * scale }
                            }
                        }
                    }
                }
            }
        }
        if let bad = wellFormed.firstIndex(of: false) {
            throw VerificationError.invalidKey("fixed column \(bad)'s runs are malformed")
        }
        return (atZ, atZNext)
    }
}
