import Field

/// Index arithmetic of the LDE domain D = s·⟨ω_{B·n}⟩ (B the blowup, n the
/// table rows), in the two orders the prover uses.
///
/// *Storage order* keeps each coset of the table subgroup contiguous: block k
/// holds the points s·ω_{Bn}^k·ω_n^j for j = 0 ..< n at k·n + j, so reading
/// the next row is reading j + 1 in the same block. *Commitment order* is the
/// bit-reversed order of D (position p ↦ s·ω_{Bn}^bitrev(p)): there the F
/// points of a FRI coset x·⟨ζ_F⟩ are adjacent and form one Merkle leaf.
struct LDEDomain: Sendable {
    let logRows: Int
    let logBlowup: Int
    var rows: Int { 1 << logRows }
    var size: Int { rows << logBlowup }
    var logSize: Int { logRows + logBlowup }

    /// Storage index of commitment-order position p.
    @inline(__always)
    func storageIndex(_ p: Int) -> Int {
        let t = NTT.bitReverse(p, bits: logSize)  // exponent of ω_{Bn}
        let k = t & ((1 << logBlowup) - 1)
        let j = t >> logBlowup
        return k << logRows | j
    }

    /// The shift of storage block k, s·ω_{Bn}^k.
    func blockShifts() -> [Goldilocks] {
        let w = Goldilocks.rootOfUnity(logOrder: logSize)
        var shifts: [Goldilocks] = []
        var s = StarkParameters.cosetShift
        for _ in 0 ..< (1 << logBlowup) { shifts.append(s); s *= w }
        return shifts
    }

    /// The point at commitment-order position p.
    func point(_ p: Int) -> Goldilocks {
        StarkParameters.cosetShift * Goldilocks.rootOfUnity(logOrder: logSize).power(UInt64(NTT.bitReverse(p, bits: logSize)))
    }
}

/// Committed columns: their coefficients, their LDE in storage order, and a
/// Merkle tree whose leaf ℓ hashes tag ‖ (salt ‖) the F rows at commitment-order
/// positions F·ℓ ..< F·ℓ + F, each row all columns, little-endian words
/// (tag = `MerkleTree.columnLeafTag`).
struct CommittedColumns {
    let coefficients: [[Goldilocks]]
    let lde: [[Goldilocks]]
    let tree: MerkleTree
    /// Salts come from this generator's stream `saltDomain`; nil means unsalted.
    let saltSource: SecureRandom?
    let saltDomain: UInt64
    let domain: LDEDomain
    let foldingFactor: Int

    static let saltBytes = 16
    var width: Int { lde.count }

    /// Interpolates `columns` (table values, n each) and commits to their LDE.
    init(values columns: [[Goldilocks]], domain: LDEDomain, foldingFactor: Int,
         salts: SecureRandom?, saltDomain: UInt64) {
        var coefficients = columns
        let n = domain.rows
        let single = coefficients.count == 1
        withMutablePointers(&coefficients) { pointers in
            Parallel.forEach(pointers.count) { c in
                NTT.inverse(UnsafeMutableBufferPointer(start: pointers[c], count: n), parallel: single)
            }
        }
        self.init(coefficients: coefficients, domain: domain, foldingFactor: foldingFactor,
                  salts: salts, saltDomain: saltDomain)
    }

    /// Commits to the LDE of polynomials given by coefficients (n each).
    init(coefficients: [[Goldilocks]], domain: LDEDomain, foldingFactor: Int,
         salts: SecureRandom?, saltDomain: UInt64) {
        self.coefficients = coefficients
        self.domain = domain
        self.foldingFactor = foldingFactor
        self.saltSource = salts
        self.saltDomain = saltDomain
        lde = CommittedColumns.extend(coefficients, domain)
        let leafCount = domain.size / foldingFactor
        var leaves = [Digest](repeating: .zero, count: leafCount)
        let lde = self.lde
        let f = foldingFactor, width = lde.count
        let saltSource = salts
        // Leaves are visited block by block: leaf ℓ's F points are rows j0 + m·n/F of
        // one storage block, so walking j0 in order reads F sequential streams per
        // column instead of jumping through memory in commitment order.
        let n = domain.rows, stride = n / f, blocks = 1 << domain.logBlowup
        withPointers(lde) { columns in
            leaves.withUnsafeMutableBufferPointer { out in
                Parallel.forRanges(blocks * stride, minimumPerThread: 256) { range in
                    let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 + CommittedColumns.saltBytes + 8 * f * width + 32,
                                                                  alignment: 8)
                    defer { buffer.deallocate() }
                    for item in range {
                        let k = item / stride, j0 = item % stride
                        // Commitment position of the coset's first point: bitrev of exponent k + B·j0.
                        let leaf = NTT.bitReverse(k + blocks * j0, bits: domain.logSize) / f
                        buffer.storeBytes(of: MerkleTree.columnLeafTag, as: UInt8.self)
                        var offset = 1
                        if let saltSource {
                            let salt = saltSource.block(domain: saltDomain, index: UInt64(leaf))
                            withUnsafeBytes(of: salt) {
                                (buffer + 1).copyMemory(from: $0.baseAddress!, byteCount: CommittedColumns.saltBytes)
                            }
                            offset += CommittedColumns.saltBytes
                        }
                        for m in 0 ..< f {
                            let index = domain.storageIndex(f * leaf + m)
                            for column in columns {
                                buffer.storeBytes(of: column[index].value.littleEndian, toByteOffset: offset, as: UInt64.self)
                                offset += 8
                            }
                        }
                        out[leaf] = SHA256.hash(UnsafeRawBufferPointer(start: buffer, count: offset))
                    }
                }
            }
        }
        tree = MerkleTree(leaves: leaves)
    }

    /// The LDE (storage order) of each polynomial: one size-n NTT per block.
    static func extend(_ coefficients: [[Goldilocks]], _ domain: LDEDomain) -> [[Goldilocks]] {
        let n = domain.rows, blocks = 1 << domain.logBlowup
        let shifts = domain.blockShifts()
        var lde = coefficients.map { _ in [Goldilocks](repeating: .zero, count: domain.size) }
        // shift_k^i for every block, shared by all columns (worth it from two columns on).
        var powers: [Goldilocks] = []
        if coefficients.count >= 2 {
            powers = [Goldilocks](repeating: .one, count: blocks * n)
            powers.withUnsafeMutableBufferPointer { table in
                Parallel.forEach(blocks) { k in
                    var p = Goldilocks.one
                    for i in 0 ..< n { table[k * n + i] = p; p *= shifts[k] }
                }
            }
        }
        // Each item writes one block of one column.
        withMutablePointers(&lde) { pointers in
            powers.withUnsafeBufferPointer { table in
                Parallel.forEach(coefficients.count * blocks) { item in
                    let c = item / blocks, k = item % blocks
                    let out = UnsafeMutableBufferPointer(start: pointers[c] + k * n, count: n)
                    coefficients[c].withUnsafeBufferPointer { src in
                        NTT.forwardCoset(from: UnsafeBufferPointer(rebasing: src[0 ..< min(n, src.count)]), into: out,
                                         shift: shifts[k], powers: table.isEmpty ? nil : table.baseAddress! + k * n,
                                         parallel: false)
                    }
                }
            }
        }
        return lde
    }

    static func salt(_ source: SecureRandom, _ domain: UInt64, _ leaf: Int) -> [UInt8] {
        Array(source.block(domain: domain, index: UInt64(leaf)).bytes.prefix(saltBytes))
    }

    /// The values of leaf ℓ: F rows, each all columns.
    func leafValues(_ leaf: Int) -> [Goldilocks] {
        var values: [Goldilocks] = []
        values.reserveCapacity(foldingFactor * width)
        for m in 0 ..< foldingFactor {
            let index = domain.storageIndex(foldingFactor * leaf + m)
            for column in lde { values.append(column[index]) }
        }
        return values
    }

    /// The opening of the given leaves (strictly increasing).
    func open(_ leaves: [Int]) -> TreeOpening {
        TreeOpening(values: leaves.flatMap { leafValues($0) },
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
