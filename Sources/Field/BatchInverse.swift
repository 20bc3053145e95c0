/// Montgomery's batch inversion: n inverses for one inversion and 3(n − 1)
/// multiplications. Zeros stay zero (they are skipped), matching `inverse`.
public enum BatchInverse {
    /// Replaces every nonzero element of `values` by its inverse.
    public static func invert(_ values: inout [Goldilocks]) {
        values.withUnsafeMutableBufferPointer { invert($0) }
    }

    /// Replaces every nonzero element of the buffer by its inverse.
    public static func invert(_ values: UnsafeMutableBufferPointer<Goldilocks>) {
        let n = values.count
        if n == 0 { return }
        var prefix = [Goldilocks](repeating: .one, count: n)
        var running = Goldilocks.one
        for i in 0 ..< n {
            prefix[i] = running
            if !values[i].isZero { running *= values[i] }
        }
        var inverse = running.inverse
        for i in stride(from: n - 1, through: 0, by: -1) where !values[i].isZero {
            let original = values[i]
            values[i] = inverse * prefix[i]
            inverse *= original
        }
    }

    /// Replaces every nonzero element of `values` by its inverse.
    public static func invert(_ values: inout [GoldilocksExt2]) {
        let n = values.count
        if n == 0 { return }
        var prefix = [GoldilocksExt2](repeating: .one, count: n)
        var running = GoldilocksExt2.one
        for i in 0 ..< n {
            prefix[i] = running
            if !values[i].isZero { running *= values[i] }
        }
        var inverse = running.inverse
        for i in stride(from: n - 1, through: 0, by: -1) where !values[i].isZero {
            let original = values[i]
            values[i] = inverse * prefix[i]
            inverse *= original
        }
    }
}
