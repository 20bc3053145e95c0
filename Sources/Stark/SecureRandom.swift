import Field

/// The prover's source of secret randomness (blinding rows, masking polynomial,
/// leaf salts): SHA-256 in counter mode under a 32-byte seed from the system
/// generator. A PRF output is indistinguishable from uniform, and one seed read
/// replaces a system call per random word.
public struct SecureRandom: RandomNumberGenerator {
    @usableFromInline let seedDigest: Digest
    @usableFromInline let seedLength = 32
    @usableFromInline var counter: UInt64 = 0
    @usableFromInline var buffer: Digest = .zero
    @usableFromInline var used = 4

    /// A generator seeded from the operating system.
    public init() {
        var system = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in 0 ..< 32 { bytes[i] = UInt8.random(in: 0 ... 255, using: &system) }
        seedDigest = Digest(bytes: bytes)!
    }

    /// A deterministic generator (tests only: a fixed seed makes proofs reproducible).
    /// Seeds of other lengths than 32 bytes are hashed to 32.
    public init(seed: [UInt8]) {
        seedDigest = seed.count == 32 ? Digest(bytes: seed)! : SHA256.hash(seed)
    }

    public mutating func next() -> UInt64 {
        if used == 4 {
            buffer = block(domain: 0, index: counter)
            counter += 1
            used = 0
        }
        defer { used += 1 }
        switch used {
        case 0: return buffer.w0
        case 1: return buffer.w1
        case 2: return buffer.w2
        default: return buffer.w3
        }
    }

    /// A derived pseudo-random block, SHA-256(seed ‖ domain ‖ index): independent
    /// streams (for example one salt per Merkle leaf) computed in any order, in parallel.
    public func block(domain: UInt64, index: UInt64) -> Digest {
        // seed ‖ domain ‖ index in a fixed 48-byte buffer (no allocation: this
        // runs once per Merkle leaf).
        var input: (Digest, UInt64, UInt64) = (seedDigest, domain.littleEndian, index.littleEndian)
        return withUnsafeBytes(of: &input) { raw in
            SHA256.hash(UnsafeRawBufferPointer(rebasing: raw[0 ..< seedLength + 16]))
        }
    }

    /// A child generator with its own stream.
    public mutating func split() -> SecureRandom {
        SecureRandom(seed: block(domain: 1, index: next()).bytes)
    }
}
