import CGoldilocks
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The implementation of the field's array loops (NTT butterflies, element-wise
/// arithmetic over batches).
///
/// Both give identical words (every value is kept canonical); the vector
/// kernel is just faster. `FieldKernel.best` is what the prover uses unless a
/// caller (a test or a benchmark comparing them) names one.
public enum FieldKernel: String, Sendable, CaseIterable {
    /// Portable Swift, one element at a time.
    case scalar
    /// Eight elements per instruction with AVX-512F (`Sources/CGoldilocks`).
    case avx512

    /// Whether this processor can run the kernel.
    public var isAvailable: Bool {
        switch self {
        case .scalar: true
        case .avx512: FieldKernel.hasAVX512
        }
    }

    /// The kernel the prover uses: the fastest this processor runs, unless the
    /// environment variable `ZKPOLICY_FIELD_KERNEL` names another one that it
    /// runs (`scalar`, `avx512`; other values are ignored). Read once.
    public static let best: FieldKernel = {
        if let name = getenv("ZKPOLICY_FIELD_KERNEL").map({ String(cString: $0) }),
           let kernel = FieldKernel(rawValue: name), kernel.isAvailable {
            return kernel
        }
        return hasAVX512 ? .avx512 : .scalar
    }()

    static let hasAVX512 = zk_goldilocks_avx512_available() == 1
}

/// Runs `body` with the buffer's words as `UInt64`s (Goldilocks is one
/// canonical `UInt64`, `@frozen`), for the C kernels.
@inline(__always)
func withWords<R>(_ p: UnsafeMutablePointer<Goldilocks>, count: Int,
                  _ body: (UnsafeMutablePointer<UInt64>) -> R) -> R {
    p.withMemoryRebound(to: UInt64.self, capacity: count, body)
}

@inline(__always)
func withWords<R>(_ p: UnsafePointer<Goldilocks>, count: Int,
                  _ body: (UnsafePointer<UInt64>) -> R) -> R {
    p.withMemoryRebound(to: UInt64.self, capacity: count, body)
}
