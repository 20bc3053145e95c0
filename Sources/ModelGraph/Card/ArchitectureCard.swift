/// The architecture card: a `QuantizedArchitecture` (the graph without
/// weights, plus scales, weight shapes and bounds, and lookup tables) as
/// deterministic bytes. Equal architectures give equal bytes; the verifying
/// key depends on these bytes only. No weight value is ever written.
///
/// Layout (version 1): the magic `ZKPMCARD`, a version byte, then inputs,
/// outputs, tensors, weight specs, tables (delta-coded) and steps, each a
/// count followed by its records (docs/models.md lists the fields).
public enum ArchitectureCard {
    public static let magic = Array("ZKPMCARD".utf8)
    public static let version: UInt8 = 1

    /// Serialises an architecture.
    public static func encode(_ a: QuantizedArchitecture) -> [UInt8] {
        var w = ByteWriter()
        w.bytes = magic + [version]
        w.count(a.inputs.count)
        for i in a.inputs { w.string(i.name); w.int(i.tensor); w.ints(i.sampleShape) }
        w.count(a.outputs.count)
        for o in a.outputs { w.string(o.name); w.int(o.tensor); w.ints(o.sampleShape) }
        w.count(a.tensors.count)
        for t in a.tensors { w.string(t.name); w.ints(t.shape); w.int(t.scale) }
        w.count(a.weights.count)
        for s in a.weights {
            w.string(s.name); w.string(s.role.rawValue); w.ints(s.shape); w.int(s.scale); w.signed(s.lower); w.signed(s.upper)
        }
        w.count(a.tables.count)
        for t in a.tables {
            w.string(t.function); w.int(t.inputScale); w.int(t.outputScale); w.signed(t.domainStart)
            w.count(t.values.count)
            var previous: Int64 = 0
            for v in t.values { w.signed(v &- previous); previous = v }   // monotone tables: ~1 byte per entry
        }
        w.count(a.steps.count)
        for s in a.steps { encode(s.op, &w); w.ints(s.inputs); w.int(s.output) }
        return w.bytes
    }

    /// Reads a card back and validates it (`QuantizedArchitecture.validate`).
    /// Malformed, truncated or inconsistent bytes throw; nothing traps.
    public static func decode(_ bytes: [UInt8]) throws -> QuantizedArchitecture {
        guard bytes.count > magic.count, Array(bytes.prefix(magic.count)) == magic else {
            throw ModelError(.malformed, "not an architecture card (bad magic)")
        }
        var r = ByteReader(bytes)
        r.position = magic.count
        guard try r.byte() == version else { throw ModelError(.unsupported, "architecture card version is not \(version)") }
        let shapeRange = 0...(1 << 28)
        let inputs = try (0..<r.count()).map { _ in
            QInput(name: try r.string(), tensor: try r.int(0...(1 << 30)), sampleShape: try r.ints(shapeRange))
        }
        let outputs = try (0..<r.count()).map { _ in
            QOutput(name: try r.string(), tensor: try r.int(0...(1 << 30)), sampleShape: try r.ints(shapeRange))
        }
        let tensors = try (0..<r.count()).map { _ in
            QTensor(name: try r.string(), shape: try r.ints(shapeRange), scale: try r.int(-200...200))
        }
        let weights = try (0..<r.count()).map { _ -> WeightSpec in
            let name = try r.string()
            let roleName = try r.string()
            guard let role = WeightSpec.Role(rawValue: roleName) else { throw r.error("unknown weight role \(roleName)") }
            return WeightSpec(name: name, role: role, shape: try r.ints(shapeRange), scale: try r.int(-200...200),
                              lower: try r.signed(), upper: try r.signed())
        }
        let tables = try (0..<r.count()).map { _ -> LookupTable in
            let function = try r.string()
            let inputScale = try r.int(-200...200), outputScale = try r.int(-200...200)
            let start = try r.signed()
            var previous: Int64 = 0
            let values = try (0..<r.count()).map { _ -> Int64 in
                previous = previous &+ (try r.signed())
                return previous
            }
            return LookupTable(function: function, inputScale: inputScale, outputScale: outputScale, domainStart: start, values: values)
        }
        let steps = try (0..<r.count()).map { _ in
            QStep(op: try decodeOp(&r), inputs: try r.ints(0...(1 << 30)), output: try r.int(0...(1 << 30)))
        }
        guard r.atEnd else { throw r.error("trailing bytes") }
        let a = QuantizedArchitecture(inputs: inputs, outputs: outputs, tensors: tensors, weights: weights, tables: tables, steps: steps)
        try a.validate()
        return a
    }

    private static func encode(_ g: WindowGeometry, _ w: inout ByteWriter) {
        for v in [g.inputSize, g.outputSize, g.kernel, g.strides, g.dilations, g.padBegin, g.padEnd] { w.ints(v) }
    }

    private static func decodeGeometry(_ r: inout ByteReader) throws -> WindowGeometry {
        let v = try (0..<7).map { _ in try r.ints(0...(1 << 20)) }
        guard v.allSatisfy({ $0.count == 2 }) else { throw r.error("window geometry must be 2-D") }
        return WindowGeometry(inputSize: v[0], outputSize: v[1], kernel: v[2], strides: v[3], dilations: v[4], padBegin: v[5], padEnd: v[6])
    }

    private static func encode(_ op: QOp, _ w: inout ByteWriter) {
        func optional(_ v: Int?) { w.int(v ?? -1) }
        switch op {
        case .clamp(let lo, let hi): w.count(0); w.signed(lo); w.signed(hi)
        case .dense(let weight, let bias): w.count(1); w.int(weight); optional(bias)
        case .conv(let weight, let bias, let g, let group): w.count(2); w.int(weight); optional(bias); encode(g, &w); w.int(group)
        case .weight(let i): w.count(3); w.int(i)
        case .addWeight(let i): w.count(4); w.int(i)
        case .mulWeight(let i): w.count(5); w.int(i)
        case .add: w.count(6)
        case .sub: w.count(7)
        case .mul: w.count(8)
        case .affine(let m, let o): w.count(9); w.signed(m); w.signed(o)
        case .rescale(let k): w.count(10); w.int(k)
        case .divideByConstant(let d): w.count(11); w.int64s(d)
        case .relu: w.count(12)
        case .leakyRelu(let n, let k): w.count(13); w.signed(n); w.int(k)
        case .lookup(let t): w.count(14); w.int(t)
        case .maxPool(let g): w.count(15); encode(g, &w)
        case .sumPool(let g): w.count(16); encode(g, &w)
        case .reduceSum(let a): w.count(17); w.int(a)
        case .reduceMax(let a): w.count(18); w.int(a)
        case .divide(let k): w.count(19); w.int(k)
        case .abs: w.count(20)
        case .sqrtFloor: w.count(21)
        case .argMax(let a, let keep, let last): w.count(22); w.int(a); w.bool(keep); w.bool(last)
        case .greaterThan(let t): w.count(23); w.signed(t)
        case .oneHot(let c): w.count(24); w.int64s(c)
        case .gather(let a, let indices, let shape): w.count(25); w.int(a); w.ints(indices); w.ints(shape)
        case .reshape(let shape): w.count(26); w.ints(shape)
        case .concat(let a): w.count(27); w.int(a)
        case .treeEnsemble(let e):
            w.count(28)
            for v in [e.treeCount, e.depth, e.featureCount, e.outputCount, e.features, e.thresholds, e.leaves] { w.int(v) }
        }
    }

    private static func decodeOp(_ r: inout ByteReader) throws -> QOp {
        let small = 0...(1 << 30)
        func optional() throws -> Int? { let v = try r.int(-1...(1 << 30)); return v < 0 ? nil : v }
        switch try r.unsigned() {
        case 0: return .clamp(lo: try r.signed(), hi: try r.signed())
        case 1: return .dense(weight: try r.int(small), bias: try optional())
        case 2: return .conv(weight: try r.int(small), bias: try optional(), geometry: try decodeGeometry(&r), group: try r.int(1...(1 << 16)))
        case 3: return .weight(try r.int(small))
        case 4: return .addWeight(try r.int(small))
        case 5: return .mulWeight(try r.int(small))
        case 6: return .add
        case 7: return .sub
        case 8: return .mul
        case 9: return .affine(multiplier: try r.signed(), offset: try r.signed())
        case 10: return .rescale(shift: try r.int(1...62))
        case 11: return .divideByConstant(divisors: try r.int64s())
        case 12: return .relu
        case 13: return .leakyRelu(numerator: try r.signed(), shift: try r.int(1...62))
        case 14: return .lookup(table: try r.int(small))
        case 15: return .maxPool(geometry: try decodeGeometry(&r))
        case 16: return .sumPool(geometry: try decodeGeometry(&r))
        case 17: return .reduceSum(axis: try r.int(0...16))
        case 18: return .reduceMax(axis: try r.int(0...16))
        case 19: return .divide(shift: try r.int(0...60))
        case 20: return .abs
        case 21: return .sqrtFloor
        case 22: return .argMax(axis: try r.int(0...16), keepDims: try r.bool(), selectLast: try r.bool())
        case 23: return .greaterThan(threshold: try r.signed())
        case 24: return .oneHot(categories: try r.int64s())
        case 25: return .gather(axis: try r.int(0...16), indices: try r.ints(), indicesShape: try r.ints(0...(1 << 28)))
        case 26: return .reshape(shape: try r.ints(0...(1 << 28)))
        case 27: return .concat(axis: try r.int(0...16))
        case 28:
            let v = try (0..<7).map { _ in try r.int(small) }
            return .treeEnsemble(QTreeEnsemble(treeCount: v[0], depth: v[1], featureCount: v[2], outputCount: v[3],
                                               features: v[4], thresholds: v[5], leaves: v[6]))
        case let tag: throw r.error("unknown operation \(tag)")
        }
    }
}
