import BigNumber

/// Accumulates a quantized program step by step, bounding every new tensor
/// with the interval analysis's transfer function as it goes (the quantizer
/// decides where to clamp from those bounds).
struct ProgramBuilder {
    var tensors: [QTensor] = []
    var steps: [QStep] = []
    var weightSpecs: [WeightSpec] = []
    var weightValues: [[Int64]] = []
    var tables: [LookupTable] = []
    var bounds: [Interval] = []
    var inputs: [QInput] = []
    private var tableIndex: [String: Int] = [:]

    var architecture: QuantizedArchitecture {
        QuantizedArchitecture(inputs: inputs, outputs: [], tensors: tensors, weights: weightSpecs, tables: tables, steps: steps)
    }

    mutating func input(name: String, shape: [Int], sampleShape: [Int], scale: Int) -> QTensorID {
        tensors.append(QTensor(name: name, shape: shape, scale: scale))
        bounds.append(IntervalAnalysis.inputBound)
        inputs.append(QInput(name: name, tensor: tensors.count - 1, sampleShape: sampleShape))
        return tensors.count - 1
    }

    /// Appends `output = op(inputs)` and returns the output tensor.
    mutating func emit(_ op: QOp, _ inputs: [QTensorID], name: String, shape: [Int], scale: Int) throws -> QTensorID {
        tensors.append(QTensor(name: name, shape: shape, scale: scale))
        let step = QStep(op: op, inputs: inputs, output: tensors.count - 1)
        let (bound, _) = try IntervalAnalysis.transfer(step, bounds + [Interval(.zero, .zero)], architecture)
        steps.append(step)
        bounds.append(bound)
        return step.output
    }

    /// Adds integer weights with public bounds.
    mutating func weight(_ name: String, _ role: WeightSpec.Role, shape: [Int], scale: Int, values: [Int64],
                         lower: Int64, upper: Int64) -> Int {
        weightSpecs.append(WeightSpec(name: name, role: role, shape: shape, scale: scale, lower: lower, upper: upper))
        weightValues.append(values)
        return weightSpecs.count - 1
    }

    /// Quantizes real weights at `scale`; the public bound is ±(2^b − 1) for the
    /// smallest b covering every entry (it reveals only a bit length).
    mutating func weight(_ name: String, _ role: WeightSpec.Role, _ tensor: FloatTensor, scale: Int) throws -> Int {
        let q = try tensor.scalars.map { v -> Int64 in
            guard let q = FixedPoint.quantize(v, scale: scale), q.magnitude < 1 << 52 else {
                throw ModelError(.quantization, "weight '\(name)' value \(v) does not fit at scale 2^\(scale)")
            }
            return q
        }
        let bits = Int64(64 - (q.map(\.magnitude).max() ?? 0).leadingZeroBitCount)
        let bound = (Int64(1) << bits) - 1
        return weight(name, role, shape: tensor.shape, scale: scale, values: q, lower: -bound, upper: bound)
    }

    mutating func table(_ make: @autoclosure () -> LookupTable, key: String) -> Int {
        if let i = tableIndex[key] { return i }
        tables.append(make())
        tableIndex[key] = tables.count - 1
        return tables.count - 1
    }
}
