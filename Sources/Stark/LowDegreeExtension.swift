import Field

/// Index arithmetic of the LDE domain D = s·⟨ω_{B·n}⟩ (B the blowup, n the
/// table rows), in the two orders the prover uses.
///
/// *Storage order* keeps each coset of the table subgroup contiguous: block k
/// holds the points s·ω_{Bn}^k·ω_n^j for j = 0 ..< n at k·n + j, so reading
/// the next row is reading j + 1 in the same block. *Commitment order* is the
/// bit-reversed order of D (position p ↦ s·ω_{Bn}^bitrev(p)): there the F
/// points of a FRI coset x·⟨ζ_F⟩ are adjacent and form one Merkle leaf.
struct LDEDomain: Sendable {
    let logRows: Int
    let logBlowup: Int
    var rows: Int { 1 << logRows }
    var size: Int { rows << logBlowup }
    var logSize: Int { logRows + logBlowup }

    /// Storage index of commitment-order position p.
    @inline(__always)
    func storageIndex(_ p: Int) -> Int {
        let t = NTT.bitReverse(p, bits: logSize)  // exponent of ω_{Bn}
        let k = t & ((1 << logBlowup) - 1)
        let j = t >> logBlowup
        return k << logRows | j
    }

    /// The shift of storage block k, s·ω_{Bn}^k.
    func blockShifts() -> [Goldilocks] {
        let w = Goldilocks.rootOfUnity(logOrder: logSize)
        var shifts: [Goldilocks] = []
        var s = StarkParameters.cosetShift
        for _ in 0 ..< (1 << logBlowup) { shifts.append(s); s *= w }
        return shifts
    }

    /// The point at commitment-order position p.
    func point(_ p: Int) -> Goldilocks {
        StarkParameters.cosetShift * Goldilocks.rootOfUnity(logOrder: logSize).power(UInt64(NTT.bitReverse(p, bits: logSize)))
    }
}

extension LDEDomain {
    /// Turns table columns (n values each) into their coefficients in place:
    /// every column, or those at `indices`; one column per core.
    func interpolate(_ columns: inout [[Goldilocks]], only indices: [Int]? = nil) {
        let n = rows
        let selected = indices ?? Array(columns.indices)
        let single = selected.count == 1
        withMutablePointers(&columns) { pointers in
            Parallel.forEach(selected.count) { i in
                NTT.inverse(UnsafeMutableBufferPointer(start: pointers[selected[i]], count: n), parallel: single)
            }
        }
    }

    /// The LDE (storage order) of each polynomial (at most n coefficients
    /// each): one size-n NTT per block.
    func extend(_ coefficients: [[Goldilocks]]) -> [[Goldilocks]] {
        let n = rows, blocks = 1 << logBlowup
        let shifts = blockShifts()
        var lde = coefficients.map { _ in [Goldilocks](largeRepeating: .zero, count: size) }
        // shift_k^i for every block, shared by all columns (worth it from two columns on).
        var powers: [Goldilocks] = []
        if coefficients.count >= 2 {
            powers = [Goldilocks](repeating: .one, count: blocks * n)
            powers.withUnsafeMutableBufferPointer { table in
                Parallel.forEach(blocks) { k in
                    var p = Goldilocks.one
                    for i in 0 ..< n { table[k * n + i] = p; p *= shifts[k] }
                }
            }
        }
        // Each item writes one block of one column.
        withMutablePointers(&lde) { pointers in
            powers.withUnsafeBufferPointer { table in
                Parallel.forEach(coefficients.count * blocks) { item in
                    let c = item / blocks, k = item % blocks
                    let out = UnsafeMutableBufferPointer(start: pointers[c] + k * n, count: n)
                    coefficients[c].withUnsafeBufferPointer { src in
                        NTT.forwardCoset(from: UnsafeBufferPointer(rebasing: src[0 ..< min(n, src.count)]), into: out,
                                         shift: shifts[k], powers: table.isEmpty ? nil : table.baseAddress! + k * n,
                                         parallel: false)
                    }
                }
            }
        }
        return lde
    }

    /// Block k alone of the LDE of each polynomial: polynomial c's n values at
    /// `out[c·n ..< (c + 1)·n]`, the same values `extend` puts at k·n in its column.
    func extendBlock(_ k: Int, of coefficients: [[Goldilocks]], into out: UnsafeMutableBufferPointer<Goldilocks>) {
        precondition(out.count >= coefficients.count * rows, "the block buffer holds n values per polynomial")
        extendBlock(k, of: coefficients, into: coefficients.indices.map { out.baseAddress! + $0 * rows })
    }

    /// Block k alone of the LDE of each polynomial: polynomial c's n values at
    /// `out[c]` (buffers of n values each, which need not be adjacent).
    func extendBlock(_ k: Int, of coefficients: [[Goldilocks]], into out: [UnsafeMutablePointer<Goldilocks>]) {
        let n = rows, shift = blockShifts()[k]
        precondition(out.count >= coefficients.count, "one output buffer per polynomial")
        var powers: [Goldilocks] = []
        if coefficients.count >= 2 {
            powers = [Goldilocks](repeating: .one, count: n)
            for i in 1 ..< n { powers[i] = powers[i - 1] * shift }
        }
        let single = coefficients.count == 1
        powers.withUnsafeBufferPointer { table in
            Parallel.forEach(coefficients.count) { c in
                coefficients[c].withUnsafeBufferPointer { src in
                    NTT.forwardCoset(from: UnsafeBufferPointer(rebasing: src[0 ..< min(n, src.count)]),
                                     into: UnsafeMutableBufferPointer(start: out[c], count: n),
                                     shift: shift, powers: table.isEmpty ? nil : table.baseAddress, parallel: single)
                }
            }
        }
    }

    /// The storage block of commitment-order position p.
    @inline(__always)
    func block(ofPosition p: Int) -> Int { storageIndex(p) >> logRows }

    /// The first commitment-order position of storage block k: row j of the
    /// block is at this base + bitrev(j) over logRows bits. (Its exponent
    /// k + B·j, reversed over logRows + logBlowup bits, puts k's bits on top.)
    @inline(__always)
    func commitmentBase(ofBlock k: Int) -> Int { NTT.bitReverse(k, bits: logBlowup) << logRows }
}
