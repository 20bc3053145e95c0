/// The exact integer semantics of every `QOp` (see its doc comment). Int64
/// arithmetic is overflow-checked: an overflow throws `.overflow`, which the
/// interval analysis guarantees never happens for a model it accepted.
enum IntegerKernels {
    struct Context {
        var architecture: QuantizedArchitecture
        var weights: QuantizedWeights
        func weight(_ i: Int) -> IntTensor {
            IntTensor(shape: architecture.weights[i].shape, scalars: weights.values[i])
        }
    }

    static func overflow(_ what: String) -> ModelError { ModelError(.overflow, "integer overflow in \(what)") }

    @inline(__always) static func add(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (r, o) = a.addingReportingOverflow(b)
        if o { throw overflow("addition") }
        return r
    }

    @inline(__always) static func mul(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        if o { throw overflow("multiplication") }
        return r
    }

    static func shiftLeft(_ a: Int64, _ k: Int) throws -> Int64 {
        guard k < 63 else { throw overflow("shift") }
        return try mul(a, 1 << Int64(k))
    }

    static func roundShift(_ x: Int64, _ k: Int) throws -> Int64 {
        guard k >= 1, k < 63 else { throw overflow("rescale by \(k)") }
        return try add(x, 1 << Int64(k - 1)) >> Int64(k)
    }

    /// ⌊(2n + d) / (2d)⌋ for d ≥ 1.
    static func divideRounded(_ n: Int64, _ d: Int64) throws -> Int64 {
        let num = try add(try mul(2, n), d)
        let den = try mul(2, d)
        let q = num / den
        return (num % den != 0 && num < 0) ? q - 1 : q
    }

    static func evaluate(_ step: QStep, _ x: [IntTensor], _ c: Context) throws -> IntTensor {
        let shape = c.architecture.tensors[step.output].shape
        // Names the step in shape errors (broadcasting, gather) by its output tensor.
        let node = NodeReference(opType: IntervalAnalysis.opName(step.op), name: c.architecture.tensors[step.output].name,
                                 index: step.output)
        func out(_ scalars: [Int64]) throws -> IntTensor {
            guard scalars.count == shape.reduce(1, *) else {
                throw ModelError(.quantization, "step writing '\(node.name)' produced \(scalars.count) values for shape \(shape)")
            }
            return IntTensor(shape: shape, scalars: scalars)
        }
        switch step.op {
        case .clamp(let lo, let hi): return try out(x[0].scalars.map { min(max($0, lo), hi) })
        case .dense(let w, let b):
            let weight = c.weight(w)
            let (k, n) = (weight.shape[0], weight.shape[1])
            let bias = b.map { c.weight($0).scalars }
            let rows = x[0].count / k
            var y = [Int64](repeating: 0, count: rows * n)
            for r in 0..<rows {
                for j in 0..<n {
                    var s = bias?[j] ?? 0
                    for p in 0..<k { s = try add(s, try mul(x[0].scalars[r * k + p], weight.scalars[p * n + j])) }
                    y[r * n + j] = s
                }
            }
            return try out(y)
        case .conv(let w, let b, let g, let group):
            return try out(try conv(x[0], c.weight(w), b.map { c.weight($0).scalars }, g, group))
        case .weight(let w): return try out(c.weight(w).scalars)
        case .addWeight(let w): return try out(try IntTensor.broadcasting(x[0], c.weight(w), node) { try add($0, $1) }.scalars)
        case .mulWeight(let w): return try out(try IntTensor.broadcasting(x[0], c.weight(w), node) { try mul($0, $1) }.scalars)
        case .add: return try out(try IntTensor.broadcasting(x[0], x[1], node) { try add($0, $1) }.scalars)
        case .sub: return try out(try IntTensor.broadcasting(x[0], x[1], node) { try add($0, try mul(-1, $1)) }.scalars)
        case .mul: return try out(try IntTensor.broadcasting(x[0], x[1], node) { try mul($0, $1) }.scalars)
        case .affine(let m, let o): return try out(try x[0].scalars.map { try add(try mul(m, $0), o) })
        case .rescale(let k): return try out(try x[0].scalars.map { try roundShift($0, k) })
        case .divideByConstant(let divisors):
            return try out(try x[0].scalars.enumerated().map { try divideRounded($0.element, divisors[$0.offset % divisors.count]) })
        case .relu: return try out(x[0].scalars.map { max($0, 0) })
        case .leakyRelu(let num, let k):
            return try out(try x[0].scalars.map { $0 >= 0 ? $0 : try roundShift(try mul($0, num), k) })
        case .lookup(let t):
            let table = c.architecture.tables[t]
            return try out(try x[0].scalars.map { v in
                guard v >= table.domainStart, v <= table.domainEnd else {
                    throw ModelError(.overflow, "value \(v) outside the \(table.function) table's domain \(table.domainStart)...\(table.domainEnd)")
                }
                return table.values[Int(v - table.domainStart)]
            })
        case .maxPool(let g), .sumPool(let g):
            let isMax: Bool = { if case .maxPool = step.op { return true }; return false }()
            let windows = FloatKernels.poolWindows(g)
            let plane = g.inputSize[0] * g.inputSize[1]
            let planes = x[0].count / max(plane, 1)
            var y: [Int64] = []
            y.reserveCapacity(planes * windows.count)
            for p in 0..<planes {
                for window in windows {
                    var acc: Int64 = isMax ? Int64.min : 0
                    for i in window.positions {
                        let v = x[0].scalars[p * plane + i]
                        acc = isMax ? max(acc, v) : try add(acc, v)
                    }
                    y.append(acc)
                }
            }
            return try out(y)
        case .reduceSum(let axis), .reduceMax(let axis):
            let isMax: Bool = { if case .reduceMax = step.op { return true }; return false }()
            let t = x[0]
            let n = t.shape[axis]
            let inner = t.shape[(axis + 1)...].reduce(1, *)
            let outer = t.shape[..<axis].reduce(1, *)
            var y: [Int64] = []
            for o in 0..<outer {
                for i in 0..<inner {
                    var acc: Int64 = isMax ? Int64.min : 0
                    for k in 0..<n {
                        let v = t.scalars[(o * n + k) * inner + i]
                        acc = isMax ? max(acc, v) : try add(acc, v)
                    }
                    y.append(acc)
                }
            }
            return try out(y)
        case .divide(let k):
            return try out(try IntTensor.broadcasting(x[0], x[1], node) { n, d in
                guard d >= 0, n.magnitude <= d.magnitude else {
                    throw ModelError(.overflow, "divide: numerator \(n) exceeds denominator \(d)")
                }
                if d == 0 { return 0 }
                let num = try add(try shiftLeft(n, k + 1), d)
                let den = try mul(2, d)
                let q = num / den
                return (num % den != 0 && num < 0) ? q - 1 : q
            }.scalars)
        case .abs:
            return try out(try x[0].scalars.map { v in
                guard v != Int64.min else { throw overflow("abs") }
                return Swift.abs(v)
            })
        case .sqrtFloor:
            return try out(try x[0].scalars.map { v in
                guard v >= 0 else { throw ModelError(.overflow, "square root of \(v)") }
                return isqrt(v)
            })
        case .argMax(let axis, let keepDims, let selectLast):
            return try out(try ShapeOps.argMax(x[0], axis: axis, keepDims: keepDims, selectLast: selectLast, node).scalars.map(Int64.init))
        case .greaterThan(let t): return try out(x[0].scalars.map { $0 > t ? 1 : 0 })
        case .oneHot(let categories):
            var y: [Int64] = []
            y.reserveCapacity(x[0].count * categories.count)
            for v in x[0].scalars { for cat in categories { y.append(v == cat ? 1 : 0) } }
            return try out(y)
        case .gather(let axis, let indices, let indicesShape):
            return try out(try ShapeOps.gather(x[0], indices: indices, indicesShape: indicesShape, axis: axis, node).scalars)
        case .reshape: return try out(x[0].scalars)
        case .concat(let axis): return try out(try ShapeOps.concat(x, axis: axis, node).scalars)
        case .treeEnsemble(let e): return try out(try trees(x[0], e, c))
        }
    }

    /// ⌊√v⌋ for v ≥ 0, exactly (Newton's method on integers from a Double estimate).
    static func isqrt(_ v: Int64) -> Int64 {
        if v < 2 { return v }
        var r = Int64(Double(v).squareRoot())
        while r > 0 && r.multipliedReportingOverflow(by: r).overflow { r -= 1 }
        while r * r > v { r -= 1 }
        while true {
            let (sq, o) = (r + 1).multipliedReportingOverflow(by: r + 1)
            if o || sq > v { break }
            r += 1
        }
        return r
    }

    static func conv(_ x: IntTensor, _ w: IntTensor, _ bias: [Int64]?, _ g: WindowGeometry, _ group: Int) throws -> [Int64] {
        let (h, wd) = (x.shape[2], x.shape[3])
        let (o, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        let (oh, ow) = (g.outputSize[0], g.outputSize[1])
        let og = o / group
        var out = [Int64](repeating: 0, count: o * oh * ow)
        for oc in 0..<o {
            let base = (oc / og) * cg
            for y in 0..<oh {
                for xx in 0..<ow {
                    var s = bias?[oc] ?? 0
                    for ic in 0..<cg {
                        for ky in 0..<kh {
                            let iy = y * g.strides[0] + ky * g.dilations[0] - g.padBegin[0]
                            if iy < 0 || iy >= h { continue }
                            for kx in 0..<kw {
                                let ix = xx * g.strides[1] + kx * g.dilations[1] - g.padBegin[1]
                                if ix < 0 || ix >= wd { continue }
                                s = try add(s, try mul(x.scalars[((base + ic) * h + iy) * wd + ix],
                                                       w.scalars[((oc * cg + ic) * kh + ky) * kw + kx]))
                            }
                        }
                    }
                    out[(oc * oh + y) * ow + xx] = s
                }
            }
        }
        return out
    }

    static func trees(_ x: IntTensor, _ e: QTreeEnsemble, _ c: Context) throws -> [Int64] {
        let features = c.weights.values[e.features]
        let thresholds = c.weights.values[e.thresholds]
        let leaves = c.weights.values[e.leaves]
        let innerCount = (1 << e.depth) - 1
        let rows = x.count / e.featureCount
        var y = [Int64](repeating: 0, count: rows * e.outputCount)
        for r in 0..<rows {
            for t in 0..<e.treeCount {
                var i = 0
                for _ in 0..<e.depth {
                    let f = Int(features[t * innerCount + i])
                    guard f >= 0, f < e.featureCount else { throw ModelError(.overflow, "tree feature index \(f) out of range") }
                    i = x.scalars[r * e.featureCount + f] <= thresholds[t * innerCount + i] ? 2 * i + 1 : 2 * i + 2
                }
                let leaf = i - innerCount
                for k in 0..<e.outputCount {
                    y[r * e.outputCount + k] = try add(y[r * e.outputCount + k], leaves[(t * (innerCount + 1) + leaf) * e.outputCount + k])
                }
            }
        }
        return y
    }
}
