import Field

/// A binary Merkle tree over a power-of-two number of leaf digests.
///
/// Nodes are stored heap-style: `nodes[1]` is the root, the children of node i
/// are 2i and 2i + 1, and leaf j is node `leafCount + j`. An internal node is
/// SHA-256(left ‖ right), exactly 64 bytes of input; the prover's leaves hash a
/// one-byte tag first, so a leaf's input is never 64 bytes long and names its
/// kind: no leaf can be passed off as an internal node or as a leaf of another tree kind.
public struct MerkleTree: Sendable {
    /// First byte hashed in a leaf of a column tree (fixed, advice, phase, quotient).
    public static let columnLeafTag: UInt8 = 0x00
    /// First byte hashed in a leaf of a FRI layer tree.
    public static let friLeafTag: UInt8 = 0x01

    /// Number of leaves, a power of two.
    public let leafCount: Int
    @usableFromInline var nodes: [Digest]

    /// Builds the tree (in parallel for large trees).
    public init(leaves: [Digest]) {
        let n = leaves.count
        precondition(n > 0 && n & (n - 1) == 0, "Merkle trees take a power-of-two number of leaves")
        leafCount = n
        var nodes = [Digest](largeRepeating: .zero, count: 2 * n)
        nodes.replaceSubrange(n ..< 2 * n, with: leaves)
        nodes.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            var width = n / 2
            while width >= 1 {
                // Level `width` occupies [width, 2·width); its children are [2·width, 4·width).
                let w = width
                Parallel.forRanges(w, minimumPerThread: 2048) { range in
                    SHA256.compressPairs(base + 2 * (w + range.lowerBound), count: range.count,
                                         into: base + w + range.lowerBound)
                }
                width /= 2
            }
        }
        self.nodes = nodes
    }

    /// The commitment.
    public var root: Digest { nodes[1] }

    /// The digest of leaf `index`.
    public func leaf(_ index: Int) -> Digest { nodes[leafCount + index] }

    /// The sibling digests that, with the given leaves, determine the root: each
    /// needed sibling once, level by level from the leaves up, in increasing
    /// node order within a level.
    ///
    /// - Parameter indices: strictly increasing leaf indices.
    public func openBatch(_ indices: [Int]) -> [Digest] {
        var proof: [Digest] = []
        var known = indices.map { $0 + leafCount }
        while known.first.map({ $0 > 1 }) ?? false {
            var parents: [Int] = []
            var i = 0
            while i < known.count {
                let node = known[i]
                if i + 1 < known.count && known[i + 1] == node ^ 1 {
                    i += 2
                } else {
                    proof.append(nodes[node ^ 1])
                    i += 1
                }
                if parents.last != node / 2 { parents.append(node / 2) }
            }
            known = parents
        }
        return proof
    }

    /// Recomputes the root from leaf digests at strictly increasing `indices`
    /// and a batch proof; nil when the proof has the wrong number of nodes or
    /// the indices are out of order or range.
    public static func root(leafCount: Int, indices: [Int], leaves: [Digest], proof: [Digest]) -> Digest? {
        guard leafCount > 0, leafCount & (leafCount - 1) == 0, indices.count == leaves.count,
              !indices.isEmpty else { return nil }
        for (k, index) in indices.enumerated() {
            guard index >= 0, index < leafCount else { return nil }
            if k > 0 && indices[k - 1] >= index { return nil }
        }
        var known = zip(indices, leaves).map { ($0 + leafCount, $1) }
        var cursor = 0
        while known[0].0 > 1 {
            var parents: [(Int, Digest)] = []
            var i = 0
            while i < known.count {
                let (node, digest) = known[i]
                let sibling: Digest
                if i + 1 < known.count && known[i + 1].0 == node ^ 1 {
                    sibling = known[i + 1].1
                    i += 2
                } else {
                    guard cursor < proof.count else { return nil }
                    sibling = proof[cursor]
                    cursor += 1
                    i += 1
                }
                let parent = node & 1 == 0 ? SHA256.compress(digest, sibling) : SHA256.compress(sibling, digest)
                parents.append((node / 2, parent))
            }
            known = parents
        }
        return cursor == proof.count ? known[0].1 : nil
    }
}
