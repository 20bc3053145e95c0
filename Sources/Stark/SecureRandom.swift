import Field

/// The prover's source of secret randomness (blinding rows, masking polynomial,
/// leaf salts): SHA-256 in counter mode under a 32-byte seed from the system
/// generator. A PRF output is indistinguishable from uniform, and one seed read
/// replaces a system call per random word.
public struct SecureRandom: RandomNumberGenerator {
    @usableFromInline let seedDigest: Digest
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
        // A fixed buffer on the stack (no allocation: this runs once per Merkle leaf).
        var input: (Digest, UInt64, UInt64) = (.zero, 0, 0)
        return withUnsafeMutableBytes(of: &input) { raw in
            writeBlockInput(domain: domain, index: index, to: raw.baseAddress!)
            return SHA256.hash(UnsafeRawBufferPointer(rebasing: raw[0 ..< Self.blockInputLength]))
        }
    }

    /// Length of the message `block(domain:index:)` hashes.
    public static let blockInputLength = 48

    /// Writes the message `block(domain:index:)` hashes (`blockInputLength`
    /// bytes) to `destination`, so that many blocks can be hashed at once
    /// (`SHA256.hashMany`).
    @inlinable
    public func writeBlockInput(domain: UInt64, index: UInt64, to destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: seedDigest, as: Digest.self)
        destination.storeBytes(of: domain.littleEndian, toByteOffset: 32, as: UInt64.self)
        destination.storeBytes(of: index.littleEndian, toByteOffset: 40, as: UInt64.self)
    }

    /// A child generator with its own stream.
    public mutating func split() -> SecureRandom {
        SecureRandom(seed: block(domain: 1, index: next()).bytes)
    }
}
