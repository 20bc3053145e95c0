import BigNumber
import Field
import Foundation
import ModelGraph
import PolicySemantics
import Testing
@testable import CircuitIR
@testable import ZKPolicy

/// The credit example end to end through the compiler: every policy of
/// `Policies/credit/` with every example model, on the example data; the
/// circuit's verdicts and the exact values of both sides of every rule's
/// comparison agree with the HIR evaluator running the quantized model.
@Suite struct LoweringExampleTests {
    static let pairs: [(String, String)] = LoweringSupport.policies.flatMap { p in LoweringSupport.models.map { (p, $0) } }

    @Test(arguments: pairs.indices)
    func circuitAgreesWithTheEvaluatorOnTheExampleData(_ index: Int) throws {
        let (policy, model) = Self.pairs[index]
        let compiled = try LoweringSupport.compile(LoweringSupport.request(policy, model: model, optimise: false))
        let comparison = try LoweringSupport.compare(compiled)
        #expect(comparison.reference.count == compiled.program.rules.count)
        // The fair model meets the fair-lending policy; the biased one does not.
        if policy == "fair-lending" {
            #expect(comparison.reference["four_fifths"] == .some(model != "biased-model.onnx"), "\(model)")
            #expect(comparison.reference["model_is_registered"] == .some(true))
        }
    }

    /// The optimised circuit (what is proven) on the full example data.
    @Test func optimisedCircuitAgreesOnTheExampleData() throws {
        let compiled = try LoweringSupport.compile(LoweringSupport.request("fair-lending", model: "model.onnx"))
        let comparison = try LoweringSupport.compare(compiled, optimise: true)
        #expect(comparison.failure == nil && comparison.circuit.values.allSatisfy { $0 })
        // A parameter changes the statement, not the circuit: at a 1% gap the parity rule fails.
        let strict = try LoweringSupport.compare(compiled, params: ["max_parity_gap": .number(Rational(BigInt(1), BigInt(100)))],
                                                 optimise: true)
        #expect(strict.reference["approval_parity"] == .some(false))
        #expect(strict.failure?.origin.contains("rule approval_parity") == true)
    }

    /// Fairlearn's values for the float models (examples/credit/reference.json)
    /// against the exact values the circuit computes with the quantized
    /// models, whose decisions agree with the float ones on these rows.
    @Test(arguments: LoweringSupport.models)
    func metricsMatchFairlearnOnTheCreditData(_ model: String) throws {
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: Support.url(LoweringSupport.credit + "reference.json")))
        let metrics = try #require((((reference as? [String: Any])?["models"] as? [String: Any])?[model] as? [String: Any])?["applicants"] as? [String: Any])
        let compiled = try LoweringSupport.compile(LoweringSupport.request("fair-lending", model: model, optimise: false))
        let comparison = try LoweringSupport.compare(compiled)
        func value(_ name: String) throws -> Double {
            let r = try #require(comparison.values[name])
            return Double(r.numerator.asInt!) / Double(r.denominator.asInt!)
        }
        let gap = try #require(metrics["demographic_parity_difference"] as? Double)
        let ratio = try #require(metrics["demographic_parity_ratio"] as? Double)
        #expect(abs(try value("approval_parity.left") - gap) < 1e-12, "parity gap of \(model)")
        #expect(abs(try value("four_fifths.left") - ratio) < 1e-12, "impact ratio of \(model)")
    }

    /// Every policy compiles with the example model and data into a circuit
    /// whose statistics print (`zkpolicyc compile --emit stats`); 60 rows
    /// keep the optimiser quick in a debug build.
    @Test(arguments: LoweringSupport.policies)
    func everyPolicyCompilesWithStats(_ policy: String) throws {
        let compiled = try LoweringSupport.compile(LoweringSupport.request(policy, model: "model.onnx", rows: 60))
        let text = CompileStatistics.text(compiled)
        #expect(text.contains("statement: public inputs"))
        #expect(text.contains("optimised:"))
        for rule in compiled.program.rules { #expect(text.contains("rule.\(rule.name)")) }
        #expect(compiled.passes.count == PassPipeline.optimisation.passes.count)
    }

    /// The verifier's path rebuilds byte-identical programs from the policy,
    /// the architecture cards and the row counts; compiling twice too.
    @Test func rebuildFromCardsGivesTheSameBytes() throws {
        let request = LoweringSupport.request("fair-lending", model: "model.onnx", rows: 40)
        let compiled = try LoweringSupport.compile(request)
        let again = try LoweringSupport.compile(request)
        #expect(compiled.optimised.serialized() == again.optimised.serialized())
        let checked = PolicyFrontEnd.check(path: Support.url("Policies/credit/fair-lending.zkp").path)
        let rebuilt = try PolicyCompiler.rebuild(checked, cards: compiled.cards, rowCounts: compiled.rowCounts).get()
        #expect(rebuilt.optimised.serialized() == compiled.optimised.serialized())
        #expect(rebuilt.lowered.interface == compiled.lowered.interface)
        // Another path to the same policy file gives the same bytes (origins name files, not paths).
        let folder = try Support.temporaryFolder()
        let copy = folder.appendingPathComponent("fair-lending.zkp")
        try FileManager.default.copyItem(at: Support.url("Policies/credit/fair-lending.zkp"), to: copy)
        let elsewhere = try PolicyCompiler.rebuild(PolicyFrontEnd.check(path: copy.path), cards: compiled.cards,
                                                   rowCounts: compiled.rowCounts).get()
        #expect(elsewhere.optimised.serialized() == compiled.optimised.serialized())
        // Another row count is another circuit.
        let other = try PolicyCompiler.rebuild(checked, cards: compiled.cards, rowCounts: ["applicants": 41]).get()
        #expect(other.optimised.serialized() != compiled.optimised.serialized())
        // The program reads back from its bytes with the lowering's hints.
        let bytes = compiled.optimised.serialized()
        let read = try CircuitIR.Program(serialized: bytes, hints: LoweringHints.functions(for: compiled.optimised))
        #expect(read.serialized() == bytes)
    }

    /// A model declaration that does not match the ONNX file is E0320 at the declaration.
    @Test func declarationMismatchIsReportedAtTheModel() throws {
        let folder = try Support.temporaryFolder()
        let text = try Support.read("Policies/credit/fair-lending.zkp").replacingOccurrences(of: "tensor[20] -> tensor[2]", with: "tensor[20] -> tensor[3]")
        let path = folder.appendingPathComponent("mismatch.zkp")
        try text.write(to: path, atomically: true, encoding: .utf8)
        var request = LoweringSupport.request("fair-lending", model: "model.onnx")
        request.policy = path.path
        guard case .failure(.diagnostics(let diagnostics, let sources)) = PolicyCompiler.compile(request) else {
            Issue.record("expected diagnostics")
            return
        }
        #expect(diagnostics.map(\.code.rawValue) == ["E0320"])
        let rendered = PolicyFrontEnd.render(diagnostics, sources: sources, json: false)
        #expect(rendered.contains("mismatch.zkp:21:1: error[E0320]: model `scorer` is declared to give tensor[3], but no output of"))
    }

    @Test func missingInputsAreUsageErrors() {
        var request = LoweringSupport.request("fair-lending", model: "model.onnx")
        request.data = [:]
        guard case .failure(.usage(let message)) = PolicyCompiler.compile(request) else { Issue.record("expected a usage error"); return }
        #expect(message == "table `applicants` needs its data (--data) or a row count (--rows)")
        request.rows = ["applicants": 10]
        guard case .failure(.usage(let calibration)) = PolicyCompiler.compile(request) else { Issue.record("expected a usage error"); return }
        #expect(calibration.contains("model `scorer` needs calibration data"))
        request.models = [:]
        guard case .failure(.usage(let model)) = PolicyCompiler.compile(request) else { Issue.record("expected a usage error"); return }
        #expect(model == "model `scorer` needs its ONNX file (--model)")
    }

    @Test func commandLine() throws {
        let policy = "Policies/credit/fair-lending.zkp"
        let model = LoweringSupport.credit + "model.onnx", data = LoweringSupport.credit + "applicants.csv"
        let stats = try Support.run(["compile", policy, "--model", model, "--data", data, "--rows", "25", "--emit", "stats"])
        #expect(stats.status == 0, "\(stats.stderr)")
        #expect(stats.stdout.contains("table applicants: 25 rows (data: 1000 rows)"))
        #expect(stats.stdout.contains("public outputs rule.model_is_registered, rule.four_fifths, rule.approval_parity"))
        let folder = try Support.temporaryFolder()
        let out = folder.appendingPathComponent("fair.cir")
        let cir = try Support.run(["compile", policy, "--model", "scorer=" + model, "--data", "applicants=" + data, "--rows", "applicants=5",
                                   "--emit", "cir", "-o", out.path])
        #expect(cir.status == 0 && cir.stdout.isEmpty, "\(cir.stderr)")
        #expect(try String(contentsOf: out, encoding: .utf8).contains("public_output \"rule.four_fifths\""))
        let csFile = folder.appendingPathComponent("fair.cs")
        let cs = try Support.run(["compile", policy, "--model", model, "--data", data, "--rows", "5", "--emit", "cs",
                                  "--security", "conjectured-100", "-o", csFile.path])
        #expect(cs.status == 0 && cs.stderr.contains("verifying key: "), "\(cs.stderr)")
        #expect(try Data(contentsOf: csFile).prefix(4) == Data("ZKCS".utf8))
        let missing = try Support.run(["compile", policy, "--data", data, "--emit", "stats"])
        #expect(missing.status == 1 && missing.stderr.contains("needs its ONNX file (--model)"))
        let bad = folder.appendingPathComponent("bad.csv")
        try "f0,f1,f2,f3,f4,f5,f6,f7,f8,f9,f10,f11,f12,f13,f14,f15,f16,f17,f18,f19,group,repaid\n0,6,4,3,1169,4,4,4,0,0,4,0,67,2,1,2,2,1,1,0,male,maybe\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        let data2 = try Support.run(["compile", policy, "--model", model, "--data", bad.path, "--emit", "stats"])
        #expect(data2.status == 1 && data2.stderr.contains("bad.csv:2:22: column `repaid`: `maybe` is not a bool"), "\(data2.stderr)")
    }
}
