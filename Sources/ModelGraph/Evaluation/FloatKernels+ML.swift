#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

extension FloatKernels {
    /// Rows × features of an ai.onnx.ml operand ([F] is one row).
    static func rows(_ x: FloatTensor, _ node: NodeReference) throws -> (Int, Int) {
        switch x.rank {
        case 1: return (1, x.shape[0])
        case 2: return (x.shape[0], x.shape[1])
        default: throw ModelError.node(node, .shape, "expects a rank-1 or rank-2 input, got \(x.shape)")
        }
    }

    static func scaler(_ x: FloatTensor, offset: [Double], scale: [Double], _ node: NodeReference) throws -> FloatTensor {
        let (_, f) = try rows(x, node)
        guard [1, f].contains(offset.count) || offset.isEmpty, [1, f].contains(scale.count) || scale.isEmpty else {
            throw ModelError.node(node, .shape, "offset/scale lengths \(offset.count)/\(scale.count) do not fit \(f) features")
        }
        var out = x.scalars
        for i in out.indices {
            let j = i % f
            let o = offset.isEmpty ? 0 : offset[offset.count == 1 ? 0 : j]
            let s = scale.isEmpty ? 1 : scale[scale.count == 1 ? 0 : j]
            out[i] = (out[i] - o) * s
        }
        return FloatTensor(shape: x.shape, scalars: out)
    }

    /// As onnxruntime: MAX divides by the largest value (not magnitude); a row whose norm is 0 passes unchanged.
    static func normalizer(_ x: FloatTensor, _ norm: Operation.Norm, _ node: NodeReference) throws -> FloatTensor {
        let (n, f) = try rows(x, node)
        var out = x.scalars
        for r in 0..<n {
            let row = x.scalars[r * f ..< (r + 1) * f]
            let z: Double
            switch norm {
            case .max: z = row.max() ?? 0
            case .l1: z = row.reduce(0) { $0 + abs($1) }
            case .l2: z = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            }
            if z != 0 { for i in r * f ..< (r + 1) * f { out[i] = x.scalars[i] / z } }
        }
        return FloatTensor(shape: x.shape, scalars: out)
    }

    static func oneHot(_ x: FloatTensor, categories: [Int64], zeros: Bool, _ node: NodeReference) throws -> FloatTensor {
        let shape = x.shape + [categories.count]
        _ = try Shapes.count(shape, node)
        var index: [Double: Int] = [:]
        for (i, c) in categories.enumerated() where index[Double(c)] == nil { index[Double(c)] = i }
        var out = [Double](repeating: 0, count: x.count * categories.count)
        for (i, v) in x.scalars.enumerated() {
            if let k = index[v.rounded(.towardZero)] {   // onnxruntime casts float input to int64
                out[i * categories.count + k] = 1
            } else if !zeros {
                throw ModelError.node(node, .input, "value \(v) is not one of the categories")
            }
        }
        return FloatTensor(shape: shape, scalars: out)
    }

    /// scores = X · coefficientsᵀ + intercepts, [rows, targets].
    static func linearScores(_ x: FloatTensor, _ m: LinearModel, _ node: NodeReference) throws -> (FloatTensor, Int) {
        let (n, f) = try rows(x, node)
        guard m.coefficients.count == m.targets * f else {
            throw ModelError.node(node, .shape, "\(m.coefficients.count) coefficients do not fit \(m.targets) targets × \(f) features")
        }
        var out = [Double](repeating: 0, count: n * m.targets)
        for r in 0..<n {
            for t in 0..<m.targets {
                var s = m.intercepts.isEmpty ? 0 : m.intercepts[t]
                for j in 0..<f { s += x.scalars[r * f + j] * m.coefficients[t * f + j] }
                out[r * m.targets + t] = s
            }
        }
        return (FloatTensor(shape: [n, m.targets], scalars: out), n)
    }

    static func transform(_ scores: [Double], _ post: PostTransform) -> [Double] {
        switch post {
        case .logistic: return scores.map(sigmoid)
        case .softmax:
            let m = scores.max() ?? 0
            let e = scores.map { exp($0 - m) }
            let s = e.reduce(0, +)
            return e.map { $0 / s }
        default: return scores
        }
    }

    static func firstArgMax(_ v: [Double]) -> Int {
        var best = 0
        for i in v.indices where v[i] > v[best] { best = i }
        return best
    }

    /// onnxruntime's LinearClassifier: with one score column (and two labels)
    /// the label is labels[1] iff s > 0 and the probabilities are [1 − p, p]
    /// with p = post_transform(s) (NONE or LOGISTIC); with several columns the
    /// label is labels[first argmax of the raw scores] and the probabilities are
    /// post_transform(scores).
    static func linearClassifier(_ x: FloatTensor, _ m: LinearModel, _ node: NodeReference) throws -> [FloatTensor] {
        let (scores, n) = try linearScores(x, m, node)
        var labels: [Double] = []
        var probabilities: [Double] = []
        for r in 0..<n {
            let row = Array(scores.scalars[r * m.targets ..< (r + 1) * m.targets])
            if m.targets == 1 {
                let s = row[0]
                let p = transform([s], m.postTransform)[0]
                labels.append(Double(s > 0 ? m.classLabels[1] : m.classLabels[0]))
                probabilities += [1 - p, p]
            } else {
                labels.append(Double(m.classLabels[firstArgMax(row)]))
                probabilities += transform(row, m.postTransform)
            }
        }
        let width = probabilities.count / max(n, 1)
        return [FloatTensor(shape: [n], scalars: labels), FloatTensor(shape: [n, width], scalars: probabilities)]
    }

    /// Tree ensembles with onnxruntime's conventions for classifiers:
    /// - binary, one score s on class 0 (exporters' layout): weights all ≥ 0 →
    ///   label 1 iff s > 0.5, probabilities [1 − s, s]; mixed signs → label 1 iff
    ///   s > 0, probabilities [σ(−s), σ(s)] (LOGISTIC) or [−s, s] (NONE);
    /// - otherwise one score per class, label = first argmax, probabilities =
    ///   post_transform(scores).
    static func treeEnsemble(_ x: FloatTensor, _ e: TreeEnsemble, _ node: NodeReference) throws -> [FloatTensor] {
        let (n, f) = try rows(x, node)
        guard e.featuresUsed <= f else {
            throw ModelError.node(node, .shape, "trees read feature \(e.featuresUsed - 1) of a \(f)-feature input")
        }
        try e.checkSupportedLayout(node)
        var labels: [Double] = []
        var outputs: [Double] = []
        for r in 0..<n {
            let scores = e.scores(features: x.scalars, offset: r * f)
            guard let classLabels = e.classLabels else { outputs += scores; continue }
            if e.isBinarySingleScore {
                let s = scores[0]
                if e.weightsAllNonNegative {
                    labels.append(Double(s > 0.5 ? classLabels[1] : classLabels[0]))
                    outputs += [1 - s, s]
                } else {
                    labels.append(Double(s > 0 ? classLabels[1] : classLabels[0]))
                    outputs += e.postTransform == .logistic ? [sigmoid(-s), sigmoid(s)] : [-s, s]
                }
            } else {
                labels.append(Double(classLabels[firstArgMax(scores)]))
                outputs += transform(scores, e.postTransform)
            }
        }
        let width = outputs.count / max(n, 1)
        let values = FloatTensor(shape: [n, width], scalars: outputs)
        return e.isClassifier ? [FloatTensor(shape: [n], scalars: labels), values] : [values]
    }
}

extension TreeEnsemble {
    /// Refuses the classifier layouts whose onnxruntime semantics are irregular
    /// (scores on both classes of a binary model, classes without scores).
    func checkSupportedLayout(_ node: NodeReference) throws {
        guard let labels = classLabels else {
            guard postTransform == .none else {
                throw ModelError.node(node, .unsupported, "post_transform \(postTransform.rawValue) is not supported for a regressor")
            }
            return
        }
        if isBinarySingleScore {
            guard baseValues.count <= 1 else {
                throw ModelError.node(node, .unsupported, "a binary tree classifier with two base values is not supported")
            }
            guard weightsAllNonNegative || [.none, .logistic].contains(postTransform) else {
                throw ModelError.node(node, .unsupported, "post_transform \(postTransform.rawValue) is not supported for a binary classifier")
            }
            guard aggregate == .sum else {
                throw ModelError.node(node, .unsupported, "a binary classifier must aggregate by SUM")
            }
            return
        }
        guard labels.count > 2 else {
            throw ModelError.node(node, .unsupported, "a binary tree classifier with scores on both classes is not supported")
        }
        guard [.none, .logistic, .softmax].contains(postTransform) else {
            throw ModelError.node(node, .unsupported, "post_transform \(postTransform.rawValue) is not supported")
        }
        // onnxruntime leaves a class without any score out of the argmax; require every class to score.
        if baseValues.count != outputCount {
            for k in 0..<outputCount {
                let alwaysScored = trees.contains { tree in
                    tree.nodes.allSatisfy { $0.mode != .leaf || $0.weights.contains { $0.index == k } }
                }
                if !alwaysScored {
                    throw ModelError.node(node, .unsupported, "class \(k) gets no score on some tree paths and there are no base values")
                }
            }
        }
    }
}
