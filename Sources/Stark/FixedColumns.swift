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
    /// The weights need no extension-field inversion: with z = a + b·u and
    /// dᵢ = a − ωⁱ, 1/(z − ωⁱ) = (dᵢ − b·u)/Nᵢ where Nᵢ = dᵢ² − 7b² is the norm
    /// of z − ωⁱ (a base element, nonzero because z ∉ ⟨ω⟩). So with
    /// rᵢ = ωⁱ/Nᵢ and eᵢ = rᵢ·dᵢ, Σ vᵢ·ωⁱ/(z − ωⁱ) = Σ vᵢeᵢ − b·u·Σ vᵢrᵢ.
    /// One base batch inversion and prefix sums E, R of e and r over all rows;
    /// then a run of value v on rows [s, s+ℓ) adds v·(E[s+ℓ] − E[s]) and
    /// v·(R[s+ℓ] − R[s]), its rows shifted down by one (row 0 to row n−1) at
    /// z·ω; a words block takes each row's own eᵢ = E[i+1] − E[i] and rᵢ.
    ///
    /// Throws `VerificationError.invalidKey` if a column's block is malformed.
    func evaluate(logRows: Int, at z: GoldilocksExt2,
                  readAtNext: (Int) -> Bool = { _ in true }) throws -> (atZ: [GoldilocksExt2], atZNext: [GoldilocksExt2]) {
        let n = 1 << logRows
        guard count > 0 else { return ([], []) }
        guard rows == n else { throw VerificationError.invalidKey("the fixed columns have \(rows) rows, not \(n)") }
        let zn = z.power(UInt64(n))
        // z in ⟨ω⟩ would divide by zero; both prover and verifier redraw such a z.
        precondition(zn != .one, "the out-of-domain point lies in the trace domain")
        let omega = Goldilocks.rootOfUnity(logOrder: logRows)
        let scale = (zn - .one) * Goldilocks(UInt64(n)).inverse
        let (a, b) = (z.c0, z.c1)
        let bSquaredTimesW = GoldilocksExt2.nonResidue * b * b
        // The prefix sums of r and e, shifted by one: R[i] = r₀ + … + r_{i−1},
        // R[n] the total (rᵢ = R[i+1] − R[i]). Chunks in parallel: each
        // chunk's weights and running sums, then each chunk's offset. Every
        // entry is written, so the arrays start uninitialised.
        let chunk = min(n, 1 << 12), chunks = n / chunk
        var totals = [(r: Goldilocks, e: Goldilocks)](repeating: (.zero, .zero), count: chunks)
        func uninitialised() -> [Goldilocks] {
            [Goldilocks](unsafeUninitializedCapacity: n + 1) { buffer, count in
                buffer[0] = .zero
                count = n + 1
            }
        }
        var R = uninitialised(), E = uninitialised()
        R.withUnsafeMutableBufferPointer { ROut in
            E.withUnsafeMutableBufferPointer { EOut in
                totals.withUnsafeMutableBufferPointer { totals in
                    Parallel.forRanges(chunks, minimumPerThread: 1) { range in
                        var norms = [Goldilocks](repeating: .zero, count: chunk), w = norms, d = norms
                        for c in range {
                            let start = c * chunk
                            var x = omega.power(UInt64(start))
                            for t in 0 ..< chunk {
                                let dt = a - x
                                norms[t] = dt * dt - bSquaredTimesW
                                w[t] = x
                                d[t] = dt
                                x *= omega
                            }
                            BatchInverse.invert(&norms)
                            var sumR = Goldilocks.zero, sumE = Goldilocks.zero
                            for t in 0 ..< chunk {
                                let ri = w[t] * norms[t]
                                sumR += ri; sumE += ri * d[t]
                                ROut[start + t + 1] = sumR; EOut[start + t + 1] = sumE
                            }
                            totals[c] = (sumR, sumE)
                        }
                    }
                    var offsets = [(r: Goldilocks, e: Goldilocks)](repeating: (.zero, .zero), count: chunks)
                    for c in 1 ..< max(1, chunks) {
                        offsets[c] = (offsets[c - 1].r + totals[c - 1].r, offsets[c - 1].e + totals[c - 1].e)
                    }
                    Parallel.forRanges(chunks, minimumPerThread: 1) { range in
                        for c in range where c > 0 {
                            let (offsetR, offsetE) = offsets[c]
                            for i in c * chunk + 1 ... (c + 1) * chunk {
                                ROut[i] += offsetR; EOut[i] += offsetE
                            }
                        }
                    }
                }
            }
        }
        var atZ = [GoldilocksExt2](repeating: .zero, count: count), atZNext = atZ
        var wellFormed = [Bool](repeating: false, count: count)
        withPointers([R, E]) { sums in
            let (R, E) = (sums[0], sums[1])
            storage.withUnsafeBufferPointer { all in
                atZ.withUnsafeMutableBufferPointer { outZ in
                    atZNext.withUnsafeMutableBufferPointer { outNext in
                        wellFormed.withUnsafeMutableBufferPointer { outOK in
                            Parallel.forEach(count) { c in
                                var sumE = ProductSum(), sumR = ProductSum()
                                var nextE = ProductSum(), nextR = ProductSum()
                                let atNext = readAtNext(c)
                                let block = UnsafeBufferPointer(rebasing: all[blocks[c]])
                                if block.first == FixedColumns.wordsTag {
                                    // Every row's own weight (row i at z·ω takes row i−1's).
                                    outOK[c] = FixedColumns.forEachWord(in: block, rows: n) { i, v in
                                        sumE.add(v, times: E[i + 1] - E[i]); sumR.add(v, times: R[i + 1] - R[i])
                                        guard atNext else { return }
                                        let p = (i &- 1) & (n - 1)
                                        nextE.add(v, times: E[p + 1] - E[p]); nextR.add(v, times: R[p + 1] - R[p])
                                    }
                                } else {
                                    outOK[c] = FixedColumns.forEachRun(in: block, rows: n) { s, length, v in
                                        let end = s + length
                                        sumE.add(v, times: E[end] - E[s]); sumR.add(v, times: R[end] - R[s])
                                        guard atNext else { return }
                                        // Rows s ..< end take the weights of rows s−1 ..< end−1.
                                        if s == 0 {
                                            nextE.add(v, times: E[n] - E[n - 1]); nextR.add(v, times: R[n] - R[n - 1])
                                            nextE.add(v, times: E[end - 1]); nextR.add(v, times: R[end - 1])
                                        } else {
                                            nextE.add(v, times: E[end - 1] - E[s - 1]); nextR.add(v, times: R[end - 1] - R[s - 1])
                                        }
                                    }
                                }
                                outZ[c] = scale * GoldilocksExt2(sumE.value, -(b * sumR.value))
                                if atNext { outNext[c] = scale * GoldilocksExt2(nextE.value, -(b * nextR.value)) }
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
