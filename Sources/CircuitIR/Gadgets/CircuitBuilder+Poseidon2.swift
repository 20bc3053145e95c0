import Field

// Poseidon2 in the circuit: the permutation as arithmetic, and the sponge.
extension CircuitBuilder {
    /// The Poseidon2 permutation written out as arithmetic instructions
    /// (4 multiplications per S-box x⁷ = x⁴·x²·x, and one `linear` per lane
    /// per linear layer, with the next round's constants folded into it):
    /// 472 `mul` and 372 `linear`. What `expand-poseidon2` turns a
    /// `poseidon2` instruction into for a layout without a Poseidon2 gate, and
    /// the executable proof that the instruction means what the native code does.
    public func poseidon2Arithmetic(_ state: [Value]) throws -> [Value] {
        guard state.count == Poseidon2.width else {
            throw error(.invalidOperand, "Poseidon2 takes \(Poseidon2.width) lanes, not \(state.count)")
        }
        return scope("poseidon2") {
            let w = Poseidon2.width
            /// M·s + c, lane by lane.
            func layer(_ m: [[Goldilocks]], _ s: [Value], plus c: [Goldilocks]) -> [Value] {
                (0..<w).map { i in linear((0..<w).map { (m[i][$0], s[$0]) }, constant: c[i]) }
            }
            func sbox(_ x: Value) -> Value {
                let x2 = mul(x, x)
                let x3 = mul(x2, x)
                let x4 = mul(x2, x2)
                return mul(x4, x3)
            }
            let zero = [Goldilocks](repeating: .zero, count: w)
            let full = Poseidon2.externalRoundConstants
            let partial = Poseidon2.internalRoundConstants
            // Each state below already includes the constants of the round that follows it.
            var s = layer(Poseidon2.externalMatrix, state, plus: full[0])
            for r in 0..<Poseidon2.fullRoundsBefore {
                let next = r + 1 < Poseidon2.fullRoundsBefore ? full[r + 1] : [partial[0]] + zero.dropFirst()
                s = layer(Poseidon2.externalMatrix, s.map(sbox), plus: next)
            }
            for r in 0..<Poseidon2.partialRounds {
                let next = r + 1 < Poseidon2.partialRounds ? [partial[r + 1]] + zero.dropFirst() : full[Poseidon2.fullRoundsBefore]
                s = layer(Poseidon2.internalMatrix, [sbox(s[0])] + s.dropFirst(), plus: next)
            }
            for r in 0..<Poseidon2.fullRoundsAfter {
                let next = r + 1 < Poseidon2.fullRoundsAfter ? full[Poseidon2.fullRoundsBefore + r + 1] : zero
                s = layer(Poseidon2.externalMatrix, s.map(sbox), plus: next)
            }
            return s
        }
    }

    /// The in-circuit `Poseidon2Sponge.hash`: the same construction over
    /// `poseidon2` instructions, giving the 4 digest values.
    public func poseidon2Hash(_ input: [Value], domain: Goldilocks = Poseidon2Sponge.Domain.hash) throws -> [Value] {
        try scope("poseidon2_hash") {
            let zero = constant(0)
            var state = [Value](repeating: zero, count: Poseidon2.width)
            state[Poseidon2Sponge.rate] = constant(domain)
            state[Poseidon2Sponge.rate + 1] = constant(Goldilocks(UInt64(input.count)))
            if input.isEmpty { state = try poseidon2(state) }
            var start = 0
            while start < input.count {
                for j in 0..<Swift.min(Poseidon2Sponge.rate, input.count - start) {
                    // Lanes still at the constant 0 take the input as it is.
                    state[j] = state[j] == zero ? input[start + j] : add(state[j], input[start + j])
                }
                state = try poseidon2(state)
                start += Poseidon2Sponge.rate
            }
            return Array(state[0..<Poseidon2Sponge.digestLength])
        }
    }

    /// The in-circuit `Poseidon2Sponge.commit`: hash(salt ++ values) under the
    /// commitment domain; `salt` has `Poseidon2Sponge.saltLength` values.
    public func poseidon2Commit(salt: [Value], values: [Value]) throws -> [Value] {
        guard salt.count == Poseidon2Sponge.saltLength else {
            throw error(.invalidOperand, "a commitment salt has \(Poseidon2Sponge.saltLength) values, not \(salt.count)")
        }
        return try scope("commit") { try poseidon2Hash(salt + values, domain: Poseidon2Sponge.Domain.commitment) }
    }
}
