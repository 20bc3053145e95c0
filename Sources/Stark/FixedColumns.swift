import Field

/// The fixed (preprocessed) columns as the verifier uses them: their values on
/// the table, which it knows, evaluated at the out-of-domain point itself.
///
/// Why the fixed columns are not committed (docs/security.md §2): the verifier
/// rebuilds them from the circuit anyway, so instead of checking the prover's
/// openings against a Merkle root over their LDE (which costs the verifier an
/// LDE and a tree of every fixed column, tens of seconds at 2^20 rows), it
/// computes each fixed polynomial at z (and z·ω) by the barycentric formula,
/// O(n) per column, and the constraint identity at z uses those exact values.
/// A prover cannot choose them, so nothing needs binding to a commitment, and
/// the DEEP composition only batches the committed (advice, phase, quotient)
/// columns. The key's digest binds the fixed values by a hash of the table.
struct FixedColumns: Sendable {
    /// Every fixed column, `rows` values each (zero on blinding rows).
    let values: [[Goldilocks]]

    /// SHA-256 of each column's little-endian words, then of the column digests
    /// (columns hashed in parallel).
    var digest: Digest {
        var digests = [Digest](repeating: .zero, count: values.count)
        digests.withUnsafeMutableBufferPointer { out in
            Parallel.forEach(values.count) { c in
                #if _endian(little)
                out[c] = values[c].withUnsafeBytes { SHA256.hash($0) }
                #else
                out[c] = values[c].map { $0.value.littleEndian }.withUnsafeBytes { SHA256.hash($0) }
                #endif
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
    /// rᵢ = ωⁱ/Nᵢ and eᵢ = rᵢ·dᵢ, Σ vᵢ·ωⁱ/(z − ωⁱ) = Σ vᵢeᵢ − b·u·Σ vᵢrᵢ:
    /// one base batch inversion, then two base dot products per column and
    /// point, each reduced once (`ProductSum`).
    static func evaluate(_ columns: [[Goldilocks]], logRows: Int, at z: GoldilocksExt2,
                         readAtNext: (Int) -> Bool = { _ in true })
        -> (atZ: [GoldilocksExt2], atZNext: [GoldilocksExt2]) {
        let n = 1 << logRows
        guard !columns.isEmpty else { return ([], []) }
        let zn = z.power(UInt64(n))
        // z in ⟨ω⟩ would divide by zero; both prover and verifier redraw such a z.
        precondition(zn != .one, "the out-of-domain point lies in the trace domain")
        let omega = Goldilocks.rootOfUnity(logOrder: logRows)
        let scale = (zn - .one) * Goldilocks(UInt64(n)).inverse
        let (a, b) = (z.c0, z.c1)
        let bSquaredTimesW = GoldilocksExt2.nonResidue * b * b
        var r = [Goldilocks](repeating: .zero, count: n), e = r
        let chunk = min(n, 1 << 12)
        r.withUnsafeMutableBufferPointer { rOut in
            e.withUnsafeMutableBufferPointer { eOut in
                Parallel.forRanges(n / chunk, minimumPerThread: 1) { chunks in
                    var norms = [Goldilocks](repeating: .zero, count: chunk)
                    for c in chunks {
                        let start = c * chunk
                        var w = omega.power(UInt64(start))
                        for t in 0 ..< chunk {
                            let d = a - w
                            norms[t] = d * d - bSquaredTimesW
                            rOut[start + t] = w
                            eOut[start + t] = d
                            w *= omega
                        }
                        BatchInverse.invert(&norms)
                        for t in 0 ..< chunk {
                            let ri = rOut[start + t] * norms[t]
                            rOut[start + t] = ri
                            eOut[start + t] = ri * eOut[start + t]
                        }
                    }
                }
            }
        }
        var atZ = [GoldilocksExt2](repeating: .zero, count: columns.count), atZNext = atZ
        r.withUnsafeBufferPointer { r in
            e.withUnsafeBufferPointer { e in
                atZ.withUnsafeMutableBufferPointer { outZ in
                    atZNext.withUnsafeMutableBufferPointer { outNext in
                        Parallel.forEach(columns.count) { c in
                            columns[c].withUnsafeBufferPointer { v in
                                precondition(v.count == n, "a fixed column has the wrong length")
                                // Fixed columns are mostly zero: skip those terms.
                                var sumE = ProductSum(), sumR = ProductSum()
                                if readAtNext(c) {
                                    var nextE = ProductSum(), nextR = ProductSum()
                                    for i in 0 ..< n where !v[i].isZero {
                                        let x = v[i], p = (i &- 1) & (n - 1)
                                        sumE.add(x, times: e[i]); sumR.add(x, times: r[i])
                                        nextE.add(x, times: e[p]); nextR.add(x, times: r[p])
                                    }
                                    outNext[c] = scale * GoldilocksExt2(nextE.value, -(b * nextR.value))
                                } else {
                                    for i in 0 ..< n where !v[i].isZero {
                                        sumE.add(v[i], times: e[i]); sumR.add(v[i], times: r[i])
                                    }
                                }
                                outZ[c] = scale * GoldilocksExt2(sumE.value, -(b * sumR.value))
                            }
                        }
                    }
                }
            }
        }
        return (atZ, atZNext)
    }
}
