import Field

/// The prover's side of FRI: folds the DEEP composition f (degree < n, on
/// the LDE domain in commitment order) round by round, committing every
/// intermediate layer, and sends the last one as coefficients.
struct FRIProver<E: ExtensionField> {
    /// Values of the committed layers 1 ..< rounds (commitment order).
    var layers: [[E]] = []
    var trees: [MerkleTree] = []
    var roots: [Digest] { trees.map(\.root) }
    var finalPolynomial: [E] = []
    let foldingFactor: Int

    /// - Parameter exact: whether f must have degree < n (an honest prover's
    ///   always has); then a last layer of higher degree is an error instead of
    ///   being truncated (truncating it would make the proof fail to verify).
    static func commit(_ f: [E], parameters p: StarkParameters, logRows: Int,
                       transcript: inout Transcript, exact: Bool = true) throws -> FRIProver {
        var fri = FRIProver(foldingFactor: p.foldingFactor)
        let rounds = FRIFolding.rounds(p, rows: 1 << logRows)
        var current = f
        var logSize = logRows + p.logBlowup
        var shift = StarkParameters.cosetShift
        for round in 0 ..< rounds {
            let beta = transcript.challenge(E.self)
            current = FRIFolding.foldLayer(current, logSize: logSize, shift: shift, beta: beta,
                                           logFolding: p.logFoldingFactor)
            logSize -= p.logFoldingFactor
            shift = shift.power(UInt64(p.foldingFactor))
            if round < rounds - 1 {
                let tree = FRIProver.tree(current, foldingFactor: p.foldingFactor)
                transcript.absorb(tree.root)
                fri.layers.append(current)
                fri.trees.append(tree)
            }
        }
        // The last layer: a polynomial of degree < n / F^rounds.
        let degreeBound = (1 << logRows) >> (p.logFoldingFactor * rounds)
        let coefficients = FRIFolding.interpolate(current, shift: shift)
        let bound = max(1, degreeBound)
        if exact, let high = coefficients[bound...].lastIndex(where: { $0 != .zero }) {
            throw StarkError.internalInconsistency(
                "the DEEP composition folds to degree \(high) ≥ \(bound) in the last FRI layer")
        }
        fri.finalPolynomial = Array(coefficients.prefix(bound))
        transcript.absorb(fri.finalPolynomial)
        return fri
    }

    /// A Merkle tree whose leaf ℓ hashes `MerkleTree.friLeafTag` ‖ the F values at
    /// positions F·ℓ ..< F·ℓ + F.
    static func tree(_ layer: [E], foldingFactor f: Int) -> MerkleTree {
        var leaves = [Digest](largeRepeating: .zero, count: layer.count / f)
        let leafBytes = leafByteCount(values: f), batch = CommittedColumns.leafBatch
        leaves.withUnsafeMutableBufferPointer { out in
            SHA256.hashInBatches(count: out.count, length: leafBytes, batch: batch, minimumPerThread: 1024,
                                 into: out.baseAddress!) { leaf, destination in
                writeLeaf(layer[f * leaf ..< f * leaf + f], to: destination)
            }
        }
        return MerkleTree(leaves: leaves)
    }

    /// Bytes of a leaf of `values` values: the tag, then 8·e per value.
    static func leafByteCount(values: Int) -> Int { 1 + 8 * E.degree * values }

    /// A leaf's bytes: `MerkleTree.friLeafTag`, then each value's coefficients,
    /// little-endian words (`leafByteCount` bytes).
    @inline(__always)
    static func writeLeaf(_ values: ArraySlice<E>, to destination: UnsafeMutableRawPointer) {
        destination.storeBytes(of: MerkleTree.friLeafTag, as: UInt8.self)
        var offset = 1
        for v in values {
            for k in 0 ..< E.degree {
                destination.storeBytes(of: v.coefficient(k).value.littleEndian, toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
        }
    }

    /// The digest of one leaf (the verifier's side of `tree`).
    static func leafDigest(_ values: ArraySlice<E>) -> Digest {
        withUnsafeTemporaryAllocation(byteCount: leafByteCount(values: values.count), alignment: 8) { buffer in
            writeLeaf(values, to: buffer.baseAddress!)
            return SHA256.hash(UnsafeRawBufferPointer(buffer))
        }
    }
}

extension FRIProver {
    /// Openings for the queried layer-0 leaves: in layer r ≥ 1 the leaf ℓ / F^r.
    func open(_ leaves: [Int]) -> [FRILayerOpening] {
        var result: [FRILayerOpening] = []
        var divisor = foldingFactor
        for (r, layer) in layers.enumerated() {
            let layerLeaves = Array(Set(leaves.map { $0 / divisor })).sorted()
            let values = layerLeaves.flatMap { layer[foldingFactor * $0 ..< foldingFactor * $0 + foldingFactor] }
            result.append(FRILayerOpening(values: ExtensionWords(values), proof: trees[r].openBatch(layerLeaves)))
            divisor *= foldingFactor
        }
        return result
    }
}
