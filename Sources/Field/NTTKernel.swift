import CGoldilocks

/// The butterfly implementation an NTT runs.
///
/// Both give identical words (every value is kept canonical); the vector
/// kernel is just faster. `NTT.bestKernel` is what the transforms use unless a
/// caller (a test or a benchmark comparing them) names one.
public enum NTTKernel: String, Sendable, CaseIterable {
    /// Portable Swift, one butterfly at a time.
    case scalar
    /// Eight butterflies per instruction with AVX-512F (`Sources/CGoldilocks`).
    case avx512

    /// Whether this processor can run the kernel.
    public var isAvailable: Bool {
        switch self {
        case .scalar: true
        case .avx512: NTTKernel.hasAVX512
        }
    }

    static let hasAVX512 = zk_goldilocks_avx512_available() == 1
}

extension NTT {
    /// The fastest kernel this processor runs.
    public static let bestKernel: NTTKernel = NTTKernel.hasAVX512 ? .avx512 : .scalar

    /// Runs `body` with the buffer's words as `UInt64`s (Goldilocks is one
    /// canonical `UInt64`, `@frozen`), for the C kernels.
    @inline(__always)
    static func withWords<R>(_ p: UnsafeMutablePointer<Goldilocks>, count: Int,
                             _ body: (UnsafeMutablePointer<UInt64>) -> R) -> R {
        p.withMemoryRebound(to: UInt64.self, capacity: count, body)
    }

    @inline(__always)
    static func withWords<R>(_ p: UnsafePointer<Goldilocks>, count: Int,
                             _ body: (UnsafePointer<UInt64>) -> R) -> R {
        p.withMemoryRebound(to: UInt64.self, capacity: count, body)
    }
}
