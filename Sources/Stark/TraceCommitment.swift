import Field

extension StarkProver {
    /// Commits to table columns exactly as the prover commits its advice (LDE
    /// by the blowup, salted Merkle leaves of F rows) and returns the root.
    ///
    /// This is the floor of proving: a STARK prover cannot do less than extend
    /// and commit its trace. Benchmarks time it against `prove`.
    public static func commitColumns(_ columns: [[Goldilocks]], parameters: StarkParameters) throws -> Digest {
        let rows = columns.first?.count ?? 0
        guard rows >= parameters.foldingFactor, rows & (rows - 1) == 0, columns.allSatisfy({ $0.count == rows }) else {
            throw StarkError.invalidWitness("columns must share a power-of-two length of at least the folding factor")
        }
        let committed = CommittedColumns(values: columns,
                                         domain: LDEDomain(logRows: rows.trailingZeroBitCount, logBlowup: parameters.logBlowup),
                                         foldingFactor: parameters.foldingFactor, salts: SecureRandom(), saltDomain: 1)
        return committed.tree.root
    }
}
