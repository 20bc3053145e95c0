import CSHA256
import Field

/// A 32-byte SHA-256 digest: Merkle nodes, commitments, transcript state.
@frozen
public struct Digest: Hashable, Sendable {
    // Four little-endian words keep the value trivially copyable and 32 bytes wide,
    // so `[Digest]` is a flat byte array the C hash can read and write directly.
    @usableFromInline var w0, w1, w2, w3: UInt64

    public static let zero = Digest(w0: 0, w1: 0, w2: 0, w3: 0)

    @usableFromInline init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0; self.w1 = w1; self.w2 = w2; self.w3 = w3
    }

    /// The digest with these 32 bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        var d = Digest.zero
        withUnsafeMutableBytes(of: &d) { $0.copyBytes(from: bytes) }
        self = d
    }

    /// The 32 bytes, in hash output order.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: self) { Array($0) }
    }

    /// Lower-case hexadecimal.
    public var hex: String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}

/// SHA-256 (FIPS 180-4), the hash of every commitment and of the transcript.
public enum SHA256 {
    /// Name carried in the proof header.
    public static let name = "sha256"

    /// Whether the SHA-NI code path is active on this machine.
    public static var usesHardware: Bool { zk_sha256_uses_shani() != 0 }

    /// The digest of `bytes`.
    @inlinable
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> Digest {
        var d = Digest.zero
        withUnsafeMutableBytes(of: &d) { out in
            zk_sha256(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count,
                      out.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        return d
    }

    /// The digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> Digest {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// The digests of `count` messages of `length` bytes each, message i at
    /// `input + stride·i`, written to `output[i]`: the hash of many leaves at
    /// once, three side by side with SHA-NI (about twice the throughput of
    /// hashing them one at a time).
    @inlinable
    public static func hashMany(_ input: UnsafeRawPointer, stride: Int, length: Int, count: Int,
                                into output: UnsafeMutablePointer<Digest>) {
        zk_sha256_many(input.assumingMemoryBound(to: UInt8.self), stride, length, count,
                       UnsafeMutableRawPointer(output).assumingMemoryBound(to: UInt8.self))
    }

    /// The digests of `count` messages of `length` bytes each, on all cores,
    /// written to `output[0 ..< count]`: `write(i, destination)` writes
    /// message i's bytes, and each core gathers `batch` messages into a buffer
    /// of its own and hashes them with `hashMany`.
    public static func hashInBatches(count: Int, length: Int, batch: Int, minimumPerThread: Int,
                                     into output: UnsafeMutablePointer<Digest>,
                                     write: (Int, UnsafeMutableRawPointer) -> Void) {
        Parallel.forRanges(count, minimumPerThread: minimumPerThread) { range in
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: batch * length, alignment: 64)
            defer { buffer.deallocate() }
            var first = range.lowerBound
            while first < range.upperBound {
                let size = min(batch, range.upperBound - first)
                for i in 0 ..< size { write(first + i, buffer + i * length) }
                hashMany(buffer, stride: length, length: length, count: size, into: output + first)
                first += size
            }
        }
    }

    /// The Merkle node hash, SHA-256(left ‖ right).
    @inlinable
    public static func compress(_ left: Digest, _ right: Digest) -> Digest {
        var pair = (left, right)
        var d = Digest.zero
        withUnsafeBytes(of: &pair) { input in
            withUnsafeMutableBytes(of: &d) { out in
                zk_sha256_64_many(input.baseAddress!.assumingMemoryBound(to: UInt8.self), 1,
                                  out.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        return d
    }

    /// Hashes `count` consecutive digest pairs of `input` into `output`.
    @inlinable
    public static func compressPairs(_ input: UnsafePointer<Digest>, count: Int, into output: UnsafeMutablePointer<Digest>) {
        zk_sha256_64_many(UnsafeRawPointer(input).assumingMemoryBound(to: UInt8.self), count,
                          UnsafeMutableRawPointer(output).assumingMemoryBound(to: UInt8.self))
    }
}
