import Field

/// The arithmetic of FRI folding shared by prover and verifier.
///
/// A layer is the evaluation of a polynomial f on a coset s·⟨ω_M⟩ in
/// bit-reversed order, so positions 2i and 2i + 1 hold f(x) and f(−x) with
/// x = s·ω_M^bitrev_{M/2}(i). One binary fold with challenge β maps them to
///   g(x²) = (f(x) + f(−x))/2 + β·(f(x) − f(−x))/(2x),
/// which is again in bit-reversed order on s²·⟨ω_{M/2}⟩. Folding by F = 2^a is
/// a binary folds with β, β², β⁴, …, which equals Σ_j β^j f_j where
/// f(X) = Σ_j X^j f_j(X^F).
enum FRIFolding {
    /// One binary fold of a pair.
    @inline(__always)
    static func fold<E: ExtensionField>(_ a: E, _ b: E, beta: E, xInverse: Goldilocks) -> E {
        (a + b).halved + beta * ((a - b) * xInverse).halved
    }

    /// Number of folding rounds for a degree bound `rows`: fold until the bound
    /// is ≤ 2^logFinalDegree (at least one round).
    static func rounds(_ p: StarkParameters, rows: Int) -> Int {
        SecurityEstimate.friRounds(p, rows: rows)
    }

    /// Folds one opened coset (F values of positions F·leaf ..< F·leaf + F of a
    /// layer of size 2^logSize with coset shift `shift`) to the single value at
    /// position `leaf` of the next layer.
    static func foldCoset<E: ExtensionField>(_ values: [E], leaf: Int, logSize: Int, shift: Goldilocks,
                                             beta: E) -> E {
        var current = values
        var logM = logSize
        var s = shift
        var b = beta
        var base = leaf * values.count  // global position of current[0]
        while current.count > 1 {
            let half = current.count / 2
            let w = Goldilocks.rootOfUnity(logOrder: logM)
            var next: [E] = []
            for i in 0 ..< half {
                let position = base / 2 + i  // position of the pair in the halved layer
                let x = s * w.power(UInt64(NTT.bitReverse(position, bits: logM - 1)))
                next.append(fold(current[2 * i], current[2 * i + 1], beta: b, xInverse: x.inverse))
            }
            current = next
            base /= 2
            logM -= 1
            s = s * s
            b = b * b
        }
        return current[0]
    }

    /// Folds a whole layer (prover), F = 2^logFolding.
    static func foldLayer<E: ExtensionField>(_ layer: [E], logSize: Int, shift: Goldilocks, beta: E,
                                             logFolding: Int) -> [E] {
        var current = layer
        var logM = logSize
        var s = shift
        var b = beta
        for _ in 0 ..< logFolding {
            let half = current.count / 2
            // ω_M^{-k} for k < M/2, then x_i^{-1} = s^{-1}·ω_M^{-bitrev(i)}.
            let wInverse = Goldilocks.rootOfUnity(logOrder: logM).inverse
            var powers = [Goldilocks](repeating: .one, count: half)
            for k in 1 ..< max(1, half) { powers[k] = powers[k - 1] * wInverse }
            let sInverse = s.inverse
            var next = [E](largeRepeating: .zero, count: half)
            let bb = b, lm = logM
            let src = current
            next.withUnsafeMutableBufferPointer { out in
                Parallel.forRanges(half, minimumPerThread: 4096) { range in
                    for i in range {
                        let xInverse = sInverse * powers[NTT.bitReverse(i, bits: lm - 1)]
                        out[i] = fold(src[2 * i], src[2 * i + 1], beta: bb, xInverse: xInverse)
                    }
                }
            }
            current = next
            logM -= 1
            s = s * s
            b = b * b
        }
        return current
    }

    /// The point at position p of a layer of size 2^logSize with shift `shift`.
    static func point(_ p: Int, logSize: Int, shift: Goldilocks) -> Goldilocks {
        shift * Goldilocks.rootOfUnity(logOrder: logSize).power(UInt64(NTT.bitReverse(p, bits: logSize)))
    }

    /// Coefficients of the polynomial whose evaluations on shift·⟨ω⟩ are `layer`
    /// (bit-reversed order).
    static func interpolate<E: ExtensionField>(_ layer: [E], shift: Goldilocks) -> [E] {
        // One inverse NTT per coefficient of the extension.
        let components: [[Goldilocks]] = (0 ..< E.degree).map { k in
            var column = layer.map { $0.coefficient(k) }
            column.withUnsafeMutableBufferPointer { NTT.bitReversePermute($0) }
            NTT.inverseCoset(&column, shift: shift)
            return column
        }
        return layer.indices.map { i in E(generating: { components[$0][i] }) }
    }
}
