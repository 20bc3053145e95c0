import Field
import ModelGraph
import PolicySemantics
import PolicySyntax

/// What every application of one model shares: its architecture, its weight
/// inputs (range-checked to their public bounds), its lookup tables in the
/// circuit, and the policy's declaration (output range and kind).
final class ModelContext {
    let name: String
    let binding: ModelBinding
    /// One array of values per weight spec, row-major.
    let weights: [[Value]]
    let span: SourceSpan
    /// The declared range of every output element (checked on every row).
    let outputRange: PolicySemantics.Interval
    let outputKind: NumericKind
    /// The circuit table of each architecture table, created when first used.
    var tables: [Int: TableID] = [:]
    /// For tree ensembles: the one-hot selector of each node's feature (row-independent).
    var featureSelectors: [Int: [[[Value]]]] = [:]

    var architecture: QuantizedArchitecture { binding.architecture }

    init(name: String, binding: ModelBinding, weights: [[Value]], span: SourceSpan,
         outputRange: PolicySemantics.Interval, outputKind: NumericKind) {
        self.name = name
        self.binding = binding
        self.weights = weights
        self.span = span
        self.outputRange = outputRange
        self.outputKind = outputKind
    }

    /// How many steps read each tensor, plus one for each model output.
    lazy var uses: [Int] = {
        var counts = [Int](repeating: 0, count: architecture.tensors.count)
        for step in architecture.steps { for t in step.inputs { counts[t] += 1 } }
        for output in architecture.outputs { counts[output.tensor] += 1 }
        return counts
    }()

    /// The step writing each tensor (nil for inputs).
    lazy var producer: [Int?] = {
        var result = [Int?](repeating: nil, count: architecture.tensors.count)
        for (i, step) in architecture.steps.enumerated() { result[step.output] = i }
        return result
    }()
}

/// One model applied to every row of a table: the quantized program
/// (`QuantizedArchitecture.steps`) lowered over all rows at once, tensor by
/// tensor, computing only the tensors the requested outputs need. It
/// reproduces `IntegerEvaluator` bit for bit (docs/models.md gives every
/// operation's integer semantics); dense layers and convolutions become one
/// `matmul` over all rows (N·positions × k · k × m), which the layout proves
/// with a Freivalds check.
///
/// Values are stored per tensor as `[element][row]`.
final class ModelApplication {
    let b: CircuitBuilder
    let model: ModelContext
    let rows: Int
    var values: [[[Value]]?]
    /// Output elements already converted to the policy's scale, per element, per row.
    var converted: [Int: [Fraction]] = [:]
    /// The custom hint of a name (`LoweringHints`), registered once per program.
    let customHint: (String) throws -> HintKind
    /// Inputs given before their rounding down-shift (tensor → shift), so
    /// that the shift can be fused with the clamp that follows.
    var pendingShift: [Int: Int] = [:]

    /// `inputs`: for each model input, its tensor's values `[element][row]`
    /// at the input tensor's scale plus `shifts[i]` bits (0: at its scale),
    /// raw: the program clamps them first.
    init(_ b: CircuitBuilder, model: ModelContext, rows: Int, inputs: [[[Value]]], shifts: [Int]? = nil,
         customHint: @escaping (String) throws -> HintKind) {
        self.b = b
        self.model = model
        self.rows = rows
        self.customHint = customHint
        values = [[[Value]]?](repeating: nil, count: model.architecture.tensors.count)
        for (k, (input, columns)) in Swift.zip(model.architecture.inputs, inputs).enumerated() {
            values[input.tensor] = columns
            if let shift = shifts?[k], shift > 0 { pendingShift[input.tensor] = shift }
        }
    }

    /// A tensor still to be rounded down by 2^k, consumed by one step only: its
    /// unshifted values and k (to fuse the rounding with a clamp).
    func pendingRescale(_ t: Int) -> (values: [[Value]], shift: Int)? {
        guard model.uses[t] == 1 else { return nil }
        if let k = pendingShift[t], let v = values[t] { return (v, k) }
        if values[t] == nil, let s = model.producer[t], case .rescale(let k) = architecture.steps[s].op,
           let x = try? tensor(architecture.steps[s].inputs[0]) {
            return (x, k)
        }
        return nil
    }

    /// clamp(⌊(x + 2^(k−1)) / 2^k⌋, lower, upper) through the fused gadget.
    func rescaleClamp(_ x: Value, shift k: Int, lower: Int64?, upper: Int64?) throws -> Value {
        try b.rescaleClamp(x, shift: k, lower: lower, upper: upper, hintFor: { k, lo, hi in
            try customHint(LoweringHints.rescaleClampName(shift: k, lower: lo, upper: hi))
        })
    }

    var architecture: QuantizedArchitecture { model.architecture }

    func shape(_ t: Int) -> [Int] { architecture.tensors[t].shape }
    func count(_ t: Int) -> Int { architecture.tensors[t].count }

    /// The values of tensor t, computing it (and what it reads) if needed.
    func tensor(_ t: Int) throws -> [[Value]] {
        if let k = pendingShift[t], let v = values[t] {
            // The input is wanted at its own scale after all.
            pendingShift[t] = nil
            let shifted = try b.withOrigin(Origin("\(model.name): input at scale 2^-\(architecture.tensors[t].scale)")) {
                try elementwise(v) { try b.rescale($0, shift: k, rounding: .nearestTiesUp) }
            }
            values[t] = shifted
            return shifted
        }
        if let v = values[t] { return v }
        guard let s = model.producer[t] else {
            throw LoweringError.mismatch("model `\(model.name)`: tensor \(t) is never written")
        }
        let step = architecture.steps[s]
        let result = try b.withOrigin(Origin("\(model.name): \(architecture.tensors[t].name) = \(ModelApplication.opName(step.op))")) {
            try evaluate(step)
        }
        guard result.count == count(t), result.allSatisfy({ $0.count == rows }) else {
            throw LoweringError.mismatch("model `\(model.name)`: step writing \(architecture.tensors[t].name) produced the wrong number of values")
        }
        values[t] = result
        return result
    }

    /// Applies `f` to every element of every row.
    func elementwise(_ x: [[Value]], _ f: (Value) throws -> Value) rethrows -> [[Value]] {
        try x.map { try $0.map(f) }
    }

    /// Combines two tensors elementwise with numpy broadcasting.
    func broadcasting(_ step: QStep, _ f: (Value, Value) throws -> Value) throws -> [[Value]] {
        let (a, c) = (step.inputs[0], step.inputs[1])
        let x = try tensor(a), y = try tensor(c)
        let out = shape(step.output)
        let ia = ModelApplication.broadcastIndices(from: shape(a), to: out)
        let ic = ModelApplication.broadcastIndices(from: shape(c), to: out)
        return try (0..<ia.count).map { e in try (0..<rows).map { r in try f(x[ia[e]][r], y[ic[e]][r]) } }
    }

    /// A weight tensor broadcast to the step's output, combined with its input.
    func withWeight(_ step: QStep, _ w: Int, _ f: (Value, Value) throws -> Value) throws -> [[Value]] {
        let x = try tensor(step.inputs[0])
        let out = shape(step.output)
        let ix = ModelApplication.broadcastIndices(from: shape(step.inputs[0]), to: out)
        let iw = ModelApplication.broadcastIndices(from: architecture.weights[w].shape, to: out)
        let weight = model.weights[w]
        return try (0..<ix.count).map { e in try (0..<rows).map { r in try f(x[ix[e]][r], weight[iw[e]]) } }
    }

    /// For each element of a tensor of `outShape`, the index into a tensor of
    /// `shape` broadcast to it (numpy's rule: align trailing axes; size 1 repeats).
    static func broadcastIndices(from shape: [Int], to outShape: [Int]) -> [Int] {
        let total = outShape.reduce(1, *)
        let pad = outShape.count - shape.count
        var strides = [Int](repeating: 0, count: outShape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            if shape[i] != 1 { strides[i + pad] = acc }
            acc *= shape[i]
        }
        var result = [Int](repeating: 0, count: total)
        for k in 0..<total {
            var rest = k, offset = 0
            for d in stride(from: outShape.count - 1, through: 0, by: -1) {
                offset += (rest % outShape[d]) * strides[d]
                rest /= outShape[d]
            }
            result[k] = offset
        }
        return result
    }

    /// The operation's name (`dense`, `rescale`, ...), for origins.
    static func opName(_ op: QOp) -> String {
        let text = "\(op)"
        return String(text.prefix { $0 != "(" })
    }

    /// The circuit table for architecture table i (rows (x, f(x)) over its domain).
    func circuitTable(_ i: Int) throws -> TableID {
        if let id = model.tables[i] { return id }
        let t = architecture.tables[i]
        var rows: [Goldilocks] = []
        rows.reserveCapacity(2 * t.values.count)
        for (k, v) in t.values.enumerated() {
            rows.append(Goldilocks(signed: t.domainStart + Int64(k)))
            rows.append(Goldilocks(signed: v))
        }
        let table = try CircuitIR.LookupTable(name: "\(model.name).\(t.function)\(i)", columnNames: ["x", "y"], keyColumns: 1, rows: rows)
        let id = try b.table(table)
        model.tables[i] = id
        return id
    }

    /// The largest of several values (pairwise comparisons), with its proven
    /// bound narrowed back to the inputs' hull.
    func maximum(_ xs: [Value]) throws -> Value {
        guard let first = xs.first else { throw LoweringError.mismatch("maximum of nothing") }
        if xs.count == 1 { return first }
        var hull = b.bound(of: first)
        for x in xs { hull = hull.hull(b.bound(of: x)) }
        let m = xs.count == 2 ? try b.max(xs[0], xs[1]) : try b.argmax(xs).maximum
        try b.tighten(m, to: hull)
        return m
    }
}
