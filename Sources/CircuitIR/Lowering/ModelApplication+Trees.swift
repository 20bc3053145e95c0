import Field
import ModelGraph

extension ModelApplication {
    /// `treeEnsemble`: every node of every (complete) tree is evaluated on
    /// every row, since the path depends on the data. The feature a node reads
    /// is private (a weight in 0…F−1): it is selected by a one-hot vector
    /// (computed once per node: F `isEqual`s) dotted with the row's features.
    /// The decision is [x_f ≤ T]; leaf indicators are products of decisions
    /// along the path (heap order: children of i are 2i+1 and 2i+2, left when
    /// the decision holds); each output is one dot product of all leaf
    /// indicators with the leaf values.
    func trees(_ step: QStep, _ e: QTreeEnsemble) throws -> [[Value]] {
        let x = try tensor(step.inputs[0])
        let perSample = count(step.inputs[0]) / e.featureCount
        let inner = (1 << e.depth) - 1
        let selectors = try featureSelectors(e)
        let thresholds = model.weights[e.thresholds]
        let leaves = model.weights[e.leaves]
        var out = [[Value]](repeating: [], count: perSample * e.outputCount)
        for s in 0..<perSample {
            var columns = [[Value]](repeating: [], count: e.outputCount)
            for r in 0..<rows {
                let features = (0..<e.featureCount).map { x[s * e.featureCount + $0][r] }
                var indicators: [Value] = []
                var weights = [[Value]](repeating: [], count: e.outputCount)
                for t in 0..<e.treeCount {
                    // Indicator of reaching each node, level by level.
                    var reach = [Value](repeating: b.constant(1), count: 2 * inner + 1)
                    for i in 0..<inner {
                        let v = try b.dot(selectors[t][i], features)
                        let left = try b.lessOrEqual(v, thresholds[t * inner + i])
                        let l = b.product(reach[i], left)
                        reach[2 * i + 1] = l
                        reach[2 * i + 2] = b.sub(reach[i], l)
                    }
                    for leaf in 0...inner {
                        indicators.append(reach[inner + leaf])
                        for c in 0..<e.outputCount {
                            weights[c].append(leaves[(t * (inner + 1) + leaf) * e.outputCount + c])
                        }
                    }
                }
                for c in 0..<e.outputCount { columns[c].append(try b.dot(indicators, weights[c])) }
            }
            for c in 0..<e.outputCount { out[s * e.outputCount + c] = columns[c] }
        }
        return out
    }

    /// Per tree and node, the one-hot indicator of the node's feature index
    /// (a private weight, range-checked to 0…F−1): [f = k] for each k.
    func featureSelectors(_ e: QTreeEnsemble) throws -> [[[Value]]] {
        if let cached = model.featureSelectors[e.features] { return cached }
        let inner = (1 << e.depth) - 1
        let features = model.weights[e.features]
        let selectors = try b.scope("tree features") {
            try (0..<e.treeCount).map { t in
                try (0..<inner).map { i in
                    try (0..<e.featureCount).map { k in try b.isEqual(features[t * inner + i], b.constant(k)) }
                }
            }
        }
        model.featureSelectors[e.features] = selectors
        return selectors
    }
}
