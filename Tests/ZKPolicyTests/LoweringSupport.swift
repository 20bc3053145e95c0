import BigNumber
import Field
import Foundation
import ModelGraph
@testable import PolicySemantics
import PolicySyntax
import Testing
@testable import CircuitIR
@testable import ZKPolicy

typealias HIRProgram = PolicySemantics.Program

/// The credit example, compiled, and the circuit run beside the HIR evaluator.
enum LoweringSupport {
    static let credit = "examples/credit/"
    static let models = ["model.onnx", "model-logreg.onnx", "biased-model.onnx"]
    static let policies = ["fair-lending", "equal-opportunity", "holdout-performance", "model-registry"]

    /// Derived data files, written once per test process.
    static let derived: URL = {
        let folder = try! Support.temporaryFolder()
        let applicants = try! String(contentsOf: Support.url(credit + "applicants.csv"), encoding: .utf8)
        let lines = applicants.split(separator: "\n").map(String.init)
        // `outcomes` of equal-opportunity.zkp: the applicants with their age (f12) as `age_years`.
        let outcomes = ([lines[0] + ",age_years"] + lines.dropFirst().map { $0 + "," + $0.split(separator: ",")[12] }).joined(separator: "\n")
        try! outcomes.write(to: folder.appendingPathComponent("outcomes.csv"), atomically: true, encoding: .utf8)
        // Calibration samples for a model without data (model-registry.zkp): the 20 features.
        let calibration = lines.map { $0.split(separator: ",").prefix(20).joined(separator: ",") }.joined(separator: "\n")
        try! calibration.write(to: folder.appendingPathComponent("calibration.csv"), atomically: true, encoding: .utf8)
        return folder
    }()

    /// The compile request of a credit policy with a model of the example.
    static func request(_ policy: String, model: String, rows: Int? = nil, optimise: Bool = true) -> CompileRequest {
        var request = CompileRequest(policy: Support.url("Policies/credit/\(policy).zkp").path,
                                     models: ["scorer": Support.url(credit + model).path])
        switch policy {
        case "fair-lending": request.data["applicants"] = Support.url(credit + "applicants.csv").path
        case "equal-opportunity": request.data["outcomes"] = derived.appendingPathComponent("outcomes.csv").path
        case "holdout-performance": request.data["holdout"] = Support.url(credit + "holdout.csv").path
        default: request.calibration["scorer"] = derived.appendingPathComponent("calibration.csv").path
        }
        request.allRows = rows
        if !optimise { request.skipPasses = PolicyCompiler.allPasses }
        return request
    }

    static func compile(_ request: CompileRequest, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> CompiledPolicy {
        switch PolicyCompiler.compile(request) {
        case .success(let compiled): return compiled
        case .failure(let failure):
            Issue.record("compile failed: \(failure)", sourceLocation: sourceLocation)
            throw failure
        }
    }

    /// Salts for every asset the circuit hashes, and the matching published
    /// commitments (each `commitment NAME` of the credit policies is the
    /// digest of the model or table it is compared with).
    static func witnessData(_ compiled: CompiledPolicy) throws -> PolicyWitnessData {
        var salts: [Asset: [Goldilocks]] = [:]
        for case .salt(let asset) in compiled.lowered.interface.privateInputs {
            salts[asset] = (0..<4).map { Goldilocks(UInt64(7919 * ($0 + 1))) }
        }
        var commitments: [String: Poseidon2Digest] = [:]
        for c in compiled.program.commitments {
            for rule in compiled.program.rules {
                guard let asset = committedAsset(rule.body, commitment: c.name) else { continue }
                switch asset {
                case .model(let m): commitments[c.name] = try AssetCommitment.commit(model: compiled.models[m]!.quantized, salt: salts[asset]!)
                case .table(let t): commitments[c.name] = try AssetCommitment.commit(table: compiled.tables[t]!, salt: salts[asset]!)
                }
            }
        }
        return compiled.witnessData(commitments: commitments, salts: salts)
    }

    /// The asset a rule compares with `commitment` (`commit(X) == commitment`), if any.
    static func committedAsset(_ e: Expr, commitment: String) -> Asset? {
        switch e.kind {
        case .inline(let call): return committedAsset(call.body, commitment: commitment)
        case .compare(.equal, let a, let b, .digest):
            if case .commit(let asset) = a.kind, case .commitment(commitment) = b.kind { return asset }
            if case .commit(let asset) = b.kind, case .commitment(commitment) = a.kind { return asset }
            return nil
        case .and(let a, let b), .or(let a, let b):
            return committedAsset(a, commitment: commitment) ?? committedAsset(b, commitment: commitment)
        default: return nil
        }
    }

    /// Both sides of every rule's top comparison (under the calls binding them).
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

    struct Comparison {
        /// The HIR evaluator's verdicts (nil: could not evaluate).
        var reference: [String: Bool?] = [:]
        /// The circuit's verdicts.
        var circuit: [String: Bool] = [:]
        /// Exact values of both sides of each rule's comparison, from the HIR.
        var values: [String: Rational] = [:]
        var failure: WitnessError?
    }

    /// Lowers the compiled policy again with probes, evaluates the circuit
    /// (unoptimised, or `optimise`d) and the HIR on the same data, and records
    /// an issue for every disagreement (verdicts, probed values, failures).
    static func compare(_ compiled: CompiledPolicy, params: [String: Param.Value] = [:], optimise: Bool = false,
                        sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Comparison {
        let program = compiled.program
        let lowering = PolicyLowering(program, models: compiled.models.mapValues(\.binding), rowCounts: compiled.rowCounts,
                                      locate: { _ in nil })
        let probes = Self.probes(program)
        lowering.probes = probes
        let lowered = try lowering.run()
        var data = try witnessData(compiled)
        data.params = params
        let inputs = try lowered.witnessInputs(data)
        let circuit = optimise ? PassPipeline.optimisation.run(lowered.program).0 : lowered.program
        var evaluator = PolicySemantics.Evaluator(program: program, inputs: compiled.evaluationInputs(data))
        var comparison = Comparison()
        for (rule, result) in evaluator.verdicts() { comparison.reference[rule] = .some(try? result.get()) }
        for probe in probes {
            if case .number(let r)? = try? evaluator.value(probe.expr) { comparison.values[probe.name] = r }
        }
        let run = try CircuitIR.Evaluator(circuit).execute(inputs)
        var outputs: [String: Goldilocks] = [:]
        for (name, value) in Swift.zip(circuit.publicOutputNames, run.outputs) { outputs[name] = value }
        comparison.failure = run.failure
        if let failing = program.rules.first(where: { comparison.reference[$0.name] != .some(true) }) {
            if let failure = run.failure {
                #expect(failure.origin.contains("rule \(failing.name)"), "failed outside rule \(failing.name): \(failure)",
                        sourceLocation: sourceLocation)
            } else {
                Issue.record("rule \(failing.name) does not hold but the circuit accepted", sourceLocation: sourceLocation)
            }
        } else if let failure = run.failure {
            Issue.record("every rule holds but the circuit failed: \(failure)", sourceLocation: sourceLocation)
        }
        for rule in program.rules {
            guard case .some(.some(let expected)) = comparison.reference[rule.name], let v = outputs["rule.\(rule.name)"] else { continue }
            comparison.circuit[rule.name] = v == .one
            #expect(v == (expected ? .one : .zero), "rule \(rule.name)", sourceLocation: sourceLocation)
        }
        for (name, expected) in comparison.values {
            guard let n = outputs["probe.\(name).n"], let d = outputs["probe.\(name).d"] else { continue }
            #expect(d.signedValue > 0 && Rational(BigInt(Int(n.signedValue)), BigInt(Int(d.signedValue))) == expected,
                    "probe \(name): circuit \(n.signedValue)/\(d.signedValue), reference \(expected)", sourceLocation: sourceLocation)
        }
        return comparison
    }
}
