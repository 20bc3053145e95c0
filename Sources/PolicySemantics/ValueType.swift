/// The type of a value in the checked program (and in HIR). Tables, rows,
/// models and functions are not values: they are compile-time entities that
/// aggregates, model applications and calls consume.
public indirect enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case bool
    /// An exact integer.
    case int
    /// A fixed-point number (exact decimal in source, scaled integer in the circuit).
    case fixed
    /// An exact rational, kept as numerator and denominator (rates, means, quotients, percentages).
    case ratio
    /// A commitment (hash) of a model or table.
    case digest
    case enumeration(EnumType)
    case tensor(TensorType)
    /// One value per case of an enum (the result of a grouped aggregate).
    case perGroup(ValueType, EnumType)
    /// The type of an erroneous expression; absorbs further errors.
    case error

    public var isNumeric: Bool { numericKind != nil }

    public var numericKind: NumericKind? {
        switch self {
        case .int: return .int
        case .fixed: return .fixed
        case .ratio: return .ratio
        default: return nil
        }
    }

    public var isError: Bool { self == .error }

    public var description: String {
        switch self {
        case .bool: return "bool"
        case .int: return "int"
        case .fixed: return "fixed"
        case .ratio: return "ratio"
        case .digest: return "digest"
        case .enumeration(let type): return type.description
        case .tensor(let type): return type.description
        case .perGroup(let element, _): return "\(element) per group"
        case .error: return "<error>"
        }
    }
}

/// The numeric types, ordered by implicit widening: int → fixed → ratio.
public enum NumericKind: Int, Hashable, Sendable, Comparable, CustomStringConvertible {
    case int, fixed, ratio

    public static func < (a: NumericKind, b: NumericKind) -> Bool { a.rawValue < b.rawValue }

    public var type: ValueType {
        switch self {
        case .int: return .int
        case .fixed: return .fixed
        case .ratio: return .ratio
        }
    }

    public var description: String { type.description }
}

/// An enum: its cases in declaration order (a case's index is its value in
/// the circuit). Two enums with the same cases are the same type. An enum
/// without known cases (`T -> enum` in a `fn` signature) stands for any enum.
public struct EnumType: Hashable, Sendable, CustomStringConvertible {
    /// Where it was declared, for messages (`applicants.group`).
    public let name: String
    /// nil for "some enum" in a generic signature.
    public let cases: [String]?

    public init(name: String, cases: [String]?) {
        self.name = name
        self.cases = cases
    }

    public static func == (a: EnumType, b: EnumType) -> Bool { a.cases == b.cases }
    public func hash(into hasher: inout Hasher) { hasher.combine(cases) }

    public var description: String {
        guard let cases else { return "enum" }
        return "enum { " + cases.joined(separator: ", ") + " }"
    }
}

/// A tensor: its dimensions and element type (`int` or `fixed`).
public struct TensorType: Hashable, Sendable, CustomStringConvertible {
    public let dimensions: [Int]
    public let element: NumericKind

    public init(dimensions: [Int], element: NumericKind) {
        self.dimensions = dimensions
        self.element = element
    }

    public var count: Int { dimensions.reduce(1, *) }

    public var description: String {
        "tensor[" + dimensions.map(String.init).joined(separator: ", ") + "] " + element.description
    }
}
