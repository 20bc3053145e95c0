import BigNumber
import Field
import ModelGraph
import PolicySemantics

// The inputs of a lowered policy, declared in the order `PolicyInterface`
// documents, each checked against its declared domain.
extension PolicyLowering {
    func declareInputs() throws {
        // Public: row counts, parameters, published digests, public assets.
        for table in hir.tables {
            let n = rowCounts[table.name]!
            try b.withOrigin(Origin("rows of \(table.name)", at: locate(table.span))) {
                let v = try b.publicInput("rows.\(table.name)")
                b.assertEqual(v, b.constant(n))
            }
            interface.publicInputs.append(.rowCount(table: table.name))
            interface.rowCounts[table.name] = n
        }
        for param in hir.params {
            try b.withOrigin(Origin("param \(param.name)", at: locate(param.span))) {
                params[param.name] = try declare(param)
            }
            interface.publicInputs.append(.param(param.name))
            interface.paramTypes[param.name] = param.type
            interface.paramDefaults[param.name] = param.value
        }
        for commitment in hir.commitments {
            commitments[commitment.name] = try b.withOrigin(Origin("commitment \(commitment.name)", at: locate(commitment.span))) {
                try (0..<Poseidon2Sponge.digestLength).map { try b.publicInput("commitment.\(commitment.name)[\($0)]") }
            }
            interface.publicInputs.append(.commitment(commitment.name))
        }
        // The combining circuit of a split policy reads no rows and no
        // weights: it opens the parts' commitments instead (`openParts`).
        if case .combine = target { return }
        for table in hir.tables where table.visibility == .public { try declare(table, public: true) }
        for model in hir.models where model.visibility == .public { try declare(model, public: true) }
        // Private: the other assets, then salts.
        for table in hir.tables where table.visibility != .public { try declare(table, public: false) }
        for model in hir.models where model.visibility != .public { try declare(model, public: false) }
        for asset in hashedAssets {
            let name = PolicyInterface.name(asset)
            salts[asset] = try b.withOrigin(Origin("salt of \(name)")) {
                try (0..<Poseidon2Sponge.saltLength).map { try b.privateInput("salt.\(name)[\($0)]") }
            }
            interface.privateInputs.append(.salt(asset))
        }
    }

    /// A parameter: its integer (0/1, the integer, or the value × 10^4) checked against its domain.
    func declare(_ param: Param) throws -> LValue {
        let v = try b.publicInput("param.\(param.name)")
        if param.type == .bool {
            try b.assertBoolean(v)
            return .bool(v)
        }
        guard let kind = param.type.numericKind, let domain = param.domain, let lo = domain.lower, let hi = domain.upper else {
            throw LoweringError.unsupported("parameter `\(param.name)` has no bounded domain", at: locate(param.span))
        }
        let scale = kind == .int ? BigInt.one : Limits.paramDenominator
        guard let lower = int64((lo * Rational(scale)).ceiling), let upper = int64((hi * Rational(scale)).floor) else {
            throw LoweringError.unsupported("parameter `\(param.name)` has a domain beyond 64 bits", at: locate(param.span))
        }
        try located(param.span) { try b.checkDomain(v, lower: lower, upper: upper) }
        return .number(Fraction(numerator: v, denominator: .constant(Int64(scale.asInt!))))
    }

    /// A table's cells, row by row, field by field, element by element.
    func declare(_ table: PolicySemantics.Table, public isPublic: Bool) throws {
        let n = rowCounts[table.name]!
        let layouts = try table.fields.map { field in
            do { return try FieldLayout(field) } catch let error as LoweringError {
                throw LoweringError(error.kind, error.message, at: locate(field.span))
            }
        }
        interface.tables[table.name] = layouts
        var values: [String: [LValue]] = [:]
        for field in layouts { values[field.name] = [] ; values[field.name]!.reserveCapacity(n) }
        // The canonical value of each cell (for `commit(table)`), by field and row.
        var codes: [[Value]] = layouts.map { _ in [] }
        try b.withOrigin(Origin("table \(table.name)", at: locate(table.span))) {
            for r in 0..<n {
                for (f, (field, layout)) in Swift.zip(table.fields, layouts).enumerated() {
                    var elements: [LValue] = []
                    try b.withOrigin(Origin("field \(field.name)", at: locate(field.span))) {
                        for e in 0..<layout.elements {
                            let name = "\(table.name)[\(r)].\(field.name)" + (layout.elements > 1 || isTensor(field) ? "[\(e)]" : "")
                            let (value, code) = try cell(layout, name: name, public: isPublic)
                            elements.append(value)
                            codes[f].append(code)
                        }
                    }
                    if isTensor(field) {
                        values[field.name]!.append(.tensor(try elements.map { try number($0) }))
                    } else {
                        values[field.name]!.append(elements[0])
                    }
                }
            }
        }
        fieldValues[table.name] = values
        canonicalCells[table.name] = { r, f, e in codes[f][r * layouts[f].elements + e] }
        if isPublic { interface.publicInputs.append(.table(table.name)) } else { interface.privateInputs.append(.table(table.name)) }
    }

    func isTensor(_ field: PolicySemantics.Field) -> Bool {
        if case .tensor = field.type { return true }
        return false
    }

    /// One cell: its lowered value and its canonical integer.
    func cell(_ layout: FieldLayout, name: String, public isPublic: Bool) throws -> (LValue, Value) {
        func input(_ name: String) throws -> Value { try isPublic ? b.publicInput(name) : b.privateInput(name) }
        switch layout.kind {
        case .bool:
            let v = try input(name)
            try b.assertBoolean(v)
            return (.bool(v), v)
        case .integer:
            let v = try input(name)
            try b.checkDomain(v, lower: layout.lower, upper: layout.upper)
            return (.number(Fraction(numerator: v, denominator: .constant(1))), v)
        case .fixed(let bits):
            let v = try input(name)
            try b.checkDomain(v, lower: layout.lower, upper: layout.upper)
            return (.number(Fraction(numerator: v, denominator: .constant(Int64(1) << bits))), v)
        case .enumeration(let cases):
            if cases.count == 1 {
                let v = try input(name)
                b.assertEqual(v, b.constant(0))
                return (.enumeration([b.constant(1)]), v)
            }
            if cases.count == 2 {
                let v = try input(name)
                try b.assertBoolean(v)
                return (.enumeration([b.linear([(Int64(-1), v)], constant: 1), v]), v)
            }
            // One 0/1 input per case, exactly one of them 1; the case index is Σ k·indicator.
            let indicators = try cases.map { try input(name + "==" + $0) }
            for x in indicators { try b.assertBoolean(x) }
            b.assertEqual(b.sum(indicators), b.constant(1))
            let code = b.linear(indicators.enumerated().dropFirst().map { (Int64($0.offset), $0.element) })
            return (.enumeration(indicators), code)
        }
    }

    /// A model's weights, each checked against its spec's public bounds.
    func declare(_ model: PolicySemantics.Model, public isPublic: Bool) throws {
        let binding = bindings[model.name]!
        let specs = binding.architecture.weights
        interface.weights[model.name] = specs
        let weights = try b.withOrigin(Origin("weights of model \(model.name)", at: locate(model.span))) {
            try specs.enumerated().map { i, spec in
                try (0..<spec.count).map { e -> Value in
                    let name = "\(model.name).weight\(i)[\(e)]"
                    let v = try isPublic ? b.publicInput(name) : b.privateInput(name)
                    try b.checkDomain(v, lower: spec.lower, upper: spec.upper)
                    return v
                }
            }
        }
        models[model.name] = ModelContext(name: model.name, binding: binding, weights: weights,
                                          span: model.span, outputRange: model.outputRange, outputKind: model.output.element)
        if isPublic { interface.publicInputs.append(.model(model.name)) } else { interface.privateInputs.append(.model(model.name)) }
    }

    /// The commitment of an asset, computed once from its input values.
    func digest(_ asset: Asset) throws -> [Value] {
        if let d = digests[asset] { return d }
        guard let salt = salts[asset] else {
            throw LoweringError.unsupported("no salt for the commitment of \(PolicyInterface.name(asset))", at: nil)
        }
        let values: [Value]
        switch asset {
        case .model(let name):
            guard let context = models[name] else { throw LoweringError.mismatch("unknown model `\(name)`") }
            // The architecture is public: its digest enters as constants.
            values = AssetCommitment.architectureDigest(context.binding.architecture).map { b.constant($0) }
                + context.weights.flatMap { $0 }
        case .table(let name):
            guard let layouts = interface.tables[name], let cell = canonicalCells[name] else {
                throw LoweringError.mismatch("unknown table `\(name)`")
            }
            var cells: [Value] = []
            AssetCommitment.forEachTableCell(rows: rowCounts[name]!, fields: layouts) { r, f, e in cells.append(cell(r, f, e)) }
            values = cells
        }
        let digest = try b.withOrigin(Origin("commit(\(PolicyInterface.name(asset)))")) {
            try b.poseidon2Commit(salt: salt, values: values)
        }
        digests[asset] = digest
        return digest
    }
}
