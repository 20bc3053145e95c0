import CGoldilocks
import Synchronization

/// Radix-2 number-theoretic transforms over Goldilocks subgroups and cosets.
///
/// `forward` maps the n coefficients of a polynomial (lowest degree first) to
/// its evaluations at ω^0, ω^1, …, ω^(n−1), natural order, ω the primitive
/// n-th root `Goldilocks.rootOfUnity(logOrder: log2 n)`; `inverse` undoes it.
/// The coset variants evaluate at shift·ω^i instead.
public enum NTT {
    /// Sizes at or above this run each butterfly stage on all cores.
    public static let parallelThreshold = 1 << 14

    /// Evaluates the polynomial with coefficients `values` on the subgroup, in place.
    public static func forward(_ values: inout [Goldilocks]) {
        values.withUnsafeMutableBufferPointer { forward($0) }
    }

    /// Interpolates evaluations on the subgroup back to coefficients, in place.
    public static func inverse(_ values: inout [Goldilocks]) {
        values.withUnsafeMutableBufferPointer { inverse($0) }
    }

    /// Evaluates the polynomial with coefficients `values` at shift·ω^i, in place.
    public static func forwardCoset(_ values: inout [Goldilocks], shift: Goldilocks) {
        values.withUnsafeMutableBufferPointer { forwardCoset($0, shift: shift) }
    }

    /// Interpolates evaluations at shift·ω^i back to coefficients, in place.
    public static func inverseCoset(_ values: inout [Goldilocks], shift: Goldilocks) {
        values.withUnsafeMutableBufferPointer { inverseCoset($0, shift: shift) }
    }

    /// In-place forward transform of a buffer whose count is a power of two.
    public static func forward(_ a: UnsafeMutableBufferPointer<Goldilocks>, parallel: Bool = true,
                               kernel: FieldKernel = FieldKernel.best) {
        let n = a.count
        precondition(n > 0 && n & (n - 1) == 0, "NTT size must be a power of two")
        if n == 1 { return }
        bitReversePermute(a)
        butterflies(a, twiddles: twiddles(logN: n.trailingZeroBitCount, inverse: false),
                    parallel: parallel && n >= parallelThreshold, kernel: kernel)
    }

    /// In-place inverse transform (including the 1/n scaling).
    public static func inverse(_ a: UnsafeMutableBufferPointer<Goldilocks>, parallel: Bool = true,
                               kernel: FieldKernel = FieldKernel.best) {
        let n = a.count
        precondition(n > 0 && n & (n - 1) == 0, "NTT size must be a power of two")
        if n == 1 { return }
        bitReversePermute(a)
        butterflies(a, twiddles: twiddles(logN: n.trailingZeroBitCount, inverse: true),
                    parallel: parallel && n >= parallelThreshold, kernel: kernel)
        let nInverse = Goldilocks(UInt64(n)).inverse
        if kernel == .avx512 {  // `butterflies` checked that it runs here
            withWords(a.baseAddress!, count: n) { zk_goldilocks_scale($0, n, nInverse.value) }
        } else {
            for i in 0 ..< n { a[i] *= nInverse }
        }
    }

    /// In-place coset evaluation: coefficient i is scaled by shift^i, then transformed.
    public static func forwardCoset(_ a: UnsafeMutableBufferPointer<Goldilocks>, shift: Goldilocks,
                                    parallel: Bool = true, kernel: FieldKernel = FieldKernel.best) {
        scaleByPowers(a, shift)
        forward(a, parallel: parallel, kernel: kernel)
    }

    /// In-place coset interpolation, the inverse of `forwardCoset`.
    public static func inverseCoset(_ a: UnsafeMutableBufferPointer<Goldilocks>, shift: Goldilocks,
                                    parallel: Bool = true, kernel: FieldKernel = FieldKernel.best) {
        inverse(a, parallel: parallel, kernel: kernel)
        scaleByPowers(a, shift.inverse)
    }

    /// Evaluates the polynomial with coefficients `source` (at most out.count of
    /// them, the rest zero) on shift·⟨ω⟩ into `out`, natural order. The coset
    /// scaling and the bit-reversal permutation are fused into one pass.
    public static func forwardCoset(from source: UnsafeBufferPointer<Goldilocks>,
                                    into out: UnsafeMutableBufferPointer<Goldilocks>,
                                    shift: Goldilocks, parallel: Bool = true) {
        forwardCoset(from: source, into: out, shift: shift, powers: nil, parallel: parallel)
    }

    /// As `forwardCoset(from:into:shift:)`, with `powers[i]` = shift^i given
    /// (callers transforming many columns on one coset compute the table once).
    public static func forwardCoset(from source: UnsafeBufferPointer<Goldilocks>,
                                    into out: UnsafeMutableBufferPointer<Goldilocks>,
                                    shift: Goldilocks, powers: UnsafePointer<Goldilocks>?, parallel: Bool = true,
                                    kernel: FieldKernel = FieldKernel.best) {
        let n = out.count
        precondition(n > 0 && n & (n - 1) == 0 && source.count <= n, "NTT size must be a power of two")
        let bits = n.trailingZeroBitCount
        let t = 4  // tiles of 16 × 16: rows of 16 values are 128 contiguous bytes
        if bits < 2 * t {
            var power = Goldilocks.one
            for i in 0 ..< source.count {
                out[bitReverse(i, bits: bits)] = source[i] * power
                power *= shift
            }
            for i in source.count ..< n { out[bitReverse(i, bits: bits)] = .zero }
        } else {
            // i = a·2^(b−t) + m·2^t + c  ↦  rev(i) = rev(c)·2^(b−t) + rev(m)·2^t + rev(a):
            // for each middle part m, a 16 × 16 tile is read row by row and written
            // transposed, so every cache line read or written is used whole.
            let side = 1 << t, high = bits - t, middleBits = bits - 2 * t
            var rowPower = [Goldilocks](repeating: .one, count: side)  // shift^(a·2^(b−t))
            let rowStep = shift.power(UInt64(1) << UInt64(high))
            for a in 1 ..< side { rowPower[a] = rowPower[a - 1] * rowStep }
            var columnPower = [Goldilocks](repeating: .one, count: side)  // shift^c
            for c in 1 ..< side { columnPower[c] = columnPower[c - 1] * shift }
            let reversedColumn = (0 ..< side).map { bitReverse($0, bits: t) }
            let middleStep = shift.power(UInt64(side))
            var middlePower = Goldilocks.one  // shift^(m·2^t)
            let count = source.count
            // The vector kernel multiplies a whole row of 16 into `row` first.
            let row = UnsafeMutablePointer<Goldilocks>.allocate(capacity: side)
            defer { row.deallocate() }
            precondition(kernel.isAvailable, "the \(kernel) field kernel does not run on this processor")
            let vector = kernel == .avx512
            for m in 0 ..< (1 << middleBits) {
                let mRev = bitReverse(m, bits: middleBits)
                for a in 0 ..< side {
                    let sourceRow = a << high | m << t
                    let scale = rowPower[a] * middlePower
                    let destinationColumn = mRev << t | bitReverse(a, bits: t)
                    if vector && sourceRow + side <= count {
                        withWords(row, count: side) { r in
                            withWords(source.baseAddress! + sourceRow, count: side) { x in
                                if let powers {
                                    withWords(powers + sourceRow, count: side) { zk_goldilocks_mul(r, x, $0, side) }
                                } else {
                                    columnPower.withUnsafeBufferPointer { cp in
                                        withWords(cp.baseAddress!, count: side) {
                                            zk_goldilocks_mul_scaled(r, x, $0, scale.value, side)
                                        }
                                    }
                                }
                            }
                        }
                        for c in 0 ..< side { out[reversedColumn[c] << high | destinationColumn] = row[c] }
                    } else if let powers {
                        for c in 0 ..< side {
                            let i = sourceRow | c
                            out[reversedColumn[c] << high | destinationColumn] = i < count ? source[i] * powers[i] : .zero
                        }
                    } else {
                        for c in 0 ..< side {
                            let i = sourceRow | c
                            let value = i < count ? source[i] * (scale * columnPower[c]) : .zero
                            out[reversedColumn[c] << high | destinationColumn] = value
                        }
                    }
                }
                middlePower *= middleStep
            }
        }
        if n == 1 { return }
        butterflies(out, twiddles: twiddles(logN: bits, inverse: false), parallel: parallel && n >= parallelThreshold,
                    kernel: kernel)
    }

    /// Multiplies element i by factor^i.
    @inlinable
    public static func scaleByPowers(_ a: UnsafeMutableBufferPointer<Goldilocks>, _ factor: Goldilocks) {
        var power = Goldilocks.one
        for i in 0 ..< a.count {
            a[i] *= power
            power *= factor
        }
    }

    /// Reorders the buffer so that element i moves to position bitReverse(i).
    public static func bitReversePermute(_ a: UnsafeMutableBufferPointer<Goldilocks>) {
        let n = a.count
        let bits = n.trailingZeroBitCount
        if bits == 0 { return }
        for i in 0 ..< n {
            let j = bitReverse(i, bits: bits)
            if i < j { a.swapAt(i, j) }
        }
    }

    /// The `bits`-bit reversal of `i`.
    @inlinable
    public static func bitReverse(_ i: Int, bits: Int) -> Int {
        var x = UInt64(truncatingIfNeeded: i)
        // Swap halves, then quarters, … down to single bits.
        x = (x >> 32) | (x << 32)
        x = ((x >> 16) & 0x0000_FFFF_0000_FFFF) | ((x & 0x0000_FFFF_0000_FFFF) << 16)
        x = ((x >> 8) & 0x00FF_00FF_00FF_00FF) | ((x & 0x00FF_00FF_00FF_00FF) << 8)
        x = ((x >> 4) & 0x0F0F_0F0F_0F0F_0F0F) | ((x & 0x0F0F_0F0F_0F0F_0F0F) << 4)
        x = ((x >> 2) & 0x3333_3333_3333_3333) | ((x & 0x3333_3333_3333_3333) << 2)
        x = ((x >> 1) & 0x5555_5555_5555_5555) | ((x & 0x5555_5555_5555_5555) << 1)
        return bits == 0 ? 0 : Int(truncatingIfNeeded: x >> UInt64(64 - bits))
    }

    /// Elements per cache tile (2^13 values = 64 KiB, well inside L2).
    static let tileSize = 1 << 13

    /// Iterative Cooley–Tukey (decimation in time) on bit-reversed input.
    /// `twiddles[h + j]` = ω_{2h}^j for each stage half-width h and j < h.
    ///
    /// The stages with half-width below the tile size only combine elements of
    /// the same tile, so each tile runs through all of them while it is in
    /// cache; the remaining stages sweep the whole array.
    static func butterflies(_ a: UnsafeMutableBufferPointer<Goldilocks>, twiddles: [Goldilocks],
                            parallel: Bool, kernel: FieldKernel = FieldKernel.best) {
        let n = a.count
        precondition(kernel.isAvailable, "the \(kernel) field kernel does not run on this processor")
        // The vector kernel works on 16 values at a time in the first stages.
        if kernel == .avx512 && n >= 16 {
            return vectorButterflies(a, twiddles: twiddles, parallel: parallel)
        }
        let base = a.baseAddress!
        twiddles.withUnsafeBufferPointer { twBuffer in
            let tw = twBuffer.baseAddress!
            let tile = min(n, tileSize)
            let tiles = n / tile
            let smallStages = { (range: Range<Int>) in
                for t in range {
                    let tileBase = base + t * tile
                    var h = 1
                    while h < tile {
                        stage(tileBase, blocks: 0 ..< tile / (2 * h), half: h, twiddles: tw + h)
                        h *= 2
                    }
                }
            }
            if parallel && tiles >= 2 { Parallel.forRanges(tiles, minimumPerThread: 1, smallStages) }
            else { smallStages(0 ..< tiles) }

            var half = tile
            while half < n {
                let blocks = n / (2 * half)
                let h = half
                let t = tw + h
                if !parallel {
                    stage(base, blocks: 0 ..< blocks, half: h, twiddles: t)
                } else if blocks >= 2 * Parallel.threadCount {
                    Parallel.forRanges(blocks, minimumPerThread: 1) { stage(base, blocks: $0, half: h, twiddles: t) }
                } else {
                    Parallel.forRanges(h, minimumPerThread: 1024) { range in
                        for block in 0 ..< blocks {
                            let p0 = base + block * 2 * h
                            let p1 = p0 + h
                            for j in range {
                                let u = p0[j]
                                let v = p1[j] * t[j]
                                p0[j] = u + v
                                p1[j] = u - v
                            }
                        }
                    }
                }
                half *= 2
            }
        }
    }

    /// `butterflies` with the AVX-512 kernels: the same tiling and parallel
    /// split, the first three stages fused in registers, the rest two stages per
    /// pass (radix 4) with eight butterflies per instruction. `n` ≥ 16, so every
    /// half-width from 8 up is a multiple of 8.
    static func vectorButterflies(_ a: UnsafeMutableBufferPointer<Goldilocks>, twiddles: [Goldilocks],
                                  parallel: Bool) {
        let n = a.count
        twiddles.withUnsafeBufferPointer { twBuffer in
            withWords(twBuffer.baseAddress!, count: twBuffer.count) { tw in
                withWords(a.baseAddress!, count: n) { base in
                    let tile = min(n, tileSize)
                    let tiles = n / tile
                    let smallStages = { (range: Range<Int>) in
                        for t in range {
                            let tileBase = base + t * tile
                            zk_goldilocks_ntt_first_stages(tileBase, tile, tw)
                            var h = 8
                            while 2 * h < tile {
                                zk_goldilocks_ntt_stage_pair(tileBase, h, 0, tile / (4 * h), 0, h, tw)
                                h *= 4
                            }
                            if h < tile { zk_goldilocks_ntt_stage(tileBase, h, 0, tile / (2 * h), 0, h, tw + h) }
                        }
                    }
                    if parallel && tiles >= 2 { Parallel.forRanges(tiles, minimumPerThread: 1, smallStages) }
                    else { smallStages(0 ..< tiles) }

                    var half = tile
                    while half < n {
                        let h = half
                        let pair = 2 * h < n
                        let blocks = n / ((pair ? 4 : 2) * h)
                        let run = { (blocks: Range<Int>, j: Range<Int>) in
                            if pair {
                                zk_goldilocks_ntt_stage_pair(base, h, blocks.lowerBound, blocks.upperBound,
                                                             j.lowerBound, j.upperBound, tw)
                            } else {
                                zk_goldilocks_ntt_stage(base, h, blocks.lowerBound, blocks.upperBound,
                                                        j.lowerBound, j.upperBound, tw + h)
                            }
                        }
                        if !parallel {
                            run(0 ..< blocks, 0 ..< h)
                        } else if blocks >= 2 * Parallel.threadCount {
                            Parallel.forRanges(blocks, minimumPerThread: 1) { run($0, 0 ..< h) }
                        } else {
                            // Split the half-width in groups of eight values.
                            Parallel.forRanges(h / 8, minimumPerThread: 128) {
                                run(0 ..< blocks, 8 * $0.lowerBound ..< 8 * $0.upperBound)
                            }
                        }
                        half *= pair ? 4 : 2
                    }
                }
            }
        }
    }

    /// One butterfly stage of half-width `half` over the given blocks of 2·half elements.
    @inline(__always)
    static func stage(_ base: UnsafeMutablePointer<Goldilocks>, blocks: Range<Int>, half h: Int,
                      twiddles t: UnsafePointer<Goldilocks>) {
        for block in blocks {
            let p0 = base + block * 2 * h
            let p1 = p0 + h
            if h == 1 {
                let u = p0[0], v = p1[0]
                p0[0] = u + v; p1[0] = u - v
                continue
            }
            for j in 0 ..< h {
                let u = p0[j]
                let v = p1[j] * t[j]
                p0[j] = u + v
                p1[j] = u - v
            }
        }
    }

    private static let cache = Mutex<[Int: [Goldilocks]]>([:])

    /// Per-stage twiddles, cached per size and direction: entries [h, 2h) hold
    /// ω_{2h}^j (or its inverse) for j < h, so every stage reads them contiguously.
    static func twiddles(logN: Int, inverse: Bool) -> [Goldilocks] {
        let key = inverse ? -logN - 1 : logN
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let n = 1 << logN
        var table = [Goldilocks](repeating: .one, count: max(n, 2))
        var h = 1
        while h < n {
            var root = Goldilocks.rootOfUnity(logOrder: (2 * h).trailingZeroBitCount)
            if inverse { root = root.inverse }
            var w = Goldilocks.one
            for j in 0 ..< h { table[h + j] = w; w *= root }
            h *= 2
        }
        cache.withLock { $0[key] = table }
        return table
    }
}
