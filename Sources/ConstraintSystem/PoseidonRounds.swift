import CircuitIR
import Field

/// The Poseidon2 permutation round by round, as the layout's round gate sees
/// it: row 0 holds the input, row t + 1 the state after transition t, where
/// transition 0 applies the initial external layer and the first full round,
/// transitions 1…3 and 26…29 are full rounds and 4…25 partial rounds.
enum PoseidonRounds {
    static let count = Poseidon2.fullRoundsBefore + Poseidon2.partialRounds + Poseidon2.fullRoundsAfter

    static func isFull(_ t: Int) -> Bool {
        t < Poseidon2.fullRoundsBefore || t >= Poseidon2.fullRoundsBefore + Poseidon2.partialRounds
    }

    /// The 12 round constants of transition t (partial rounds: lane 0 only).
    static func constants(_ t: Int) -> [Goldilocks] {
        if isFull(t) {
            return Poseidon2.externalRoundConstants[t < Poseidon2.fullRoundsBefore ? t : t - Poseidon2.partialRounds]
        }
        var c = [Goldilocks](repeating: .zero, count: Poseidon2.width)
        c[0] = Poseidon2.internalRoundConstants[t - Poseidon2.fullRoundsBefore]
        return c
    }

    static func multiply(_ m: [[Goldilocks]], _ v: [Goldilocks]) -> [Goldilocks] {
        m.map { row in zip(row, v).reduce(Goldilocks.zero) { $0 + $1.0 * $1.1 } }
    }

    static func seventh(_ x: Goldilocks) -> Goldilocks {
        let x2 = x * x, x4 = x2 * x2
        return x4 * x2 * x
    }

    /// The state after transition t from the state before it.
    static func apply(_ t: Int, _ state: [Goldilocks]) -> [Goldilocks] {
        let rc = constants(t)
        var s = t == 0 ? multiply(Poseidon2.externalMatrix, state) : state
        if isFull(t) {
            for l in s.indices { s[l] = seventh(s[l] + rc[l]) }
            return multiply(Poseidon2.externalMatrix, s)
        }
        s[0] = seventh(s[0] + rc[0])
        return multiply(Poseidon2.internalMatrix, s)
    }

    /// The 31 states: the input, then after each transition (the last is the output).
    static func states(_ input: [Goldilocks]) -> [[Goldilocks]] {
        var states = [input]
        for t in 0 ..< count { states.append(apply(t, states[t])) }
        return states
    }
}
