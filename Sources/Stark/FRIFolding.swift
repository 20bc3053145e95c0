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
            // x_i^{-1} = s^{-1}·ω_M^{-bitrev(i)}, made in the order the pairs are read.
            let wInverse = Goldilocks.rootOfUnity(logOrder: logM).inverse
            let xInverses = bitReversedPowers(of: wInverse, logCount: logM - 1, times: s.inverse)
            var next = [E](largeRepeating: .zero, count: half)
            let bb = b
            let src = current
            next.withUnsafeMutableBufferPointer { out in
                Parallel.forRanges(half, minimumPerThread: 4096) { range in
                    for i in range {
                        out[i] = fold(src[2 * i], src[2 * i + 1], beta: bb, xInverse: xInverses[i])
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

    /// c·g^bitrev(i) for i < 2^logCount (bits reversed over logCount bits), in
    /// that order: read by index i, the table is read front to back, where
    /// g^bitrev(i) from a table in natural order would be a random read per
    /// value (one cache miss each on a layer of millions).
    ///
    /// Built by doubling: the table for g over b bits is the table for g² over
    /// b − 1 bits followed by g times it (i < 2^(b−1) has a zero top bit,
    /// which reverses to a zero lowest bit; the others reverse to an odd
    /// exponent). One product per entry.
    static func bitReversedPowers(of g: Goldilocks, logCount: Int, times c: Goldilocks = .one) -> [Goldilocks] {
        var table = [Goldilocks](largeRepeating: .zero, count: 1 << logCount)
        // g^(2^m) for m < logCount: level ℓ appends g^(2^(logCount − 1 − ℓ)) times the entries so far.
        var squares = [Goldilocks](repeating: g, count: max(1, logCount))
        for m in 1 ..< max(1, logCount) { squares[m] = squares[m - 1] * squares[m - 1] }
        table.withUnsafeMutableBufferPointer { t in
            t[0] = c
            var filled = 1
            for level in 0 ..< logCount {
                let factor = squares[logCount - 1 - level]
                for i in 0 ..< filled { t[filled + i] = t[i] * factor }
                filled *= 2
            }
        }
        return table
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
