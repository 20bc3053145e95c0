import SwiftProtobuf

/// Limits that keep a hostile file from exhausting memory or stack. A real
/// credit or vision model is far below each of them.
public struct DecodingLimits: Sendable {
    /// Largest accepted file (protobuf itself stops at 2 GiB).
    public var maxFileBytes = 1 << 30
    /// Deepest accepted message nesting (TypeProto can recurse).
    public var maxNesting = 64
    /// Most dimensions of a tensor.
    public var maxRank = 8
    /// Most elements of one tensor; data must also be present in the file.
    public var maxTensorElements = 1 << 28
    /// Most nodes in the graph.
    public var maxNodes = 1 << 20

    public init() {}
}

extension ONNXModel {
    /// Decodes an ONNX file.
    ///
    /// Throws `ModelError` (`.malformed` for bytes that are not a well-formed
    /// model protobuf, `.unsupported` for external data, sparse or segmented
    /// tensors and sub-graphs, `.invalidModel` for inconsistent contents).
    /// Never traps, and allocates at most a small multiple of the file size:
    /// every length is checked against the bytes actually present.
    public init(bytes: [UInt8], limits: DecodingLimits = DecodingLimits()) throws {
        guard bytes.count <= limits.maxFileBytes else {
            throw ModelError.malformed("file is \(bytes.count) bytes, more than the \(limits.maxFileBytes) accepted")
        }
        guard !bytes.isEmpty else { throw ModelError.malformed("file is empty") }
        var options = BinaryDecodingOptions()
        options.messageDepthLimit = limits.maxNesting
        options.discardUnknownFields = true
        let proto: Onnx_ModelProto
        do {
            proto = try Onnx_ModelProto(serializedBytes: bytes, options: options)
        } catch {
            throw ModelError.malformed("not a valid ONNX protobuf (\(Self.describe(error)))")
        }
        try self.init(proto: proto, limits: limits)
    }

    private static func describe(_ error: Error) -> String {
        switch error as? BinaryDecodingError {
        case .truncated?: return "truncated data"
        case .malformedProtobuf?: return "malformed protobuf"
        case .messageDepthLimit?: return "nesting deeper than the limit"
        case .invalidUTF8?: return "invalid UTF-8 in a string"
        case .missingRequiredFields?: return "missing required fields"
        default: return "\(error)"
        }
    }

    init(proto: Onnx_ModelProto, limits: DecodingLimits) throws {
        guard proto.hasGraph else { throw ModelError.malformed("the file holds no graph (not an ONNX model?)") }
        guard proto.irVersion >= 3 else {
            throw ModelError.unsupported("ONNX IR version \(proto.irVersion) is too old (3 or later is needed)")
        }
        irVersion = proto.irVersion
        producer = [proto.producerName, proto.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        var opsets: [String: Int64] = [:]
        for entry in proto.opsetImport {
            let domain = entry.domain == "ai.onnx" ? "" : entry.domain
            opsets[domain] = max(opsets[domain] ?? 0, entry.version)
        }
        if opsets.isEmpty { opsets[""] = 1 }
        self.opsets = opsets
        // Model-local functions are only a problem if a node calls one: such a
        // node's op_type is unknown and is reported as unsupported.

        let graph = proto.graph
        graphName = graph.name
        guard graph.sparseInitializer.isEmpty else {
            throw ModelError.unsupported("sparse initializers are not supported")
        }
        guard graph.node.count <= limits.maxNodes else {
            throw ModelError.unsupported("graph has \(graph.node.count) nodes, more than the \(limits.maxNodes) accepted")
        }
        var initializers: [ConstantTensor] = []
        var seen = Set<String>()
        for tensor in graph.initializer {
            let decoded = try ConstantTensor(proto: tensor, context: "initializer '\(tensor.name)'", limits: limits)
            guard !tensor.name.isEmpty else { throw ModelError.invalid("an initializer has no name") }
            guard seen.insert(tensor.name).inserted else {
                throw ModelError.invalid("initializer '\(tensor.name)' is defined twice")
            }
            initializers.append(decoded)
        }
        self.initializers = initializers
        // Older exporters also list initializers among the graph inputs.
        inputs = try graph.input.filter { !seen.contains($0.name) }.map { try ValueInfo(proto: $0) }
        outputs = try graph.output.map { try ValueInfo(proto: $0) }
        guard !outputs.isEmpty else { throw ModelError.invalid("the graph declares no output") }
        nodes = try graph.node.enumerated().map { index, node in
            try ONNXNode(proto: node, index: index, limits: limits)
        }
    }
}

extension ValueInfo {
    init(proto: Onnx_ValueInfoProto) throws {
        guard !proto.name.isEmpty else { throw ModelError.invalid("a graph input or output has no name") }
        name = proto.name
        switch proto.type.value {
        case .tensorType(let tensor)?:
            let element = tensor.hasElemType ? ElementType(rawValue: tensor.elemType) : nil
            var shape: [Dimension]?
            if tensor.hasShape {
                shape = tensor.shape.dim.map { dim in
                    switch dim.value {
                    case .dimValue(let v)?: v >= 0 && v <= Int64(Int32.max) ? .value(Int(v)) : .unknown
                    case .dimParam(let p)?: p.isEmpty ? .unknown : .symbol(p)
                    case nil: .unknown
                    }
                }
            }
            type = .tensor(element, shape: shape)
        case .sequenceType?: type = .nonTensor("sequence")
        case .mapType?: type = .nonTensor("map")
        case .optionalType?: type = .nonTensor("optional")
        case .sparseTensorType?: type = .nonTensor("sparse tensor")
        case .opaqueType?: type = .nonTensor("opaque")
        case nil: type = .tensor(nil, shape: nil)
        }
    }
}

extension ONNXNode {
    init(proto: Onnx_NodeProto, index: Int, limits: DecodingLimits) throws {
        name = proto.name
        opType = proto.opType
        domain = proto.domain == "ai.onnx" ? "" : proto.domain
        inputs = proto.input
        outputs = proto.output
        let where_ = NodeReference(opType: opType.isEmpty ? "?" : opType, name: name, index: index)
        guard !opType.isEmpty else { throw ModelError.invalid("node #\(index) has no operator type") }
        var attributes: [String: AttributeValue] = [:]
        for attribute in proto.attribute {
            guard !attribute.name.isEmpty else {
                throw ModelError.node(where_, .invalidModel, "an attribute has no name")
            }
            guard attributes[attribute.name] == nil else {
                throw ModelError.node(where_, .invalidModel, "attribute '\(attribute.name)' is given twice")
            }
            attributes[attribute.name] = try AttributeValue(
                proto: attribute, context: "\(where_), attribute '\(attribute.name)'", limits: limits)
        }
        self.attributes = attributes
    }
}

extension AttributeValue {
    init(proto a: Onnx_AttributeProto, context: String, limits: DecodingLimits) throws {
        func utf8(_ bytes: Data) throws -> String {
            guard let s = String(validating: bytes, as: UTF8.self) else {
                throw ModelError.malformed("\(context): string is not valid UTF-8")
            }
            return s
        }
        if !a.refAttrName.isEmpty {
            throw ModelError.unsupported("\(context): attribute references (inside functions) are not supported")
        }
        var type = a.type
        if !a.hasType || type == .undefined {
            // IR version 1 files omit the discriminator: infer it from the field set.
            if a.hasF { type = .float } else if a.hasI { type = .int } else if a.hasS { type = .string }
            else if a.hasT { type = .tensor } else if !a.floats.isEmpty { type = .floats }
            else if !a.ints.isEmpty { type = .ints } else if !a.strings.isEmpty { type = .strings }
            else if a.hasG || !a.graphs.isEmpty { type = .graph }
        }
        switch type {
        case .float: self = .float(Double(a.f))
        case .int: self = .int(a.i)
        case .string: self = .string(try utf8(a.s))
        case .tensor: self = .tensor(try ConstantTensor(proto: a.t, context: context, limits: limits))
        case .floats: self = .floats(a.floats.map(Double.init))
        case .ints: self = .ints(a.ints)
        case .strings: self = .strings(try a.strings.map(utf8))
        case .tensors: self = .unsupported("TENSORS")
        case .graph, .graphs: self = .unsupported("GRAPH")
        case .sparseTensor, .sparseTensors: self = .unsupported("SPARSE_TENSOR")
        case .typeProto, .typeProtos: self = .unsupported("TYPE_PROTO")
        case .undefined: self = .unsupported("UNDEFINED")
        }
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
