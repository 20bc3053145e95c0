import BigNumber

/// Lowering of the ai.onnx.ml operators (besides trees): normalizers and
/// linear classifiers, with onnxruntime's conventions (docs/models.md).
extension Lowering {
    mutating func normalizer(_ x: QTensorID, _ norm: Operation.Norm, out: String, outShape: [Int]) throws -> QTensorID {
        let axis = tshape(x).count - 1
        var reduced = tshape(x)
        reduced[axis] = 1
        let k = options.tableOutputScale
        switch norm {
        case .l1:
            let a = try builder.emit(.abs, [x], name: out + "/abs", shape: tshape(x), scale: scale(x))
            let s = try builder.emit(.reduceSum(axis: axis), [a], name: out + "/norm", shape: reduced, scale: scale(x))
            return try builder.emit(.divide(shift: k), [x, s], name: out, shape: outShape, scale: k)
        case .l2:
            var y = x
            if scale(y) % 2 != 0 {   // the square root halves the scale: make it even
                y = try toScale(y, scale(y) + 1, name: out + "/even")
            }
            let sq = try builder.emit(.mul, [y, y], name: out + "/squares", shape: tshape(y), scale: 2 * scale(y))
            let s = try builder.emit(.reduceSum(axis: axis), [sq], name: out + "/sum", shape: reduced, scale: 2 * scale(y))
            let r = try builder.emit(.sqrtFloor, [s], name: out + "/norm", shape: reduced, scale: scale(y))
            return try builder.emit(.divide(shift: k), [y, r], name: out, shape: outShape, scale: k)
        case .max:
            throw ModelError(.unsupported, "Normalizer MAX is not supported in quantized models (L1 and L2 are)")
        }
    }

    /// Weights [F, T] and bias [T] of a LinearClassifier/LinearRegressor.
    func linearWeights(_ m: LinearModel, features f: Int) throws -> (FloatTensor, FloatTensor?) {
        guard m.coefficients.count == m.targets * f else {
            throw ModelError(.quantization, "coefficients do not fit \(f) features")
        }
        let w = transpose(FloatTensor(shape: [m.targets, f], scalars: m.coefficients))
        let b = m.intercepts.isEmpty ? nil : FloatTensor(shape: [m.targets], scalars: m.intercepts)
        return (w, b)
    }

    /// Calibrated maximum of an internal tensor computed from recorded operands.
    func calibratedMax(_ compute: ([String: FloatTensor]) throws -> [Double]) rethrows -> Double {
        try calibration.next {
            try recordings.reduce(0) { m, r in max(m, try compute(r).reduce(0) { max($0, abs($1)) }) }
        }
    }

    mutating func linearClassifier(_ n: ModelGraph.Node, _ m: LinearModel) throws {
        let x = try tensor(n.inputs[0])
        let (w, b) = try linearWeights(m, features: tshape(x).last ?? 1)
        let scoresMax = try calibratedMax { r in try FloatKernels.linearScores(r[n.inputs[0]]!, m, node).0.scalars }
        let scoresName = n.outputs[0] + "/scores"
        let scores = try dense(x, w, b, out: scoresName, scaleHint: scaleFor(maxAbs: scoresMax, bits: options.activationBits))
        let rows = tshape(scores)[0]
        let labelShape = [rows]
        var label: QTensorID
        var probabilities: QTensorID
        if m.targets == 1 {
            let positive = try builder.emit(.greaterThan(threshold: 0), [scores], name: scoresName + "/positive", shape: [rows, 1], scale: 0)
            let flat = try builder.emit(.reshape(shape: labelShape), [positive], name: scoresName + "/index", shape: labelShape, scale: 0)
            label = try labels(flat, m.classLabels, name: n.outputs[0])
            // [1 − p, p] with p = post_transform(s).
            let p = try postTransform(scores, m.postTransform, name: scoresName + "/p")
            let ps = scale(p)
            guard ps < 62 else { throw ModelError(.quantization, "score scale too large") }
            let complement = try builder.emit(.affine(multiplier: -1, offset: 1 << Int64(ps)), [p],
                                              name: scoresName + "/complement", shape: [rows, 1], scale: ps)
            probabilities = try builder.emit(.concat(axis: 1), [complement, p], name: n.outputs.count > 1 ? n.outputs[1] : scoresName,
                                             shape: [rows, 2], scale: ps)
        } else {
            let index = try builder.emit(.argMax(axis: 1, keepDims: false, selectLast: false), [scores], name: scoresName + "/argmax",
                                         shape: labelShape, scale: 0)
            label = try labels(index, m.classLabels, name: n.outputs[0])
            probabilities = try postTransform(scores, m.postTransform, name: n.outputs.count > 1 ? n.outputs[1] : scoresName)
        }
        if label == scores { label = try builder.emit(.reshape(shape: labelShape), [label], name: n.outputs[0], shape: labelShape, scale: 0) }
        values[n.outputs[0]] = .tensor(label)
        if n.outputs.count > 1, !n.outputs[1].isEmpty { values[n.outputs[1]] = .tensor(probabilities) }
    }

    mutating func postTransform(_ scores: QTensorID, _ post: PostTransform, name: String) throws -> QTensorID {
        switch post {
        case .none: return scores
        case .logistic: return try lookup(scores, "sigmoid", name: name)
        case .softmax: return try softmax(scores, axis: tshape(scores).count - 1, name: name)
        default: throw ModelError(.unsupported, "post_transform \(post.rawValue) is not supported")
        }
    }
}
