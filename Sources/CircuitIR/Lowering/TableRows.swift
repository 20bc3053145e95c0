import BigNumber
import PolicySemantics

/// How one field of a table is stored as integers: the *canonical cell
/// values* that the circuit's private inputs hold, that `commit(table)`
/// hashes, and that the data loader produces.
///
/// - `bool`: 0 or 1;
/// - `int`: the integer;
/// - `fixed`: the numerator at 2^fractionBits (the value rounded to a
///   multiple of 2^-16 when read, times 2^16);
/// - an enum: the index of the case, in declaration order.
///
/// A tensor field has `elements` values per row, in row-major order.
public struct FieldLayout: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case bool
        case integer
        /// Numerators at 2^fractionBits.
        case fixed(fractionBits: Int)
        case enumeration(cases: [String])
    }

    public let name: String
    public let kind: Kind
    /// Values per row (1 for a scalar field).
    public let elements: Int
    /// The declared domain of every canonical value: `lower...upper`. For
    /// `fixed`, the numerators whose value lies in the declared range,
    /// ⌈lo·2^16⌉ … ⌊hi·2^16⌋; for an enum 0 … cases − 1.
    public let lower: Int64
    public let upper: Int64
    /// The CSV columns, one per element.
    public let columns: [String]

    public init(name: String, kind: Kind, elements: Int, lower: Int64, upper: Int64, columns: [String]) {
        self.name = name
        self.kind = kind
        self.elements = elements
        self.lower = lower
        self.upper = upper
        self.columns = columns
    }

    /// The layout of a checked table field. Fails for a field whose range is
    /// unbounded or beyond ±2^62 (the checker never produces one).
    public init(_ field: PolicySemantics.Field) throws {
        var elements = 1
        var element = field.type
        if case .tensor(let tensor) = field.type {
            elements = tensor.count
            element = tensor.element.type
        }
        let kind: Kind
        var lower: Int64, upper: Int64
        switch element {
        case .bool:
            kind = .bool
            (lower, upper) = (0, 1)
        case .enumeration(let type):
            guard let cases = type.cases, !cases.isEmpty else {
                throw LoweringError.unsupported("field `\(field.name)` has an enum without cases", at: nil)
            }
            kind = .enumeration(cases: cases)
            (lower, upper) = (0, Int64(cases.count - 1))
        case .int, .fixed:
            let bits = element == .int ? 0 : field.fractionBits
            kind = element == .int ? .integer : .fixed(fractionBits: bits)
            guard let range = field.range, let lo = range.lower, let hi = range.upper else {
                throw LoweringError.unsupported("field `\(field.name)` has no bounded range", at: nil)
            }
            let scale = Rational(BigInt.powerOfTwo(bits))
            guard let l = int64((lo * scale).ceiling), let h = int64((hi * scale).floor),
                  l.magnitude < UInt64(1) << 62, h.magnitude < UInt64(1) << 62, l <= h else {
                throw LoweringError.unsupported("field `\(field.name)` has a range beyond ±2^62 at its scale", at: nil)
            }
            (lower, upper) = (l, h)
        default:
            throw LoweringError.unsupported("field `\(field.name)` of type \(field.type) cannot be stored", at: nil)
        }
        self.init(name: field.name, kind: kind, elements: elements, lower: lower, upper: upper, columns: field.columns)
    }

    /// The exact value a canonical integer stands for, as the HIR evaluator takes it.
    public func runtimeValue(_ values: ArraySlice<Int64>, tensor: Bool) -> RuntimeValue {
        func number(_ v: Int64) -> Rational {
            if case .fixed(let bits) = kind { return Rational(BigInt(Int(v)), BigInt.powerOfTwo(bits)) }
            return Rational(BigInt(Int(v)))
        }
        if tensor { return .tensor(values.map(number)) }
        let v = values[values.startIndex]
        switch kind {
        case .bool: return .bool(v != 0)
        case .enumeration: return .enumCase(Int(v))
        case .integer, .fixed: return .number(number(v))
        }
    }

    /// The canonical integer of an exact value (nil if it is not one: a
    /// fraction off the 2^-16 grid, a value outside Int64, a wrong kind).
    public func canonical(_ value: RuntimeValue) -> [Int64]? {
        func integer(_ r: Rational) -> Int64? {
            var scaled = r
            if case .fixed(let bits) = kind { scaled = r * Rational(BigInt.powerOfTwo(bits)) }
            guard scaled.isInteger, let v = scaled.numerator.asInt else { return nil }
            return Int64(v)
        }
        switch (kind, value) {
        case (.bool, .bool(let b)) where elements == 1: return [b ? 1 : 0]
        case (.enumeration, .enumCase(let k)) where elements == 1: return [Int64(k)]
        case (.integer, .number(let r)) where elements == 1, (.fixed, .number(let r)) where elements == 1:
            return integer(r).map { [$0] }
        case (.integer, .tensor(let rs)), (.fixed, .tensor(let rs)):
            guard rs.count == elements else { return nil }
            var out: [Int64] = []
            for r in rs {
                guard let v = integer(r) else { return nil }
                out.append(v)
            }
            return out
        default:
            return nil
        }
    }

    /// Whether the field is declared as a tensor (even of one element).
    var isTensor: Bool { columns.count != 1 || elements != 1 }
}

/// The rows of one table as canonical integers, stored by column: compact
/// enough for 10^6 rows (8 bytes per value). Produced by the data loader,
/// read by the witness builder and by `commit(table)`.
public struct TableRows: Sendable, Equatable {
    /// The table's name in the policy.
    public let table: String
    public let fields: [FieldLayout]
    /// Whether each field is a tensor (a one-element tensor still is one).
    public let tensorFields: [Bool]
    /// Per field, `count × elements` values, row-major.
    public private(set) var columns: [[Int64]]
    public private(set) var count: Int = 0

    /// An empty table with the schema's layout.
    public init(schema: PolicySemantics.Table) throws {
        table = schema.name
        fields = try schema.fields.map(FieldLayout.init)
        tensorFields = schema.fields.map { if case .tensor = $0.type { return true } else { return false } }
        columns = fields.map { _ in [] }
    }

    /// The rows of the HIR evaluator's representation (for tests and small
    /// tables); every value must be canonical (on the 2^-16 grid) and inside
    /// its field's domain.
    public init(schema: PolicySemantics.Table, rows: [[String: RuntimeValue]]) throws {
        try self.init(schema: schema)
        for (r, row) in rows.enumerated() {
            var values: [Int64] = []
            for field in fields {
                guard let value = row[field.name], let canonical = field.canonical(value) else {
                    throw LoweringError.badInput("row \(r + 1) of `\(table)`: no canonical value for field `\(field.name)`")
                }
                values += canonical
            }
            try append(values)
        }
    }

    /// Reserves room for `rows` more rows.
    public mutating func reserve(rows: Int) {
        for f in fields.indices { columns[f].reserveCapacity(columns[f].count + rows * fields[f].elements) }
    }

    /// Appends one row: every field's values in field order (tensors
    /// flattened). Each value must lie in its field's domain.
    public mutating func append(_ row: [Int64]) throws {
        let width = fields.reduce(0) { $0 + $1.elements }
        guard row.count == width else {
            throw LoweringError.badInput("a row of `\(table)` has \(width) values, not \(row.count)")
        }
        var k = 0
        for (f, field) in fields.enumerated() {
            for _ in 0..<field.elements {
                let v = row[k]
                guard v >= field.lower && v <= field.upper else {
                    throw LoweringError.badInput("row \(count + 1) of `\(table)`: \(field.name) holds \(v), outside \(field.lower)...\(field.upper)")
                }
                columns[f].append(v)
                k += 1
            }
        }
        count += 1
    }

    /// The rows in `range` as a table of their own: a part of the rows
    /// (`LoweringTarget.part`).
    public func rows(_ range: Range<Int>) -> TableRows {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "rows \(range) of a table of \(count)")
        var part = self
        part.columns = fields.indices.map { f in
            let n = fields[f].elements
            return Array(columns[f][(range.lowerBound * n)..<(range.upperBound * n)])
        }
        part.count = range.count
        return part
    }

    /// The canonical values of one field of one row.
    public func values(row: Int, field: Int) -> ArraySlice<Int64> {
        let n = fields[field].elements
        return columns[field][(row * n)..<(row * n + n)]
    }

    /// The rows in the HIR evaluator's representation (`EvaluationInputs.tables`).
    public func runtimeRows() -> [[String: RuntimeValue]] {
        (0..<count).map { r in
            var row: [String: RuntimeValue] = [:]
            for (f, field) in fields.enumerated() {
                row[field.name] = field.runtimeValue(values(row: r, field: f), tensor: tensorFields[f])
            }
            return row
        }
    }
}
