/// A TreeEnsembleClassifier or TreeEnsembleRegressor (ai.onnx.ml), checked:
/// every tree is a proper binary tree (one root, no cycles, children exist,
/// depth at most `TreeEnsemble.maxDepth`), every leaf weight names a leaf.
public struct TreeEnsemble: Sendable {
    /// Deepest tree accepted (the quantized form pads every tree to a complete tree of this depth).
    public static let maxDepth = 16

    public enum Mode: String, Sendable {
        case leq = "BRANCH_LEQ", lt = "BRANCH_LT", gte = "BRANCH_GTE", gt = "BRANCH_GT"
        case eq = "BRANCH_EQ", neq = "BRANCH_NEQ", leaf = "LEAF"
    }

    public struct Node: Sendable {
        public var mode: Mode
        public var feature: Int
        public var threshold: Double
        /// Index (into `Tree.nodes`) of the child taken when the comparison holds.
        public var trueChild: Int
        public var falseChild: Int
        /// Leaf contributions: (class or target index, weight).
        public var weights: [(index: Int, weight: Double)]
    }

    public struct Tree: Sendable {
        public var nodes: [Node]
        public var root: Int
        /// Number of comparisons on the longest root-to-leaf path.
        public var depth: Int
    }

    public enum Aggregate: String, Sendable { case sum = "SUM", average = "AVERAGE" }

    public var trees: [Tree]
    /// Number of classes (classifier) or targets (regressor).
    public var outputCount: Int
    public var baseValues: [Double]
    public var aggregate: Aggregate
    public var postTransform: PostTransform
    /// Non-nil for a classifier.
    public var classLabels: [Int64]?
    /// Largest feature index used, plus one.
    public var featuresUsed: Int

    public var isClassifier: Bool { classLabels != nil }

    /// The binary-classifier layout exporters use (two labels, every leaf
    /// weight on class 0): one score s, probabilities derived from it.
    public var isBinarySingleScore: Bool {
        guard let labels = classLabels, labels.count == 2 else { return false }
        return trees.allSatisfy { $0.nodes.allSatisfy { $0.weights.allSatisfy { $0.index == 0 } } }
    }

    /// Whether every leaf weight is ≥ 0 (onnxruntime then reads the binary
    /// score as a probability: label 1 iff s > 0.5, probabilities [1 − s, s]).
    public var weightsAllNonNegative: Bool {
        trees.allSatisfy { $0.nodes.allSatisfy { $0.weights.allSatisfy { $0.weight >= 0 } } }
    }

    /// The leaf reached by `features`, evaluated in Double.
    func leaf(of tree: Tree, features: [Double], offset: Int) -> Node {
        var index = tree.root
        var node = tree.nodes[index]
        while node.mode != .leaf {
            let x = features[offset + node.feature]
            let t = node.threshold
            let holds: Bool
            switch node.mode {
            case .leq: holds = x <= t
            case .lt: holds = x < t
            case .gte: holds = x >= t
            case .gt: holds = x > t
            case .eq: holds = x == t
            case .neq: holds = x != t
            case .leaf: holds = false
            }
            index = holds ? node.trueChild : node.falseChild
            node = tree.nodes[index]
        }
        return node
    }

    /// Raw per-output sums (aggregated, base values added), one row of features.
    func scores(features: [Double], offset: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: outputCount)
        for tree in trees {
            for (index, weight) in leaf(of: tree, features: features, offset: offset).weights {
                sums[index] += weight
            }
        }
        if aggregate == .average, !trees.isEmpty {
            for i in sums.indices { sums[i] /= Double(trees.count) }
        }
        if baseValues.count == outputCount {
            for i in sums.indices { sums[i] += baseValues[i] }
        } else if baseValues.count == 1 {
            sums[0] += baseValues[0]
        }
        return sums
    }
}

extension TreeEnsemble {
    /// Builds and checks an ensemble from a node's attributes.
    init(attributes a: Attributes, classifier: Bool) throws {
        func numbers(_ name: String) throws -> [Double] {
            if let t = try a.optionalTensor(name + "_as_tensor") {
                guard let d = t.doubles else { throw a.error("attribute '\(name)_as_tensor' must be numeric") }
                return d
            }
            return try a.floats(name, default: [])
        }
        let treeIds = try a.ints("nodes_treeids")
        let nodeIds = try a.ints("nodes_nodeids")
        let featureIds = try a.ints("nodes_featureids")
        let modes = try a.strings("nodes_modes")
        let values = try numbers("nodes_values")
        let trueIds = try a.ints("nodes_truenodeids")
        let falseIds = try a.ints("nodes_falsenodeids")
        let n = treeIds.count
        guard [nodeIds.count, featureIds.count, modes.count, trueIds.count, falseIds.count].allSatisfy({ $0 == n }),
              values.count == n || values.isEmpty else {
            throw a.error("the nodes_* attributes have different lengths")
        }
        let prefix = classifier ? "class" : "target"
        let leafTrees = try a.ints("\(prefix)_treeids")
        let leafNodes = try a.ints("\(prefix)_nodeids")
        let leafIndex = try a.ints("\(prefix)_ids")
        let leafWeights = try numbers("\(prefix)_weights")
        guard leafNodes.count == leafTrees.count, leafIndex.count == leafTrees.count,
              leafWeights.count == leafTrees.count else {
            throw a.error("the \(prefix)_* attributes have different lengths")
        }
        if classifier {
            if a.has("classlabels_strings") {
                throw a.unsupported("string class labels are not supported; export the model with integer labels")
            }
            let labels = try a.ints("classlabels_int64s")
            guard !labels.isEmpty else { throw a.error("no class labels") }
            classLabels = labels
            outputCount = labels.count
        } else {
            classLabels = nil
            outputCount = Int(try a.int("n_targets", default: 1))
            guard (1...1 << 16).contains(outputCount) else { throw a.error("n_targets is \(outputCount)") }
        }
        baseValues = try numbers("base_values")
        guard baseValues.isEmpty || baseValues.count == outputCount || baseValues.count == 1 else {
            throw a.error("base_values has \(baseValues.count) entries for \(outputCount) outputs")
        }
        let aggregateName = try a.string("aggregate_function", default: "SUM")
        guard let aggregate = Aggregate(rawValue: aggregateName) else {
            throw a.unsupported("aggregate_function \(aggregateName) is not supported (SUM and AVERAGE are)")
        }
        self.aggregate = aggregate
        let post = try a.string("post_transform", default: "NONE")
        guard let transform = PostTransform(rawValue: post) else { throw a.error("unknown post_transform \(post)") }
        postTransform = transform

        // Group nodes by tree, in order of first appearance of each tree id.
        var treeOrder: [Int64] = []
        var nodesOfTree: [Int64: [Int64: Int]] = [:]   // tree id -> node id -> attribute row
        for row in 0..<n {
            if nodesOfTree[treeIds[row]] == nil { treeOrder.append(treeIds[row]); nodesOfTree[treeIds[row]] = [:] }
            guard nodesOfTree[treeIds[row]]![nodeIds[row]] == nil else {
                throw a.error("tree \(treeIds[row]) defines node \(nodeIds[row]) twice")
            }
            nodesOfTree[treeIds[row]]![nodeIds[row]] = row
        }
        var leafOf: [Int64: [Int64: [(Int, Double)]]] = [:]
        for k in leafTrees.indices {
            guard leafIndex[k] >= 0, leafIndex[k] < outputCount else {
                throw a.error("a leaf weight names output \(leafIndex[k]) of \(outputCount)")
            }
            leafOf[leafTrees[k], default: [:]][leafNodes[k], default: []].append((Int(leafIndex[k]), leafWeights[k]))
        }
        var maxFeature = -1
        var trees: [Tree] = []
        for treeId in treeOrder {
            let rows = nodesOfTree[treeId]!
            let ids = rows.keys.sorted()
            var position: [Int64: Int] = [:]
            for (i, id) in ids.enumerated() { position[id] = i }
            var nodes: [Node] = []
            var isChild = [Bool](repeating: false, count: ids.count)
            for id in ids {
                let row = rows[id]!
                guard let mode = Mode(rawValue: modes[row]) else {
                    throw a.error("tree \(treeId) node \(id) has unknown mode \(modes[row])")
                }
                var node = Node(mode: mode, feature: 0, threshold: values.isEmpty ? 0 : values[row],
                                trueChild: 0, falseChild: 0, weights: [])
                if mode == .leaf {
                    node.weights = leafOf[treeId]?[id] ?? []
                } else {
                    guard let t = position[trueIds[row]], let f = position[falseIds[row]] else {
                        throw a.error("tree \(treeId) node \(id) has a child that does not exist")
                    }
                    guard featureIds[row] >= 0, featureIds[row] < 1 << 24 else {
                        throw a.error("tree \(treeId) node \(id) reads feature \(featureIds[row])")
                    }
                    guard !values.isEmpty, values[row].isFinite else {
                        throw a.error("tree \(treeId) node \(id) has no finite threshold")
                    }
                    node.feature = Int(featureIds[row])
                    maxFeature = max(maxFeature, node.feature)
                    node.trueChild = t
                    node.falseChild = f
                    isChild[t] = true
                    isChild[f] = true
                }
                nodes.append(node)
            }
            for id in (leafOf[treeId] ?? [:]).keys where rows[id] == nil || nodes[position[id]!].mode != .leaf {
                throw a.error("tree \(treeId): a leaf weight names node \(id), which is not a leaf")
            }
            let roots = isChild.indices.filter { !isChild[$0] }
            guard roots.count == 1 else { throw a.error("tree \(treeId) has \(roots.count) roots") }
            // Depth by an explicit stack; a node reached twice means a cycle or shared subtree.
            var seen = [Bool](repeating: false, count: nodes.count)
            var stack = [(roots[0], 0)]
            var depth = 0
            while let (i, d) = stack.popLast() {
                guard !seen[i] else { throw a.error("tree \(treeId) is not a tree (a node is reached twice)") }
                seen[i] = true
                depth = max(depth, d)
                guard d <= TreeEnsemble.maxDepth else {
                    throw a.unsupported("tree \(treeId) is deeper than \(TreeEnsemble.maxDepth)")
                }
                if nodes[i].mode != .leaf {
                    stack.append((nodes[i].trueChild, d + 1))
                    stack.append((nodes[i].falseChild, d + 1))
                }
            }
            trees.append(Tree(nodes: nodes, root: roots[0], depth: depth))
        }
        self.trees = trees
        featuresUsed = maxFeature + 1
    }
}
