/// Typed access to a node's attributes; every failure names the node.
struct Attributes {
    var node: NodeReference
    var values: [String: AttributeValue]

    func error(_ message: String) -> ModelError { .node(node, .invalidModel, message) }
    func unsupported(_ message: String) -> ModelError { .node(node, .unsupported, message) }

    func has(_ name: String) -> Bool { values[name] != nil }

    func int(_ name: String, default value: Int64? = nil) throws -> Int64 {
        switch values[name] {
        case .int(let v)?: return v
        case nil: if let value { return value }; throw error("attribute '\(name)' is missing")
        default: throw error("attribute '\(name)' must be an integer")
        }
    }

    func float(_ name: String, default value: Double? = nil) throws -> Double {
        switch values[name] {
        case .float(let v)?: return v
        case .int(let v)?: return Double(v)
        case nil: if let value { return value }; throw error("attribute '\(name)' is missing")
        default: throw error("attribute '\(name)' must be a float")
        }
    }

    func string(_ name: String, default value: String? = nil) throws -> String {
        switch values[name] {
        case .string(let v)?: return v
        case nil: if let value { return value }; throw error("attribute '\(name)' is missing")
        default: throw error("attribute '\(name)' must be a string")
        }
    }

    func ints(_ name: String, default value: [Int64]? = nil) throws -> [Int64] {
        switch values[name] {
        case .ints(let v)?: return v
        case .int(let v)?: return [v]
        case nil: if let value { return value }; throw error("attribute '\(name)' is missing")
        default: throw error("attribute '\(name)' must be a list of integers")
        }
    }

    func floats(_ name: String, default value: [Double]? = nil) throws -> [Double] {
        switch values[name] {
        case .floats(let v)?: return v
        case .float(let v)?: return [v]
        case nil: if let value { return value }; throw error("attribute '\(name)' is missing")
        default: throw error("attribute '\(name)' must be a list of floats")
        }
    }

    func strings(_ name: String, default value: [String]? = nil) throws -> [String] {
        switch values[name] {
        case .strings(let v)?: return v
        case .string(let v)?: return [v]
        case nil: if let value { return value }; throw error("attribute '\(name)' is missing")
        default: throw error("attribute '\(name)' must be a list of strings")
        }
    }

    func optionalTensor(_ name: String) throws -> ConstantTensor? {
        switch values[name] {
        case .tensor(let t)?: return t
        case nil: return nil
        default: throw error("attribute '\(name)' must be a tensor")
        }
    }

    /// Small non-negative integers (kernel sizes, strides, …).
    func sizes(_ name: String, default value: [Int]? = nil, minimum: Int = 0) throws -> [Int] {
        guard has(name) else {
            if let value { return value }
            throw error("attribute '\(name)' is missing")
        }
        let raw = try ints(name)
        guard raw.allSatisfy({ $0 >= Int64(minimum) && $0 <= 1 << 20 }) else {
            throw error("attribute '\(name)' has an out-of-range entry: \(raw)")
        }
        return raw.map { Int($0) }
    }
}
