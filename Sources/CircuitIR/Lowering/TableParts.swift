import Field
import PolicySemantics

/// What a lowering builds: the whole policy over all rows, or one of the two
/// kinds of circuit of a policy whose rows are split into parts
/// (docs/circuit.md §10).
///
/// A policy's rules read its tables only through aggregates (counts, rates,
/// sums, means, extremes, `all`/`any`), and every aggregate is a function of
/// per-row values *reduced* over the rows: sums, or an extreme with a count.
/// Reductions over the rows of parts combine into the reduction over all
/// rows: sums add, an extreme is the extreme of the parts' extremes among the
/// parts that have rows. So the rows can be proven part by part:
/// - a **part** circuit is compiled for a part's rows. It lowers every
///   aggregate's rows and reductions (not what follows them: a rate's
///   division, an empty group's check) and publishes one salted Poseidon2
///   commitment to its reductions and the digests of the models it applied;
/// - the **combining** circuit takes every part's commitment as a public
///   input, opens each (its salt, digests and reductions are private
///   inputs), requires the parts' model digests to be equal, combines the
///   reductions and lowers the rules on them, exactly as the whole policy
///   lowers them.
/// A verifier that checks every part's proof and the combining proof, with
/// each part's published commitment as the combining proof's input, has the
/// whole policy's statement; the parts' reductions stay hidden behind their
/// salts.
public enum LoweringTarget: Sendable, Equatable {
    /// The whole policy over all rows.
    case whole
    /// One part: the row counts given to the lowering are the part's.
    case part
    /// The combining circuit over parts of these shapes (the row counts
    /// given to the lowering are the totals, the parts' sums).
    case combine([PartShape])
}

/// The public shape of a part circuit: what the combining circuit needs to
/// open its commitment and to bound what it opens. It depends only on the
/// policy, the models' architectures and the part's row counts.
public struct PartShape: Sendable, Equatable {
    /// One aggregate of the policy (graph node order), as its reductions.
    public struct Aggregate: Sendable, Equatable {
        /// The aggregate's graph node.
        public var node: Int
        /// Reductions: the counts (one per group, or one), then the reduced
        /// values (numerators, sums, extremes or the count of true rows).
        public var counts: Int
        public var values: Int
        /// The constant denominator of a sum, mean, minimum or maximum.
        public var scale: Int64

        public init(node: Int, counts: Int, values: Int, scale: Int64) {
            self.node = node
            self.counts = counts
            self.values = values
            self.scale = scale
        }
    }

    /// The row count of every table in the part.
    public var rowCounts: [String: Int]
    /// The models whose digest the part commits to (the combining circuit
    /// requires them equal across parts).
    public var models: [String]
    public var aggregates: [Aggregate]
    /// Each reduction's proven interval in the part (aggregate order:
    /// counts, then values). A reduction whose interval is one point is a
    /// constant of the part and is not opened.
    public var bounds: [Interval]
    /// The opened values in the part program as lowered (before
    /// optimisation): the salt, the models' digests, then every reduction
    /// that is not a constant. The prover reads them from the part's
    /// witness (`PartShape.opening`).
    public var openedValues: [Value]

    /// A part's shape as a verifier keeps it (`openedValues` are the
    /// prover's: empty when the shape was not built by lowering).
    public init(rowCounts: [String: Int], models: [String], aggregates: [Aggregate], bounds: [Interval],
                openedValues: [Value] = []) {
        self.rowCounts = rowCounts
        self.models = models
        self.aggregates = aggregates
        self.bounds = bounds
        self.openedValues = openedValues
    }

    /// The number of private inputs that open one part in the combining circuit.
    public var openingCount: Int {
        Poseidon2Sponge.saltLength + Poseidon2Sponge.digestLength * models.count + bounds.filter { $0.lo != $0.hi }.count
    }

    /// The values that open a part's commitment, from the witness of the
    /// part's program *as lowered* (`LoweredPolicy.program`; optimisation
    /// renumbers values).
    public func opening(_ witness: Witness) -> [Goldilocks] {
        openedValues.map { witness[$0] }
    }
}
