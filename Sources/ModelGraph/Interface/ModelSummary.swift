/// What `zkpolicyc model info` prints: the file's inputs, outputs, operators
/// and parameter count, and whether every operator is supported.
public struct ModelSummary: Sendable {
    public var producer: String
    public var irVersion: Int64
    public var opsets: [String: Int64]
    public var declaredInputs: [ValueInfo]
    public var declaredOutputs: [ValueInfo]
    /// Operator (with its domain when not the default one) and how many nodes use it, in order of first use.
    public var operators: [(name: String, count: Int, supported: Bool)]
    /// Elements of every initializer and Constant tensor, plus the numeric list
    /// attributes of ai.onnx.ml operators (coefficients, thresholds, leaf weights, …).
    public var parameterCount: Int
    /// The checked graph, when every operator is supported.
    public var graph: ModelGraph?
    /// Why the graph could not be built (one line per problem), when it could not.
    public var problems: [String]

    /// Summarises a file. Throws only when the bytes are not a decodable ONNX model.
    public init(bytes: [UInt8]) throws {
        let model = try ONNXModel(bytes: bytes)
        producer = model.producer
        irVersion = model.irVersion
        opsets = model.opsets
        declaredInputs = model.inputs
        declaredOutputs = model.outputs
        var order: [String] = []
        var counts: [String: Int] = [:]
        var supported: [String: Bool] = [:]
        var parameters = model.initializers.reduce(0) { $0 + $1.count }
        for node in model.nodes {
            let name = node.domain.isEmpty ? node.opType : "\(node.domain).\(node.opType)"
            if counts[name] == nil { order.append(name) }
            counts[name, default: 0] += 1
            supported[name] = OperatorParser.supported[node.domain]?.contains(node.opType) ?? false
            for value in node.attributes.values {
                switch value {
                case .tensor(let t): parameters += t.count
                case .floats(let v) where node.domain == "ai.onnx.ml": parameters += v.count
                default: break
                }
            }
        }
        operators = order.map { ($0, counts[$0]!, supported[$0]!) }
        parameterCount = parameters
        do {
            graph = try ModelGraph(model)
            problems = []
        } catch let error as ModelError {
            graph = nil
            problems = error.message.split(separator: "\n").map(String.init)
        }
    }

    /// The report as text, one fact per line.
    public func render(file: String) -> String {
        var lines = ["model: \(file)"]
        if !producer.isEmpty { lines.append("producer: \(producer)") }
        let sets = opsets.sorted { $0.key < $1.key }.map { "\($0.key.isEmpty ? "ai.onnx" : $0.key) \($0.value)" }
        lines.append("ONNX IR version \(irVersion), opsets: \(sets.joined(separator: ", "))")
        let signature = graph?.signature
        lines.append("inputs:")
        for (i, input) in declaredInputs.enumerated() {
            let sample = signature.map { "  per sample: tensor\(Self.dims($0.inputs[i].shape))" } ?? ""
            lines.append("  \(input.name): \(input.type)\(sample)")
        }
        lines.append("outputs:")
        for (i, output) in declaredOutputs.enumerated() {
            var text = "  \(output.name): \(output.type)"
            if let signature {
                text += "  per sample: tensor\(Self.dims(signature.outputs[i].shape))"
                if signature.labelOutput == i { text += "  (label)" }
                if signature.scoresOutput == i { text += "  (scores, the default output)" }
                if case .nonTensor = output.type { text += "  (ZipMap dropped: its probabilities)" }
            }
            lines.append(text)
        }
        lines.append("operators: " + operators.map { "\($0.name) ×\($0.count)\($0.supported ? "" : " (unsupported)")" }.joined(separator: ", "))
        lines.append("parameters: \(parameterCount)")
        if problems.isEmpty {
            lines.append("supported: yes, every operator")
        } else {
            lines.append("supported: no")
            lines += problems.map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    static func dims(_ shape: [Int]) -> String { "[\(shape.map(String.init).joined(separator: ", "))]" }
}
