/// Data-movement operators, generic over the scalar type so that the float
/// reference and the integer program share one implementation (they move
/// values, never change them).
enum ShapeOps {
    static func reshapeTarget(_ input: [Int], _ spec: [Int64], allowZero: Bool, _ node: NodeReference) throws -> [Int] {
        let total = try Shapes.count(input, node)
        var out: [Int] = []
        var inferred: Int?
        for (i, s) in spec.enumerated() {
            if s == -1 {
                guard inferred == nil else { throw ModelError.node(node, .shape, "more than one -1 in shape \(spec)") }
                inferred = i
                out.append(1)
            } else if s == 0 && !allowZero {
                guard i < input.count else { throw ModelError.node(node, .shape, "0 in shape \(spec) has no input dimension to copy") }
                out.append(input[i])
            } else {
                guard s >= 0, s <= Int64(Shapes.maxElements) else { throw ModelError.node(node, .shape, "bad shape \(spec)") }
                out.append(Int(s))
            }
        }
        let known = try Shapes.count(out, node)
        if let i = inferred {
            guard known > 0, total % known == 0 else {
                throw ModelError.node(node, .shape, "cannot reshape \(input) to \(spec)")
            }
            out[i] = total / known
        }
        guard try Shapes.count(out, node) == total else {
            throw ModelError.node(node, .shape, "cannot reshape \(input) (\(total) elements) to \(spec)")
        }
        return out
    }

    static func flattenShape(_ input: [Int], axis: Int, _ node: NodeReference) throws -> [Int] {
        let a = try Shapes.axis(axis, rank: input.count, extra: 1, node)
        return [input[..<a].reduce(1, *), input[a...].reduce(1, *)]
    }

    static func squeezeShape(_ input: [Int], axes: [Int]?, _ node: NodeReference) throws -> [Int] {
        guard let axes else { return input.filter { $0 != 1 } }
        let resolved = Set(try axes.map { try Shapes.axis($0, rank: input.count, node) })
        for a in resolved where input[a] != 1 {
            throw ModelError.node(node, .shape, "cannot squeeze axis \(a) of size \(input[a])")
        }
        return input.enumerated().filter { !resolved.contains($0.offset) }.map(\.element)
    }

    static func unsqueezeShape(_ input: [Int], axes: [Int], _ node: NodeReference) throws -> [Int] {
        let rank = input.count + axes.count
        let resolved = try axes.map { try Shapes.axis($0, rank: rank, node) }
        guard Set(resolved).count == resolved.count else { throw ModelError.node(node, .shape, "repeated axes \(axes)") }
        var out: [Int] = []
        var rest = input.makeIterator()
        for i in 0..<rank { out.append(resolved.contains(i) ? 1 : rest.next()!) }
        return out
    }

    static func concat<S>(_ tensors: [Tensor<S>], axis: Int, _ node: NodeReference) throws -> Tensor<S> {
        guard let first = tensors.first else { throw ModelError.node(node, .shape, "nothing to concatenate") }
        let a = try Shapes.axis(axis, rank: first.rank, node)
        var shape = first.shape
        shape[a] = 0
        for t in tensors {
            guard t.rank == first.rank,
                  zip(t.shape, first.shape).enumerated().allSatisfy({ $0.offset == a || $0.element.0 == $0.element.1 }) else {
                throw ModelError.node(node, .shape, "cannot concatenate shapes \(tensors.map(\.shape)) on axis \(a)")
            }
            shape[a] += t.shape[a]
        }
        _ = try Shapes.count(shape, node)
        let outer = first.shape[..<a].reduce(1, *)
        var out: [S] = []
        out.reserveCapacity(shape.reduce(1, *))
        for o in 0..<outer {
            for t in tensors {
                let block = t.shape[a...].reduce(1, *)
                out.append(contentsOf: t.scalars[o * block ..< (o + 1) * block])
            }
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// numpy `take(data, indices, axis)`.
    static func gather<S>(_ data: Tensor<S>, indices: [Int], indicesShape: [Int], axis: Int, _ node: NodeReference) throws -> Tensor<S> {
        let a = try Shapes.axis(axis, rank: data.rank, node)
        let n = data.shape[a]
        let resolved = try indices.map { i -> Int in
            let r = i < 0 ? i + n : i
            guard r >= 0, r < n else { throw ModelError.node(node, .input, "index \(i) is out of range for size \(n)") }
            return r
        }
        let outer = data.shape[..<a].reduce(1, *)
        let inner = data.shape[(a + 1)...].reduce(1, *)
        let shape = Array(data.shape[..<a]) + indicesShape + Array(data.shape[(a + 1)...])
        _ = try Shapes.count(shape, node)
        var out: [S] = []
        out.reserveCapacity(shape.reduce(1, *))
        for o in 0..<outer {
            for i in resolved {
                let start = (o * n + i) * inner
                out.append(contentsOf: data.scalars[start ..< start + inner])
            }
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// Index of the maximum along `axis` (first maximum unless `selectLast`).
    static func argMax<S: Comparable>(_ t: Tensor<S>, axis: Int, keepDims: Bool, selectLast: Bool,
                                      _ node: NodeReference) throws -> Tensor<Int> {
        let a = try Shapes.axis(axis, rank: t.rank, node)
        let n = t.shape[a]
        guard n > 0 else { throw ModelError.node(node, .shape, "ArgMax over an empty axis") }
        let outer = t.shape[..<a].reduce(1, *)
        let inner = t.shape[(a + 1)...].reduce(1, *)
        var out: [Int] = []
        for o in 0..<outer {
            for i in 0..<inner {
                var best = 0
                var bestValue = t.scalars[o * n * inner + i]
                for k in 1..<n {
                    let v = t.scalars[(o * n + k) * inner + i]
                    if v > bestValue || (selectLast && v == bestValue) { best = k; bestValue = v }
                }
                out.append(best)
            }
        }
        var shape = t.shape
        if keepDims { shape[a] = 1 } else { shape.remove(at: a) }
        return Tensor(shape: shape, scalars: out)
    }

    /// ArrayFeatureExtractor's output shape (onnxruntime): the last axis replaced by the indices; a
    /// rank-1 input gives [1, k].
    static func featureExtractorShape(_ data: [Int], count: Int) -> [Int] {
        data.count <= 1 ? [1, count] : Array(data.dropLast()) + [count]
    }
}

/// Output size and resolved padding of a 2-D window operator (convolution or
/// pooling). Output position (i, j) reads input rows i·strides[0] + u·dilations[0]
/// − padBegin[0] for u in 0..<kernel[0] (columns likewise); rows and columns
/// outside 0..<inputSize are padding.
public struct WindowGeometry: Sendable, Equatable {
    public var inputSize: [Int]    // [H, W]
    public var outputSize: [Int]   // [OH, OW]
    public var kernel: [Int]       // [kh, kw]
    public var strides: [Int]
    public var dilations: [Int]
    public var padBegin: [Int]     // [top, left]
    public var padEnd: [Int]       // [bottom, right]

    public init(inputSize: [Int], outputSize: [Int], kernel: [Int], strides: [Int], dilations: [Int],
                padBegin: [Int], padEnd: [Int]) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.kernel = kernel
        self.strides = strides
        self.dilations = dilations
        self.padBegin = padBegin
        self.padEnd = padEnd
    }

    init(input: [Int], kernel: [Int], strides: [Int], dilations: [Int], pads: [Int], autoPad: String,
         ceilMode: Bool, _ node: NodeReference) throws {
        inputSize = input
        self.kernel = kernel
        self.strides = strides
        self.dilations = dilations
        var begin = [pads[0], pads[1]]
        var end = [pads[2], pads[3]]
        var out = [0, 0]
        for d in 0..<2 {
            let extent = dilations[d] * (kernel[d] - 1) + 1
            switch autoPad {
            case "VALID":
                begin[d] = 0; end[d] = 0
            case "SAME_UPPER", "SAME_LOWER":
                let target = (input[d] + strides[d] - 1) / strides[d]
                let total = max(0, (target - 1) * strides[d] + extent - input[d])
                begin[d] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2
                end[d] = total - begin[d]
            default: break
            }
            let span = input[d] + begin[d] + end[d] - extent
            guard span >= 0 else {
                throw ModelError.node(node, .shape, "window \(kernel) does not fit input \(input) with its padding")
            }
            out[d] = (ceilMode ? (span + strides[d] - 1) / strides[d] : span / strides[d]) + 1
            if ceilMode, (out[d] - 1) * strides[d] >= input[d] + begin[d] {
                out[d] -= 1   // the last window must start inside the input or its leading padding
            }
        }
        outputSize = out
        padBegin = begin
        padEnd = end
    }
}
