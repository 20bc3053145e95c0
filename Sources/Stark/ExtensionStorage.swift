#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether the prover keeps its committed columns' low-degree extensions
/// (B = blowup times the table) from their commitment to the openings.
///
/// Kept extensions are the largest part of the prover's memory: with B = 8
/// they hold 8 words per committed cell. Without them the prover commits each
/// tree one storage block at a time and recomputes, from the columns'
/// coefficients, the blocks the quotient reads and the blocks the openings
/// fall in: about a third less peak memory for about one more extension of
/// the committed columns (about a fifth more STARK time at 2^18 rows). The
/// proof is the same either way.
public enum ExtensionStorage: String, Sendable, CaseIterable {
    /// Keep them up to `automaticKeepLimit` bytes and while the prover's
    /// estimated peak fits in this machine's memory (`automaticBudget`),
    /// recompute otherwise.
    case automatic
    /// Keep every extension: fastest.
    case kept
    /// Keep none: least memory.
    case recomputed

    /// The share of physical memory the prover may plan to use with kept extensions.
    public static let automaticBudget = 0.7
    /// Above this size recomputing costs no time (measured on the credit
    /// audit, docs/benchmarks.md): at 2^20 rows (5 GB of extensions) the
    /// commitments, which then never allocate a whole extension, gain what
    /// the recomputation costs; at 2^19 rows (2.5 GB) kept is 20% faster.
    public static let automaticKeepLimit = 4 << 30
    /// The prover's peak with kept extensions, as a multiple of their size,
    /// with a margin: the credit audit, whose 173 fixed columns make it a
    /// heavy case, measured 2.3× at 2^18 rows (2.73 GiB for 1.17 GiB).
    static let peakPerExtensionByte = 3.0

    /// Whether extensions of `extensionBytes` in all are kept.
    func keeps(_ extensionBytes: Int) -> Bool {
        switch self {
        case .kept: return true
        case .recomputed: return false
        case .automatic:
            guard extensionBytes <= ExtensionStorage.automaticKeepLimit else { return false }
            let physical = ExtensionStorage.physicalMemoryBytes()
            return physical == 0
                || Double(extensionBytes) * ExtensionStorage.peakPerExtensionByte <= Double(physical) * ExtensionStorage.automaticBudget
        }
    }

    /// This machine's physical memory in bytes (0 when unknown).
    static func physicalMemoryBytes() -> Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? pages * size : 0
    }
}
