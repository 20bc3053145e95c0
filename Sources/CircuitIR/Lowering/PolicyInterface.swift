import Field
import ModelGraph
import PolicySemantics

/// What the inputs and outputs of a lowered policy mean, in order: the
/// statement a proof of it establishes, and the layout the witness builder
/// fills. Inputs and outputs come in *segments*; a segment stands for one or
/// more consecutive field elements of the program's public or private inputs
/// (or public outputs), named in the program `NAME`, `NAME[i]`, ….
///
/// Public inputs, in this order:
/// 1. `rows.T` for every table T (declaration order): its row count, which
///    the circuit also fixes (it is compiled for that many rows);
/// 2. `param.P` for every parameter: `bool` 0/1, `int` the integer,
///    `fixed`/`ratio` the value × 10^4 — each checked against its domain;
/// 3. `commitment.C[0...3]` for every `commitment` declaration: the published
///    digest's 4 field elements;
/// 4. the cells of every `public` table and the weights of every `public`
///    model (segments `.table` / `.model`, as for private ones).
///
/// Private inputs: the cells of every non-public table (declaration order),
/// then the weights of every non-public model, then a 4-element salt per
/// asset whose commitment the circuit computes (`commit(...)` in a rule, or a
/// `committed` asset): models first, then tables.
///
/// Public outputs: `commit.X[0...3]` for every `committed` asset (models,
/// then tables), then `rule.R` for every rule in source order: its verdict,
/// which the circuit also constrains to be 1 (true) — a proof of a policy
/// exists only when every rule holds, so a verifier that overlooks a verdict
/// cannot be misled, and the verdicts still appear in the statement by name.
public struct PolicyInterface: Sendable, Equatable {
    public enum Segment: Sendable, Equatable, CustomStringConvertible {
        /// 1 element: the table's row count.
        case rowCount(table: String)
        /// 1 element: the parameter's integer (see above).
        case param(String)
        /// 4 elements: a published digest.
        case commitment(String)
        /// The table's cells: rows × fields × elements in the canonical
        /// order of `AssetCommitment` — except that an enum with 3 or more
        /// cases takes one 0/1 input per case (its one-hot indicator)
        /// instead of the case index.
        case table(String)
        /// The model's weights in canonical order (`AssetCommitment.modelValues`).
        case model(String)
        /// 4 elements: the secret salt of an asset's commitment.
        case salt(Asset)
        /// 4 elements (outputs): the commitment of a `committed` asset.
        case digest(Asset)
        /// 1 element (outputs): a rule's verdict, always 1.
        case verdict(String)
        /// 4 elements (a part circuit's private inputs): the secret salt of
        /// the part's commitment (`LoweringTarget`).
        case partSalt
        /// 4 elements (a part circuit's output): the part's commitment.
        case partCommitment
        /// 4 elements (the combining circuit's public inputs): the
        /// commitment part `index` published.
        case part(Int)
        /// `PartShape.openingCount` elements (the combining circuit's
        /// private inputs): what opens part `index`'s commitment.
        case partOpening(Int)

        public var description: String {
            switch self {
            case .rowCount(let t): return "rows.\(t)"
            case .param(let p): return "param.\(p)"
            case .commitment(let c): return "commitment.\(c)"
            case .table(let t): return "table \(t)"
            case .model(let m): return "model \(m)"
            case .salt(let a): return "salt of \(PolicyInterface.name(a))"
            case .digest(let a): return "commit.\(PolicyInterface.name(a))"
            case .verdict(let r): return "rule.\(r)"
            case .partSalt: return "part.salt"
            case .partCommitment: return "part.commitment"
            case .part(let p): return "part[\(p)].commitment"
            case .partOpening(let p): return "opening of part \(p)"
            }
        }
    }

    public internal(set) var publicInputs: [Segment] = []
    public internal(set) var privateInputs: [Segment] = []
    public internal(set) var publicOutputs: [Segment] = []

    /// The layout of every table's cells.
    public internal(set) var tables: [String: [FieldLayout]] = [:]
    /// The row count the circuit is compiled for, per table.
    public internal(set) var rowCounts: [String: Int] = [:]
    /// The weight specs of every model (public: shapes, scales, bounds).
    public internal(set) var weights: [String: [WeightSpec]] = [:]
    /// Each parameter's type (how its value is encoded).
    public internal(set) var paramTypes: [String: PolicySemantics.ValueType] = [:]
    /// Each parameter's declared value (used unless overridden).
    public internal(set) var paramDefaults: [String: Param.Value] = [:]

    /// `scorer` for a model, `applicants` for a table.
    static func name(_ asset: Asset) -> String {
        switch asset {
        case .model(let m): return m
        case .table(let t): return t
        }
    }

    /// The number of inputs one field element of a table takes.
    static func inputsPerElement(_ field: FieldLayout) -> Int {
        if case .enumeration(let cases) = field.kind, cases.count >= 3 { return cases.count }
        return 1
    }
}
