extension QuantizedArchitecture {
    /// Checks that the program is well formed: every reference is in range,
    /// tensors are written once (inputs never) and read only after, and every
    /// step's operand and result shapes fit its operation. A validated
    /// architecture (with weights of the declared shapes) cannot make the
    /// integer evaluator trap. Throws `.malformed` naming the first problem.
    public func validate() throws {
        func fail(_ message: String) -> ModelError { ModelError(.malformed, "quantized architecture: \(message)") }
        for t in tensors {
            guard t.shape.allSatisfy({ $0 >= 0 }), t.shape.count <= 8,
                  t.shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }) <= Shapes.maxElements else {
                throw fail("tensor '\(t.name)' has shape \(t.shape)")
            }
        }
        for w in weights {
            guard w.shape.allSatisfy({ $0 >= 0 }), w.shape.count <= 8, w.lower <= w.upper,
                  w.shape.reduce(1, { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }) <= Shapes.maxElements else {
                throw fail("weight '\(w.name)' has shape \(w.shape) or bounds \(w.lower)...\(w.upper)")
            }
        }
        for t in tables {
            guard !t.values.isEmpty, t.values.count <= 1 << 20,
                  !t.domainStart.addingReportingOverflow(Int64(t.values.count)).overflow else {
                throw fail("table '\(t.function)' is empty or too large")
            }
        }
        var written = [Bool](repeating: false, count: tensors.count)
        for input in inputs {
            guard input.tensor < tensors.count, !written[input.tensor] else { throw fail("bad input tensor \(input.tensor)") }
            written[input.tensor] = true
        }
        let node = NodeReference(opType: "step", name: "", index: 0)
        for (index, step) in steps.enumerated() {
            guard step.output < tensors.count, !written[step.output] else { throw fail("step \(index) writes tensor \(step.output) again") }
            for i in step.inputs {
                guard i < tensors.count, written[i] else { throw fail("step \(index) reads tensor \(i) before it is written") }
            }
            let shapes = step.inputs.map { tensors[$0].shape }
            do {
                let expected = try outputShape(step.op, shapes, node)
                guard expected.reduce(1, *) == tensors[step.output].count,
                      expected == tensors[step.output].shape || isShapeFree(step.op) else {
                    throw fail("step \(index) (\(IntervalAnalysis.opName(step.op))) makes shape \(expected), tensor '\(tensors[step.output].name)' is \(tensors[step.output].shape)")
                }
            } catch let error as ModelError where error.kind != .malformed {
                throw fail("step \(index) (\(IntervalAnalysis.opName(step.op))): \(error.message)")
            }
            written[step.output] = true
        }
        for output in outputs where output.tensor >= tensors.count || !written[output.tensor] {
            throw fail("output '\(output.name)' is never written")
        }
    }

    private func isShapeFree(_ op: QOp) -> Bool {
        if case .reshape = op { return true }
        return false
    }

    private func weight(_ i: Int) throws -> WeightSpec {
        guard i >= 0, i < weights.count else { throw ModelError(.malformed, "weight \(i) does not exist") }
        return weights[i]
    }

    /// The result shape of `op` on operands of `shapes` (throws if they do not fit).
    func outputShape(_ op: QOp, _ shapes: [[Int]], _ node: NodeReference) throws -> [Int] {
        func arity(_ n: Int) throws {
            guard shapes.count == n else { throw ModelError(.shape, "takes \(n) operands, has \(shapes.count)") }
        }
        func bad(_ message: String) -> ModelError { ModelError(.shape, message) }
        switch op {
        case .clamp, .relu, .leakyRelu, .abs, .affine, .rescale, .sqrtFloor, .greaterThan:
            try arity(1)
            return shapes[0]
        case .lookup(let t):
            try arity(1)
            guard t >= 0, t < tables.count else { throw bad("table \(t) does not exist") }
            return shapes[0]
        case .divideByConstant(let divisors):
            try arity(1)
            guard !divisors.isEmpty, divisors.allSatisfy({ $0 >= 1 }) else { throw bad("divisors must be ≥ 1") }
            return shapes[0]
        case .dense(let w, let b):
            try arity(1)
            let ws = try weight(w)
            guard ws.shape.count == 2, shapes[0].last == ws.shape[0], ws.shape[0] > 0 else { throw bad("weights \(ws.shape) do not fit \(shapes[0])") }
            if let b { guard try weight(b).shape == [ws.shape[1]] else { throw bad("bias does not fit") } }
            return Array(shapes[0].dropLast()) + [ws.shape[1]]
        case .conv(let w, let b, let g, let group):
            try arity(1)
            let ws = try weight(w).shape
            let x = shapes[0]
            guard x.count == 4, x[0] == 1, ws.count == 4, group >= 1, ws[0] % group == 0, x[1] == ws[1] * group,
                  g.inputSize == [x[2], x[3]], g.kernel == [ws[2], ws[3]], try validWindow(g) else {
                throw bad("convolution of \(x) by \(ws) does not fit")
            }
            if let b { guard try weight(b).shape == [ws[0]] else { throw bad("bias does not fit") } }
            return [1, ws[0]] + g.outputSize
        case .weight(let w):
            try arity(0)
            return try weight(w).shape
        case .addWeight(let w), .mulWeight(let w):
            try arity(1)
            return try Shapes.broadcast(shapes[0], try weight(w).shape, node)
        case .add, .sub, .mul, .divide:
            try arity(2)
            return try Shapes.broadcast(shapes[0], shapes[1], node)
        case .maxPool(let g), .sumPool(let g):
            try arity(1)
            let x = shapes[0]
            guard x.count == 4, g.inputSize == [x[2], x[3]], try validWindow(g) else { throw bad("pooling window does not fit \(x)") }
            return [x[0], x[1]] + g.outputSize
        case .reduceSum(let axis), .reduceMax(let axis):
            try arity(1)
            guard axis < shapes[0].count, shapes[0][axis] > 0 else { throw bad("axis \(axis) out of range") }
            var s = shapes[0]
            s[axis] = 1
            return s
        case .argMax(let axis, let keepDims, _):
            try arity(1)
            guard axis < shapes[0].count, shapes[0][axis] > 0 else { throw bad("axis \(axis) out of range") }
            var s = shapes[0]
            if keepDims { s[axis] = 1 } else { s.remove(at: axis) }
            return s
        case .oneHot(let categories):
            try arity(1)
            return shapes[0] + [categories.count]
        case .gather(let axis, let indices, let indicesShape):
            try arity(1)
            guard axis < shapes[0].count, indicesShape.reduce(1, *) == indices.count,
                  indices.allSatisfy({ $0 >= -shapes[0][axis] && $0 < shapes[0][axis] }) else { throw bad("gather indices do not fit") }
            return Array(shapes[0][..<axis]) + indicesShape + Array(shapes[0][(axis + 1)...])
        case .reshape(let shape):
            try arity(1)
            guard shape.reduce(1, *) == shapes[0].reduce(1, *) else { throw bad("reshape changes the element count") }
            return shape
        case .concat(let axis):
            guard !shapes.isEmpty else { throw bad("nothing to concatenate") }
            guard axis < shapes[0].count, shapes.allSatisfy({ $0.count == shapes[0].count }) else { throw bad("bad concat axis") }
            for s in shapes {
                for d in s.indices where d != axis && s[d] != shapes[0][d] { throw bad("concat operands differ") }
            }
            var out = shapes[0]
            out[axis] = shapes.reduce(0) { $0 + $1[axis] }
            return out
        case .treeEnsemble(let e):
            try arity(1)
            guard e.depth >= 0, e.depth <= TreeEnsemble.maxDepth, e.treeCount >= 0, e.featureCount >= 1, e.outputCount >= 1,
                  shapes[0].last == e.featureCount, shapes[0].count <= 2 else { throw bad("tree ensemble does not fit \(shapes[0])") }
            let inner = (1 << e.depth) - 1
            guard try weight(e.features).shape == [e.treeCount, inner],
                  try weight(e.thresholds).shape == [e.treeCount, inner],
                  try weight(e.leaves).shape == [e.treeCount, inner + 1, e.outputCount] else {
                throw bad("tree weights have the wrong shapes")
            }
            let rows = shapes[0].count == 2 ? shapes[0][0] : 1
            return [rows, e.outputCount]
        }
    }

    /// A window's sizes are positive and small, and its output size follows from them.
    private func validWindow(_ g: WindowGeometry) throws -> Bool {
        let all = [g.inputSize, g.outputSize, g.kernel, g.strides, g.dilations, g.padBegin, g.padEnd]
        guard all.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0 >= 0 && $0 <= 1 << 16 } }),
              g.kernel.allSatisfy({ $0 >= 1 }), g.strides.allSatisfy({ $0 >= 1 }), g.dilations.allSatisfy({ $0 >= 1 }) else { return false }
        return g.outputSize[0] * g.outputSize[1] * g.kernel[0] * g.kernel[1] <= Shapes.maxElements
    }
}

extension QuantizedModel {
    /// Checks the architecture and that the weights have the declared counts
    /// and lie within the declared public bounds (what the circuit range-checks).
    public func validate() throws {
        try architecture.validate()
        guard weights.values.count == architecture.weights.count else {
            throw ModelError(.malformed, "\(weights.values.count) weight tensors for \(architecture.weights.count) specs")
        }
        for (spec, values) in zip(architecture.weights, weights.values) {
            guard values.count == spec.count else { throw ModelError(.malformed, "weight '\(spec.name)' has \(values.count) values, \(spec.count) declared") }
            guard values.allSatisfy({ $0 >= spec.lower && $0 <= spec.upper }) else {
                throw ModelError(.malformed, "weight '\(spec.name)' has a value outside its declared bounds \(spec.lower)...\(spec.upper)")
            }
        }
    }
}
