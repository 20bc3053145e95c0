/// Runs a `QuantizedModel` exactly: the semantics the circuit must reproduce.
public struct IntegerEvaluator: Sendable {
    public let model: QuantizedModel

    public init(model: QuantizedModel) { self.model = model }

    var context: IntegerKernels.Context {
        IntegerKernels.Context(architecture: model.architecture, weights: model.weights)
    }

    /// Runs the program on already-quantized inputs (one per `architecture.inputs`,
    /// each with that tensor's element count). Returns every tensor, indexed by `QTensorID`.
    public func runAll(_ inputs: [IntTensor]) throws -> [IntTensor] {
        let a = model.architecture
        try model.validate()
        guard inputs.count == a.inputs.count else {
            throw ModelError(.input, "the model takes \(a.inputs.count) inputs, \(inputs.count) given")
        }
        var values = [IntTensor?](repeating: nil, count: a.tensors.count)
        for (input, tensor) in zip(a.inputs, inputs) {
            let spec = a.tensors[input.tensor]
            guard tensor.count == spec.count else {
                throw ModelError(.input, "input '\(input.name)' takes \(spec.count) values, \(tensor.count) given")
            }
            guard tensor.scalars.allSatisfy({ $0.magnitude < UInt64(FixedPoint.inputLimit) }) else {
                throw ModelError(.input, "input '\(input.name)' holds a value beyond ±2^61")
            }
            values[input.tensor] = tensor.reshaped(spec.shape)
        }
        let c = context
        for step in a.steps {
            let operands = try step.inputs.map { id -> IntTensor in
                guard let v = values[id] else { throw ModelError(.quantization, "tensor \(id) is read before it is written") }
                return v
            }
            let y = try IntegerKernels.evaluate(step, operands, c)
            guard y.scalars.allSatisfy({ $0.magnitude < UInt64(FixedPoint.limit) }) else {
                throw ModelError(.overflow, "tensor '\(a.tensors[step.output].name)' left ±2^62")
            }
            values[step.output] = y
        }
        return try values.enumerated().map { i, v in
            guard let v else { throw ModelError(.quantization, "tensor '\(a.tensors[i].name)' is never written") }
            return v
        }
    }

    /// Runs the program on quantized inputs; returns the output tensors.
    public func run(_ inputs: [IntTensor]) throws -> [IntTensor] {
        let all = try runAll(inputs)
        return model.architecture.outputs.map { all[$0.tensor] }
    }

    /// Quantizes real inputs (⌊x · 2^s + 1/2⌋ at each input's scale), runs the
    /// program, and returns the outputs as real values (q / 2^scale).
    public func run(real inputs: [FloatTensor]) throws -> [FloatTensor] {
        dequantize(try run(try quantize(inputs)))
    }

    /// Quantizes real inputs at each input's scale (refusing values beyond ±2^61 once quantized).
    public func quantize(_ inputs: [FloatTensor]) throws -> [IntTensor] {
        let a = model.architecture
        guard inputs.count == a.inputs.count else {
            throw ModelError(.input, "the model takes \(a.inputs.count) inputs, \(inputs.count) given")
        }
        return try zip(a.inputs, inputs).map { input, t in
            let s = a.tensors[input.tensor].scale
            return IntTensor(shape: t.shape, scalars: try t.scalars.map { v in
                guard let q = FixedPoint.quantize(v, scale: s), q.magnitude < UInt64(FixedPoint.inputLimit) else {
                    throw ModelError(.input, "input '\(input.name)' value \(v) is not representable at scale 2^\(s)")
                }
                return q
            })
        }
    }

    /// The real values (q / 2^scale) of output tensors.
    public func dequantize(_ outputs: [IntTensor]) -> [FloatTensor] {
        zip(model.architecture.outputs, outputs).map { o, t in
            let s = model.architecture.tensors[o.tensor].scale
            return FloatTensor(shape: t.shape, scalars: t.scalars.map { FixedPoint.dequantize($0, scale: s) })
        }
    }

    /// How many input and activation values the program's saturating clamps
    /// changed over these samples (clamps into a table's domain, where the
    /// function is flat, are not counted).
    public func countClamped(_ samples: [[FloatTensor]]) throws -> Int {
        let steps = model.architecture.steps
        let feedsTable = Set(steps.compactMap { step -> QTensorID? in
            if case .lookup = step.op { return step.inputs[0] }
            return nil
        })
        var total = 0
        for sample in samples {
            let all = try runAll(try quantize(sample))
            for step in steps where !feedsTable.contains(step.output) {
                guard case .clamp = step.op else { continue }
                let before = all[step.inputs[0]].scalars, after = all[step.output].scalars
                total += zip(before, after).filter { $0 != $1 }.count
            }
        }
        return total
    }
}
