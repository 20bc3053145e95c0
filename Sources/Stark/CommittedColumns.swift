import Field

/// Committed columns: their coefficients, a Merkle tree whose leaf ℓ hashes
/// tag ‖ (salt ‖) the F rows at commitment-order positions F·ℓ ..< F·ℓ + F, each
/// row all columns, little-endian words (tag = `MerkleTree.columnLeafTag`), and,
/// when kept, their LDE in storage order.
///
/// A leaf's F points are rows j0 + m·n/F of one storage block, so the tree is
/// built block by block. Without `keepExtension` only one block of the LDE
/// exists at a time (width·n values instead of B times that), and readers that
/// need LDE values later (the quotient, the openings) recompute their blocks
/// from the coefficients with `LDEDomain.extendBlock`.
struct CommittedColumns {
    let coefficients: [[Goldilocks]]
    /// The LDE in storage order, or nil when it was not kept.
    let lde: [[Goldilocks]]?
    let tree: MerkleTree
    /// Salts come from this generator's stream `saltDomain`; nil means unsalted.
    let saltSource: SecureRandom?
    let saltDomain: UInt64
    let domain: LDEDomain
    let foldingFactor: Int

    static let saltBytes = 16
    var width: Int { coefficients.count }

    /// Interpolates `columns` (table values, n each) and commits to their LDE.
    init(values columns: [[Goldilocks]], domain: LDEDomain, foldingFactor: Int,
         salts: SecureRandom?, saltDomain: UInt64, keepExtension: Bool = true) {
        var coefficients = columns
        domain.interpolate(&coefficients)
        self.init(coefficients: coefficients, domain: domain, foldingFactor: foldingFactor,
                  salts: salts, saltDomain: saltDomain, keepExtension: keepExtension)
    }

    /// Commits to the LDE of polynomials given by coefficients (n each).
    init(coefficients: [[Goldilocks]], domain: LDEDomain, foldingFactor: Int,
         salts: SecureRandom?, saltDomain: UInt64, keepExtension: Bool = true) {
        self.coefficients = coefficients
        self.domain = domain
        self.foldingFactor = foldingFactor
        self.saltSource = salts
        self.saltDomain = saltDomain
        let n = domain.rows, width = coefficients.count
        var leaves = [Digest](largeRepeating: .zero, count: domain.size / foldingFactor)
        let hash = { (k: Int, block: [UnsafePointer<Goldilocks>]) in
            CommittedColumns.hashLeaves(ofBlock: k, block, domain: domain, foldingFactor: foldingFactor,
                                        salts: salts, saltDomain: saltDomain, into: &leaves)
        }
        if keepExtension {
            let lde = domain.extend(coefficients)
            withPointers(lde) { columns in
                for k in 0 ..< 1 << domain.logBlowup { hash(k, columns.map { $0 + k * n }) }
            }
            self.lde = lde
        } else {
            let buffer = UnsafeMutableBufferPointer<Goldilocks>.allocate(capacity: max(1, width * n))
            defer { buffer.deallocate() }
            let columns = (0 ..< width).map { UnsafePointer(buffer.baseAddress! + $0 * n) }
            for k in 0 ..< 1 << domain.logBlowup {
                domain.extendBlock(k, of: coefficients, into: buffer)
                hash(k, columns)
            }
            lde = nil
        }
        tree = MerkleTree(leaves: leaves)
    }

    /// Leaves gathered and hashed per call of `SHA256.hashMany`: a multiple of
    /// its three lanes, and long runs of consecutive rows per column for the
    /// gather (192 leaves of 16 columns take 100 KB, within L2; 24 made the
    /// floor at 2^18 × 16 about 8% slower, 384 was no faster).
    static let leafBatch = 192

    /// Hashes the n/F leaves that lie in storage block k, whose values are
    /// `block[c][j]` for column c and row j of the block.
    private static func hashLeaves(ofBlock k: Int, _ block: [UnsafePointer<Goldilocks>], domain: LDEDomain,
                                   foldingFactor f: Int, salts: SecureRandom?, saltDomain: UInt64,
                                   into leaves: inout [Digest]) {
        let n = domain.rows, stride = n / f, blocks = 1 << domain.logBlowup, width = block.count
        let leafBytes = 1 + (salts == nil ? 0 : saltBytes) + 8 * f * width
        let batch = leafBatch, saltInput = SecureRandom.blockInputLength
        let header = leafBytes - 8 * f * width
        let rowOffsets = (0 ..< f).map { NTT.bitReverse($0, bits: f.trailingZeroBitCount) * stride }
        leaves.withUnsafeMutableBufferPointer { out in
            // Leaves in order of j0 (not of commitment position), a batch at a time.
            Parallel.forRanges(stride, minimumPerThread: 256) { range in
                let buffer = UnsafeMutableRawPointer.allocate(byteCount: batch * leafBytes, alignment: 64)
                let saltInputs = UnsafeMutableRawPointer.allocate(byteCount: batch * saltInput, alignment: 64)
                let digests = UnsafeMutablePointer<Digest>.allocate(capacity: batch)
                let saltDigests = UnsafeMutablePointer<Digest>.allocate(capacity: batch)
                let positions = UnsafeMutablePointer<Int>.allocate(capacity: batch)
                defer {
                    buffer.deallocate(); saltInputs.deallocate(); digests.deallocate()
                    saltDigests.deallocate(); positions.deallocate()
                }
                var first = range.lowerBound
                while first < range.upperBound {
                    let count = min(batch, range.upperBound - first)
                    for i in 0 ..< count {
                        // Commitment position of the coset's first point: bitrev of exponent k + B·j0.
                        positions[i] = NTT.bitReverse(k + blocks * (first + i), bits: domain.logSize) / f
                    }
                    if let salts {
                        for i in 0 ..< count {
                            salts.writeBlockInput(domain: saltDomain, index: UInt64(positions[i]),
                                                  to: saltInputs + i * saltInput)
                        }
                        SHA256.hashMany(saltInputs, stride: saltInput, length: saltInput, count: count, into: saltDigests)
                    }
                    for i in 0 ..< count {
                        let start = buffer + i * leafBytes
                        start.storeBytes(of: MerkleTree.columnLeafTag, as: UInt8.self)
                        if salts != nil { (start + 1).copyMemory(from: saltDigests + i, byteCount: saltBytes) }
                    }
                    // Leaf j0's point m is row j0 + bitrev_F(m)·n/F of the block, so
                    // each (column, m) is a run of `count` consecutive rows: read
                    // column by column, a run at a time, not 64 scattered values per leaf.
                    for (c, column) in block.enumerated() {
                        for m in 0 ..< f {
                            let run = column + first + rowOffsets[m]
                            let offset = header + 8 * (m * width + c)
                            for i in 0 ..< count {
                                buffer.storeBytes(of: run[i].value.littleEndian, toByteOffset: i * leafBytes + offset,
                                                  as: UInt64.self)
                            }
                        }
                    }
                    SHA256.hashMany(buffer, stride: leafBytes, length: leafBytes, count: count, into: digests)
                    for i in 0 ..< count { out[positions[i]] = digests[i] }
                    first += count
                }
            }
        }
    }

    static func salt(_ source: SecureRandom, _ domain: UInt64, _ leaf: Int) -> [UInt8] {
        Array(source.block(domain: domain, index: UInt64(leaf)).bytes.prefix(saltBytes))
    }

    /// The values of the given leaves, leaf after leaf, each F rows of all
    /// columns: read from the kept LDE, or from the blocks they lie in,
    /// recomputed one at a time.
    func values(ofLeaves leaves: [Int]) -> [Goldilocks] {
        let f = foldingFactor, n = domain.rows, width = self.width
        var values = [Goldilocks](repeating: .zero, count: leaves.count * f * width)
        let blocks = Set(leaves.map { domain.block(ofPosition: f * $0) }).sorted()
        func gather(_ k: Int, _ block: [UnsafePointer<Goldilocks>]) {
            for (i, leaf) in leaves.enumerated() where domain.block(ofPosition: f * leaf) == k {
                for m in 0 ..< f {
                    let row = domain.storageIndex(f * leaf + m) - k * n
                    for c in 0 ..< width { values[(i * f + m) * width + c] = block[c][row] }
                }
            }
        }
        if let lde {
            withPointers(lde) { columns in
                for k in blocks { gather(k, columns.map { $0 + k * n }) }
            }
        } else {
            let buffer = UnsafeMutableBufferPointer<Goldilocks>.allocate(capacity: max(1, width * n))
            defer { buffer.deallocate() }
            let columns = (0 ..< width).map { UnsafePointer(buffer.baseAddress! + $0 * n) }
            for k in blocks {
                domain.extendBlock(k, of: coefficients, into: buffer)
                gather(k, columns)
            }
        }
        return values
    }

    /// The opening of the given leaves (strictly increasing).
    func open(_ leaves: [Int]) -> TreeOpening {
        TreeOpening(values: values(ofLeaves: leaves),
                    salts: saltSource.map { s in leaves.map { CommittedColumns.salt(s, saltDomain, $0) } } ?? [],
                    proof: tree.openBatch(leaves))
    }

    /// The digest of a leaf from its values (the verifier's side of `hashLeaf`).
    static func leafDigest(values: ArraySlice<Goldilocks>, salt: [UInt8]?) -> Digest {
        var bytes = [MerkleTree.columnLeafTag] + (salt ?? [])
        bytes.reserveCapacity(bytes.count + 8 * values.count)
        for v in values { withUnsafeBytes(of: v.value.littleEndian) { bytes.append(contentsOf: $0) } }
        return SHA256.hash(bytes)
    }
}
