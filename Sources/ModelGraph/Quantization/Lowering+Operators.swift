import BigNumber

extension Lowering {
    /// Lowers one graph node into program steps.
    mutating func lower(_ n: ModelGraph.Node) throws {
        let out = n.outputs.first ?? ""
        let outShape = shape(out)
        func set(_ id: QTensorID, _ name: String = out) { values[name] = .tensor(id) }
        func operand(_ i: Int) -> String { i < n.inputs.count ? n.inputs[i] : "" }

        switch n.operation {
        case .gemm(let alpha, let beta, let transA, let transB):
            guard let b = constant(operand(1)) else {
                throw ModelError(.unsupported, "Gemm is supported with a constant second operand (weights)")
            }
            var x = try tensor(operand(0))
            if transA {
                guard tshape(x).first == 1 || tshape(x).last == 1 else {
                    throw ModelError(.unsupported, "Gemm with transA is supported for a single row only")
                }
                x = try builder.emit(.reshape(shape: tshape(x).reversed()), [x], name: out + "/transposed",
                                     shape: tshape(x).reversed(), scale: scale(x))
            }
            var w = transB ? transpose(b) : b
            w = w.map { $0 * alpha }
            var bias: FloatTensor?
            if let c = constant(operand(2)) {
                bias = try biasVector(c, width: w.shape[1], times: beta)
            } else if !operand(2).isEmpty {
                throw ModelError(.unsupported, "Gemm's C operand must be a constant")
            }
            set(try dense(x, w, bias, out: out))
        case .matMul:
            guard let w = constant(operand(1)), w.rank == 2 else {
                throw ModelError(.unsupported, "MatMul is supported with a constant rank-2 second operand (weights)")
            }
            // Fuse a following bias addition (scikit-learn's MLP: MatMul then Add).
            var bias: FloatTensor?
            var result = out
            let consumers = graph.nodes.filter { $0.inputs.contains(out) }
            if consumers.count == 1, case .add = consumers[0].operation, !graph.outputs.contains(where: { $0.valueName == out }),
               let other = consumers[0].inputs.first(where: { $0 != out }), let c = constant(other),
               let vector = try? biasVector(c, width: w.shape[1], times: 1) {
                bias = vector
                result = consumers[0].outputs[0]
                fused.insert(result)
            }
            set(try dense(try tensor(operand(0)), w, bias, out: result), result)
        case .add, .sub:
            let isSub: Bool = { if case .sub = n.operation { return true }; return false }()
            switch (values[operand(0)], values[operand(1)]) {
            case (.tensor(let a)?, .tensor(let b)?):
                let ab = try aligned([a, b], name: out)
                set(try builder.emit(isSub ? .sub : .add, ab, name: out, shape: outShape, scale: scale(ab[0])))
            case (.tensor(let a)?, .constant(let c)?):
                let w = try builder.weight(operand(1), .constant, isSub ? c.map { -$0 } : c, scale: scale(a))
                set(try builder.emit(.addWeight(w), [a], name: out, shape: outShape, scale: scale(a)))
            case (.constant(let c)?, .tensor(let b)?):
                var x = b
                if isSub { x = try builder.emit(.affine(multiplier: -1, offset: 0), [b], name: out + "/negated", shape: tshape(b), scale: scale(b)) }
                let w = try builder.weight(operand(0), .constant, c, scale: scale(b))
                set(try builder.emit(.addWeight(w), [x], name: out, shape: outShape, scale: scale(b)))
            default: throw ModelError(.quantization, "operands are missing")
            }
        case .mul, .div:
            let isDiv: Bool = { if case .div = n.operation { return true }; return false }()
            switch (values[operand(0)], values[operand(1)]) {
            case (.tensor(let a)?, .tensor(let b)?):
                guard !isDiv else { throw ModelError(.unsupported, "Div is supported by a constant only") }
                let p = try builder.emit(.mul, [a, b], name: out + "/product", shape: outShape, scale: scale(a) + scale(b))
                set(try requantize(p, to: activationScale(out), name: out))
            case (.tensor(let a)?, .constant(let c)?), (.constant(let c)?, .tensor(let a)?):
                if isDiv, case .constant? = values[operand(0)] {
                    throw ModelError(.unsupported, "Div is supported by a constant only")
                }
                var factor = c
                if isDiv {
                    guard c.scalars.allSatisfy({ $0 != 0 && $0.isFinite }) else { throw ModelError(.quantization, "division by zero") }
                    factor = c.map { 1 / $0 }
                }
                let w = try builder.weight(isDiv ? operand(1) + "/reciprocal" : (constant(operand(1)) != nil ? operand(1) : operand(0)),
                                           .weights, factor, scale: weightScale(factor))
                let p = try builder.emit(.mulWeight(w), [a], name: out + "/product", shape: outShape,
                                         scale: scale(a) + builder.weightSpecs[w].scale)
                set(try requantize(p, to: activationScale(out), name: out))
            default: throw ModelError(.quantization, "operands are missing")
            }
        case .relu:
            let x = try tensor(operand(0))
            set(try builder.emit(.relu, [x], name: out, shape: outShape, scale: scale(x)))
        case .leakyRelu(let alpha):
            guard alpha >= 0 else { throw ModelError(.unsupported, "LeakyRelu with a negative alpha is not supported") }
            let x = try tensor(operand(0))
            guard let num = FixedPoint.quantize(alpha, scale: options.leakyReluShift) else {
                throw ModelError(.quantization, "LeakyRelu alpha \(alpha) is too large")
            }
            set(try builder.emit(.leakyRelu(numerator: num, shift: options.leakyReluShift), [x], name: out, shape: outShape, scale: scale(x)))
        case .sigmoid: set(try lookup(try tensor(operand(0)), "sigmoid", name: out))
        case .tanh: set(try lookup(try tensor(operand(0)), "tanh", name: out))
        case .softmax(let axis, let legacy):
            let x = try tensor(operand(0))
            let a = try Shapes.axis(axis, rank: tshape(x).count, node)
            if legacy && a != tshape(x).count - 1 {
                let flat = [tshape(x)[..<a].reduce(1, *), tshape(x)[a...].reduce(1, *)]
                let r = try builder.emit(.reshape(shape: flat), [x], name: out + "/2d", shape: flat, scale: scale(x))
                let s = try softmax(r, axis: 1, name: out + "/softmax")
                set(try builder.emit(.reshape(shape: outShape), [s], name: out, shape: outShape, scale: scale(s)))
            } else {
                set(try softmax(x, axis: a, name: out))
            }
        case .argMax(let axis, let keepDims, let selectLast):
            let x = try tensor(operand(0))
            let a = try Shapes.axis(axis, rank: tshape(x).count, node)
            set(try builder.emit(.argMax(axis: a, keepDims: keepDims, selectLast: selectLast), [x], name: out, shape: outShape, scale: 0))
        case .flatten, .reshape, .squeeze, .unsqueeze, .identity:
            let x = try tensor(operand(0))
            set(try builder.emit(.reshape(shape: outShape), [x], name: out, shape: outShape, scale: scale(x)))
        case .cast(let to):
            let x = try tensor(operand(0))
            if to.isFloatingPoint || scale(x) == 0 {
                set(try builder.emit(.reshape(shape: outShape), [x], name: out, shape: outShape, scale: scale(x)))
            } else {
                // To an integer type: to scale 0 rounding half up (ONNX truncates; the two
                // agree on the integer-valued inputs exporters cast: category codes, labels).
                set(try toScale(x, 0, name: out))
            }
        case .concat(let axis):
            let ids = try n.inputs.map { name -> QTensorID in
                if case .constant(let c)? = values[name] {
                    let w = try builder.weight(name, .constant, c, scale: weightScale(c))
                    return try builder.emit(.weight(w), [], name: name, shape: c.shape, scale: builder.weightSpecs[w].scale)
                }
                return try tensor(name)
            }
            let ab = try aligned(ids, name: out)
            let a = try Shapes.axis(axis, rank: outShape.count, node)
            set(try builder.emit(.concat(axis: a), ab, name: out, shape: outShape, scale: scale(ab[0])))
        case .gather(let axis):
            try gather(data: operand(0), indices: operand(1), axis: axis, out: out, outShape: outShape)
        case .arrayFeatureExtractor:
            let data = shape(operand(0))
            try gather(data: operand(0), indices: operand(1), axis: max(data.count - 1, 0), out: out, outShape: outShape)
        case .shape:
            throw ModelError(.quantization, "Shape should have been folded")
        case .conv(let g):
            guard let w = constant(operand(1)) else { throw ModelError(.unsupported, "Conv weights must be constant") }
            let x = try tensor(operand(0))
            let (geometry, _) = try FloatKernels.convGeometry(tshape(x), w.shape, constant(operand(2))?.shape, g, node)
            let ws = weightScale(w)
            let wi = try builder.weight(operand(1), .weights, w, scale: ws)
            var bi: Int?
            if let b = constant(operand(2)) { bi = try builder.weight(operand(2), .bias, b, scale: scale(x) + ws) }
            let acc = try builder.emit(.conv(weight: wi, bias: bi, geometry: geometry, group: g.group), [x],
                                       name: out + "/acc", shape: outShape, scale: scale(x) + ws)
            set(try requantize(acc, to: activationScale(out), name: out))
        case .maxPool(let g):
            let x = try tensor(operand(0))
            let geometry = try FloatKernels.poolGeometry(tshape(x), g, node)
            set(try builder.emit(.maxPool(geometry: geometry), [x], name: out, shape: outShape, scale: scale(x)))
        case .averagePool(let g, let countIncludePad):
            let x = try tensor(operand(0))
            let geometry = try FloatKernels.poolGeometry(tshape(x), g, node)
            let divisors = FloatKernels.poolWindows(geometry).map { Int64(countIncludePad ? $0.paddedCount : $0.positions.count) }
            let sum = try builder.emit(.sumPool(geometry: geometry), [x], name: out + "/sum", shape: outShape, scale: scale(x))
            set(try builder.emit(.divideByConstant(divisors: divisors), [sum], name: out, shape: outShape, scale: scale(x)))
        case .globalAveragePool:
            let x = try tensor(operand(0))
            let s = tshape(x)
            guard s.count == 4 else { throw ModelError(.unsupported, "GlobalAveragePool is supported on NCHW tensors") }
            let geometry = WindowGeometry(inputSize: [s[2], s[3]], outputSize: [1, 1], kernel: [s[2], s[3]], strides: [1, 1],
                                          dilations: [1, 1], padBegin: [0, 0], padEnd: [0, 0])
            let sum = try builder.emit(.sumPool(geometry: geometry), [x], name: out + "/sum", shape: outShape, scale: scale(x))
            set(try builder.emit(.divideByConstant(divisors: [Int64(s[2] * s[3])]), [sum], name: out, shape: outShape, scale: scale(x)))
        case .batchNormalization(let epsilon):
            let x = try tensor(operand(0))
            let parameters = try (1...4).map { i -> FloatTensor in
                guard let c = constant(operand(i)) else { throw ModelError(.unsupported, "BatchNormalization parameters must be constant") }
                return c
            }
            let (a, b) = try FloatKernels.batchNormAffine(inputs: parameters, epsilon: epsilon, node)
            let channelShape = [a.count] + [Int](repeating: 1, count: max(tshape(x).count - 2, 0))
            try affine(x, scale: FloatTensor(shape: channelShape, scalars: a), shift: FloatTensor(shape: channelShape, scalars: b),
                       names: (operand(1), operand(2)), out: out)
        case .scaler(let offset, let scaleValues):
            let x = try tensor(operand(0))
            let f = tshape(x).last ?? 1
            func vector(_ v: [Double], _ fill: Double) -> FloatTensor {
                FloatTensor(shape: [f], scalars: v.isEmpty ? [Double](repeating: fill, count: f) : v.count == 1 ? [Double](repeating: v[0], count: f) : v)
            }
            // (x − offset) · scale = x · scale − offset · scale: the offset is folded into a
            // bias at the product's scale rather than rounded at the input's (coarser) scale.
            let o = vector(offset, 0), s = vector(scaleValues, 1)
            let sScale = scaleFor(maxAbs: s.scalars.reduce(0) { max($0, abs($1)) }, bits: options.scalerWeightBits)
            let sw = try builder.weight(out + "/scale", .weights, s, scale: sScale)
            let productScale = scale(x) + builder.weightSpecs[sw].scale
            let p = try builder.emit(.mulWeight(sw), [x], name: out + "/product", shape: outShape, scale: productScale)
            let bias = FloatTensor(shape: [f], scalars: zip(o.scalars, s.scalars).map { -$0 * $1 })
            let bw = try builder.weight(out + "/offset", .bias, bias, scale: productScale)
            let shifted = try builder.emit(.addWeight(bw), [p], name: out + "/acc", shape: outShape, scale: productScale)
            set(try requantize(shifted, to: activationScale(out), name: out))
        case .normalizer(let norm):
            set(try normalizer(try tensor(operand(0)), norm, out: out, outShape: outShape))
        case .oneHotEncoder(let categories, _):
            let x = try tensor(operand(0))
            let s = scale(x)
            let scaled = try categories.map { c -> Int64 in
                guard s < 62, let v = Int64(exactly: Double(c) * Double(1 << Int64(s))), v.magnitude < 1 << 62 else {
                    throw ModelError(.quantization, "category \(c) does not fit at scale 2^\(s)")
                }
                return v
            }
            set(try builder.emit(.oneHot(categories: scaled), [x], name: out, shape: outShape, scale: 0))
        case .linearClassifier(let m): try linearClassifier(n, m)
        case .linearRegressor(let m):
            let x = try tensor(operand(0))
            let (w, b) = try linearWeights(m, features: tshape(x).last ?? 1)
            set(try dense(x, w, b, out: out))
        case .treeEnsemble(let e): try treeEnsemble(n, e)
        }
    }

    // MARK: helpers

    func transpose(_ t: FloatTensor) -> FloatTensor {
        let (r, c) = (t.shape[0], t.shape[1])
        var out = [Double](repeating: 0, count: t.count)
        for i in 0..<r { for j in 0..<c { out[j * r + i] = t.scalars[i * c + j] } }
        return FloatTensor(shape: [c, r], scalars: out)
    }

    /// A bias operand as a vector of `width` entries (it may be a scalar, [N] or [1, N]).
    func biasVector(_ c: FloatTensor, width: Int, times: Double) throws -> FloatTensor {
        if c.count == 1 { return FloatTensor(shape: [width], scalars: [Double](repeating: c.scalars[0] * times, count: width)) }
        guard c.count == width, c.shape.last == width else {
            throw ModelError(.unsupported, "bias of shape \(c.shape) is not a per-output vector")
        }
        return FloatTensor(shape: [width], scalars: c.scalars.map { $0 * times })
    }

    /// dense(x, W, b) at scale(x) + scale(W), then requantized to the output's scale.
    mutating func dense(_ x: QTensorID, _ w: FloatTensor, _ bias: FloatTensor?, out: String, scaleHint: Int? = nil) throws -> QTensorID {
        guard w.rank == 2, tshape(x).last == w.shape[0] else {
            throw ModelError(.quantization, "weights \(w.shape) do not fit input \(tshape(x))")
        }
        let ws = weightScale(w)
        let wi = try builder.weight(out + "/weights", .weights, w, scale: ws)
        var bi: Int?
        if let bias { bi = try builder.weight(out + "/bias", .bias, bias, scale: scale(x) + ws) }
        let accShape = Array(tshape(x).dropLast()) + [w.shape[1]]
        let acc = try builder.emit(.dense(weight: wi, bias: bi), [x], name: out + "/acc", shape: accShape, scale: scale(x) + ws)
        return try requantize(acc, to: scaleHint ?? activationScale(out), name: out)
    }

    /// y = x · a + b per channel (unfolded BatchNormalization).
    mutating func affine(_ x: QTensorID, scale a: FloatTensor, shift b: FloatTensor, names: (String, String), out: String) throws {
        let ws = weightScale(a)
        let ai = try builder.weight(names.0 + "/folded", .weights, a, scale: ws)
        let p = try builder.emit(.mulWeight(ai), [x], name: out + "/product", shape: tshape(x), scale: scale(x) + ws)
        let bi = try builder.weight(names.1 + "/folded", .bias, b, scale: scale(x) + ws)
        let s = try builder.emit(.addWeight(bi), [p], name: out + "/acc", shape: tshape(x), scale: scale(p))
        values[out] = .tensor(try requantize(s, to: activationScale(out), name: out))
    }

    mutating func gather(data: String, indices: String, axis: Int, out: String, outShape: [Int]) throws {
        let dataShape = shape(data)
        let a = try Shapes.axis(axis, rank: max(dataShape.count, 1), node)
        if let idx = constant(indices) {
            let x = try tensor(data)
            let ints = try FloatKernels.integers(idx, node)
            let g = try builder.emit(.gather(axis: a, indices: ints, indicesShape: idx.shape),
                                     [x], name: out + "/gathered", shape: try gatherShape(dataShape, a, idx.shape), scale: scale(x))
            values[out] = .tensor(try builder.emit(.reshape(shape: outShape), [g], name: out, shape: outShape, scale: scale(x)))
            return
        }
        // Constant data indexed by a computed index: a public table (class labels only).
        guard let table = constant(data), table.rank <= 1,
              table.scalars.allSatisfy({ $0.rounded() == $0 && $0.magnitude < 1e15 }) else {
            throw ModelError(.unsupported, "indexing a non-integer constant by a computed index is not supported (it would publish the constant)")
        }
        let index = try tensor(indices)
        guard scale(index) == 0 else { throw ModelError(.unsupported, "indices must be integers (scale 0)") }
        let t = builder.table(LookupTables.labels(table.scalars.map { Int64($0) }), key: "labels/\(table.scalars)")
        let looked = try builder.emit(.lookup(table: t), [index], name: out + "/looked-up", shape: tshape(index), scale: 0)
        values[out] = .tensor(try builder.emit(.reshape(shape: outShape), [looked], name: out, shape: outShape, scale: 0))
    }

    func gatherShape(_ data: [Int], _ axis: Int, _ indices: [Int]) throws -> [Int] {
        Array(data[..<axis]) + indices + Array(data[(axis + 1)...])
    }
}
