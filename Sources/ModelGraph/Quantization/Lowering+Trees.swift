#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

extension Lowering {
    /// Lowers a tree ensemble to one `treeEnsemble` step over complete trees,
    /// then the aggregation, base values and classifier post-processing.
    ///
    /// Thresholds: every comparison becomes "x_q ≤ T" on the quantized input x_q
    /// (scale s), with T = ⌊t·2^s⌋ for x ≤ t and x > t (the latter with its
    /// children swapped) and T = ⌈t·2^s⌉ − 1 for x < t and x ≥ t. For every
    /// input on the grid (x·2^s an integer, as integer-coded features are) the
    /// decision is exactly the float one; off the grid it can differ only when x
    /// and t are within one quantum 2^−s. T is then clamped to the input's proven
    /// range [lo − 1, hi], which changes no decision.
    mutating func treeEnsemble(_ n: ModelGraph.Node, _ e: TreeEnsemble) throws {
        try e.checkSupportedLayout(node)
        let x = try tensor(n.inputs[0])
        let xs = tshape(x)
        guard let f = xs.last, xs.count <= 2 else { throw ModelError(.unsupported, "tree input must be [F] or [1, F]") }
        guard e.featuresUsed <= f else { throw ModelError(.quantization, "trees read feature \(e.featuresUsed - 1) of \(f)") }
        let s = scale(x)
        let bound = builder.bounds[x]
        guard let lo = bound.lower.asInt.map(Int64.init), let hi = bound.upper.asInt.map(Int64.init) else {
            throw ModelError(.quantization, "tree input is unbounded")
        }
        let depth = e.trees.map(\.depth).max() ?? 0
        guard e.trees.count << depth <= 1 << 22 else {
            throw ModelError(.unsupported, "\(e.trees.count) trees of depth \(depth) are too many to pad to complete trees")
        }
        let innerCount = (1 << depth) - 1
        let leafCount = 1 << depth
        // The binary single-score layout keeps only class 0's column (class 1 never scores).
        let c = e.isBinarySingleScore ? 1 : e.outputCount
        let t = e.trees.count
        var features = [Int64](repeating: 0, count: t * innerCount)
        var thresholds = [Int64](repeating: hi, count: t * innerCount)   // padding: x ≤ hi always holds (go left)
        var leaves = [Double](repeating: 0, count: t * leafCount * c)

        func quantizedThreshold(_ v: Double, _ mode: TreeEnsemble.Mode) throws -> (Int64, swap: Bool) {
            let y = Double(sign: v.sign, exponent: s, significand: v.magnitude)
            let clamped = min(max(y, Double(lo) - 2), Double(hi) + 2)
            let q: Double
            switch mode {
            case .leq, .gt: q = clamped.rounded(.down)
            case .lt, .gte: q = clamped.rounded(.up) - 1
            default: throw ModelError(.unsupported, "tree node mode \(mode.rawValue) is not supported in quantized models")
            }
            return (min(max(Int64(q), lo - 1), hi), mode == .gt || mode == .gte)
        }

        for (ti, tree) in e.trees.enumerated() {
            // (node in the tree, heap position, level)
            var stack = [(tree.root, 0, 0)]
            while let (i, h, level) = stack.popLast() {
                let node = tree.nodes[i]
                if node.mode == .leaf {
                    if level == depth {
                        for (k, w) in node.weights where k < c { leaves[(ti * leafCount + h - innerCount) * c + k] += w }
                    } else {
                        stack.append((i, 2 * h + 1, level + 1))   // padding node: always left
                    }
                    continue
                }
                let (threshold, swap) = try quantizedThreshold(node.threshold, node.mode)
                features[ti * innerCount + h] = Int64(node.feature)
                thresholds[ti * innerCount + h] = threshold
                stack.append((swap ? node.falseChild : node.trueChild, 2 * h + 1, level + 1))
                stack.append((swap ? node.trueChild : node.falseChild, 2 * h + 2, level + 1))
            }
        }
        let name = n.outputs[0]
        let fw = builder.weight(name + "/tree-features", .features, shape: [t, innerCount], scale: 0, values: features,
                                lower: 0, upper: Int64(max(f - 1, 0)))
        let tw = builder.weight(name + "/tree-thresholds", .thresholds, shape: [t, innerCount], scale: s, values: thresholds,
                                lower: lo - 1, upper: hi)
        let leafTensor = FloatTensor(shape: [t, leafCount, c], scalars: leaves)
        let leafScale = weightScale(leafTensor)
        let lw = try builder.weight(name + "/tree-leaves", .leaves, leafTensor, scale: leafScale)
        let rows = tshape(x).count == 2 ? xs[0] : 1
        let spec = QTreeEnsemble(treeCount: t, depth: depth, featureCount: f, outputCount: c, features: fw, thresholds: tw, leaves: lw)
        var sums = try builder.emit(.treeEnsemble(spec), [x], name: name + "/tree-sums", shape: [rows, c], scale: leafScale)
        if e.aggregate == .average, t > 1 {
            sums = try builder.emit(.divideByConstant(divisors: [Int64(t)]), [sums], name: name + "/tree-average", shape: [rows, c], scale: leafScale)
        }
        if !e.baseValues.isEmpty {
            var base = [Double](repeating: 0, count: c)
            if e.baseValues.count == c { base = e.baseValues } else { base[0] = e.baseValues[0] }
            let bw = try builder.weight(name + "/tree-base", .bias, FloatTensor(shape: [c], scalars: base), scale: leafScale)
            sums = try builder.emit(.addWeight(bw), [sums], name: name + "/tree-scores", shape: [rows, c], scale: leafScale)
        }
        guard let classLabels = e.classLabels else {
            values[name] = .tensor(sums)
            return
        }
        let probabilitiesName = n.outputs.count > 1 && !n.outputs[1].isEmpty ? n.outputs[1] : name + "/probabilities"
        var index: QTensorID
        var probabilities: QTensorID
        if e.isBinarySingleScore {
            let score = sums
            let negated = try builder.emit(.affine(multiplier: -1, offset: 0), [score], name: name + "/negated", shape: [rows, 1], scale: leafScale)
            if e.weightsAllNonNegative {
                // label 1 iff s > 1/2, exactly: q > 2^(S−1) (q > 0 at scale 0, where q > 1/2 ⇔ q ≥ 1).
                let half: Int64 = leafScale >= 1 ? 1 << Int64(leafScale - 1) : 0
                index = try builder.emit(.greaterThan(threshold: half), [score], name: name + "/positive", shape: [rows, 1], scale: 0)
                let complement = try builder.emit(.affine(multiplier: -1, offset: 1 << Int64(leafScale)), [score],
                                                  name: name + "/complement", shape: [rows, 1], scale: leafScale)
                probabilities = try builder.emit(.concat(axis: 1), [complement, score], name: probabilitiesName, shape: [rows, 2], scale: leafScale)
            } else {
                index = try builder.emit(.greaterThan(threshold: 0), [score], name: name + "/positive", shape: [rows, 1], scale: 0)
                if e.postTransform == .logistic {
                    let p0 = try lookup(negated, "sigmoid", name: name + "/p0")
                    let p1 = try lookup(score, "sigmoid", name: name + "/p1")
                    probabilities = try builder.emit(.concat(axis: 1), [p0, p1], name: probabilitiesName, shape: [rows, 2], scale: scale(p1))
                } else {
                    probabilities = try builder.emit(.concat(axis: 1), [negated, score], name: probabilitiesName, shape: [rows, 2], scale: leafScale)
                }
            }
            index = try builder.emit(.reshape(shape: [rows]), [index], name: name + "/index", shape: [rows], scale: 0)
        } else {
            index = try builder.emit(.argMax(axis: 1, keepDims: false, selectLast: false), [sums], name: name + "/argmax",
                                     shape: [rows], scale: 0)
            probabilities = try postTransform(sums, e.postTransform, name: probabilitiesName)
        }
        let label = try labels(index, classLabels, name: name)
        values[name] = .tensor(label)
        if n.outputs.count > 1, !n.outputs[1].isEmpty { values[n.outputs[1]] = .tensor(probabilities) }
    }
}
