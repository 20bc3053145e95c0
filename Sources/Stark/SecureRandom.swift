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

    /// Fills `out` with what as many calls of `Goldilocks.random(using: &self)`
    /// would return, in the same order and leaving the generator in the same
    /// state; the stream's SHA-256 blocks are hashed in batches on all cores
    /// (the quotient's masking polynomial takes 2^19 elements at 2^18 rows).
    public mutating func fill(_ out: UnsafeMutableBufferPointer<Goldilocks>) {
        var filled = 0
        func take(_ word: UInt64) {
            if word < Goldilocks.modulus { out[filled] = Goldilocks(canonical: word); filled += 1 }
        }
        // The rest of the current block, then whole blocks: their words yield at
        // most as many elements as remain (an element takes at least one word).
        while used < 4 && filled < out.count { take(next()) }
        let blocks = (out.count - filled) / 4
        if blocks > 0 {
            let words = UnsafeMutablePointer<Digest>.allocate(capacity: blocks)
            defer { words.deallocate() }
            let first = counter, me = self
            SHA256.hashInBatches(count: blocks, length: SecureRandom.blockInputLength, batch: 96,
                                 minimumPerThread: 1 << 12, into: words) { i, destination in
                me.writeBlockInput(domain: 0, index: first + UInt64(i), to: destination)
            }
            counter += UInt64(blocks)
            for b in 0 ..< blocks {
                let d = words[b]
                take(d.w0); take(d.w1); take(d.w2); take(d.w3)
            }
        }
        while filled < out.count { take(next()) }
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
