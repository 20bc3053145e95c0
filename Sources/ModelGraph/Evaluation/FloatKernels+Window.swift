extension FloatKernels {
    /// 2-D convolution, NCHW input, weights [O, C/group, kh, kw], optional bias [O].
    static func conv(_ x: FloatTensor, _ w: FloatTensor, _ bias: FloatTensor?, _ g: ConvGeometry,
                     _ node: NodeReference) throws -> FloatTensor {
        let (geometry, dims) = try convGeometry(x.shape, w.shape, bias?.shape, g, node)
        let (n, c, h, wd, o, cg) = dims
        let (oh, ow) = (geometry.outputSize[0], geometry.outputSize[1])
        let (kh, kw) = (w.shape[2], w.shape[3])
        let og = o / g.group
        var out = [Double](repeating: 0, count: n * o * oh * ow)
        for b in 0..<n {
            for oc in 0..<o {
                let group = oc / og
                for y in 0..<oh {
                    for xx in 0..<ow {
                        var s = bias?.scalars[oc] ?? 0
                        for ic in 0..<cg {
                            let channel = group * cg + ic
                            for ky in 0..<kh {
                                let iy = y * geometry.strides[0] + ky * geometry.dilations[0] - geometry.padBegin[0]
                                if iy < 0 || iy >= h { continue }
                                for kx in 0..<kw {
                                    let ix = xx * geometry.strides[1] + kx * geometry.dilations[1] - geometry.padBegin[1]
                                    if ix < 0 || ix >= wd { continue }
                                    s += x.scalars[((b * c + channel) * h + iy) * wd + ix]
                                        * w.scalars[((oc * cg + ic) * kh + ky) * kw + kx]
                                }
                            }
                        }
                        out[((b * o + oc) * oh + y) * ow + xx] = s
                    }
                }
            }
        }
        return FloatTensor(shape: [n, o, oh, ow], scalars: out)
    }

    /// Checks convolution operand shapes; returns the geometry and (N, C, H, W, O, C/group).
    static func convGeometry(_ x: [Int], _ w: [Int], _ bias: [Int]?, _ g: ConvGeometry, _ node: NodeReference) throws
        -> (WindowGeometry, (Int, Int, Int, Int, Int, Int)) {
        guard x.count == 4, w.count == 4 else {
            throw ModelError.node(node, .unsupported, "only 2-D convolutions over NCHW inputs are supported, got \(x) and \(w)")
        }
        let (o, cg, kh, kw) = (w[0], w[1], w[2], w[3])
        guard x[1] == cg * g.group, o % g.group == 0, kh > 0, kw > 0 else {
            throw ModelError.node(node, .shape, "weights \(w) do not fit input \(x) with group \(g.group)")
        }
        if !g.kernel.isEmpty, g.kernel != [kh, kw] {
            throw ModelError.node(node, .shape, "kernel_shape \(g.kernel) differs from the weights \(w)")
        }
        if let bias, bias != [o] { throw ModelError.node(node, .shape, "bias \(bias) does not fit \(o) output channels") }
        let geometry = try WindowGeometry(input: [x[2], x[3]], kernel: [kh, kw], strides: g.strides, dilations: g.dilations,
                                          pads: g.pads, autoPad: g.autoPad, ceilMode: false, node)
        _ = try Shapes.count([x[0], o, geometry.outputSize[0], geometry.outputSize[1]], node)
        return (geometry, (x[0], x[1], x[2], x[3], o, cg))
    }

    static func poolGeometry(_ x: [Int], _ g: PoolGeometry, _ node: NodeReference) throws -> WindowGeometry {
        guard x.count == 4 else { throw ModelError.node(node, .unsupported, "only 2-D pooling over NCHW inputs is supported, got \(x)") }
        let geometry = try WindowGeometry(input: [x[2], x[3]], kernel: g.kernel, strides: g.strides, dilations: [1, 1],
                                          pads: g.pads, autoPad: g.autoPad, ceilMode: g.ceilMode, node)
        _ = try Shapes.count([x[0], x[1], geometry.outputSize[0], geometry.outputSize[1]], node)
        return geometry
    }

    /// For each output position of a pool, the input positions (linear, within one channel plane)
    /// its window covers, and the window's size counting padding (for count_include_pad).
    static func poolWindows(_ geometry: WindowGeometry) -> [(positions: [Int], paddedCount: Int)] {
        let (h, w) = (geometry.inputSize[0], geometry.inputSize[1])
        var result: [(positions: [Int], paddedCount: Int)] = []
        for y in 0..<geometry.outputSize[0] {
            for x in 0..<geometry.outputSize[1] {
                var positions: [Int] = []
                let y0 = y * geometry.strides[0] - geometry.padBegin[0]
                let x0 = x * geometry.strides[1] - geometry.padBegin[1]
                for iy in y0 ..< y0 + geometry.kernel[0] where iy >= 0 && iy < h {
                    for ix in x0 ..< x0 + geometry.kernel[1] where ix >= 0 && ix < w {
                        positions.append(iy * w + ix)
                    }
                }
                // As onnxruntime: the window clipped to the input plus its end padding
                // (ceil mode can make the last window overhang even that).
                let yEnd = min(y0 + geometry.kernel[0], h + geometry.padEnd[0])
                let xEnd = min(x0 + geometry.kernel[1], w + geometry.padEnd[1])
                result.append((positions, (yEnd - y0) * (xEnd - x0)))
            }
        }
        return result
    }

    static func pool(_ x: FloatTensor, _ g: PoolGeometry, average: Bool, countIncludePad: Bool,
                     _ node: NodeReference) throws -> FloatTensor {
        let geometry = try poolGeometry(x.shape, g, node)
        let windows = poolWindows(geometry)
        let planes = x.shape[0] * x.shape[1]
        let plane = x.shape[2] * x.shape[3]
        var out: [Double] = []
        out.reserveCapacity(planes * windows.count)
        for p in 0..<planes {
            for window in windows {
                guard !window.positions.isEmpty else {
                    throw ModelError.node(node, .shape, "a pooling window covers only padding")
                }
                if average {
                    var s = 0.0
                    for i in window.positions { s += x.scalars[p * plane + i] }
                    out.append(s / Double(countIncludePad ? window.paddedCount : window.positions.count))
                } else {
                    var m = -Double.infinity
                    for i in window.positions { m = max(m, x.scalars[p * plane + i]) }
                    out.append(m)
                }
            }
        }
        return FloatTensor(shape: [x.shape[0], x.shape[1]] + geometry.outputSize, scalars: out)
    }

    /// BatchNormalization as a per-channel affine map y = scale·x + shift.
    static func batchNormAffine(inputs: [FloatTensor], epsilon: Double, _ node: NodeReference) throws -> ([Double], [Double]) {
        let (gamma, beta, mean, variance) = (inputs[0], inputs[1], inputs[2], inputs[3])
        let c = gamma.count
        guard [beta.count, mean.count, variance.count].allSatisfy({ $0 == c }) else {
            throw ModelError.node(node, .shape, "scale, bias, mean and var differ in length")
        }
        var scale = [Double](repeating: 0, count: c), shift = scale
        for i in 0..<c {
            let v = variance.scalars[i] + epsilon
            guard v > 0 else { throw ModelError.node(node, .invalidModel, "variance + epsilon is not positive") }
            scale[i] = gamma.scalars[i] / v.squareRoot()
            shift[i] = beta.scalars[i] - mean.scalars[i] * scale[i]
        }
        return (scale, shift)
    }

    static func channelAffine(_ x: FloatTensor, scale: [Double], shift: [Double], _ node: NodeReference) throws -> FloatTensor {
        guard x.rank >= 2, x.shape[1] == scale.count else {
            throw ModelError.node(node, .shape, "\(scale.count) channels do not fit input \(x.shape)")
        }
        let inner = x.shape[2...].reduce(1, *)
        var out = x.scalars
        for i in out.indices {
            let c = (i / inner) % scale.count
            out[i] = out[i] * scale[c] + shift[c]
        }
        return FloatTensor(shape: x.shape, scalars: out)
    }
}
