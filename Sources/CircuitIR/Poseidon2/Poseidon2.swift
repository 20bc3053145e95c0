import Field

/// The Poseidon2 permutation over Goldilocks with a 12-lane state
/// (Grassi, Khovratovich, Schofnegger: "Poseidon2: A Faster Version of the
/// Poseidon Hash Function", ePrint 2023/323), with the parameters of the
/// authors' reference instance: S-box x⁷, 8 full rounds (4 before and 4 after)
/// and 22 partial rounds.
///
/// One permutation:
///   1. the external linear layer M_E;
///   2. 4 full rounds: add 12 round constants, x⁷ on every lane, M_E;
///   3. 22 partial rounds: add one constant to lane 0, x⁷ on lane 0, M_I;
///   4. 4 full rounds as in 2.
/// M_E = circ(2·M₄, M₄, M₄) for the 4×4 MDS matrix M₄ of the paper (§5.1);
/// M_I = 𝟙𝟙ᵀ + diag(μ) with μ in `internalDiagonalMinusOne`.
public enum Poseidon2 {
    /// Lanes of the state.
    public static let width = 12
    public static let fullRoundsBefore = 4
    public static let partialRounds = 22
    public static let fullRoundsAfter = 4
    /// The S-box exponent; gcd(7, p − 1) = 1, so x ↦ x⁷ is a permutation.
    public static let sboxDegree: UInt64 = 7

    /// The paper's M₄ (row-major):
    /// ```
    /// 5 7 1 3
    /// 4 6 1 1
    /// 1 3 5 7
    /// 1 1 4 6
    /// ```
    public static let m4: [[UInt64]] = [[5, 7, 1, 3], [4, 6, 1, 1], [1, 3, 5, 7], [1, 1, 4, 6]]

    /// The permutation of a 12-lane state.
    public static func permutation(_ state: [Goldilocks]) -> [Goldilocks] {
        precondition(state.count == width, "Poseidon2 takes \(width) lanes")
        var s = state
        permute(&s)
        return s
    }

    /// Permutes a 12-lane state in place.
    public static func permute(_ state: inout [Goldilocks]) {
        precondition(state.count == width, "Poseidon2 takes \(width) lanes")
        state.withUnsafeMutableBufferPointer { s in
            externalLayer(s)
            for r in 0..<fullRoundsBefore { fullRound(s, externalRoundConstants[r]) }
            for r in 0..<partialRounds {
                s[0] = sbox(s[0] + internalRoundConstants[r])
                internalLayer(s)
            }
            for r in 0..<fullRoundsAfter { fullRound(s, externalRoundConstants[fullRoundsBefore + r]) }
        }
    }

    @inline(__always)
    static func sbox(_ x: Goldilocks) -> Goldilocks {
        let x2 = x * x
        let x3 = x2 * x
        let x4 = x2 * x2
        return x4 * x3
    }

    @inline(__always)
    static func fullRound(_ s: UnsafeMutableBufferPointer<Goldilocks>, _ constants: [Goldilocks]) {
        for i in 0..<width { s[i] = sbox(s[i] + constants[i]) }
        externalLayer(s)
    }

    /// M_E·s: M₄ on each block of 4 lanes, then each lane adds the sum of the
    /// lanes in its position across blocks (that is circ(2·M₄, M₄, M₄)).
    @inline(__always)
    static func externalLayer(_ s: UnsafeMutableBufferPointer<Goldilocks>) {
        for b in stride(from: 0, to: width, by: 4) {
            let (x0, x1, x2, x3) = (s[b], s[b + 1], s[b + 2], s[b + 3])
            // M₄ by additions only: each row is a sum of small multiples.
            let d0 = x0 + x0, d1 = x1 + x1, d2 = x2 + x2, d3 = x3 + x3
            let q0 = d0 + d0, q1 = d1 + d1, q2 = d2 + d2, q3 = d3 + d3
            s[b] = q0 + x0 + q1 + d1 + x1 + x2 + d3 + x3        // 5 7 1 3
            s[b + 1] = q0 + q1 + d1 + x2 + x3                   // 4 6 1 1
            s[b + 2] = x0 + d1 + x1 + q2 + x2 + q3 + d3 + x3    // 1 3 5 7
            s[b + 3] = x0 + x1 + q2 + q3 + d3                   // 1 1 4 6
        }
        for l in 0..<4 {
            let sum = s[l] + s[l + 4] + s[l + 8]
            s[l] += sum
            s[l + 4] += sum
            s[l + 8] += sum
        }
    }

    /// M_I·s: each lane becomes μᵢ·sᵢ + Σⱼ sⱼ.
    @inline(__always)
    static func internalLayer(_ s: UnsafeMutableBufferPointer<Goldilocks>) {
        var sum = Goldilocks.zero
        for i in 0..<width { sum += s[i] }
        for i in 0..<width { s[i] = s[i] * internalDiagonalMinusOne[i] + sum }
    }

    /// The 12×12 matrix of the external layer (row-major), for the in-circuit
    /// expansion and the layout.
    public static let externalMatrix: [[Goldilocks]] = matrix(of: externalLayer)

    /// The 12×12 matrix of the internal layer (row-major).
    public static let internalMatrix: [[Goldilocks]] = matrix(of: internalLayer)

    /// The matrix of a linear layer, column by column from unit vectors.
    private static func matrix(of layer: (UnsafeMutableBufferPointer<Goldilocks>) -> Void) -> [[Goldilocks]] {
        var rows = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: width), count: width)
        for j in 0..<width {
            var e = [Goldilocks](repeating: .zero, count: width)
            e[j] = .one
            e.withUnsafeMutableBufferPointer { layer($0) }
            for i in 0..<width { rows[i][j] = e[i] }
        }
        return rows
    }
}
