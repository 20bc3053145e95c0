/// Whether `prove` proves the rows at once or in parts, and of how many rows
/// (`--part-rows`, docs/circuit.md §10).
public enum PartChoice: Sendable, Equatable, LosslessStringConvertible {
    /// Parts of `automaticRows` rows when the largest table has more rows
    /// than that, else one proof: fitted to the example's model, whose
    /// 1,000 applicants fill a 2^18-row table (docs/benchmarks.md, "Proofs
    /// in parts": from 2,000 rows on, parts are faster and need a third of
    /// the memory).
    case automatic
    /// One proof over all rows.
    case whole
    /// Parts of about this many rows (≥ 1) of the largest table.
    case rows(Int)

    public static let automaticRows = 1000

    /// The rows per part for tables whose largest has `largest` rows; nil: one proof.
    public func partRows(largest: Int) -> Int? {
        switch self {
        case .automatic: return largest > Self.automaticRows ? Self.automaticRows : nil
        case .whole: return nil
        case .rows(let n): return n
        }
    }

    /// `auto`, `none` or a positive number of rows.
    public init?(_ description: String) {
        switch description {
        case "auto": self = .automatic
        case "none": self = .whole
        default:
            guard let n = Int(description), n >= 1 else { return nil }
            self = .rows(n)
        }
    }

    public var description: String {
        switch self {
        case .automatic: return "auto"
        case .whole: return "none"
        case .rows(let n): return String(n)
        }
    }
}
