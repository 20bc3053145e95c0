import CircuitIR
import Field

/// The Poseidon2 permutation row by row, as the layout's round gate sees it:
/// row 0 holds the input, row 1 the input after the initial external layer
/// M_E, and row t + 2 the state after round t (rounds 0…3 and 26…29 full,
/// 4…25 partial); row 31 is the output.
enum PoseidonRounds {
    static let rounds = Poseidon2.fullRoundsBefore + Poseidon2.partialRounds + Poseidon2.fullRoundsAfter
    /// Rows of one permutation.
    static let rows = rounds + 2

    static func isFull(_ t: Int) -> Bool {
        t < Poseidon2.fullRoundsBefore || t >= Poseidon2.fullRoundsBefore + Poseidon2.partialRounds
    }

    /// The 12 round constants of round t (partial rounds: lane 0 only).
    static func constants(_ t: Int) -> [Goldilocks] {
        if isFull(t) {
            return Poseidon2.externalRoundConstants[t < Poseidon2.fullRoundsBefore ? t : t - Poseidon2.partialRounds]
        }
        var c = [Goldilocks](repeating: .zero, count: Poseidon2.width)
        c[0] = Poseidon2.internalRoundConstants[t - Poseidon2.fullRoundsBefore]
        return c
    }

    /// M_E·y = M₄·(y_b + Σ_b' y_b') on each block b of 4 lanes: circ(2·M₄, M₄, M₄).
    static func external<T>(_ y: [T], add: (T, T) -> T, scale: (UInt64, T) -> T) -> [T] {
        let t = (0 ..< 4).map { add(add(y[$0], y[$0 + 4]), y[$0 + 8]) }
        var out: [T] = []
        for b in 0 ..< 3 {
            let u = (0 ..< 4).map { add(y[4 * b + $0], t[$0]) }
            for row in Poseidon2.m4 {
                var acc = scale(row[0], u[0])
                for i in 1 ..< 4 { acc = add(acc, scale(row[i], u[i])) }
                out.append(acc)
            }
        }
        return out
    }

    /// M_I·z = μ∘z + Σⱼ zⱼ.
    static func `internal`<T>(_ z: [T], add: (T, T) -> T, multiply: (Goldilocks, T) -> T) -> [T] {
        let sum = z.dropFirst().reduce(z[0], add)
        return (0 ..< z.count).map { add(multiply(Poseidon2.internalDiagonalMinusOne[$0], z[$0]), sum) }
    }

    static func seventh(_ x: Goldilocks) -> Goldilocks {
        let x2 = x * x, x4 = x2 * x2
        return x4 * x2 * x
    }

    static func externalLayer(_ y: [Goldilocks]) -> [Goldilocks] {
        external(y, add: +, scale: { Goldilocks($0) * $1 })
    }

    /// The state after round t from the state before it.
    static func apply(_ t: Int, _ state: [Goldilocks]) -> [Goldilocks] {
        let rc = constants(t)
        var s = state
        if isFull(t) {
            for l in s.indices { s[l] = seventh(s[l] + rc[l]) }
            return externalLayer(s)
        }
        s[0] = seventh(s[0] + rc[0])
        return `internal`(s, add: +, multiply: *)
    }

    /// The 32 rows: the input, after the initial layer, after each round.
    static func states(_ input: [Goldilocks]) -> [[Goldilocks]] {
        var states = [input, externalLayer(input)]
        for t in 0 ..< rounds { states.append(apply(t, states[t + 1])) }
        return states
    }
}
