/// A decoded ONNX file, before any operator is interpreted: the graph's nodes
/// with their raw attributes, the constant initializers, and the declared
/// inputs and outputs. Produced by `ONNXModel(bytes:)`; `ModelGraph` turns it
/// into a typed, shape-checked graph.
public struct ONNXModel: Sendable {
    public var irVersion: Int64
    /// `producer_name producer_version`, e.g. `skl2onnx 1.20.0` or `pytorch 2.15.0`.
    public var producer: String
    /// Operator-set version per domain; the default domain is spelled "".
    public var opsets: [String: Int64]
    public var graphName: String
    public var nodes: [ONNXNode]
    /// Constant tensors by name, in file order.
    public var initializers: [ConstantTensor]
    /// Graph inputs that are not initializers: what the caller supplies.
    public var inputs: [ValueInfo]
    public var outputs: [ValueInfo]
}

/// One node of the graph, as written in the file.
public struct ONNXNode: Sendable {
    public var name: String
    public var opType: String
    /// "" for the default ONNX domain (also spelled "ai.onnx"), "ai.onnx.ml", …
    public var domain: String
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [String: AttributeValue]
}

/// The value of a node attribute, converted to Swift types. Floats are widened
/// to Double exactly.
public enum AttributeValue: Sendable, Equatable {
    case float(Double)
    case int(Int64)
    case string(String)
    case tensor(ConstantTensor)
    case floats([Double])
    case ints([Int64])
    case strings([String])
    /// A kind zkpolicyc never reads (graphs, sparse tensors, type protos): its ONNX type name.
    case unsupported(String)
}

/// Element types of ONNX tensors (TensorProto.DataType).
public enum ElementType: Int32, Sendable, CustomStringConvertible {
    case float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7
    case string = 8, bool = 9, float16 = 10, double = 11, uint32 = 12, uint64 = 13
    case bfloat16 = 16

    public var description: String {
        switch self {
        case .float: "float"
        case .uint8: "uint8"
        case .int8: "int8"
        case .uint16: "uint16"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .string: "string"
        case .bool: "bool"
        case .float16: "float16"
        case .double: "double"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .bfloat16: "bfloat16"
        }
    }

    /// Whether values are real numbers (as opposed to integers, booleans, strings).
    public var isFloatingPoint: Bool {
        self == .float || self == .double || self == .float16 || self == .bfloat16
    }
}

/// One dimension of a declared shape.
public enum Dimension: Sendable, Equatable, CustomStringConvertible {
    case value(Int)
    /// A named symbolic dimension such as `N` or `batch`.
    case symbol(String)
    /// Neither a value nor a name (skl2onnx writes the batch axis this way).
    case unknown

    public var description: String {
        switch self {
        case .value(let v): "\(v)"
        case .symbol(let s): s
        case .unknown: "?"
        }
    }
}

/// The declared type of a graph input or output.
public enum ValueType: Sendable, Equatable, CustomStringConvertible {
    /// A tensor; `shape` is nil when the file declares no shape.
    case tensor(ElementType?, shape: [Dimension]?)
    /// Sequences, maps and other non-tensor types (ZipMap's output is a sequence of maps).
    case nonTensor(String)

    public var description: String {
        switch self {
        case .tensor(let type, let shape):
            let t = type.map { "\($0)" } ?? "?"
            guard let shape else { return "tensor(\(t))" }
            return "tensor(\(t))[\(shape.map { $0.description }.joined(separator: ", "))]"
        case .nonTensor(let name): return name
        }
    }
}

/// A graph input or output: its name and declared type.
public struct ValueInfo: Sendable, Equatable {
    public var name: String
    public var type: ValueType
}

/// A constant tensor (an initializer or an attribute value): row-major values
/// widened to Double (floating-point types) or Int64 (integer and bool types).
public struct ConstantTensor: Sendable, Equatable {
    public enum Values: Sendable, Equatable {
        case floats([Double])
        case ints([Int64])
        case strings([String])
    }

    public var name: String
    public var elementType: ElementType
    public var shape: [Int]
    public var values: Values

    /// The number of elements.
    public var count: Int {
        switch values {
        case .floats(let v): v.count
        case .ints(let v): v.count
        case .strings(let v): v.count
        }
    }

    /// The values as Doubles, or nil for string tensors and for integers
    /// beyond ±2^53 (which a Double cannot hold exactly).
    public var doubles: [Double]? {
        switch values {
        case .floats(let v): return v
        case .ints(let v):
            guard v.allSatisfy({ $0.magnitude <= 1 << 53 }) else { return nil }
            return v.map(Double.init)
        case .strings: return nil
        }
    }

    /// The values as integers: integer tensors as they are, float tensors only
    /// when every value is an integer (shape tensors sometimes are floats).
    public var integers: [Int64]? {
        switch values {
        case .ints(let v): return v
        case .floats(let v):
            guard v.allSatisfy({ $0.rounded() == $0 && $0.magnitude <= 9.0e15 }) else { return nil }
            return v.map { Int64($0) }
        case .strings: return nil
        }
    }
}
