import Field

/// The soundness of a proof in bits, in three regimes (DESIGN.md §7,
/// docs/security.md §5 has the formulas with their sources).
///
/// Each number is the minimum of the FRI query term (with grinding), −log₂ of
/// the sum of the protocol's field-size error terms (constraint batching, LogUp,
/// the caller's challenge phases, DEEP sampling, DEEP batching, FRI folding) and
/// 128 (SHA-256 collisions). Computed with IEEE-754 basic operations only
/// (`PortableMath`), so every platform floors to the same numbers.
public struct SecurityEstimate: Hashable, Sendable, CustomStringConvertible {
    /// Under the ethSTARK conjecture (every query costs a cheating prover a
    /// factor ρ), which was disproved in 2025: reported for comparison only.
    public let conjectured: Int
    /// Proven, unique-decoding radius: each query catches a far word with
    /// probability (1 − ρ)/2.
    public let provenUniqueDecoding: Int
    /// Proven, Johnson bound (list decoding), best proximity parameter m ≥ 3.
    public let provenJohnson: Int

    /// How to name the `conjectured` number wherever it is printed.
    public static let conjecturedRegimeName = "ethSTARK conjecture (disproved 2025)"
    /// How to name `provenUniqueDecoding`.
    public static let provenUniqueDecodingRegimeName = "proven, unique-decoding regime"
    /// How to name `provenJohnson`.
    public static let provenJohnsonRegimeName = "proven, Johnson-bound regime"

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
        /// Degree in the LogUp challenge γ of the widest compressed tuple
        /// (t + γ·v₀ + … + γ^W·v_{W−1}: W, the tuple's width; 2 for copy constraints).
        public var logUpTupleDegree: Int = 1
        /// Sum over the caller's challenge phases of their declared degree per
        /// row (`ChallengePhase.challengeDegree`).
        public var challengePhaseDegree: Int = 0
    }

    /// log₂ |F| of the extension the challenges come from: e·log₂ p.
    static func fieldBits(extensionDegree e: Int) -> Double { Double(e) * PortableMath.log2(Double(Goldilocks.modulus)) }
    static let hashBits = 128.0

    /// The three numbers for a parameter set and circuit shape.
    public static func compute(_ p: StarkParameters, shape: Shape) -> SecurityEstimate {
        let log2 = PortableMath.log2
        let rho = 1.0 / Double(p.blowup)
        let n = Double(shape.rows)
        let lde = n * Double(p.blowup)
        let grinding = Double(p.grindingBits)
        let q = Double(p.queryCount)
        let rounds = friRounds(p, rows: shape.rows)
        let folding = Double(p.foldingFactor)
        let F = fieldBits(extensionDegree: p.extensionDegree)

        // −log₂ of a sum of probabilities given as log₂ values.
        func bits(_ log2Terms: [Double]) -> Double {
            -log2(log2Terms.reduce(0.0) { $0 + PortableMath.exp2($1) })
        }
        // Field terms with list size 1 (the unique-decoding regime), as log₂ of the error.
        // LogUp (Haböck, ePrint 2022/1530): N = fractions·n fractions, each denominator
        // β − (t + γ·v₀ + …) of degree ≤ W in γ; a zero denominator (N/|F|) or a wrong
        // sum that vanishes at (β, γ) (Schwartz–Zippel, (N − 1)·W/|F|): ≤ N·(W + 2)/|F|.
        let fractions = Double(max(1, shape.logUpFractions)) * n
        let logUp = log2(fractions * Double(max(1, shape.logUpTupleDegree) + 2)) - F
        // The caller's challenge phases: degree d per row, a union bound over the rows.
        let phases = log2(Double(max(1, shape.challengePhaseDegree)) * n) - F
        let hasPhases = shape.challengePhaseDegree > 0
        let alphaBatch = log2(Double(max(1, shape.constraintCount))) - F  // powers of α over the constraints
        let deep = log2(Double(shape.maxConstraintDegree) + 2 * n) - F  // z hits a root of the DEEP identity
        // DEEP batch with independent coefficients (an affine space; BCIKS20 Thm 1.6, UDR: |D|/|F|).
        let deepBatch = log2(lde) - F
        // FRI round r folds a layer of |D|/F^r points with β, β², …: a curve of degree F − 1
        // (BCIKS20 Thm 1.5, UDR: (F − 1)·|D_r|/|F|).
        let foldTerms = (0 ..< rounds).map { r in log2((folding - 1) * lde) - Double(r * p.logFoldingFactor) - F }
        let fieldTermsUDR = [logUp, alphaBatch, deep, deepBatch] + (hasPhases ? [phases] : []) + foldTerms

        // ethSTARK conjecture: FRI is sound up to capacity and the field terms are
        // about |D|/|F| (as in the ethSTARK documentation and winterfell, whose extra
        // one-bit margin is not subtracted here).
        let conjectured = min(q * log2(1 / rho) + grinding, F - log2(lde), hashBits)

        let udrQueries = -q * log2((1 + rho) / 2) + grinding
        let udr = min(udrQueries, bits(fieldTermsUDR), hashBits)

        // Johnson regime: list size L = (m + ½)/√ρ, correlated agreement
        // ε = (m + ½)^7 / (3ρ^{3/2}) · |D|² / |F| (BCIKS20 Thm 1.5, as used in the ethSTARK
        // documentation's Theorem 2 and ePrint 2024/1553); the terms that hold for
        // one decoded word (ALI, LogUp, phases) are multiplied by L, DEEP by L².
        var johnson = 0.0
        for m in 3 ... 32 {
            let mm = Double(m) + 0.5
            let listSize = log2(mm / rho.squareRoot())
            let agreement = log2(mm * mm * mm * mm * mm * mm * mm / (3 * rho * rho.squareRoot()))
            func ca(_ domain: Double) -> Double { agreement + 2 * log2(domain) - F }
            let terms = [logUp + listSize, alphaBatch + listSize, deep + 2 * listSize, ca(lde)]
                + (hasPhases ? [phases + listSize] : [])
                + (0 ..< rounds).map { r in log2(folding - 1) + ca(lde / Double(1 << (r * p.logFoldingFactor))) }
            let queries = -q * log2(rho.squareRoot() * (1 + 1 / (2 * Double(m)))) + grinding
            johnson = max(johnson, min(queries, bits(terms), hashBits))
        }
        return SecurityEstimate(conjectured: Int(conjectured.rounded(.down)),
                                provenUniqueDecoding: Int(max(0, udr).rounded(.down)),
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
