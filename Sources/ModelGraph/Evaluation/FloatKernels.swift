#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

/// The float (Double) reference semantics of every supported operator.
/// Each kernel checks its operand shapes and throws `ModelError` instead of
/// trapping, whatever the model file says.
enum FloatKernels {
    static func evaluate(_ op: Operation, _ inputs: [FloatTensor?], _ node: NodeReference) throws -> [FloatTensor] {
        func input(_ i: Int) throws -> FloatTensor {
            guard i < inputs.count, let t = inputs[i] else { throw ModelError.node(node, .invalidModel, "input \(i) is missing") }
            return t
        }
        switch op {
        case .gemm(let alpha, let beta, let transA, let transB):
            return [try gemm(try input(0), try input(1), inputs.count > 2 ? inputs[2] : nil,
                             alpha: alpha, beta: beta, transA: transA, transB: transB, node)]
        case .matMul: return [try matMul(try input(0), try input(1), node)]
        case .add: return [try .broadcasting(try input(0), try input(1), node) { $0 + $1 }]
        case .sub: return [try .broadcasting(try input(0), try input(1), node) { $0 - $1 }]
        case .mul: return [try .broadcasting(try input(0), try input(1), node) { $0 * $1 }]
        case .div: return [try .broadcasting(try input(0), try input(1), node) { $0 / $1 }]
        case .relu: return [try input(0).map { max($0, 0) }]
        case .leakyRelu(let alpha): return [try input(0).map { $0 >= 0 ? $0 : alpha * $0 }]
        case .sigmoid: return [try input(0).map(sigmoid)]
        case .tanh: return [try input(0).map { Foundation.tanh($0) }]
        case .softmax(let axis, let legacy):
            return [try softmax(try input(0), axis: axis, legacy: legacy, node)]
        case .argMax(let axis, let keepDims, let selectLast):
            return [try ShapeOps.argMax(try input(0), axis: axis, keepDims: keepDims, selectLast: selectLast, node).map(Double.init)]
        case .flatten(let axis):
            let x = try input(0)
            return [x.reshaped(try ShapeOps.flattenShape(x.shape, axis: axis, node))]
        case .reshape(let spec, let allowZero):
            let x = try input(0)
            return [x.reshaped(try ShapeOps.reshapeTarget(x.shape, spec, allowZero: allowZero, node))]
        case .squeeze(let axes):
            let x = try input(0)
            return [x.reshaped(try ShapeOps.squeezeShape(x.shape, axes: axes, node))]
        case .unsqueeze(let axes):
            let x = try input(0)
            return [x.reshaped(try ShapeOps.unsqueezeShape(x.shape, axes: axes, node))]
        case .concat(let axis):
            return [try ShapeOps.concat(try inputs.indices.map { try input($0) }, axis: axis, node)]
        case .identity: return [try input(0)]
        case .cast(let to):
            let x = try input(0)
            if to.isFloatingPoint { return [x] }
            if to == .bool { return [x.map { $0 != 0 ? 1 : 0 }] }
            return [x.map { $0.rounded(.towardZero) }]
        case .gather(let axis):
            let indices = try input(1)
            return [try ShapeOps.gather(try input(0), indices: try integers(indices, node), indicesShape: indices.shape,
                                        axis: axis, node)]
        case .shape(let start, let end):
            let dims = try input(0).shape
            let r = dims.count
            func clampAxis(_ a: Int) -> Int { min(max(a < 0 ? a + r : a, 0), r) }
            let s = clampAxis(start), e = clampAxis(end ?? r)
            let slice = s < e ? Array(dims[s..<e]) : []
            return [FloatTensor(shape: [slice.count], scalars: slice.map(Double.init))]
        case .conv(let geometry):
            return [try conv(try input(0), try input(1), inputs.count > 2 ? inputs[2] : nil, geometry, node)]
        case .maxPool(let geometry): return [try pool(try input(0), geometry, average: false, countIncludePad: false, node)]
        case .averagePool(let geometry, let countIncludePad):
            return [try pool(try input(0), geometry, average: true, countIncludePad: countIncludePad, node)]
        case .globalAveragePool:
            let x = try input(0)
            guard x.rank >= 3 else { throw ModelError.node(node, .shape, "GlobalAveragePool needs rank ≥ 3, got \(x.shape)") }
            let spatial = x.shape[2...].reduce(1, *)
            let channels = x.shape[0] * x.shape[1]
            guard spatial > 0 else { throw ModelError.node(node, .shape, "empty spatial extent") }
            var out = [Double](repeating: 0, count: channels)
            for c in 0..<channels {
                var s = 0.0
                for k in 0..<spatial { s += x.scalars[c * spatial + k] }
                out[c] = s / Double(spatial)
            }
            return [FloatTensor(shape: [x.shape[0], x.shape[1]] + [Int](repeating: 1, count: x.rank - 2), scalars: out)]
        case .batchNormalization(let epsilon):
            let (scale, shift) = try batchNormAffine(inputs: try (1...4).map { try input($0) }, epsilon: epsilon, node)
            return [try channelAffine(try input(0), scale: scale, shift: shift, node)]
        case .arrayFeatureExtractor:
            let data = try input(0)
            let indices = try integers(try input(1), node)
            guard let last = data.shape.last else { throw ModelError.node(node, .shape, "rank-0 input") }
            let picked = try ShapeOps.gather(data.reshaped([data.count / max(last, 1), last]), indices: indices,
                                             indicesShape: [indices.count], axis: 1, node)
            return [picked.reshaped(ShapeOps.featureExtractorShape(data.shape, count: indices.count))]
        case .scaler(let offset, let scale): return [try scaler(try input(0), offset: offset, scale: scale, node)]
        case .normalizer(let norm): return [try normalizer(try input(0), norm, node)]
        case .oneHotEncoder(let categories, let zeros):
            return [try oneHot(try input(0), categories: categories, zeros: zeros, node)]
        case .linearClassifier(let model): return try linearClassifier(try input(0), model, node)
        case .linearRegressor(let model):
            let (scores, _) = try linearScores(try input(0), model, node)
            return [scores]
        case .treeEnsemble(let ensemble): return try treeEnsemble(try input(0), ensemble, node)
        }
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    static func integers(_ t: FloatTensor, _ node: NodeReference) throws -> [Int] {
        try t.scalars.map {
            guard $0.rounded() == $0, $0.magnitude < 1e15 else {
                throw ModelError.node(node, .input, "index \($0) is not an integer")
            }
            return Int($0)
        }
    }

    // MARK: dense

    static func gemm(_ a: FloatTensor, _ b: FloatTensor, _ c: FloatTensor?, alpha: Double, beta: Double,
                     transA: Bool, transB: Bool, _ node: NodeReference) throws -> FloatTensor {
        guard a.rank == 2, b.rank == 2 else { throw ModelError.node(node, .shape, "Gemm needs rank-2 operands, got \(a.shape) and \(b.shape)") }
        let (m, k) = transA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (k2, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard k == k2 else { throw ModelError.node(node, .shape, "Gemm operands \(a.shape) and \(b.shape) do not fit") }
        _ = try Shapes.count([m, n], node)
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let x = transA ? a.scalars[p * m + i] : a.scalars[i * k + p]
                    let y = transB ? b.scalars[j * k + p] : b.scalars[p * n + j]
                    s += x * y
                }
                out[i * n + j] = alpha * s
            }
        }
        var y = FloatTensor(shape: [m, n], scalars: out)
        if let c {
            let cb = try FloatTensor.broadcasting(y, c, node) { $0 + beta * $1 }
            guard cb.shape == [m, n] else { throw ModelError.node(node, .shape, "Gemm's C \(c.shape) does not broadcast to [\(m), \(n)]") }
            y = cb
        }
        return y
    }

    static func matMul(_ a: FloatTensor, _ b: FloatTensor, _ node: NodeReference) throws -> FloatTensor {
        guard a.rank >= 1, b.rank >= 1, b.rank <= 2 else {
            throw ModelError.node(node, .unsupported, "MatMul is supported with a rank-1 or rank-2 second operand, got \(b.shape)")
        }
        let k = a.shape[a.rank - 1]
        let (kb, n) = b.rank == 2 ? (b.shape[0], b.shape[1]) : (b.shape[0], 1)
        guard k == kb else { throw ModelError.node(node, .shape, "MatMul operands \(a.shape) and \(b.shape) do not fit") }
        let rows = a.count / max(k, 1)
        var out = [Double](repeating: 0, count: rows * n)
        for r in 0..<rows {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k { s += a.scalars[r * k + p] * b.scalars[p * n + j] }
                out[r * n + j] = s
            }
        }
        var shape = Array(a.shape.dropLast())
        if b.rank == 2 { shape.append(n) }
        return FloatTensor(shape: shape, scalars: out)
    }

    static func softmax(_ x: FloatTensor, axis: Int, legacy: Bool, _ node: NodeReference) throws -> FloatTensor {
        let a = try Shapes.axis(axis, rank: x.rank, node)
        let n = legacy ? x.shape[a...].reduce(1, *) : x.shape[a]
        let inner = legacy ? 1 : x.shape[(a + 1)...].reduce(1, *)
        let outer = x.shape[..<a].reduce(1, *)
        var out = x.scalars
        for o in 0..<outer {
            for i in 0..<inner {
                func at(_ k: Int) -> Int { (o * n + k) * inner + i }
                var m = -Double.infinity
                for k in 0..<n { m = max(m, x.scalars[at(k)]) }
                var s = 0.0
                for k in 0..<n { let e = exp(x.scalars[at(k)] - m); out[at(k)] = e; s += e }
                for k in 0..<n { out[at(k)] /= s }
            }
        }
        return FloatTensor(shape: x.shape, scalars: out)
    }
}
