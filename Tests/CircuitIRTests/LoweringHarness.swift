import BigNumber
import Field
import Foundation
@testable import ModelGraph
@testable import PolicySemantics
import PolicySyntax
import Testing
@testable import CircuitIR

typealias HIRProgram = PolicySemantics.Program
typealias CircuitProgram = CircuitIR.Program

/// Shared machinery of the lowering tests: checking policy text, a toy
/// model, random tables, and running the circuit beside the HIR evaluator.
enum LoweringHarness {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The standard library as in `Stdlib/`.
    static let standard: [String: String] = {
        var modules: [String: String] = [:]
        let folder = repository.appendingPathComponent("Stdlib")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".zkp") {
            modules[String(name.dropLast(4))] = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        return modules
    }()

    /// Checks policy text; records the diagnostics and throws when it has errors.
    static func check(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> (HIRProgram, SourceMap) {
        let root = ModuleSource(key: "policy", displayPath: "policy.zkp", location: "policy.zkp", bytes: Array(text.utf8))
        let result = Checker.check(root: root, provider: InMemoryModules(standard: standard))
        guard let program = result.program else {
            let rendered = DiagnosticRenderer(sources: result.sources).render(result.diagnostics)
            Issue.record("policy has errors:\n\(rendered)", sourceLocation: sourceLocation)
            throw LoweringError(.mismatch, "policy has errors")
        }
        return (program, result.sources)
    }

    /// `file:line:column` of a span, with the file's display path.
    static func locator(_ sources: SourceMap) -> (SourceSpan) -> OriginLocation? {
        { span in
            guard let file = sources[span.file] else { return nil }
            let location = file.location(of: span.start)
            return OriginLocation(file: file.path, line: location.line, column: location.column)
        }
    }

    /// A toy classifier on 3 features: input at scale 2^8 clamped to ±(2^10 − 1),
    /// a dense layer 3 → 2 (weights at 2^8, bias at 2^16), rescaled to 2^8 and
    /// clamped to 0…256, so its two outputs lie in [0, 1].
    static func toyModel(weights: [Int64] = [60, -40, -30, 70, 20, 10], bias: [Int64] = [32768, 16384]) -> QuantizedModel {
        let architecture = QuantizedArchitecture(
            inputs: [QInput(name: "x", tensor: 0, sampleShape: [3])],
            outputs: [QOutput(name: "p", tensor: 4, sampleShape: [2])],
            tensors: [QTensor(name: "x", shape: [1, 3], scale: 8), QTensor(name: "x/clamped", shape: [1, 3], scale: 8),
                      QTensor(name: "acc", shape: [1, 2], scale: 16), QTensor(name: "rescaled", shape: [1, 2], scale: 8),
                      QTensor(name: "p", shape: [1, 2], scale: 8)],
            weights: [WeightSpec(name: "W", role: .weights, shape: [3, 2], scale: 8, lower: -255, upper: 255),
                      WeightSpec(name: "b", role: .bias, shape: [2], scale: 16, lower: -65535, upper: 65535)],
            tables: [],
            steps: [QStep(op: .clamp(lo: -1023, hi: 1023), inputs: [0], output: 1),
                    QStep(op: .dense(weight: 0, bias: 1), inputs: [1], output: 2),
                    QStep(op: .rescale(shift: 8), inputs: [2], output: 3),
                    QStep(op: .clamp(lo: 0, hi: 256), inputs: [3], output: 4)])
        let report = QuantizationReport(options: QuantizationOptions(), calibrationSamples: 0, maxBits: 0, maxBitsAt: "",
                                        clampedCalibrationValues: 0)
        return QuantizedModel(architecture: architecture, weights: QuantizedWeights(values: [weights, bias]), report: report)
    }

    /// Random rows within every field's domain (fixed values on a coarse grid
    /// of the domain, so that comparisons with round thresholds can tie).
    static func randomRows(_ table: PolicySemantics.Table, count: Int, seed: UInt64) throws -> TableRows {
        var rows = try TableRows(schema: table)
        var rng = SplitMix64(seed: seed)
        for _ in 0..<count {
            var values: [Int64] = []
            for field in rows.fields {
                for _ in 0..<field.elements {
                    let span = UInt64(field.upper - field.lower)
                    var v = field.lower + Int64(rng.next() % (span &+ 1 == 0 ? UInt64.max : span + 1))
                    if case .fixed(let bits) = field.kind, rng.next() % 4 != 0 {
                        // Mostly multiples of 1/4 within the domain.
                        let step = Int64(1) << (bits - 2)
                        let snapped = (v / step) * step
                        if snapped >= field.lower && snapped <= field.upper { v = snapped }
                    }
                    values.append(v)
                }
            }
            try rows.append(values)
        }
        return rows
    }

    /// A salt for every asset the circuit commits to.
    static func salts(_ lowered: LoweredPolicy) -> [Asset: [Goldilocks]] {
        var salts: [Asset: [Goldilocks]] = [:]
        for case .salt(let asset) in lowered.interface.privateInputs {
            salts[asset] = (0..<4).map { Goldilocks((UInt64($0 + 1) &* 0x9E37_79B9_7F4A_7C15) % Goldilocks.modulus) }
        }
        return salts
    }

    /// The rule bodies' comparison sides (under the calls that bind their
    /// values) as probes named `RULE.left` and `RULE.right`.
    static func probes(_ program: HIRProgram) -> [(name: String, expr: Expr)] {
        var result: [(String, Expr)] = []
        for rule in program.rules {
            var wrappers: [InlinedCall] = []
            var e = rule.body
            while case .inline(let call) = e.kind {
                wrappers.append(call)
                e = call.body
            }
            guard case .compare(_, let a, let c, .numeric) = e.kind else { continue }
            func wrap(_ x: Expr) -> Expr {
                wrappers.reversed().reduce(x) { inner, call in
                    Expr(.inline(InlinedCall(function: call.function, definition: call.definition, bindings: call.bindings, body: inner)),
                         type: inner.type, range: inner.range, span: inner.span)
                }
            }
            result.append(("\(rule.name).left", wrap(a)))
            result.append(("\(rule.name).right", wrap(c)))
        }
        return result
    }

    /// The outcome of running a policy both ways.
    struct Outcome {
        /// Per rule, the HIR evaluator's verdict (nil: it could not evaluate).
        var reference: [String: Bool?] = [:]
        /// Per rule, the circuit's verdict output (when reached).
        var circuit: [String: Bool] = [:]
        /// Where the circuit's witness generation stopped, if it did.
        var failure: WitnessError?
        var lowered: LoweredPolicy
        var optimised: CircuitProgram
        var inputs: WitnessInputs
    }

    /// Lowers, optimises and evaluates `text` on the data, and evaluates the
    /// HIR beside it; records an issue for every disagreement: a verdict, a
    /// probed value (both sides of each rule's comparison, exactly), or a
    /// failure of one side only.
    @discardableResult
    static func compare(_ text: String, tables: (HIRProgram) throws -> [String: TableRows],
                        models: [String: QuantizedModel] = ["scorer": toyModel()],
                        params: [String: PolicySemantics.Param.Value] = [:],
                        commitments: ((HIRProgram, [Asset: [Goldilocks]], [String: TableRows]) -> [String: Poseidon2Digest])? = nil,
                        sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Outcome {
        let (program, sources) = try check(text, sourceLocation: sourceLocation)
        let data = try tables(program)
        let bindings = models.mapValues { ModelBinding(architecture: $0.architecture, output: 0) }
        let lowering = PolicyLowering(program, models: bindings, rowCounts: data.mapValues(\.count), locate: locator(sources))
        let probes = Self.probes(program)
        lowering.probes = probes
        let lowered = try lowering.run()
        try lowered.program.validate()
        let salts = Self.salts(lowered)
        let published = commitments?(program, salts, data) ?? [:]
        let witnessData = PolicyWitnessData(tables: data, params: params, commitments: published,
                                            weights: models.mapValues(\.weights), salts: salts)
        let inputs = try lowered.witnessInputs(witnessData)
        let (optimised, _) = PassPipeline.optimisation.run(lowered.program)
        try optimised.validate()

        // The reference.
        let references = models.mapValues { PolicyReference.Model(model: $0, output: 0) }
        var evaluator = Evaluator(program: program,
                                  inputs: PolicyReference.evaluationInputs(program, data: witnessData, models: references))
        var outcome = Outcome(lowered: lowered, optimised: optimised, inputs: inputs)
        for (rule, result) in evaluator.verdicts() {
            outcome.reference[rule] = .some(try? result.get())
        }
        var expectedProbes: [String: Rational] = [:]
        for probe in probes {
            if case .number(let r)? = try? evaluator.value(probe.expr) { expectedProbes[probe.name] = r }
        }

        // The circuit, before and after optimisation.
        for circuit in [lowered.program, optimised] {
            let run = try CircuitIR.Evaluator(circuit).execute(inputs)
            let names = circuit.publicOutputNames
            var outputs: [String: Goldilocks] = [:]
            for (name, value) in Swift.zip(names, run.outputs) { outputs[name] = value }
            let failing = program.rules.first { outcome.reference[$0.name] != .some(true) }
            if let failing {
                guard let failure = run.failure else {
                    Issue.record("rule \(failing.name) does not hold (\(String(describing: outcome.reference[failing.name]))) but the circuit accepted",
                                 sourceLocation: sourceLocation)
                    continue
                }
                #expect(failure.origin.contains("rule \(failing.name)"),
                        "the circuit failed outside rule \(failing.name): \(failure)", sourceLocation: sourceLocation)
            } else if let failure = run.failure {
                Issue.record("every rule holds but the circuit failed: \(failure)", sourceLocation: sourceLocation)
            }
            outcome.failure = run.failure
            for rule in program.rules {
                guard case .some(.some(let expected)) = outcome.reference[rule.name], let v = outputs["rule.\(rule.name)"] else { continue }
                outcome.circuit[rule.name] = v == .one
                #expect(v == (expected ? .one : .zero), "rule \(rule.name): circuit \(v), reference \(expected)",
                        sourceLocation: sourceLocation)
            }
            for (name, expected) in expectedProbes {
                guard let n = outputs["probe.\(name).n"], let d = outputs["probe.\(name).d"] else { continue }
                let value = Rational(BigInt(Int(n.signedValue)), BigInt(Int(d.signedValue)))
                #expect(d.signedValue > 0 && value == expected, "probe \(name): circuit \(n.signedValue)/\(d.signedValue), reference \(expected)",
                        sourceLocation: sourceLocation)
            }
        }
        return outcome
    }
}

/// The commitments a policy's `commitment` declarations should hold for the
/// data: `NAME` is matched to `commit(X)` in a rule by the convention that the
/// tests name them `X_digest`.
func publishedDigests(models: [String: QuantizedModel]) -> (HIRProgram, [Asset: [Goldilocks]], [String: TableRows]) -> [String: Poseidon2Digest] {
    { program, salts, tables in
        var result: [String: Poseidon2Digest] = [:]
        for c in program.commitments {
            let asset = String(c.name.dropLast("_digest".count))
            if let m = models[asset], let salt = salts[.model(asset)] {
                result[c.name] = try? AssetCommitment.commit(model: m, salt: salt)
            } else if let t = tables[asset], let salt = salts[.table(asset)] {
                result[c.name] = try? AssetCommitment.commit(table: t, salt: salt)
            } else {
                result[c.name] = Poseidon2Digest([1, 2, 3, 4])
            }
        }
        return result
    }
}
