import CircuitIR
import ModelGraph
import PolicySemantics
import PolicySyntax

/// Binds the policy's `model` declarations to ONNX graphs: checks each
/// declared signature against the graph (E0320 at the declaration), picks
/// the output the policy reads, and gathers calibration samples from the
/// data the policy applies the model to.
public enum ModelBinder {
    /// At most this many rows calibrate a model (the first ones, in the order
    /// the policy applies the model to tables): the float reference records
    /// every intermediate value of every sample.
    public static let maxCalibrationRows = 10_000

    /// The output a declaration reads: the first output of the architecture
    /// whose per-sample shape is the declared output's (for a classifier
    /// exported by skl2onnx, the probabilities; its label has another shape).
    /// The verifier's rebuild uses the same rule, from the architecture card.
    public static func output(_ architecture: QuantizedArchitecture, declared: TensorType) -> Int? {
        architecture.outputs.firstIndex { $0.sampleShape == declared.dimensions }
    }

    /// The problem with a declaration against its graph, if any.
    static func signatureProblem(_ model: PolicySemantics.Model, _ graph: ModelGraph, file: String) -> Diagnostic? {
        let signature = graph.signature
        let declared = "tensor\(model.input.dimensions) -> tensor\(model.output.dimensions)"
        let actual = "inputs " + signature.inputs.map { "\($0.name) \($0.shape)" }.joined(separator: ", ")
            + "; outputs " + signature.outputs.map { "\($0.name) \($0.shape)" }.joined(separator: ", ")
        func problem(_ message: String) -> Diagnostic {
            Diagnostic(.modelSignatureMismatch, message, at: model.span,
                       notes: [Note("\(file) has \(actual)"), Note("the declaration says \(declared)")])
        }
        guard signature.inputs.count == 1 else {
            return problem("model `\(model.name)` takes one input, but \(file) has \(signature.inputs.count)")
        }
        guard signature.inputs[0].shape == model.input.dimensions else {
            return problem("model `\(model.name)` is declared to take tensor\(model.input.dimensions), but \(file) takes \(signature.inputs[0].shape)")
        }
        guard let index = signature.outputs.firstIndex(where: { $0.shape == model.output.dimensions }) else {
            return problem("model `\(model.name)` is declared to give tensor\(model.output.dimensions), but no output of \(file) has that shape")
        }
        guard index == signature.scoresOutput || signature.outputs[signature.scoresOutput].shape != model.output.dimensions else {
            return problem("the first output of \(file) with shape \(model.output.dimensions) is `\(signature.outputs[index].name)`, not its scores output")
        }
        return nil
    }

    /// The (table, field) pairs the policy applies `model` to directly, in
    /// the order they first appear in the rules.
    static func appliedFields(_ program: PolicySemantics.Program, model: String) -> [(table: String, field: String)] {
        var result: [(String, String)] = []
        var locals: [Int: Expr] = [:]
        func visit(_ e: Expr) {
            switch e.kind {
            case .applyModel(let m, let input):
                var x = input
                while case .local(let id, _) = x.kind, let bound = locals[id] { x = bound }
                if m == model, case .field(let binder, let name) = x.kind, !result.contains(where: { $0 == (binder.table, name) }) {
                    result.append((binder.table, name))
                }
                visit(input)
            case .inline(let call):
                for binding in call.bindings { locals[binding.id] = binding.value; visit(binding.value) }
                visit(call.body)
            case .index(let x, _), .negate(let x), .not(let x), .absolute(let x), .reduce(_, let x): visit(x)
            case .arithmetic(_, let a, let b), .and(let a, let b), .or(let a, let b), .compare(_, let a, let b, _):
                visit(a); visit(b)
            case .extremum(_, let xs): xs.forEach(visit)
            case .conditional(let c, let a, let b): visit(c); visit(a); visit(b)
            case .aggregate(let a):
                a.filter.map(visit); a.grouping.map { visit($0.key) }; a.body.map(visit)
            default: break
            }
        }
        for rule in program.rules { visit(rule.body) }
        return result
    }

    /// Calibration samples for a model from the loaded tables: the values of
    /// the fields the policy applies it to (as the circuit sees them, rounded
    /// to 2^-16), at most `maxCalibrationRows`.
    static func samples(_ program: PolicySemantics.Program, model: String, graph: ModelGraph,
                        tables: [String: TableRows]) -> [[FloatTensor]] {
        var samples: [[FloatTensor]] = []
        guard graph.inputs.count == 1 else { return [] }
        let shape = graph.inputs[0].shape
        for (table, field) in appliedFields(program, model: model) {
            guard let rows = tables[table], let f = rows.fields.firstIndex(where: { $0.name == field }),
                  rows.fields[f].elements == graph.inputs[0].count else { continue }
            let scale: Double
            if case .fixed(let bits) = rows.fields[f].kind { scale = Double(sign: .plus, exponent: -bits, significand: 1) } else { scale = 1 }
            for r in 0..<rows.count where samples.count < maxCalibrationRows {
                samples.append([FloatTensor(shape: shape, scalars: rows.values(row: r, field: f).map { Double($0) * scale })])
            }
        }
        return samples
    }
}
