import Foundation
import Field

/// The soundness of a proof in bits, in three regimes (DESIGN.md §7,
/// docs/security.md has the formulas with their sources).
///
/// Each number is the minimum over the protocol's error terms: the FRI query
/// phase (with grinding), the field-size terms of constraint batching, LogUp,
/// DEEP sampling and FRI batching/folding, and SHA-256 collisions (128 bits).
public struct SecurityEstimate: Hashable, Sendable, CustomStringConvertible {
    /// ethSTARK conjecture: every query costs a cheating prover a factor ρ.
    public let conjectured: Int
    /// Proven, unique-decoding radius: each query catches a far word with
    /// probability (1 − ρ)/2.
    public let provenUniqueDecoding: Int
    /// Proven, Johnson bound (list decoding), best proximity parameter m ≥ 3.
    public let provenJohnson: Int

    public init(conjectured: Int, provenUniqueDecoding: Int, provenJohnson: Int) {
        self.conjectured = conjectured
        self.provenUniqueDecoding = provenUniqueDecoding
        self.provenJohnson = provenJohnson
    }

    /// The shape facts of a circuit that the error terms depend on.
    public struct Shape: Hashable, Sendable {
        /// Table rows n.
        public var rows: Int
        /// Number of constraints combined into the quotient.
        public var constraintCount: Int
        /// Highest constraint degree, as a polynomial in X.
        public var maxConstraintDegree: Int
        /// DEEP quotients batched with the mask in the DEEP composition (M + M′);
        /// informational: the coefficients are independent, so the batching
        /// bound does not grow with it.
        public var batchedPolynomials: Int
        /// Fractions summed by the LogUp argument per row.
        public var logUpFractions: Int
    }

    static let fieldBits = 2 * log2(Double(Goldilocks.modulus))
    static let hashBits = 128.0

    /// The three numbers for a parameter set and circuit shape.
    public static func compute(_ p: StarkParameters, shape: Shape) -> SecurityEstimate {
        let rho = 1.0 / Double(p.blowup)
        let lde = Double(shape.rows * p.blowup)
        let n = Double(shape.rows)
        let grinding = Double(p.grindingBits)
        let q = Double(p.queryCount)
        let foldRounds = Double(friRounds(p, rows: shape.rows))
        let folding = Double(p.foldingFactor)
        let fractions = Double(max(1, shape.logUpFractions))

        // −log2 of a sum of probabilities given as log2 values.
        func bits(_ log2Terms: [Double]) -> Double {
            let total = log2Terms.reduce(0.0) { $0 + pow(2.0, $1) }
            return -log2(total)
        }
        let F = fieldBits
        // Terms that hold with list size 1 (the conjectured and unique-decoding regimes).
        let logUp = log2(2 * fractions * n) - F                        // LogUp: a rational identity in β of degree ≤ 2·fractions·n
        let alphaBatch = log2(Double(max(1, shape.constraintCount))) - F  // powers of α over the constraints
        let deep = log2(Double(shape.maxConstraintDegree) + 2 * n) - F      // z hits a root of the DEEP identity
        let deepBatch = log2(lde) - F  // independent coefficients (BCIKS20 UDR, affine spaces: |D|/|F|)
        let foldTerms = log2(foldRounds * (folding - 1)) + log2(lde) - F
        let fieldTermsUDR = [logUp, alphaBatch, deep, deepBatch, foldTerms]

        // ethSTARK conjecture: FRI is sound up to capacity and batching/DEEP errors
        // are about |D|/|F| (as in the ethSTARK documentation and winterfell, whose
        // extra one-bit margin is not subtracted here).
        let conjecturedQueries = q * log2(1 / rho) + grinding
        let conjectured = min(conjecturedQueries, F - log2(lde), hashBits)

        let udrQueries = -q * log2((1 + rho) / 2) + grinding
        let udr = min(udrQueries, bits(fieldTermsUDR), hashBits)

        // Johnson regime: list size L = (m + 1/2)/√ρ, correlated agreement
        // ε = (m + 1/2)^7 / (3 ρ^{3/2}) · |D|² / |F| per batching (BCIKS20 Thm 1.5,
        // as used in the ethSTARK documentation's Theorem 2 and ePrint 2024/1553).
        var johnson = 0.0
        for m in 3 ... 32 {
            let mm = Double(m) + 0.5
            let listSize = mm / rho.squareRoot()
            let ca = log2(pow(mm, 7) / (3 * pow(rho, 1.5))) + 2 * log2(lde) - F
            let terms = [
                logUp, alphaBatch + log2(listSize),
                deep + log2(listSize) + log2(listSize),
                ca,
                ca + log2(foldRounds * (folding - 1)),
            ]
            let queries = -q * log2(rho.squareRoot() * (1 + 1 / (2 * Double(m)))) + grinding
            johnson = max(johnson, min(queries, bits(terms), hashBits))
        }
        return SecurityEstimate(conjectured: Int(conjectured.rounded(.down)),
                                provenUniqueDecoding: Int(udr.rounded(.down)),
                                provenJohnson: Int(max(0, johnson).rounded(.down)))
    }

    /// Number of FRI folding rounds for a table of `rows` rows.
    static func friRounds(_ p: StarkParameters, rows: Int) -> Int {
        var degree = rows
        var rounds = 0
        while degree > (1 << p.logFinalDegree) && degree >= p.foldingFactor {
            degree /= p.foldingFactor
            rounds += 1
        }
        return max(rounds, 1)
    }

    public var description: String {
        "conjectured=\(conjectured) proven_udr=\(provenUniqueDecoding) proven_johnson=\(provenJohnson)"
    }
}
