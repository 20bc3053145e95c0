import Field
import ModelGraph

// Each QOp of the quantized program as gadgets, over all rows (docs/models.md
// gives the integer semantics reproduced here).
extension ModelApplication {
    func evaluate(_ step: QStep) throws -> [[Value]] {
        switch step.op {
        case .clamp(let lo, let hi):
            return try clamped(step.inputs[0], lower: lo, upper: hi)
        case .relu:
            // relu(clamp(x, lo, hi)) = clamp(x, max(lo, 0), max(hi, 0)): one
            // gadget instead of two when the clamp feeds only this relu.
            let input = step.inputs[0]
            if let s = model.producer[input], case .clamp(let lo, let hi) = architecture.steps[s].op,
               model.uses[input] == 1, values[input] == nil {
                return try clamped(architecture.steps[s].inputs[0], lower: Swift.max(lo, 0), upper: Swift.max(hi, 0))
            }
            return try clamped(input, lower: 0, upper: nil)
        case .dense(let w, let bias):
            return try dense(step, weight: w, bias: bias)
        case .conv(let w, let bias, let geometry, let group):
            return try convolution(step, weight: w, bias: bias, geometry: geometry, group: group)
        case .weight(let w):
            return model.weights[w].map { v in [Value](repeating: v, count: rows) }
        case .addWeight(let w):
            return try withWeight(step, w) { b.add($0, $1) }
        case .mulWeight(let w):
            return try withWeight(step, w) { b.product($0, $1) }
        case .add:
            return try broadcasting(step) { b.add($0, $1) }
        case .sub:
            return try broadcasting(step) { b.sub($0, $1) }
        case .mul:
            return try broadcasting(step) { b.product($0, $1) }
        case .affine(let m, let c):
            return try elementwise(tensor(step.inputs[0])) { b.linear([(m, $0)], constant: c) }
        case .rescale(let k):
            return try elementwise(tensor(step.inputs[0])) { try b.rescale($0, shift: k, rounding: .nearestTiesUp) }
        case .divideByConstant(let divisors):
            let x = try tensor(step.inputs[0])
            return try x.enumerated().map { e, column in
                let d = divisors[e % divisors.count]
                return try column.map { v in
                    try b.divRem(b.linear([(Int64(2), v)], constant: d), byConstant: 2 * d).quotient
                }
            }
        case .leakyRelu(let numerator, let shift):
            return try elementwise(tensor(step.inputs[0])) { x in
                let negative = try b.lessThan(x, b.constant(0))
                let scaled = try b.rescale(b.linear([(numerator, x)]), shift: shift, rounding: .nearestTiesUp)
                return try b.select(negative, scaled, x)
            }
        case .lookup(let t):
            let table = try circuitTable(t)
            return try elementwise(tensor(step.inputs[0])) { try b.lookup(table, key: $0) }
        case .maxPool(let g), .sumPool(let g):
            let isMax: Bool = { if case .maxPool = step.op { return true } else { return false } }()
            let x = try tensor(step.inputs[0])
            let windows = ModelApplication.poolWindows(g)
            let plane = g.inputSize[0] * g.inputSize[1]
            let planes = count(step.inputs[0]) / Swift.max(plane, 1)
            var out: [[Value]] = []
            for p in 0..<planes {
                for window in windows {
                    guard !window.isEmpty else { throw LoweringError.mismatch("a pooling window covers only padding") }
                    out.append(try (0..<rows).map { r in
                        let xs = window.map { x[p * plane + $0][r] }
                        return isMax ? try maximum(xs) : b.sum(xs)
                    })
                }
            }
            return out
        case .reduceSum(let axis), .reduceMax(let axis):
            let isMax: Bool = { if case .reduceMax = step.op { return true } else { return false } }()
            let x = try tensor(step.inputs[0])
            let s = shape(step.inputs[0])
            let n = s[axis], inner = s[(axis + 1)...].reduce(1, *), outer = s[..<axis].reduce(1, *)
            var out: [[Value]] = []
            for o in 0..<outer {
                for i in 0..<inner {
                    out.append(try (0..<rows).map { r in
                        let xs = (0..<n).map { x[(o * n + $0) * inner + i][r] }
                        return isMax ? try maximum(xs) : b.sum(xs)
                    })
                }
            }
            return out
        case .divide(let shift):
            return try broadcasting(step) { n, d in try divide(n, d, shift: shift) }
        case .abs:
            return try elementwise(tensor(step.inputs[0])) { try b.absolute($0) }
        case .sqrtFloor:
            return try elementwise(tensor(step.inputs[0])) { try squareRoot($0) }
        case .argMax(let axis, _, let selectLast):
            let x = try tensor(step.inputs[0])
            let s = shape(step.inputs[0])
            let n = s[axis], inner = s[(axis + 1)...].reduce(1, *), outer = s[..<axis].reduce(1, *)
            var out: [[Value]] = []
            for o in 0..<outer {
                for i in 0..<inner {
                    out.append(try (0..<rows).map { r in
                        var xs = (0..<n).map { x[(o * n + $0) * inner + i][r] }
                        if selectLast { xs.reverse() }
                        let index = try b.argmax(xs).index
                        return selectLast ? b.linear([(Int64(-1), index)], constant: Int64(n - 1)) : index
                    })
                }
            }
            return out
        case .greaterThan(let threshold):
            return try elementwise(tensor(step.inputs[0])) { try b.lessThan(b.constant(Int(threshold)), $0) }
        case .oneHot(let categories):
            let x = try tensor(step.inputs[0])
            return try x.flatMap { column in
                try categories.map { c in try column.map { try b.isEqual($0, b.constant(Int(c))) } }
            }
        case .gather(let axis, let indices, _):
            let x = try tensor(step.inputs[0])
            let s = shape(step.inputs[0])
            let n = s[axis], inner = s[(axis + 1)...].reduce(1, *), outer = s[..<axis].reduce(1, *)
            var out: [[Value]] = []
            for o in 0..<outer {
                for index in indices {
                    let i = index < 0 ? index + n : index
                    guard i >= 0, i < n else { throw LoweringError.mismatch("gather index \(index) out of range \(n)") }
                    for k in 0..<inner { out.append(x[(o * n + i) * inner + k]) }
                }
            }
            return out
        case .reshape:
            return try tensor(step.inputs[0])
        case .concat(let axis):
            let parts = try step.inputs.map { try tensor($0) }
            let outer = shape(step.output)[..<axis].reduce(1, *)
            var out: [[Value]] = []
            for o in 0..<outer {
                for (t, part) in zip(step.inputs, parts) {
                    let block = shape(t)[axis...].reduce(1, *)
                    out.append(contentsOf: part[(o * block)..<((o + 1) * block)])
                }
            }
            return out
        case .treeEnsemble(let e):
            return try trees(step, e)
        }
    }

    /// Tensor t clamped, fused with the rounding rescale that produces it
    /// when nothing else reads the unclamped values.
    func clamped(_ t: Int, lower: Int64?, upper: Int64?) throws -> [[Value]] {
        if let (x, k) = pendingRescale(t) {
            return try elementwise(x) { try rescaleClamp($0, shift: k, lower: lower, upper: upper) }
        }
        return try elementwise(tensor(t)) { try b.clamp($0, lower: lower, upper: upper) }
    }

    /// n / d · 2^shift rounded half up, 0 when d = 0 (`divide`): with z = [d = 0]
    /// and t = d + z ≥ 1 (range-checked), q = ⌊(n·2^(shift+1) + d) / (2t)⌋. When
    /// d = 0 the quantizer's precondition |n| ≤ d makes n = 0, so q = 0.
    func divide(_ n: Value, _ d: Value, shift: Int) throws -> Value {
        try b.scope("divide") {
            let z = try b.isZero(d)
            let t = b.linear([(Int64(1), d), (Int64(1), z)])
            let D = b.bound(of: d)
            guard !D.isFull, D.hi >= 0 else { throw b.error(.mayWrap, "the divisor \(d) has no usable bound") }
            try b.rangeCheck(b.linear([(Int64(1), t)], constant: -1), bits: CircuitBuilder.bitsFor(Swift.max(D.hi, 1)))
            let numerator = b.linear([(Int64(1) << (shift + 1), n), (Int64(1), d)])
            // |n| ≤ d bounds the quotient by 2^shift (as the quantizer's analysis proves).
            return try b.divRem(numerator, by: b.linear([(Int64(2), t)]),
                                quotientIn: Interval(-(Int64(1) << shift), Int64(1) << shift)).quotient
        }
    }

    /// ⌊√x⌋ for x ≥ 0: y hinted, y ≥ 0, x − y² ≥ 0 and (y + 1)² − 1 − x ≥ 0. Unique.
    func squareRoot(_ x: Value) throws -> Value {
        let X = b.bound(of: x)
        guard !X.isFull, X.hi >= 0 else { throw b.error(.mayWrap, "the square root of \(x) ∈ \(X)") }
        return try b.scope("sqrt_floor") {
            let y = try b.hint(customHint("isqrt"), [x], results: 1)[0]
            let root = Int64(Double(X.hi).squareRoot()) + 2
            try b.rangeCheck(y, bits: CircuitBuilder.bitsFor(root))
            let square = b.mul(y, y)
            try b.rangeCheck(b.linear([(Int64(1), x), (Int64(-1), square)]), bits: CircuitBuilder.bitsFor(X.hi))
            try b.rangeCheck(b.linear([(Int64(1), square), (Int64(2), y), (Int64(-1), x)]), bits: CircuitBuilder.bitsFor(2 * root + 1))
            return y
        }
    }

    /// The positions (y·W + x in the input plane) of every pooling window, in
    /// output order, as the integer kernels enumerate them.
    static func poolWindows(_ g: WindowGeometry) -> [[Int]] {
        let (h, w) = (g.inputSize[0], g.inputSize[1])
        var result: [[Int]] = []
        for y in 0..<g.outputSize[0] {
            for x in 0..<g.outputSize[1] {
                let y0 = y * g.strides[0] - g.padBegin[0], x0 = x * g.strides[1] - g.padBegin[1]
                var positions: [Int] = []
                for iy in y0..<(y0 + g.kernel[0]) where iy >= 0 && iy < h {
                    for ix in x0..<(x0 + g.kernel[1]) where ix >= 0 && ix < w { positions.append(iy * w + ix) }
                }
                result.append(positions)
            }
        }
        return result
    }

    /// `dense`: one `matmul` of every row's input (N·perSample × K) by the
    /// weight (K × M), then the bias.
    func dense(_ step: QStep, weight w: Int, bias: Int?) throws -> [[Value]] {
        let x = try tensor(step.inputs[0])
        let spec = architecture.weights[w]
        let (k, m) = (spec.shape[0], spec.shape[1])
        let perSample = count(step.inputs[0]) / k
        var out = [[Value]](repeating: [], count: perSample * m)
        guard rows > 0 else { return out }
        var matrix: [Value] = []
        matrix.reserveCapacity(rows * perSample * k)
        for r in 0..<rows {
            for s in 0..<perSample {
                for i in 0..<k { matrix.append(x[s * k + i][r]) }
            }
        }
        let products = try b.matmul(matrix, model.weights[w], rows: rows * perSample, inner: k, columns: m)
        let biases = bias.map { model.weights[$0] }
        for s in 0..<perSample {
            for j in 0..<m {
                out[s * m + j] = (0..<rows).map { r in
                    let p = products[(r * perSample + s) * m + j]
                    return biases.map { b.add(p, $0[j]) } ?? p
                }
            }
        }
        return out
    }

    /// `conv`: per group, one `matmul` of the unfolded input windows
    /// (N·OH·OW × C/group·kh·kw, zeros for padding) by the unfolded weights.
    func convolution(_ step: QStep, weight w: Int, bias: Int?, geometry g: WindowGeometry, group: Int) throws -> [[Value]] {
        let x = try tensor(step.inputs[0])
        let inShape = shape(step.inputs[0])
        let (h, wd) = (inShape[2], inShape[3])
        let spec = architecture.weights[w]
        let (o, cg, kh, kw) = (spec.shape[0], spec.shape[1], spec.shape[2], spec.shape[3])
        let (oh, ow) = (g.outputSize[0], g.outputSize[1])
        let og = o / group
        var out = [[Value]](repeating: [], count: o * oh * ow)
        guard rows > 0 else { return out }
        let zero = b.constant(0)
        let weights = model.weights[w]
        let biases = bias.map { model.weights[$0] }
        let inner = cg * kh * kw
        for gi in 0..<group {
            var matrix: [Value] = []
            matrix.reserveCapacity(rows * oh * ow * inner)
            for r in 0..<rows {
                for i in 0..<oh {
                    for j in 0..<ow {
                        for c in 0..<cg {
                            for u in 0..<kh {
                                let iy = i * g.strides[0] + u * g.dilations[0] - g.padBegin[0]
                                for v in 0..<kw {
                                    let ix = j * g.strides[1] + v * g.dilations[1] - g.padBegin[1]
                                    let inside = iy >= 0 && iy < h && ix >= 0 && ix < wd
                                    matrix.append(inside ? x[((gi * cg + c) * h + iy) * wd + ix][r] : zero)
                                }
                            }
                        }
                    }
                }
            }
            var kernel: [Value] = []
            kernel.reserveCapacity(inner * og)
            for c in 0..<cg {
                for u in 0..<kh {
                    for v in 0..<kw {
                        for oc in 0..<og { kernel.append(weights[(((gi * og + oc) * cg + c) * kh + u) * kw + v]) }
                    }
                }
            }
            let products = try b.matmul(matrix, kernel, rows: rows * oh * ow, inner: inner, columns: og)
            for oc in 0..<og {
                let channel = gi * og + oc
                for i in 0..<oh {
                    for j in 0..<ow {
                        out[(channel * oh + i) * ow + j] = (0..<rows).map { r in
                            let p = products[((r * oh + i) * ow + j) * og + oc]
                            return biases.map { b.add(p, $0[channel]) } ?? p
                        }
                    }
                }
            }
        }
        return out
    }
}
