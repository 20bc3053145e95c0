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
    public static func forward(_ a: UnsafeMutableBufferPointer<Goldilocks>, parallel: Bool = true) {
        let n = a.count
        precondition(n > 0 && n & (n - 1) == 0, "NTT size must be a power of two")
        if n == 1 { return }
        bitReversePermute(a)
        butterflies(a, twiddles: twiddles(logN: n.trailingZeroBitCount, inverse: false),
                    parallel: parallel && n >= parallelThreshold)
    }

    /// In-place inverse transform (including the 1/n scaling).
    public static func inverse(_ a: UnsafeMutableBufferPointer<Goldilocks>, parallel: Bool = true) {
        let n = a.count
        precondition(n > 0 && n & (n - 1) == 0, "NTT size must be a power of two")
        if n == 1 { return }
        bitReversePermute(a)
        butterflies(a, twiddles: twiddles(logN: n.trailingZeroBitCount, inverse: true),
                    parallel: parallel && n >= parallelThreshold)
        let nInverse = Goldilocks(UInt64(n)).inverse
        for i in 0 ..< n { a[i] *= nInverse }
    }

    /// In-place coset evaluation: coefficient i is scaled by shift^i, then transformed.
    public static func forwardCoset(_ a: UnsafeMutableBufferPointer<Goldilocks>, shift: Goldilocks,
                                    parallel: Bool = true) {
        scaleByPowers(a, shift)
        forward(a, parallel: parallel)
    }

    /// In-place coset interpolation, the inverse of `forwardCoset`.
    public static func inverseCoset(_ a: UnsafeMutableBufferPointer<Goldilocks>, shift: Goldilocks,
                                    parallel: Bool = true) {
        inverse(a, parallel: parallel)
        scaleByPowers(a, shift.inverse)
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

    /// Iterative Cooley–Tukey (decimation in time) on bit-reversed input.
    /// `twiddles[j]` = ω^j for j < n/2.
    static func butterflies(_ a: UnsafeMutableBufferPointer<Goldilocks>, twiddles: [Goldilocks],
                            parallel: Bool) {
        let n = a.count
        twiddles.withUnsafeBufferPointer { tw in
            var half = 1
            while half < n {
                let step = n / (2 * half)
                let butterflyCount = n / 2
                let stage = { (range: Range<Int>) in
                    for b in range {
                        let block = b / half
                        let j = b - block * half
                        let i0 = block * 2 * half + j
                        let i1 = i0 + half
                        let u = a[i0]
                        let v = a[i1] * tw[j * step]
                        a[i0] = u + v
                        a[i1] = u - v
                    }
                }
                if parallel {
                    Parallel.forRanges(butterflyCount, minimumPerThread: 4096, stage)
                } else {
                    stage(0 ..< butterflyCount)
                }
                half *= 2
            }
        }
    }

    private static let cache = Mutex<[Int: [Goldilocks]]>([:])

    /// ω^j (or ω^−j) for j < 2^logN / 2, cached per size and direction.
    static func twiddles(logN: Int, inverse: Bool) -> [Goldilocks] {
        let key = inverse ? -logN - 1 : logN
        if let hit = cache.withLock({ $0[key] }) { return hit }
        var root = Goldilocks.rootOfUnity(logOrder: logN)
        if inverse { root = root.inverse }
        let half = (1 << logN) / 2
        var table = [Goldilocks](repeating: .one, count: max(half, 1))
        for j in 1 ..< max(half, 1) { table[j] = table[j - 1] * root }
        cache.withLock { $0[key] = table }
        return table
    }
}
