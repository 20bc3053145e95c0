import Field

// Field elements as small signed integers, for the varints of a key file's
// constants and fixed columns (`FixedColumns`, `Expression+KeyEncoding.swift`).
extension Goldilocks {
    /// The representative of least magnitude, in [−(p−1)/2, (p−1)/2]: small negative
    /// constants (p − 1 for −1) encode as short varints.
    var nearestSigned: Int64 {
        value <= Goldilocks.modulus / 2 ? Int64(value) : -Int64(Goldilocks.modulus - value)
    }

    /// The inverse of `nearestSigned`; nil for a value outside [−(p−1)/2, (p−1)/2].
    @inline(__always)
    init?(nearestSigned v: Int64) {
        guard v.magnitude <= Goldilocks.modulus / 2 else { return nil }
        self = v >= 0 ? Goldilocks(canonical: UInt64(v)) : Goldilocks(canonical: Goldilocks.modulus - v.magnitude)
    }
}
