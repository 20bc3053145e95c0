/// A decoded, checked model: typed operators in evaluation order, constant
/// tensors, and the concrete shape of every value for one sample.
///
/// Shapes are for a batch of one: a symbolic (or size-1) leading axis of a
/// rank ≥ 2 input is the batch axis and is fixed to 1; any other symbolic
/// dimension is refused. Constant sub-graphs (Constant nodes, Shape chains)
/// are folded, ZipMap and Dropout are dropped, and BatchNormalization after a
/// Conv or Gemm with constant weights is folded into them.
public struct ModelGraph: Sendable {
    public struct Input: Sendable {
        public var name: String
        public var elementType: ElementType
        /// The full shape, batch axis included (as 1).
        public var shape: [Int]
        /// Whether axis 0 is the batch axis (dropped from the per-sample shape).
        public var hasBatchAxis: Bool
        public var sampleShape: [Int] { hasBatchAxis ? Array(shape.dropFirst()) : shape }
        public var count: Int { shape.reduce(1, *) }
    }

    public struct Output: Sendable {
        /// The name the file gives the output (ZipMap's output keeps its name).
        public var name: String
        /// The value that holds it. (ZipMap becomes an identity node, so its
        /// output keeps the file's name and holds the probability tensor.)
        public var valueName: String
        public var elementType: ElementType
        public var shape: [Int]
        public var hasBatchAxis: Bool
        public var sampleShape: [Int] { hasBatchAxis ? Array(shape.dropFirst()) : shape }
        public var count: Int { shape.reduce(1, *) }
    }

    public struct Node: Sendable {
        public var name: String
        public var opType: String
        public var domain: String
        /// Position in the file's node list (for error messages).
        public var index: Int
        public var operation: Operation
        /// Value names; "" marks an absent optional input.
        public var inputs: [String]
        public var outputs: [String]

        var reference: NodeReference { NodeReference(opType: opType, name: name, index: index) }
    }

    public var producer: String
    public var opsets: [String: Int64]
    public var inputs: [Input]
    public var outputs: [Output]
    /// Operators left after folding, in evaluation order.
    public var nodes: [Node]
    /// Constant values (weights) that the nodes read.
    public var constants: [String: FloatTensor]
    /// Shape of every value (inputs, constants, node outputs) for one sample.
    public var shapes: [String: [Int]]
    public var elementTypes: [String: ElementType]

    /// Decodes and checks an ONNX file.
    public init(bytes: [UInt8]) throws {
        try self.init(try ONNXModel(bytes: bytes))
    }

    /// Checks a decoded model. When nodes are unsupported, the error lists every one of them.
    public init(_ model: ONNXModel) throws {
        producer = model.producer
        opsets = model.opsets
        for (domain, version) in model.opsets where OperatorParser.supported[domain] != nil {
            if domain.isEmpty, !(7...23).contains(version) {
                throw ModelError.unsupported("default-domain opset \(version) is not supported (7–23 are)")
            }
        }
        var values: [String: FloatTensor] = [:]
        var isConstant = Set<String>()
        var types: [String: ElementType] = [:]
        for t in model.initializers {
            guard let d = t.doubles else { continue }   // string initializers: an error if a node reads one
            values[t.name] = FloatTensor(shape: t.shape, scalars: d)
            isConstant.insert(t.name)
            types[t.name] = t.elementType
        }
        inputs = try model.inputs.map(Self.checkInput)
        for input in inputs {
            values[input.name] = FloatTensor(shape: input.shape, repeating: 0)
            types[input.name] = input.elementType
        }
        guard !inputs.isEmpty else { throw ModelError.unsupported("the model has no inputs") }

        let parser = OperatorParser(opsets: model.opsets) { name in isConstant.contains(name) ? values[name] : nil }
        var kept: [Node] = []
        var problems: [ModelError] = []
        var broken = Set<String>()
        for (index, onnx) in model.nodes.enumerated() {
            let reference = NodeReference(opType: onnx.opType, name: onnx.name, index: index)
            do {
                guard !onnx.inputs.contains(where: broken.contains) else { throw CancellationMarker() }
                for name in onnx.inputs where !name.isEmpty && values[name] == nil {
                    throw ModelError.node(reference, .invalidModel, "input '\(name)' is not defined before use")
                }
                for name in onnx.outputs where !name.isEmpty && values[name] != nil {
                    throw ModelError.node(reference, .invalidModel, "output '\(name)' is defined twice")
                }
                switch try parser.parse(onnx, reference: reference) {
                case .constant(let t):
                    guard let out = onnx.outputs.first, !out.isEmpty else { continue }
                    values[out] = t
                    isConstant.insert(out)
                    types[out] = .float
                case .operation(let op):
                    let operands = onnx.inputs.map { $0.isEmpty ? nil : values[$0] }
                    let results = try FloatKernels.evaluate(Self.shapeProbe(op), operands, reference)
                    let folds = onnx.inputs.contains { !$0.isEmpty }
                        && onnx.inputs.allSatisfy { $0.isEmpty || isConstant.contains($0) }
                    let foldable = folds || { if case .shape = op { return true }; return false }()
                    for (i, name) in onnx.outputs.enumerated() where !name.isEmpty {
                        guard i < results.count else {
                            throw ModelError.node(reference, .unsupported, "output \(i) ('\(name)') is not supported")
                        }
                        values[name] = results[i]
                        types[name] = Self.outputType(op, i, onnx.inputs.first.flatMap { types[$0] })
                        if foldable { isConstant.insert(name) }
                    }
                    if !foldable {
                        kept.append(Node(name: onnx.name, opType: onnx.opType, domain: onnx.domain, index: index,
                                         operation: op, inputs: onnx.inputs, outputs: onnx.outputs))
                    }
                }
            } catch let error as ModelError {
                problems.append(error)
                broken.formUnion(onnx.outputs)
            } catch {
                broken.formUnion(onnx.outputs)   // depends on a node already reported
            }
        }
        if !problems.isEmpty {
            let kind: ModelError.Kind = problems.contains { $0.kind == .unsupported } ? .unsupported : problems[0].kind
            throw ModelError(kind, problems.map(\.message).joined(separator: "\n"))
        }
        let batch = inputs.contains { $0.hasBatchAxis }
        outputs = try model.outputs.map { info in
            guard let value = values[info.name] else {
                throw ModelError.invalid("graph output '\(info.name)' is never computed")
            }
            return Output(name: info.name, valueName: info.name, elementType: types[info.name] ?? .float,
                          shape: value.shape, hasBatchAxis: batch && value.rank >= 1 && value.shape[0] == 1)
        }
        nodes = kept
        shapes = values.mapValues(\.shape)
        elementTypes = types
        constants = [:]
        for name in isConstant { constants[name] = values[name] }
        foldBatchNormalizations()
        removeDeadNodes()
    }

    private struct CancellationMarker: Error {}

    /// The operation used for shape inference on zero-filled inputs: the same,
    /// except that data-dependent refusals (a one-hot value outside the categories) are lifted.
    private static func shapeProbe(_ op: Operation) -> Operation {
        if case .oneHotEncoder(let categories, _) = op { return .oneHotEncoder(categories: categories, zeros: true) }
        return op
    }

    private static func outputType(_ op: Operation, _ index: Int, _ input: ElementType?) -> ElementType {
        switch op {
        case .argMax, .shape: return .int64
        case .cast(let to): return to
        case .linearClassifier, .treeEnsemble: return index == 0 ? .int64 : .float
        case .identity, .reshape, .flatten, .squeeze, .unsqueeze, .gather, .concat, .arrayFeatureExtractor:
            return input ?? .float
        default: return .float
        }
    }

    private static func checkInput(_ info: ValueInfo) throws -> Input {
        guard case .tensor(let type, let declared) = info.type else {
            throw ModelError.unsupported("input '\(info.name)' is a \(info.type), not a tensor")
        }
        let element = type ?? .float
        guard element != .string else { throw ModelError.unsupported("input '\(info.name)' holds strings") }
        guard let declared, !declared.isEmpty else {
            throw ModelError.unsupported("input '\(info.name)' declares no shape; export the model with a fixed input shape")
        }
        var shape: [Int] = []
        var batch = false
        for (axis, dim) in declared.enumerated() {
            switch dim {
            case .value(let v):
                if axis == 0, v == 1, declared.count >= 2 { batch = true }
                shape.append(v)
            case .symbol, .unknown:
                guard axis == 0 else {
                    throw ModelError.unsupported("input '\(info.name)' has symbolic dimension '\(dim)' at axis \(axis); only the leading batch axis may be symbolic")
                }
                batch = true
                shape.append(1)
            }
        }
        let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        guard count <= 1 << 24 else { throw ModelError.unsupported("input '\(info.name)' has \(count) elements, too many") }
        return Input(name: info.name, elementType: element, shape: shape, hasBatchAxis: batch)
    }

    /// Drops nodes whose outputs reach no graph output.
    mutating func removeDeadNodes() {
        var needed = Set(outputs.map(\.valueName))
        var live: [Node] = []
        for node in nodes.reversed() where node.outputs.contains(where: needed.contains) {
            live.append(node)
            needed.formUnion(node.inputs.filter { !$0.isEmpty })
        }
        nodes = live.reversed()
        constants = constants.filter { needed.contains($0.key) }
    }

    /// Folds BatchNormalization into a preceding Conv (or Gemm/MatMul over
    /// channels) whose weights are constant and whose output feeds only it.
    mutating func foldBatchNormalizations() {
        var i = 0
        while i < nodes.count {
            defer { i += 1 }
            guard case .batchNormalization(let epsilon) = nodes[i].operation,
                  let producerIndex = nodes.firstIndex(where: { $0.outputs.first == nodes[i].inputs[0] }),
                  case .conv = nodes[producerIndex].operation,
                  nodes.filter({ $0.inputs.contains(nodes[i].inputs[0]) }).count == 1,
                  !outputs.contains(where: { $0.valueName == nodes[i].inputs[0] }),
                  let weights = constants[nodes[producerIndex].inputs[1]],
                  let parameters = Optional(nodes[i].inputs[1...4].compactMap({ constants[$0] })), parameters.count == 4,
                  let (scale, shift) = try? FloatKernels.batchNormAffine(inputs: parameters, epsilon: epsilon, nodes[i].reference),
                  weights.rank == 4, weights.shape[0] == scale.count
            else { continue }
            let conv = nodes[producerIndex]
            let perChannel = weights.count / scale.count
            var w = weights.scalars
            for k in w.indices { w[k] *= scale[k / perChannel] }
            let oldBias = conv.inputs.count > 2 && !conv.inputs[2].isEmpty ? constants[conv.inputs[2]] : nil
            var b = [Double](repeating: 0, count: scale.count)
            for c in b.indices { b[c] = (oldBias?.scalars[c] ?? 0) * scale[c] + shift[c] }
            let wName = uniqueName(conv.inputs[1] + "_bnfolded")
            let bName = uniqueName(conv.inputs[1] + "_bnfolded_bias")
            constants[wName] = FloatTensor(shape: weights.shape, scalars: w)
            constants[bName] = FloatTensor(shape: [b.count], scalars: b)
            shapes[wName] = weights.shape
            shapes[bName] = [b.count]
            nodes[producerIndex].inputs = [conv.inputs[0], wName, bName]
            nodes[producerIndex].outputs = [nodes[i].outputs[0]]
            nodes.remove(at: i)
            i -= 1
        }
    }

    private func uniqueName(_ base: String) -> String {
        var name = base
        var k = 1
        while shapes[name] != nil || constants[name] != nil { name = "\(base)_\(k)"; k += 1 }
        return name
    }
}
