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
        // SHA-256 of 64-byte inputs (Merkle nodes) and 1 KiB inputs (leaves),
        // one core: three messages side by side (`hashMany`, the prover's
        // path), one at a time, and the portable C fallback.
        for length in [64, 1024] {
            let count = length == 64 ? 1 << 20 : 1 << 16
            let input = (0 ..< length * count).map { UInt8(truncatingIfNeeded: $0 &* 131) }
            var output = [Digest](repeating: .zero, count: count)
            for impl in ["sha-ni-3-lanes", "sha-ni-1-lane", "portable-c"] {
                if impl != "portable-c" && zk_sha256_uses_shani() == 0 { continue }
                zk_sha256_force_portable(impl == "portable-c" ? 1 : 0)
                var best = Double.infinity
                for _ in 0 ..< 3 {
                    let start = DispatchTime.now()
                    input.withUnsafeBytes { i in
                        output.withUnsafeMutableBufferPointer { o in
                            if impl == "sha-ni-1-lane" {
                                for m in 0 ..< count {
                                    o[m] = SHA256.hash(UnsafeRawBufferPointer(rebasing: i[m * length ..< (m + 1) * length]))
                                }
                            } else {
                                SHA256.hashMany(i.baseAddress!, stride: length, length: length, count: count, into: o.baseAddress!)
                            }
                        }
                    }
                    best = min(best, seconds(since: start))
                }
                print("sha256 input_bytes=\(length) impl=\(impl) hashes_per_s=\(Int(Double(count) / best)) MB_per_s=\(Int(Double(length * count) / best / 1e6))")
            }
            zk_sha256_force_portable(0)
        }
    }
}
