import Field

/// The Fiat–Shamir transcript: a SHA-256 hash chain over everything the
/// verifier would have seen, from which every challenge is derived.
///
/// Each absorbed item is length-prefixed, so distinct sequences of items never
/// hash the same. A challenge hashes the state with everything absorbed since
/// the previous challenge; the prover and verifier make the same calls in the
/// same order.
public struct Transcript: Sendable {
    private var state: Digest
    private var pending: [UInt8] = []

    /// A transcript bound to a protocol identifier.
    public init(protocolID: String) {
        state = SHA256.hash(Array("zkpolicy-transcript".utf8))
        absorb(bytes: Array(protocolID.utf8))
    }

    /// Absorbs a byte string (length-prefixed).
    public mutating func absorb(bytes: [UInt8]) {
        appendWord(UInt64(bytes.count))
        pending.append(contentsOf: bytes)
    }

    /// Absorbs a commitment.
    public mutating func absorb(_ digest: Digest) {
        absorb(bytes: digest.bytes)
    }

    /// Absorbs field elements, canonical little-endian.
    public mutating func absorb(_ elements: [Goldilocks]) {
        appendWord(UInt64(elements.count))
        for e in elements { appendWord(e.value) }
    }

    /// Absorbs extension-field elements: the count, then each element's
    /// coefficients c0 … c_{e−1}.
    public mutating func absorb<E: ExtensionField>(_ elements: [E]) {
        appendWord(UInt64(elements.count))
        for e in elements {
            for i in 0 ..< E.degree { appendWord(e.coefficient(i).value) }
        }
    }

    private mutating func appendWord(_ w: UInt64) {
        withUnsafeBytes(of: w.littleEndian) { pending.append(contentsOf: $0) }
    }

    /// Advances the chain and returns the new state.
    private mutating func squeeze() -> Digest {
        var input = state.bytes
        input.append(contentsOf: pending)
        input.append(0x5C)  // marks a squeeze, so it never equals an absorb
        pending.removeAll(keepingCapacity: true)
        state = SHA256.hash(input)
        return state
    }

    /// A uniform base-field challenge (rejection sampling on 64-bit words).
    public mutating func challengeBase() -> Goldilocks {
        while true {
            let d = squeeze()
            for w in [d.w0, d.w1, d.w2, d.w3] where w < Goldilocks.modulus {
                return Goldilocks(canonical: w)
            }
        }
    }

    /// A uniform challenge in the quadratic extension.
    public mutating func challengeExt() -> GoldilocksExt2 { challenge(GoldilocksExt2.self) }

    /// A uniform challenge in an extension of degree e ≤ 4: the first e
    /// 64-bit words of one squeeze as coefficients, the squeeze repeated
    /// until all of them are below p (each is with probability 1 − 2^−32).
    public mutating func challenge<E: ExtensionField>(_: E.Type) -> E {
        precondition(E.degree <= 4, "a squeeze has four words")
        while true {
            let d = squeeze()
            let words = [d.w0, d.w1, d.w2, d.w3]
            if words.prefix(E.degree).allSatisfy({ $0 < Goldilocks.modulus }) {
                return E(generating: { Goldilocks(canonical: words[$0]) })
            }
        }
    }

    /// `count` uniform indices in `0 ..< bound` (bound a power of two).
    public mutating func challengeIndices(count: Int, bound: Int) -> [Int] {
        precondition(bound > 0 && bound & (bound - 1) == 0)
        var result: [Int] = []
        result.reserveCapacity(count)
        while result.count < count {
            let d = squeeze()
            for w in [d.w0, d.w1, d.w2, d.w3] where result.count < count {
                result.append(Int(truncatingIfNeeded: w & UInt64(bound - 1)))
            }
        }
        return result
    }

    /// Whether `nonce` gives `bits` leading zero bits of SHA-256(state-so-far ‖ nonce).
    public func proofOfWorkHolds(nonce: UInt64, bits: Int) -> Bool {
        if bits == 0 { return true }
        var input = powPrefix()
        withUnsafeBytes(of: nonce.littleEndian) { input.append(contentsOf: $0) }
        return leadingZeroBits(SHA256.hash(input)) >= bits
    }

    /// Searches for the smallest nonce satisfying `proofOfWorkHolds`, trying
    /// a batch of consecutive nonces per call of `SHA256.hashMany`.
    public func grind(bits: Int) -> UInt64 {
        if bits == 0 { return 0 }
        let prefix = powPrefix()
        let length = prefix.count + 8, batch = 24
        var inputs = [UInt8](repeating: 0, count: batch * length)
        for i in 0 ..< batch { inputs.replaceSubrange(i * length ..< i * length + prefix.count, with: prefix) }
        var digests = [Digest](repeating: .zero, count: batch)
        var first: UInt64 = 0
        while true {
            inputs.withUnsafeMutableBytes { raw in
                for i in 0 ..< batch {
                    raw.storeBytes(of: (first &+ UInt64(i)).littleEndian, toByteOffset: i * length + prefix.count, as: UInt64.self)
                }
                digests.withUnsafeMutableBufferPointer { out in
                    SHA256.hashMany(raw.baseAddress!, stride: length, length: length, count: batch, into: out.baseAddress!)
                }
            }
            if let i = digests.firstIndex(where: { leadingZeroBits($0) >= bits }) { return first &+ UInt64(i) }
            first &+= UInt64(batch)
        }
    }

    private func powPrefix() -> [UInt8] {
        var input = state.bytes
        input.append(contentsOf: pending)
        input.append(0x50)
        return input
    }

    private func leadingZeroBits(_ d: Digest) -> Int {
        var count = 0
        for byte in d.bytes {
            if byte == 0 { count += 8; continue }
            count += byte.leadingZeroBitCount
            break
        }
        return count
    }
}
