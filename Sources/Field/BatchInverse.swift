/// Montgomery's batch inversion: n inverses for a few inversions and about
/// 3n multiplications. Zeros stay zero (they are skipped), matching `inverse`.
///
/// The running products go in `lanes` interleaved chains (element i in chain
/// i mod lanes), so that consecutive multiplications are independent and the
/// processor overlaps them; the cost is one field inversion per chain.
public enum BatchInverse {
    /// Independent product chains (a product's latency is several cycles).
    static let lanes = 8

    /// Replaces every nonzero element of `values` by its inverse.
    public static func invert(_ values: inout [Goldilocks]) {
        values.withUnsafeMutableBufferPointer { invert($0) }
    }

    /// Replaces every nonzero element of the buffer by its inverse.
    public static func invert(_ values: UnsafeMutableBufferPointer<Goldilocks>) {
        let n = values.count
        if n == 0 { return }
        let prefix = UnsafeMutablePointer<Goldilocks>.allocate(capacity: n)
        defer { prefix.deallocate() }
        withUnsafeTemporaryAllocation(of: Goldilocks.self, capacity: lanes) { running in
            running.initialize(repeating: .one)
            var i = 0
            while i < n {
                for l in 0 ..< min(lanes, n - i) {
                    let v = values[i + l]
                    (prefix + i + l).initialize(to: running[l])
                    if !v.isZero { running[l] *= v }
                }
                i += lanes
            }
            // running[l] is a product of nonzero values, so it is invertible; the
            // chains' totals are inverted together (one inversion for all).
            invertSmall(running)
            i = (n - 1) / lanes * lanes
            while i >= 0 {
                for l in stride(from: min(lanes, n - i) - 1, through: 0, by: -1) {
                    let original = values[i + l]
                    if original.isZero { continue }
                    values[i + l] = running[l] * prefix[i + l]
                    running[l] *= original
                }
                i -= lanes
            }
        }
    }

    /// Inverts a few nonzero values with one field inversion (Montgomery's
    /// trick without the zero checks).
    static func invertSmall(_ v: UnsafeMutableBufferPointer<Goldilocks>) {
        let k = v.count
        withUnsafeTemporaryAllocation(of: Goldilocks.self, capacity: k) { prefix in
            var running = Goldilocks.one
            for l in 0 ..< k { prefix[l] = running; running *= v[l] }
            var inverse = running.inverse
            for l in stride(from: k - 1, through: 0, by: -1) {
                let original = v[l]
                v[l] = inverse * prefix[l]
                inverse *= original
            }
        }
    }

    /// Replaces every nonzero element of `values` by its inverse.
    ///
    /// 1/(c0 + c1·u) = (c0 − c1·u)/N with the base-field norm N = c0² − 7·c1²,
    /// which is nonzero for every nonzero element (u² − 7 is irreducible): one
    /// batch inversion of the norms in the base field, then two products each.
    public static func invert(_ values: inout [GoldilocksExt2]) {
        values.withUnsafeMutableBufferPointer { invert($0) }
    }

    /// As `invert(_:)` for an array of the quadratic extension, on a buffer
    /// (the prover inverts its LogUp denominators where they lie).
    public static func invert(_ values: UnsafeMutableBufferPointer<GoldilocksExt2>) {
        let n = values.count
        if n == 0 { return }
        let norms = UnsafeMutableBufferPointer<Goldilocks>.allocate(capacity: n)
        defer { norms.deallocate() }
        for i in 0 ..< n {
            let v = values[i]
            (norms.baseAddress! + i).initialize(to: v.c0 * v.c0 - GoldilocksExt2.nonResidue * (v.c1 * v.c1))
        }
        invert(norms)
        for i in 0 ..< n {
            let v = values[i], r = norms[i]
            values[i] = GoldilocksExt2(v.c0 * r, -(v.c1 * r))
        }
    }
}
