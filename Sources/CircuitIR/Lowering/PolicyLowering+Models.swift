import BigNumber
import Field
import ModelGraph
import PolicySemantics

// Model applications and tensor indexing.
extension PolicyLowering {
    /// `x[i, j, ...]`: the element (or sub-tensor) at constant indices. A
    /// model's output is only converted and range-checked for the elements
    /// the policy reads.
    func lowerIndex(_ base: Int, _ indices: [Int], _ g: Int) throws -> Lowered {
        guard case .tensor(let type) = graph[base].type, indices.count <= type.dimensions.count else {
            throw LoweringError.unsupported("indexing a value that is not a tensor", at: locate(graph[base].span))
        }
        var offset = 0
        for (position, index) in indices.enumerated() {
            guard index >= 0, index < type.dimensions[position] else {
                throw LoweringError.unsupported("index \(index) out of range", at: locate(graph[base].span))
            }
            offset += index * type.dimensions[(position + 1)...].reduce(1, *)
        }
        let size = type.dimensions[indices.count...].reduce(1, *)
        let elements = Array(offset..<(offset + size))
        let full = indices.count == type.dimensions.count
        let tensor: Lowered
        if case .applyModel = graph[base].op {
            tensor = try modelOutputs(base, g, elements: elements)
            return try map(tensor) { v in
                guard case .tensor(let t) = v else { throw LoweringError.unsupported("a model output that is not a tensor", at: nil) }
                return full ? .number(t[0]) : .tensor(t)
            }
        }
        tensor = try lower(base, g)
        return try map(tensor) { v in
            guard case .tensor(let t) = v, offset + size <= t.count else {
                throw LoweringError.unsupported("indexing a value that is not a tensor", at: nil)
            }
            return full ? .number(t[offset]) : .tensor(Array(t[offset..<(offset + size)]))
        }
    }

    /// The outputs of a model application (node `id`), for the given elements
    /// (all when nil), as policy numbers for every row.
    func modelOutputs(_ id: Int, _ g: Int, elements: [Int]?) throws -> Lowered {
        guard case .applyModel(let name, _) = graph[id].op, let context = models[name] else {
            throw LoweringError.mismatch("not a model application")
        }
        let (application, table) = try self.application(id, g)
        let a = context.architecture
        let output = a.outputs[context.binding.output].tensor
        let wanted = elements ?? Array(0..<a.tensors[output].count)
        let columns = try wanted.map { try convertedOutput(application, context, element: $0) }
        let perRow = (0..<application.rows).map { r in LValue.tensor(columns.map { $0[r] }) }
        guard let table else { return .scalar(perRow[0]) }
        return .rows(table: table, perRow)
    }

    /// The model applied to the rows of its input (once per input expression).
    func application(_ id: Int, _ g: Int) throws -> (ModelApplication, String?) {
        guard case .applyModel(let name, let inputNode) = graph[id].op, let context = models[name] else {
            throw LoweringError.mismatch("not a model application")
        }
        let key = MemoKey(node: id, guardID: graph[id].fallible ? g : Guards.always)
        let input = try lower(inputNode, g)
        let table: String?
        let rows: Int
        switch input {
        case .scalar: (table, rows) = (nil, 1)
        case .rows(let t, let values): (table, rows) = (t, values.count)
        }
        if let existing = applications[key] { return (existing, table) }
        let a = context.architecture
        let inputTensor = a.inputs[0].tensor
        let scale = a.tensors[inputTensor].scale
        let count = a.tensors[inputTensor].count
        // Each input value n / 2^from enters at the model's scale s: shifted up
        // exactly when s ≥ from; otherwise its rounding shift (ModelScaling) is
        // left pending, to be fused with the model's first clamp.
        var columns = [[Value]](repeating: [], count: count)
        var shifts: [Int?] = [Int?](repeating: nil, count: count)
        try b.withOrigin(Origin("input of model \(name)", at: locate(graph[inputNode].span))) {
            for r in 0..<rows {
                guard case .tensor(let elements) = input.at(r), elements.count == count else {
                    throw LoweringError.mismatch("model `\(name)` takes \(count) values", at: locate(graph[id].span))
                }
                for (e, f) in elements.enumerated() {
                    guard let d = f.constantDenominator, d > 0, d & (d - 1) == 0 else {
                        throw LoweringError.unsupported("a model input must be data or a model output (a power-of-two scale)",
                                                        at: locate(graph[inputNode].span))
                    }
                    shifts[e] = d.trailingZeroBitCount - scale
                    columns[e].append(f.numerator)
                }
            }
        }
        // One pending shift for the whole input, or every value brought to scale now.
        let uniform = shifts.first.flatMap { $0 }.flatMap { k in shifts.allSatisfy { $0 == k } ? k : nil }
        let fused = rows > 0 && (uniform ?? 0) > 0
        if !fused {
            try b.withOrigin(Origin("input of model \(name)", at: locate(graph[inputNode].span))) {
                for e in 0..<count {
                    let from = (shifts[e] ?? 0) + scale
                    columns[e] = try columns[e].map { try ModelScaling.rescale(b, $0, from: from, to: scale) }
                }
            }
        }
        let application = ModelApplication(b, model: context, rows: rows, inputs: [columns], shifts: fused ? [uniform!] : nil,
                                           customHint: { [unowned self] in try self.customHint($0) })
        applications[key] = application
        return (application, table)
    }

    /// One output element of an application for every row: rescaled from the
    /// model's scale to the policy's (2^16 for `fixed`, 1 for `int`) and
    /// checked against the declared output range.
    func convertedOutput(_ application: ModelApplication, _ context: ModelContext, element e: Int) throws -> [Fraction] {
        if let done = application.converted[e] { return done }
        let a = context.architecture
        let output = a.outputs[context.binding.output].tensor
        let raw = try application.tensor(output)[e]
        let bits = context.outputKind == .int ? 0 : Limits.fractionBits
        let range = context.outputRange
        let scale = BigInt.powerOfTwo(bits)
        guard let lo = range.lower.flatMap({ int64(($0 * Rational(scale)).ceiling) }),
              let hi = range.upper.flatMap({ int64(($0 * Rational(scale)).floor) }) else {
            throw LoweringError.unsupported("model `\(context.name)` has an unbounded output range", at: locate(context.span))
        }
        let converted = try b.withOrigin(Origin("output \(e) of model \(context.name) in its declared range", at: locate(context.span))) {
            try raw.map { q -> Fraction in
                let y = try ModelScaling.rescale(b, q, from: a.tensors[output].scale, to: bits)
                try b.checkDomain(y, lower: lo, upper: hi)
                return Fraction(numerator: y, denominator: .constant(Int64(1) << bits))
            }
        }
        application.converted[e] = converted
        return converted
    }

    /// The custom hint of a name (`LoweringHints`), registered on first use.
    func customHint(_ name: String) throws -> HintKind {
        if let kind = hintKinds[name] { return kind }
        guard let function = LoweringHints.function(named: name) else {
            throw LoweringError.unsupported("no custom hint named \(name)", at: nil)
        }
        let kind = try b.registerHint(name: name, function)
        hintKinds[name] = kind
        return kind
    }
}
