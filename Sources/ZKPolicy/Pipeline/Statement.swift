import Stark

/// What a proof states publicly: everything a regulator learns from it, and
/// nothing about the private model or data beyond it.
///
/// The statement is encoded deterministically (`encoded()`), and its digest is
/// absorbed by the STARK transcript before any challenge, so changing any part
/// of it — a verdict, a parameter, the architecture card — invalidates the proof.
public struct Statement: Hashable, Sendable {
    /// The policy's declared name and version, and the digest of its canonical
    /// source and everything it imports (`PolicyDigest`).
    public var policyName: String
    public var policyVersion: String
    public var policyDigest: [UInt8]

    /// Each data table's name and the number of rows the proof covers.
    public var tables: [Table]
    /// Each model's name, its architecture card (graph without weights, plus
    /// scales) and the quantization error measured against the float reference.
    public var models: [Model]
    /// Every parameter's value as used in the proof.
    public var params: [Param]
    /// Every public commitment (Poseidon2 digests) the proof binds.
    public var commitments: [Commitment]
    /// Each rule's verdict, in source order.
    public var verdicts: [Verdict]

    /// The security preset and the bits it gives in three regimes (DESIGN §7).
    public var security: Security
    /// The digest of the verifying key (circuit shape and fixed columns):
    /// of the whole policy's circuit, or for a proof in parts of the
    /// combining circuit's.
    public var verifyingKeyDigest: [UInt8]
    /// For a proof whose rows were split into parts (docs/circuit.md §10),
    /// every part in order; empty for a proof over all rows at once.
    public var parts: [Part] = []

    /// One part of a proof in parts: its rows, the commitment to its
    /// aggregates' reductions that it published, and its circuit's key.
    public struct Part: Hashable, Sendable {
        /// Each table's rows in this part (the parts' rows add up to `tables`).
        public var tables: [Table]
        /// Lower-case hexadecimal Poseidon2 digest.
        public var commitment: String
        public var verifyingKeyDigest: [UInt8]
        public init(tables: [Table], commitment: String, verifyingKeyDigest: [UInt8]) {
            self.tables = tables
            self.commitment = commitment
            self.verifyingKeyDigest = verifyingKeyDigest
        }
    }

    public struct Table: Hashable, Sendable {
        public var name: String
        public var rows: Int
        public init(name: String, rows: Int) { self.name = name; self.rows = rows }
    }

    public struct Model: Hashable, Sendable {
        public var name: String
        public var architectureCard: [UInt8]
        /// One line describing the architecture (operators and sizes), for `inspect`.
        public var summary: String
        /// The quantized model against the float reference on the proven rows:
        /// largest and mean absolute output difference (decimal text), and in how
        /// many rows the class decision differs.
        public var maxAbsoluteError: String
        public var meanAbsoluteError: String
        public var differingDecisions: Int
        public var comparedRows: Int

        public init(name: String, architectureCard: [UInt8], summary: String, maxAbsoluteError: String,
                    meanAbsoluteError: String, differingDecisions: Int, comparedRows: Int) {
            self.name = name
            self.architectureCard = architectureCard
            self.summary = summary
            self.maxAbsoluteError = maxAbsoluteError
            self.meanAbsoluteError = meanAbsoluteError
            self.differingDecisions = differingDecisions
            self.comparedRows = comparedRows
        }
    }

    public struct Param: Hashable, Sendable {
        public var name: String
        /// The exact value: `true`/`false`, or a rational `n` or `n/d`.
        public var value: String
        /// The value as the policy would write it (`5%`, `0.5`).
        public var display: String
        public init(name: String, value: String, display: String) {
            self.name = name; self.value = value; self.display = display
        }
    }

    public struct Commitment: Hashable, Sendable {
        public var name: String
        /// Lower-case hexadecimal digest.
        public var hex: String
        public init(name: String, hex: String) { self.name = name; self.hex = hex }
    }

    public struct Verdict: Hashable, Sendable {
        public var rule: String
        public var holds: Bool
        public init(rule: String, holds: Bool) { self.rule = rule; self.holds = holds }
    }

    public struct Security: Hashable, Sendable {
        public var preset: String
        public var conjecturedBits: Int
        public var provenUniqueDecodingBits: Int
        public var provenJohnsonBits: Int
        public init(preset: String, conjecturedBits: Int, provenUniqueDecodingBits: Int, provenJohnsonBits: Int) {
            self.preset = preset
            self.conjecturedBits = conjecturedBits
            self.provenUniqueDecodingBits = provenUniqueDecodingBits
            self.provenJohnsonBits = provenJohnsonBits
        }

        /// The security of several STARK proofs that must all hold (a proof
        /// in parts): in each regime, the weakest proof's bits.
        public init(preset: String, weakestOf estimates: [SecurityEstimate]) {
            self.init(preset: preset, conjecturedBits: estimates.map(\.conjectured).min() ?? 0,
                      provenUniqueDecodingBits: estimates.map(\.provenUniqueDecoding).min() ?? 0,
                      provenJohnsonBits: estimates.map(\.provenJohnson).min() ?? 0)
        }
    }

    public init(policyName: String, policyVersion: String, policyDigest: [UInt8], tables: [Table],
                models: [Model], params: [Param], commitments: [Commitment], verdicts: [Verdict],
                security: Security, verifyingKeyDigest: [UInt8]) {
        self.policyName = policyName
        self.policyVersion = policyVersion
        self.policyDigest = policyDigest
        self.tables = tables
        self.models = models
        self.params = params
        self.commitments = commitments
        self.verdicts = verdicts
        self.security = security
        self.verifyingKeyDigest = verifyingKeyDigest
    }
}
