import Field

/// A 4-element Poseidon2 digest (256 bits): what `commit(model)` publishes.
public struct Poseidon2Digest: Hashable, Sendable, CustomStringConvertible {
    /// The 4 field elements, in order.
    public let elements: [Goldilocks]

    public init(_ elements: [Goldilocks]) {
        precondition(elements.count == Poseidon2Sponge.digestLength)
        self.elements = elements
    }

    /// 64 lowercase hex digits: each element as 16 digits, big-endian, in order.
    public var hex: String {
        elements.map { e in
            let digits = String(e.value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }

    /// Parses `hex` (an optional `0x` prefix allowed); nil unless 64 hex digits
    /// forming 4 canonical field elements.
    public init?(hex text: String) {
        var digits = Substring(text)
        if digits.hasPrefix("0x") { digits = digits.dropFirst(2) }
        guard digits.count == 64, digits.allSatisfy(\.isHexDigit) else { return nil }
        var elements: [Goldilocks] = []
        var rest = digits
        for _ in 0..<4 {
            guard let v = UInt64(rest.prefix(16), radix: 16), v < Goldilocks.modulus else { return nil }
            elements.append(Goldilocks(canonical: v))
            rest = rest.dropFirst(16)
        }
        self.init(elements)
    }

    public var description: String { hex }
}

/// A sponge over the width-12 Poseidon2 permutation: rate 8, capacity 4,
/// 4-element output. The construction, fixed so that the in-circuit version
/// (`CircuitBuilder.poseidon2Hash`) and the native one agree bit for bit:
///
/// - the state starts at zero, except lane 8 = the domain tag and lane 9 = the
///   input length n (binding both, so no padding ambiguity remains);
/// - the input is absorbed 8 elements at a time, added into lanes 0…7 (the last
///   chunk zero-filled), each chunk followed by one permutation; an empty input
///   is one permutation of the initial state;
/// - the digest is lanes 0…3 of the final state.
///
/// Capacity 4·64 bits gives about 128 bits of collision resistance.
public enum Poseidon2Sponge {
    public static let rate = 8
    public static let capacity = 4
    public static let digestLength = 4

    /// Domain tags (ASCII, big-endian, as field elements).
    public enum Domain {
        /// "zkp.hash": plain hashing of a vector.
        public static let hash: Goldilocks = 0x7A6B_702E_6861_7368
        /// "zkp.comm": salted commitments (`commit`).
        public static let commitment: Goldilocks = 0x7A6B_702E_636F_6D6D
        /// "zkp.tabl": digests of lookup-table contents in the textual form.
        public static let table: Goldilocks = 0x7A6B_702E_7461_626C
        /// "zkp.part": a part's commitment to its reductions (salt ++ digests
        /// ++ reductions), docs/circuit.md §10.
        public static let part: Goldilocks = 0x7A6B_702E_7061_7274
    }

    /// The number of salt elements `commit` expects: 4 × 64 bits of secret
    /// randomness, so that a small model cannot be recovered from its digest
    /// by trying candidates.
    public static let saltLength = 4

    /// The digest of `input` under `domain`.
    public static func hash(_ input: [Goldilocks], domain: Goldilocks = Domain.hash) -> Poseidon2Digest {
        var state = [Goldilocks](repeating: .zero, count: Poseidon2.width)
        state[rate] = domain
        state[rate + 1] = Goldilocks(UInt64(input.count))
        if input.isEmpty {
            Poseidon2.permute(&state)
        }
        var start = 0
        while start < input.count {
            for j in 0..<min(rate, input.count - start) { state[j] += input[start + j] }
            Poseidon2.permute(&state)
            start += rate
        }
        return Poseidon2Digest(Array(state[0..<digestLength]))
    }

    /// The commitment to `values` with a secret `salt` (4 elements):
    /// `hash(salt ++ values, domain: Domain.commitment)`. DESIGN §8: the model
    /// commitment is this over the quantized weights in canonical order.
    public static func commit(salt: [Goldilocks], values: [Goldilocks]) -> Poseidon2Digest {
        precondition(salt.count == saltLength, "a commitment salt has \(saltLength) elements")
        return hash(salt + values, domain: Domain.commitment)
    }
}
