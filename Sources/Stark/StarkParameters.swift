import Field

/// The parameters of a proof: they fix its soundness, size and cost.
public struct StarkParameters: Hashable, Sendable, CustomStringConvertible {
    /// log2 of the blowup factor B: the LDE domain is B times the table (rate ρ = 1/B).
    public var logBlowup: Int
    /// Number of FRI queries.
    public var queryCount: Int
    /// Proof-of-work bits ground before the queries are drawn.
    public var grindingBits: Int
    /// log2 of the FRI folding factor (1: halve the domain each round, 2: quarter it, …).
    public var logFoldingFactor: Int
    /// FRI stops folding once the degree bound is at most 2^logFinalDegree and
    /// sends that polynomial's coefficients.
    public var logFinalDegree: Int
    /// Degree e of the extension of Goldilocks the challenges come from: 2
    /// (`GoldilocksExt2`, about 2^128 elements) or 3 (`GoldilocksExt3`, about
    /// 2^192). The security estimate, the zero-knowledge margins and the
    /// protocol id depend on it; `proven-128` uses 3 (docs/security.md §5).
    public var extensionDegree: Int

    public init(logBlowup: Int, queryCount: Int, grindingBits: Int,
                logFoldingFactor: Int = 2, logFinalDegree: Int = 5, extensionDegree: Int = 2) {
        self.logBlowup = logBlowup
        self.queryCount = queryCount
        self.grindingBits = grindingBits
        self.logFoldingFactor = logFoldingFactor
        self.logFinalDegree = logFinalDegree
        self.extensionDegree = extensionDegree
    }

    public var blowup: Int { 1 << logBlowup }
    public var foldingFactor: Int { 1 << logFoldingFactor }

    /// The coset shift of the LDE domain, the multiplicative generator 7 (never in a
    /// proper subgroup, so the coset misses the table's subgroup).
    public static let cosetShift = Goldilocks.multiplicativeGenerator

    /// Random rows at the end of every witness column (zero knowledge): enough to
    /// cover every evaluation of a column the verifier can learn, k = 8 + 2·F·q.
    ///
    /// This is Haböck and Al Kindi's bound (ePrint 2024/1037, §4.2, eq. 17),
    /// 2·(n_FRI + e·n_DEEP) ≤ k, with n_FRI = F·q opened query points, extension
    /// degree e and the n_DEEP = 2 out-of-domain points z and z·ω: 4e + 2·F·q.
    /// Counting this protocol's openings exactly gives 2e + 2·F·q (T(z) and
    /// T(z·ω), e base-field values each; T(x) at the F·q query points; T(x·ω)
    /// through the quotient opened at x); the 2e extra rows are a margin. For
    /// e = 2 this is 8 + 2·F·q. See docs/security.md §4.
    public var blindingRows: Int { 4 * extensionDegree + 2 * foldingFactor * queryCount }

    /// Degree of the random polynomials that randomise the quotient chunks. A
    /// chunk is opened at z (e base-field values per component) and at the F·q
    /// query points, so e + F·q would do; like `blindingRows`, we count both
    /// out-of-domain points (2e + F·q), a margin of one extension point.
    public var quotientMaskDegree: Int { 2 * extensionDegree + foldingFactor * queryCount }

    /// Checks the parameters are in the supported ranges; the message says which is not.
    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws {
            if !ok { throw StarkError.invalidParameters(message) }
        }
        try check((1 ... 6).contains(logBlowup), "logBlowup must be in 1...6")
        try check((1 ... 512).contains(queryCount), "queryCount must be in 1...512")
        try check((0 ... 40).contains(grindingBits), "grindingBits must be in 0...40")
        try check((1 ... 4).contains(logFoldingFactor), "logFoldingFactor must be in 1...4")
        try check((0 ... 10).contains(logFinalDegree), "logFinalDegree must be in 0...10")
        try check(logFoldingFactor <= logBlowup + logFinalDegree + 1, "folding factor too large for the blowup")
        try check((2 ... 3).contains(extensionDegree), "extensionDegree must be 2 or 3")
    }

    /// The largest table the prover and the verifier accept: 2^28 rows.
    public static let maximumLogRows = 28

    /// Checks that a table of 2^logRows rows fits these parameters: within
    /// `maximumLogRows`, its LDE domain within the field's 2-adic subgroup
    /// (2^32), at least the folding factor, at least 2 usable rows after the
    /// blinding rows, and room for the quotient's randomisers. The prover's
    /// circuit layout and the verifying-key decoder both ask this, so a key
    /// the decoder accepts is one the verifier can run without a trap.
    public func validate(logRows: Int) throws {
        guard (1 ... Self.maximumLogRows).contains(logRows) else {
            throw StarkError.invalidCircuit("logRows must be in 1...\(Self.maximumLogRows), not \(logRows)")
        }
        guard logRows + logBlowup <= Goldilocks.twoAdicity else {
            throw StarkError.invalidCircuit("2^\(logRows) rows with blowup \(blowup) exceed the field's "
                + "subgroups of order up to 2^\(Goldilocks.twoAdicity)")
        }
        let rows = 1 << logRows
        let usableRows = rows - blindingRows
        guard usableRows >= 2, quotientMaskDegree < rows / 2 else {
            throw StarkError.invalidCircuit(
                "2^\(logRows) rows leave \(usableRows) usable rows after \(blindingRows) blinding rows; "
                + "use logRows ≥ \(Circuit.logRows(forUsableRows: 2 * quotientMaskDegree + 2, self))")
        }
        guard rows >= foldingFactor else { throw StarkError.invalidCircuit("table smaller than the folding factor") }
    }

    public var description: String {
        "blowup=\(blowup) queries=\(queryCount) grinding=\(grindingBits) folding=\(foldingFactor) final_degree=\(1 << logFinalDegree)"
            + (extensionDegree == 2 ? "" : " extension=\(extensionDegree)")
    }
}

/// Named parameter sets (DESIGN.md §7). A preset fixes the parameters; the
/// bits a proof reaches also depend on the table (the field-size error terms
/// grow with the number of rows), so they are computed per verifying key and
/// carried in every proof header: read them with `bits(of:)` and `isReached(by:)`
/// rather than trusting the name (docs/security.md §5).
public enum SecurityPreset: String, CaseIterable, Sendable {
    /// 100 bits under the ethSTARK conjecture (queries · log₂ B + grinding), which
    /// was disproved in 2025: the smallest proofs, what other STARK libraries ship.
    case conjectured100 = "conjectured-100"
    /// At least 100 proven bits in the unique-decoding regime for tables of up to
    /// 2^20 rows of circuits like the benchmark's (query term 104.3 bits; the
    /// field-size terms of the quadratic extension give 101–104). Above about
    /// 2^21 rows the field terms fall below 100 bits: check `isReached(by:)`.
    case proven100 = "proven-100"
    /// At least 128 proven bits in the unique-decoding regime (query term 128.6
    /// bits: 119 queries at blowup 16 and 20 grinding bits), over the cubic
    /// extension: the quadratic one's field-size terms would cap the proven
    /// number at about 101–105 bits (docs/security.md §5). Proofs are about
    /// a quarter larger than over the quadratic extension, and slower to make.
    case proven128 = "proven-128"

    public var parameters: StarkParameters {
        switch self {
        case .conjectured100:
            return StarkParameters(logBlowup: 3, queryCount: 28, grindingBits: 16)
        case .proven100:
            return StarkParameters(logBlowup: 3, queryCount: 104, grindingBits: 18)
        case .proven128:
            return StarkParameters(logBlowup: 4, queryCount: 119, grindingBits: 20, extensionDegree: 3)
        }
    }

    /// The bits the name states.
    public var nominalBits: Int {
        switch self {
        case .conjectured100, .proven100: return 100
        case .proven128: return 128
        }
    }

    /// The number the name refers to, from an estimate (a verifying key's or a
    /// proof header's): the conjectured bits for `conjectured-100`, the proven
    /// unique-decoding bits for the others.
    public func bits(of estimate: SecurityEstimate) -> Int {
        switch self {
        case .conjectured100: return estimate.conjectured
        case .proven100, .proven128: return estimate.provenUniqueDecoding
        }
    }

    /// Whether the estimate reaches the bits the name states.
    public func isReached(by estimate: SecurityEstimate) -> Bool {
        bits(of: estimate) >= nominalBits
    }
}
