import BigNumber
import Field
import ModelGraph
import PolicySemantics
import PolicySyntax

/// A model as the lowering sees it: its public quantized architecture (what
/// the architecture card carries) and which of its outputs the policy's
/// `model` declaration reads (for a classifier, the probabilities).
public struct ModelBinding: Sendable, Equatable {
    public var architecture: QuantizedArchitecture
    /// An index into `architecture.outputs`.
    public var output: Int

    public init(architecture: QuantizedArchitecture, output: Int) {
        self.architecture = architecture
        self.output = output
    }
}

/// A policy lowered into the circuit IR: the program (before optimisation)
/// and what its inputs and outputs mean.
public struct LoweredPolicy: Sendable {
    public let program: Program
    public let interface: PolicyInterface
    /// A part circuit's shape (`LoweringTarget.part`), nil otherwise.
    public var part: PartShape? = nil
}

/// Lowers a checked policy (the HIR) and its models into a circuit
/// (DESIGN §6; docs/circuit.md §10 for a split). The circuit depends only on the
/// policy, the models' architectures (shapes, scales, public weight bounds,
/// tables) and the row count of each table — never on data or weight values —
/// so a verifier rebuilds it from the policy, the architecture cards and the
/// row counts.
///
/// How it works:
/// - The HIR becomes a hash-consed graph (`PolicyGraph`), so equal
///   expressions are lowered once (the same model applied to the same rows
///   by several rules, the same per-group rates).
/// - A row expression is lowered for every row of its table at once
///   (`Lowered.rows`); a model applied to the rows is one program over all of
///   them, its dense layers single `matmul`s (N×k · k×m).
/// - Numbers follow docs/language.md's contract exactly (numerator and
///   denominator, 2^16 for data and model outputs, 10^4 for parameters, the
///   least common multiple of constant denominators, cross-multiplication);
///   every gadget refuses an operation whose proven bounds could wrap.
/// - Checks that make the HIR evaluator fail (a zero divisor, an empty group)
///   are constraints *guarded* by the conditions under which the evaluator
///   reaches them (`where` filters, `and`/`or`, `if` branches), so the circuit
///   accepts exactly the data on which the evaluator gives a verdict.
/// - Every instruction's origin names the HIR node (with its source place)
///   inside the rule that first needed it.
public final class PolicyLowering {
    let hir: PolicySemantics.Program
    let b: CircuitBuilder
    var graph = PolicyGraph()
    let locate: (SourceSpan) -> OriginLocation?
    let bindings: [String: ModelBinding]
    let rowCounts: [String: Int]
    let target: LoweringTarget
    var interface = PolicyInterface()

    // Inputs, as lowered values.
    /// Per table, per field, per row.
    var fieldValues: [String: [String: [LValue]]] = [:]
    /// Per table, the canonical value of cell (row, field, element).
    var canonicalCells: [String: (Int, Int, Int) -> Value] = [:]
    var params: [String: LValue] = [:]
    var commitments: [String: [Value]] = [:]
    var models: [String: ModelContext] = [:]
    var salts: [Asset: [Value]] = [:]
    var digests: [Asset: [Value]] = [:]

    // Lowering state.
    struct MemoKey: Hashable {
        var node: Int
        var guardID: Int
    }
    var memo: [MemoKey: Lowered] = [:]
    var guards = Guards()
    var applications: [MemoKey: ModelApplication] = [:]
    var hintKinds: [String: HintKind] = [:]
    /// The combining circuit's reductions, per aggregate node (`TableParts.swift`).
    var combined: [Int: Reductions] = [:]

    init(_ hir: PolicySemantics.Program, models: [String: ModelBinding], rowCounts: [String: Int],
         target: LoweringTarget = .whole, locate: @escaping (SourceSpan) -> OriginLocation?) {
        self.hir = hir
        self.bindings = models
        self.rowCounts = rowCounts
        self.target = target
        self.locate = locate
        let kind: String
        switch target {
        case .whole: kind = ""
        case .part: kind = ", one part of its rows"
        case .combine(let parts): kind = ", combining \(parts.count) parts"
        }
        b = CircuitBuilder(name: "policy \"\(hir.name)\" version \"\(hir.version)\"" + kind)
    }

    /// Lowers `policy` with its models (by the policy's model names) for the
    /// given number of rows of each table. `locate` gives the source place of
    /// a span (the compile entry point passes one built from the policy's
    /// sources; it must not depend on where the files are, so that the
    /// verifier's rebuild gives the same bytes).
    ///
    /// `target` picks the whole policy (the default) or one of the circuits
    /// of a policy whose rows are split into parts (`LoweringTarget`).
    public static func lower(_ policy: PolicySemantics.Program, models: [String: ModelBinding], rowCounts: [String: Int],
                             target: LoweringTarget = .whole,
                             locate: @escaping (SourceSpan) -> OriginLocation? = { _ in nil }) throws -> LoweredPolicy {
        let lowering = PolicyLowering(policy, models: models, rowCounts: rowCounts, target: target, locate: locate)
        return try lowering.run()
    }

    func run() throws -> LoweredPolicy {
        try checkShapes()
        var ruleNodes: [Int] = []
        for rule in hir.rules { ruleNodes.append(try graph.add(rule.body)) }
        if target != .whole {
            // Both circuits of a split policy number the aggregates of the
            // rules and the probes alike.
            for probe in probes { _ = try graph.add(probe.expr) }
            try checkSplittable()
        }
        if target == .part { return try runPart() }
        try declareInputs()
        if case .combine(let parts) = target { try openParts(parts) }
        for asset in committedAssets {
            let digest = try self.digest(asset)
            for (k, v) in digest.enumerated() { try b.publicOutput("commit.\(PolicyInterface.name(asset))[\(k)]", v) }
            interface.publicOutputs.append(.digest(asset))
        }
        var verdicts: [Value] = []
        for (rule, node) in Swift.zip(hir.rules, ruleNodes) {
            let verdict = try b.withOrigin(Origin("rule \(rule.name)", at: locate(rule.span))) { () throws -> Value in
                guard case .bool(let v)? = try lower(node, Guards.always).scalar else {
                    throw LoweringError.unsupported("rule `\(rule.name)` is not one boolean", at: locate(rule.span))
                }
                return v
            }
            verdicts.append(verdict)
        }
        try lowerProbes()
        // Every verdict is revealed, then each is required to be true (in
        // rule order, so a witness for violated rules fails at the first).
        for (rule, verdict) in Swift.zip(hir.rules, verdicts) {
            try b.withOrigin(Origin("rule \(rule.name)", at: locate(rule.span))) {
                try b.publicOutput("rule.\(rule.name)", verdict)
            }
            interface.publicOutputs.append(.verdict(rule.name))
        }
        for (rule, verdict) in Swift.zip(hir.rules, verdicts) {
            b.withOrigin(Origin("rule \(rule.name) holds", at: locate(rule.span))) {
                b.assertEqual(verdict, b.constant(1))
            }
        }
        return LoweredPolicy(program: b.finish(), interface: interface)
    }

    /// For tests: expressions lowered after the rules, each revealed as public
    /// outputs `probe.NAME.n` and `probe.NAME.d` (a number's numerator and
    /// denominator) or `probe.NAME` (a boolean).
    var probes: [(name: String, expr: Expr)] = []

    func lowerProbes() throws {
        for probe in probes {
            let node = try graph.add(probe.expr)
            switch try lower(node, Guards.always).scalar {
            case .number(let f)?:
                try b.publicOutput("probe.\(probe.name).n", f.numerator)
                try b.publicOutput("probe.\(probe.name).d", denominatorValue(f))
            case .bool(let v)?:
                try b.publicOutput("probe.\(probe.name)", v)
            default:
                throw LoweringError.unsupported("probe \(probe.name) is not one number or boolean", at: nil)
            }
        }
    }

    /// Every table has a row count and every model a binding with a fitting architecture.
    func checkShapes() throws {
        for table in hir.tables {
            guard let n = rowCounts[table.name] else {
                throw LoweringError.mismatch("no row count for table `\(table.name)`", at: locate(table.span))
            }
            guard n >= 0, n <= Int(Limits.maxRows.asInt ?? 1 << 24) else {
                throw LoweringError.mismatch("table `\(table.name)` has \(n) rows; 0 to 2^24 are allowed", at: locate(table.span))
            }
        }
        for model in hir.models {
            guard let binding = bindings[model.name] else {
                throw LoweringError.mismatch("no architecture for model `\(model.name)`", at: locate(model.span))
            }
            let a = binding.architecture
            guard a.inputs.count == 1, a.tensors[a.inputs[0].tensor].count == model.input.count else {
                throw LoweringError.mismatch("model `\(model.name)` is declared with \(model.input.count) inputs; its architecture takes \(a.inputs.map { a.tensors[$0.tensor].count })",
                                             at: locate(model.span))
            }
            guard binding.output >= 0, binding.output < a.outputs.count,
                  a.tensors[a.outputs[binding.output].tensor].count == model.output.count else {
                throw LoweringError.mismatch("model `\(model.name)` is declared with \(model.output.count) outputs; the architecture's output \(binding.output) does not have them",
                                             at: locate(model.span))
            }
        }
    }

    /// The assets whose commitment is published as an output: `committed` ones.
    var committedAssets: [Asset] {
        hir.models.filter { $0.visibility == .committed }.map { .model($0.name) }
            + hir.tables.filter { $0.visibility == .committed }.map { .table($0.name) }
    }

    /// The assets whose commitment the circuit computes: committed ones and
    /// those a rule commits to, models first, then tables, in declaration order.
    var hashedAssets: [Asset] {
        var used = Set<Asset>()
        for id in 0..<graph.nodes.count {
            if case .commit(let asset) = graph[id].op { used.insert(asset) }
        }
        for asset in committedAssets { used.insert(asset) }
        return hir.models.map { Asset.model($0.name) }.filter(used.contains)
            + hir.tables.map { Asset.table($0.name) }.filter(used.contains)
    }

    // MARK: Origins and errors

    func origin(_ node: PolicyGraph.Node) -> Origin {
        Origin(PolicyLowering.label(node.op), at: locate(node.span))
    }

    static func label(_ op: PolicyGraph.Op) -> String {
        switch op {
        case .bool(let v): return "\(v)"
        case .number(let r): return r.description
        case .param(let p): return "param \(p)"
        case .commitment(let c): return "commitment \(c)"
        case .commit(let a): return "commit(\(PolicyInterface.name(a)))"
        case .inline(let f, _, _): return "call \(f)"
        case .field(let t, let f): return "field \(t).\(f)"
        case .enumCase(let k): return "case \(k)"
        case .index(_, let i): return "index \(i)"
        case .applyModel(let m, _): return "model \(m)"
        case .negate: return "negation"
        case .not: return "not"
        case .absolute: return "abs"
        case .arithmetic(let o, _, _): return "arithmetic \(o.rawValue)"
        case .and: return "and"
        case .or: return "or"
        case .compare(let o, _, _, let k): return "comparison \(o.rawValue) as \(k)"
        case .extremum(let e, _): return "\(e.rawValue)"
        case .conditional: return "if"
        case .aggregate(let a): return "\(a.function.rawValue) over \(a.table)"
        case .reduce(let e, _): return "\(e.rawValue) over groups"
        }
    }

    /// Runs `body`, turning a gadget's `CircuitError` into a `LoweringError` at `span`.
    func located<T>(_ span: SourceSpan, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CircuitError {
            throw LoweringError(.circuit, error.description, at: locate(span))
        }
    }
}
