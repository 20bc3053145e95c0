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
                out[c] = values[c].withUnsafeBytes { SHA256.hash($0) }
            }
        }
        return digests.withUnsafeBytes { SHA256.hash($0) }
    }

    /// Each column's polynomial (interpolating its values on ⟨ω⟩, n = 2^logRows)
    /// at z and at z·ω, for z outside ⟨ω⟩:
    ///   P(y) = (y^n − 1)/n · Σᵢ vᵢ·ωⁱ/(y − ωⁱ),
    /// and since L_i(z·ω) = L_{i−1}(z), P(z·ω) = Σᵢ v_{i+1}·L_i(z). Only the
    /// columns `readAtNext` says are evaluated at z·ω (the others are zero there).
    static func evaluate(_ columns: [[Goldilocks]], logRows: Int, at z: GoldilocksExt2,
                         readAtNext: (Int) -> Bool = { _ in true })
        -> (atZ: [GoldilocksExt2], atZNext: [GoldilocksExt2]) {
        let n = 1 << logRows
        guard !columns.isEmpty else { return ([], []) }
        let omega = Goldilocks.rootOfUnity(logOrder: logRows)
        let scale = (z.power(UInt64(n)) - .one) * Goldilocks(UInt64(n)).inverse
        // Lagrange weights without the common factor, L_i(z)/scale = ωⁱ/(z − ωⁱ), in parallel chunks.
        var weights = [GoldilocksExt2](repeating: .zero, count: n)
        let chunk = min(n, 1 << 12)
        weights.withUnsafeMutableBufferPointer { out in
            Parallel.forRanges(n / chunk, minimumPerThread: 1) { chunks in
                for c in chunks {
                    let start = c * chunk
                    var w = omega.power(UInt64(start))
                    let powers = (0 ..< chunk).map { _ -> Goldilocks in defer { w *= omega }; return w }
                    var denominators = powers.map { z - $0 }
                    BatchInverse.invert(&denominators)
                    for t in 0 ..< chunk { out[start + t] = denominators[t] * powers[t] }
                }
            }
        }
        var atZ = [GoldilocksExt2](repeating: .zero, count: columns.count), atZNext = atZ
        weights.withUnsafeBufferPointer { lw in
            atZ.withUnsafeMutableBufferPointer { outZ in
                atZNext.withUnsafeMutableBufferPointer { outNext in
                    Parallel.forEach(columns.count) { c in
                        columns[c].withUnsafeBufferPointer { v in
                            // Sums of base × extension products; fixed columns are mostly zero.
                            var a0 = Goldilocks.zero, a1 = Goldilocks.zero
                            for i in 0 ..< n where !v[i].isZero {
                                let x = v[i], l = lw[i]
                                a0 += l.c0 * x; a1 += l.c1 * x
                            }
                            outZ[c] = scale * GoldilocksExt2(a0, a1)
                            guard readAtNext(c) else { return }
                            var b0 = Goldilocks.zero, b1 = Goldilocks.zero
                            for i in 0 ..< n where !v[i].isZero {
                                let x = v[i], lp = lw[(i + n - 1) & (n - 1)]
                                b0 += lp.c0 * x; b1 += lp.c1 * x
                            }
                            outNext[c] = scale * GoldilocksExt2(b0, b1)
                        }
                    }
                }
            }
        }
        return (atZ, atZNext)
    }
}
