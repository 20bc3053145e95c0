import Field

/// Where the prover evaluates the quotient Q = C / (Xⁿ − 1), and how it turns
/// those values back into Q's coefficients.
///
/// Q has degree below m·n for the smallest such m (n the table rows). The LDE
/// domain's storage blocks are the cosets shift_k·⟨ω_n⟩, shift_k = s·ω_{Bn}^k
/// (`LDEDomain`), and any P of them with k = i·B/P (P a power of two) form the
/// sub-coset s·⟨ω_{Pn}⟩, on which one inverse NTT of size P·n interpolates Q
/// when m ≤ P.
///
/// When m = P + 1 (the quotient of degree-4 constraints has degree just under
/// 3n) rounding m up to a power of two would evaluate every constraint on 2P
/// blocks. Instead Q is evaluated on the P sub-coset blocks and on one more
/// block k* = B/(2P), and split as Q = Q_low + X^{Pn}·Q_high (deg Q_low < Pn,
/// deg Q_high < n):
/// - on the sub-coset X^{Pn} is the constant c = s^{Pn}, so interpolating its
///   values gives A = Q_low + c·Q_high;
/// - on block k*, X^{Pn} is the constant d = shift_{k*}^{Pn} = −c, so there
///   Q − A = (d − c)·Q_high, which one inverse NTT of size n interpolates;
/// - then Q_low = A − c·Q_high.
/// The coefficients are exactly those of the larger evaluation (the golden
/// proofs, made with a fixed seed, do not change); only P + 1 blocks of
/// constraint evaluation instead of 2P.
struct QuotientInterpolation {
    /// The storage blocks Q is evaluated on: the sub-coset's, then k* if used.
    let blocks: [Int]
    /// P, the sub-coset's number of blocks.
    let subCosetBlocks: Int
    /// Whether block k* (the last of `blocks`) is evaluated too.
    let usesExtraBlock: Bool
    let rows: Int
    /// shift_{k*}, when block k* is used.
    let extraShift: Goldilocks

    /// The plan for a quotient of degree `degree` on `domain` (degree below
    /// the domain's size).
    init(degree: Int, domain: LDEDomain) {
        let n = domain.rows, ldeBlocks = 1 << domain.logBlowup
        var p = 1
        while p * n <= degree { p *= 2 }
        precondition(p <= ldeBlocks, "the quotient's degree exceeds the LDE domain")
        // One block beyond a power of two: P = p/2 sub-coset blocks and k*.
        let extra = p >= 4 && degree < (p / 2 + 1) * n
        subCosetBlocks = extra ? p / 2 : p
        usesExtraBlock = extra
        let stride = ldeBlocks / subCosetBlocks
        blocks = (0 ..< subCosetBlocks).map { $0 * stride } + (extra ? [stride / 2] : [])
        rows = n
        extraShift = extra ? domain.blockShifts()[stride / 2] : .one
    }

    /// Values per coefficient column: P·n, plus n for block k*.
    var valueCount: Int { (subCosetBlocks + (usesExtraBlock ? 1 : 0)) * rows }

    /// Where the rows of the i-th block of `blocks` go in a column of
    /// `valueCount` values: row j at start + stride·j. The sub-coset's points
    /// are in natural order (i + P·j), then come block k*'s rows in order.
    func placement(ofBlock i: Int) -> (start: Int, stride: Int) {
        i < subCosetBlocks ? (i, subCosetBlocks) : (subCosetBlocks * rows, 1)
    }

    /// Where row j of the i-th block of `blocks` goes (`placement`).
    func position(block i: Int, row j: Int) -> Int {
        let (start, stride) = placement(ofBlock: i)
        return start + stride * j
    }

    /// Turns one column of Q's values (laid out by `position`) into Q's
    /// coefficients in place, lowest degree first.
    func interpolate(_ column: UnsafeMutablePointer<Goldilocks>, parallel: Bool) {
        let n = rows, p = subCosetBlocks
        let s = StarkParameters.cosetShift
        let subCoset = UnsafeMutableBufferPointer(start: column, count: p * n)
        NTT.inverseCoset(subCoset, shift: s, parallel: parallel)  // A = Q_low + c·Q_high
        guard usesExtraBlock else { return }
        let shift = extraShift
        let c = s.power(UInt64(p * n)), d = shift.power(UInt64(p * n))
        // A on block k*: A mod (Xⁿ − shift_{k*}ⁿ), evaluated there.
        let e = shift.power(UInt64(n))
        let folded = UnsafeMutableBufferPointer<Goldilocks>.allocate(capacity: n)
        defer { folded.deallocate() }
        _ = folded.initialize(fromContentsOf: subCoset[0 ..< n])
        var power = e
        for u in 1 ..< p {
            for t in 0 ..< n { folded[t] += power * subCoset[u * n + t] }
            power *= e
        }
        NTT.forwardCoset(folded, shift: shift, parallel: parallel)
        // Q_high on block k*, then its coefficients.
        let high = UnsafeMutableBufferPointer(start: column + p * n, count: n)
        let scale = (d - c).inverse
        for j in 0 ..< n { high[j] = (high[j] - folded[j]) * scale }
        NTT.inverseCoset(high, shift: shift, parallel: parallel)
        for t in 0 ..< n { subCoset[t] -= c * high[t] }
    }
}
