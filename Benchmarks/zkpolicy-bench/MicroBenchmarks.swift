import CSHA256
import Dispatch
import Field
import Stark

/// NTT and hash throughput, printed one measurement per line.
enum MicroBenchmarks {
    static func run() {
        var rng = SystemRandomNumberGenerator()
        var values = (0 ..< (1 << 20)).map { _ in Goldilocks.random(using: &rng) }
        NTT.forward(&values)  // warm the twiddle cache
        for kernel in FieldKernel.allCases where kernel.isAvailable {
            for parallel in [false, true] {
                var best = Double.infinity
                for _ in 0 ..< 5 {
                    let start = DispatchTime.now()
                    values.withUnsafeMutableBufferPointer { NTT.forward($0, parallel: parallel, kernel: kernel) }
                    best = min(best, seconds(since: start))
                }
                print("ntt log_n=20 kernel=\(kernel) parallel=\(parallel) ms=\(format(best * 1000, digits: 1))")
            }
        }
        // SHA-256 of 64-byte inputs (Merkle nodes), one core.
        let count = 1 << 20
        let input = [UInt8](repeating: 0xA5, count: 64 * count)
        var output = [UInt8](repeating: 0, count: 32 * count)
        for portable in [false, true] {
            zk_sha256_force_portable(portable ? 1 : 0)
            var best = Double.infinity
            for _ in 0 ..< 3 {
                let start = DispatchTime.now()
                input.withUnsafeBufferPointer { i in
                    output.withUnsafeMutableBufferPointer { o in zk_sha256_64_many(i.baseAddress!, count, o.baseAddress!) }
                }
                best = min(best, seconds(since: start))
            }
            let label = portable ? "portable-c" : (zk_sha256_uses_shani() != 0 ? "sha-ni" : "portable-c")
            print("sha256 input_bytes=64 impl=\(label) hashes_per_s=\(Int(Double(count) / best)) MB_per_s=\(Int(Double(64 * count) / best / 1e6))")
        }
        zk_sha256_force_portable(0)
        // Long inputs (leaf hashing): 1 KiB messages.
        let long = [UInt8](repeating: 0x5A, count: 1024)
        let start = DispatchTime.now()
        var digest = Digest.zero
        for _ in 0 ..< 100_000 { digest = SHA256.hash(long) }
        let t = seconds(since: start)
        withExtendedLifetime(digest) {}
        print("sha256 input_bytes=1024 impl=sha-ni MB_per_s=\(Int(1024 * 100_000 / t / 1e6))")
    }
}
