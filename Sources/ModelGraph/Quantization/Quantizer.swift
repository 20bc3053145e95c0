#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

/// Turns a `ModelGraph` into a `QuantizedModel`, choosing a power-of-two
/// scale per tensor from calibration samples (see `QuantizationOptions`) and
/// lowering every operator to the primitive integer operations of `QOp`.
/// The result is checked by `IntervalAnalysis` before it is returned.
public struct Quantizer: Sendable {
    public var options: QuantizationOptions

    public init(options: QuantizationOptions = QuantizationOptions()) { self.options = options }

    /// Quantizes `graph`; `calibration` holds samples (one tensor per graph
    /// input each), typically the data the model will be applied to.
    public func quantize(_ graph: ModelGraph, calibration: [[FloatTensor]]) throws -> QuantizedModel {
        guard !calibration.isEmpty else { throw ModelError(.quantization, "quantization needs at least one calibration sample") }
        let evaluator = FloatEvaluator(graph: graph)
        let recordings = try calibration.map { try evaluator.runRecording($0) }
        var model = try quantize(graph, Lowering(graph: graph, options: options, recordings: recordings))
        model.report.calibrationSamples = calibration.count
        model.report.clampedCalibrationValues = try IntegerEvaluator(model: model).countClamped(calibration)
        return model
    }

    /// Quantizes `graph` with the scales an earlier calibration chose, replayed
    /// from its profile (`QuantizedModel.calibrationProfile`): the result equals
    /// that calibration's, weights included, without its data.
    public func quantize(_ graph: ModelGraph, profile: CalibrationProfile) throws -> QuantizedModel {
        let source = CalibrationSource(replay: profile)
        let model = try quantize(graph, Lowering(graph: graph, options: options, recordings: [], calibration: source))
        guard source.replayMatched else {
            throw ModelError(.quantization, "the calibration profile (\(profile.magnitudes.count) values) was made for another model or quantizer")
        }
        return model
    }

    private func quantize(_ graph: ModelGraph, _ lowering: Lowering) throws -> QuantizedModel {
        var lowering = lowering
        try lowering.run()
        var architecture = lowering.builder.architecture
        architecture.outputs = try graph.outputs.map { output in
            guard case .tensor(let id)? = lowering.values[output.valueName] else {
                throw ModelError(.quantization, "output '\(output.name)' is a constant; constant outputs are not supported")
            }
            return QOutput(name: output.name, tensor: id, sampleShape: output.sampleShape)
        }
        try architecture.validate()
        let analysis = try IntervalAnalysis(architecture)
        let weights = QuantizedWeights(values: lowering.builder.weightValues)
        var model = QuantizedModel(architecture: architecture, weights: weights, report: QuantizationReport(
            options: options, calibrationSamples: 0, maxBits: analysis.maxBits,
            maxBitsAt: analysis.maxBitsAt, clampedCalibrationValues: 0))
        model.calibrationProfile = lowering.calibration.profile
        return model
    }
}

/// The lowering of one graph: a value map from ONNX names to program tensors.
struct Lowering {
    enum Value {
        case tensor(QTensorID)
        case constant(FloatTensor)
    }

    let graph: ModelGraph
    let options: QuantizationOptions
    let recordings: [[String: FloatTensor]]
    /// Logs every calibrated maximum (or replays them from a profile).
    let calibration: CalibrationSource
    var builder = ProgramBuilder()
    var values: [String: Value] = [:]
    /// ONNX values already produced by a fused step (MatMul + Add).
    var fused: Set<String> = []
    var node: NodeReference = NodeReference(opType: "", name: "", index: 0)

    init(graph: ModelGraph, options: QuantizationOptions, recordings: [[String: FloatTensor]],
         calibration: CalibrationSource = CalibrationSource()) {
        self.graph = graph
        self.options = options
        self.recordings = recordings
        self.calibration = calibration
    }

    mutating func run() throws {
        for (name, t) in graph.constants { values[name] = .constant(t) }
        for input in graph.inputs {
            let feedsTrees = graph.nodes.contains { node in
                if case .treeEnsemble = node.operation { return node.inputs.first == input.name }
                return false
            }
            let bits = feedsTrees ? options.treeInputBits : options.inputBits
            let scale = scaleFor(maxAbs: calibratedMax(input.name), bits: bits)
            let raw = builder.input(name: input.name, shape: input.shape, sampleShape: input.sampleShape, scale: scale)
            let bound = (Int64(1) << Int64(bits + 1)) - 1
            values[input.name] = .tensor(try builder.emit(.clamp(lo: -bound, hi: bound), [raw], name: input.name + "/clamped",
                                                          shape: input.shape, scale: scale))
        }
        for n in graph.nodes {
            node = n.reference
            if n.outputs.allSatisfy({ fused.contains($0) }) { continue }
            do {
                try lower(n)
            } catch let error as ModelError where error.kind == .quantization || error.kind == .unsupported {
                throw error.message.hasPrefix("\(node)") ? error : ModelError(error.kind, "\(node): \(error.message)")
            }
        }
    }

    // MARK: calibration and scales

    /// Largest magnitude of a value over all calibration samples.
    func calibratedMax(_ name: String) -> Double {
        calibration.next {
            recordings.reduce(0) { m, r in max(m, r[name]?.scalars.reduce(0) { max($0, abs($1)) } ?? 0) }
        }
    }

    /// s = bits − ⌈log2 maxAbs⌉ clamped to 0…maxScale (maxAbs 0 counts as 1).
    func scaleFor(maxAbs: Double, bits: Int) -> Int {
        let m = maxAbs > 0 && maxAbs.isFinite ? maxAbs : 1
        let s = bits - Int(log2(m).rounded(.up))
        return min(max(s, 0), FixedPoint.maxScale)
    }

    func activationScale(_ name: String) -> Int { scaleFor(maxAbs: calibratedMax(name), bits: options.activationBits) }

    func weightScale(_ t: FloatTensor) -> Int {
        scaleFor(maxAbs: t.scalars.reduce(0) { max($0, abs($1)) }, bits: options.weightBits)
    }

    // MARK: operands

    func shape(_ name: String) -> [Int] { graph.shapes[name] ?? [] }

    func tensor(_ name: String) throws -> QTensorID {
        switch values[name] {
        case .tensor(let id)?: return id
        case .constant?: throw ModelError(.unsupported, "operand '\(name)' is a constant where the quantized program needs a computed value")
        case nil: throw ModelError(.quantization, "operand '\(name)' has no quantized value")
        }
    }

    func constant(_ name: String) -> FloatTensor? {
        if case .constant(let t)? = values[name] { return t }
        return nil
    }

    func scale(_ id: QTensorID) -> Int { builder.tensors[id].scale }
    func tshape(_ id: QTensorID) -> [Int] { builder.tensors[id].shape }

    // MARK: common step sequences

    /// Brings an accumulator to `target` scale (rounding half up; never
    /// upward) and saturates it to ±(2^(activationBits+1) − 1) unless the
    /// interval analysis already proves it inside.
    mutating func requantize(_ acc: QTensorID, to target: Int, name: String) throws -> QTensorID {
        var x = acc
        if scale(x) > target {
            x = try builder.emit(.rescale(shift: scale(x) - target), [x], name: name + "/rescaled", shape: tshape(x), scale: target)
        }
        let limit = (Int64(1) << Int64(options.activationBits + 1)) - 1
        let b = builder.bounds[x]
        if b.lower < BigIntOf(-limit) || b.upper > BigIntOf(limit) {
            x = try builder.emit(.clamp(lo: -limit, hi: limit), [x], name: name, shape: tshape(x), scale: scale(x))
        }
        return x
    }

    /// Exactly `target` scale: a rounding rescale down or an exact shift up.
    mutating func toScale(_ x: QTensorID, _ target: Int, name: String) throws -> QTensorID {
        let s = scale(x)
        if s == target { return x }
        if s > target { return try builder.emit(.rescale(shift: s - target), [x], name: name, shape: tshape(x), scale: target) }
        guard target - s < 62 else { throw ModelError(.quantization, "cannot shift '\(name)' up by \(target - s) bits") }
        return try builder.emit(.affine(multiplier: 1 << Int64(target - s), offset: 0), [x], name: name, shape: tshape(x), scale: target)
    }

    /// A nonlinearity through its table: move to the table's input scale, clamp to its domain, look up.
    mutating func lookup(_ x: QTensorID, _ function: String, name: String) throws -> QTensorID {
        let table: LookupTable
        let inputScale: Int
        switch function {
        case "sigmoid":
            inputScale = options.sigmoidInputScale
            table = LookupTables.sigmoid(inputScale: inputScale, outputScale: options.tableOutputScale)
        case "tanh":
            inputScale = options.tanhInputScale
            table = LookupTables.tanh(inputScale: inputScale, outputScale: options.tableOutputScale)
        default:
            inputScale = options.expInputScale
            table = LookupTables.exp(inputScale: inputScale, outputScale: options.tableOutputScale)
        }
        let index = builder.table(table, key: "\(function)/\(inputScale)/\(options.tableOutputScale)")
        let t = builder.tables[index]
        var y = try toScale(x, inputScale, name: name + "/\(function)-in")
        let b = builder.bounds[y]
        if b.lower < BigIntOf(t.domainStart) || b.upper > BigIntOf(t.domainEnd) {
            y = try builder.emit(.clamp(lo: t.domainStart, hi: t.domainEnd), [y], name: name + "/\(function)-domain",
                                 shape: tshape(y), scale: inputScale)
        }
        return try builder.emit(.lookup(table: index), [y], name: name, shape: tshape(y), scale: t.outputScale)
    }

    /// Softmax along `axis`: max, differences, exp table, sum, rounded division.
    mutating func softmax(_ x: QTensorID, axis: Int, name: String) throws -> QTensorID {
        var reduced = tshape(x)
        reduced[axis] = 1
        let m = try builder.emit(.reduceMax(axis: axis), [x], name: name + "/max", shape: reduced, scale: scale(x))
        let d = try builder.emit(.sub, [x, m], name: name + "/shifted", shape: tshape(x), scale: scale(x))
        let e = try lookup(d, "exp", name: name + "/exp")
        let s = try builder.emit(.reduceSum(axis: axis), [e], name: name + "/sum", shape: reduced, scale: scale(e))
        return try builder.emit(.divide(shift: options.tableOutputScale), [e, s], name: name, shape: tshape(x),
                                scale: options.tableOutputScale)
    }

    /// Maps class indices (scale 0) to labels, unless the labels are 0, 1, 2, ….
    mutating func labels(_ index: QTensorID, _ labels: [Int64], name: String) throws -> QTensorID {
        if labels == (0..<Int64(labels.count)).map({ $0 }) { return index }
        let t = builder.table(LookupTables.labels(labels), key: "labels/\(labels)")
        return try builder.emit(.lookup(table: t), [index], name: name, shape: tshape(index), scale: 0)
    }

    /// Brings tensors to one common scale (the largest) by exact shifts.
    mutating func aligned(_ ids: [QTensorID], name: String) throws -> [QTensorID] {
        let target = ids.map(scale).max() ?? 0
        return try ids.enumerated().map { try toScale($0.element, target, name: name + "/aligned\($0.offset)") }
    }
}

/// BigInt from Int64 (the BigNumber initialiser takes Int).
func BigIntOf(_ v: Int64) -> BigInt { BigInt(Int(v)) }

import BigNumber
