import BigNumber
import Foundation
import PolicySyntax
import Testing
@testable import PolicySemantics

/// The standard library's metrics, evaluated exactly on the HIR, agree with
/// Fairlearn and scikit-learn (scripts/fairlearn_reference.py generated the
/// reference values); and the evaluator's own semantics (empty groups,
/// `skip empty`, division) behave as documented.
@Suite struct EvaluatorTests {
    struct Reference: Decodable {
        let fairlearn: String
        let groups: [String]
        let cases: [Case]
    }

    struct Case: Decodable {
        let name: String
        let rows: [String]
        let present_groups: [String]
        let demographic_parity_difference: Double
        let demographic_parity_ratio: Double
        let equal_opportunity_difference: Double
        let equalized_odds_difference: Double
        let accuracy: Double
        let precision: Double
        let recall: Double
        let false_positive_rate: Double
        let false_negative_rate: Double
        let selection_rate: Double
    }

    static let reference: Reference = {
        let url = Support.repository.appendingPathComponent("Tests/PolicySemanticsTests/Fixtures/fairlearn-reference.json")
        let data = (try? Data(contentsOf: url)) ?? Data()
        return (try? JSONDecoder().decode(Reference.self, from: data)) ?? Reference(fairlearn: "missing", groups: [], cases: [])
    }()

    /// Each rule compares one metric with its own parameter, so that the
    /// metric's exact value can be bracketed by overriding the parameter.
    static let policy = """
    policy "Fairlearn reference" version "1"
    import std.fairness
    import std.performance
    data t: table { group: enum { female, male, other }, label: bool, predicted: bool } private
    param limit_dpd: ratio = 50%
    param limit_dpr: ratio = 50%
    param limit_eop: ratio = 50%
    param limit_eod: ratio = 50%
    param limit_acc: ratio = 50%
    param limit_pre: ratio = 50%
    param limit_rec: ratio = 50%
    param limit_fpr: ratio = 50%
    param limit_fnr: ratio = 50%
    param limit_sel: ratio = 50%
    rule dpd_all: fairness.parity_gap(predicted, t, by: group) <= limit_dpd
    rule dpd_present: fairness.gap(rate(a in t by a.group skip empty: a.predicted)) <= limit_dpd
    rule dpr_present: fairness.min_max_ratio(rate(a in t by a.group skip empty: a.predicted)) >= limit_dpr
    rule eop_all: fairness.equal_opportunity_gap(predicted, t, label: label, by: group) <= limit_eop
    rule eop_present: fairness.gap(rate(a in t where a.label by a.group skip empty: a.predicted)) <= limit_eop
    rule eod_all: fairness.equalized_odds_gap(predicted, t, label: label, by: group) <= limit_eod
    rule eod_present: max(fairness.gap(rate(a in t where a.label by a.group skip empty: a.predicted)), fairness.gap(rate(a in t where not a.label by a.group skip empty: a.predicted))) <= limit_eod
    rule accuracy: performance.accuracy(predicted, t, label: label) >= limit_acc
    rule precision: performance.precision(predicted, t, label: label) >= limit_pre
    rule recall: performance.recall(predicted, t, label: label) >= limit_rec
    rule fpr: performance.false_positive_rate(predicted, t, label: label) <= limit_fpr
    rule fnr: performance.false_negative_rate(predicted, t, label: label) <= limit_fnr
    rule selection: performance.selection_rate(predicted, t) >= limit_sel
    """

    func program() throws -> Program {
        let result = Support.check(Self.policy)
        #expect(result.diagnostics.isEmpty, "\(Support.codes(result)) \(result.diagnostics.map(\.message))")
        return try #require(result.program, "no program")
    }

    static func rows(_ c: Case, groups: [String]) -> [[String: RuntimeValue]] {
        c.rows.map { line in
            let parts = line.split(separator: ",")
            return ["group": .enumCase(groups.firstIndex(of: String(parts[0]))!),
                    "label": .bool(parts[1] == "1"), "predicted": .bool(parts[2] == "1")]
        }
    }

    /// A rational close to a double (12 decimal places).
    static func rational(_ value: Double) -> Rational {
        let scaled = (value * 1e12).rounded()
        return Rational(BigInt(Int(scaled)), BigInt(1_000_000_000_000))
    }

    /// The verdict of one rule with its parameter set to `limit`.
    func verdict(_ program: Program, _ rows: [[String: RuntimeValue]], rule: String, param: String, limit: Rational) -> Result<Bool, EvaluationError> {
        var evaluator = Evaluator(program: program, inputs: EvaluationInputs(tables: ["t": rows], params: [param: .number(limit)]))
        return evaluator.verdicts().first { $0.rule == rule }!.result
    }

    @Test func fixtureIsPresent() {
        #expect(Self.reference.cases.count == 4, "run scripts/fairlearn_reference.py")
        #expect(Self.reference.groups == ["female", "male", "other"])
    }

    @Test(arguments: reference.cases.map(\.name))
    func metricsAgreeWithFairlearn(_ name: String) throws {
        let c = try #require(Self.reference.cases.first { $0.name == name })
        let program = try program()
        let rows = Self.rows(c, groups: Self.reference.groups)
        let allPresent = c.present_groups.count == Self.reference.groups.count
        // (rule, param, Fairlearn value, whether the rule is `<=` (else `>=`), needs every group)
        let metrics: [(String, String, Double, Bool, Bool)] = [
            ("dpd_all", "limit_dpd", c.demographic_parity_difference, true, true),
            ("dpd_present", "limit_dpd", c.demographic_parity_difference, true, false),
            ("dpr_present", "limit_dpr", c.demographic_parity_ratio, false, false),
            ("eop_all", "limit_eop", c.equal_opportunity_difference, true, true),
            ("eop_present", "limit_eop", c.equal_opportunity_difference, true, false),
            ("eod_all", "limit_eod", c.equalized_odds_difference, true, true),
            ("eod_present", "limit_eod", c.equalized_odds_difference, true, false),
            ("accuracy", "limit_acc", c.accuracy, false, false),
            ("precision", "limit_pre", c.precision, false, false),
            ("recall", "limit_rec", c.recall, false, false),
            ("fpr", "limit_fpr", c.false_positive_rate, true, false),
            ("fnr", "limit_fnr", c.false_negative_rate, true, false),
            ("selection", "limit_sel", c.selection_rate, false, false),
        ]
        let epsilon = 1e-9
        for (rule, param, expected, atMost, needsAll) in metrics {
            let above = verdict(program, rows, rule: rule, param: param, limit: Self.rational(expected + epsilon))
            let below = verdict(program, rows, rule: rule, param: param, limit: Self.rational(expected - epsilon))
            if needsAll && !allPresent {
                // An absent group is an error naming it, unless the rule skips empty groups.
                guard case .failure(let error) = above else { Issue.record("\(name) \(rule): expected an empty-group error"); continue }
                #expect(error.message.contains("group `other` has no rows"), "\(error.message)")
                continue
            }
            // The exact value lies within ε of Fairlearn's: the rule flips between the two limits.
            #expect((try? above.get()) == atMost, "\(name) \(rule) at \(expected) + ε")
            #expect((try? below.get()) == !atMost, "\(name) \(rule) at \(expected) - ε")
        }
    }

    func evaluate(_ rules: String, rows: [[String: RuntimeValue]]) throws -> [Result<Bool, EvaluationError>] {
        let result = Support.check("policy \"e\" version \"1\"\ndata t: table { g: enum { a, b }, x: int in 0..100, ok: bool } private\n" + rules)
        #expect(result.diagnostics.isEmpty, "\(Support.codes(result)) \(result.diagnostics.map(\.message))")
        let program = try #require(result.program, "no program")
        var evaluator = Evaluator(program: program, inputs: EvaluationInputs(tables: ["t": rows]))
        return evaluator.verdicts().map(\.result)
    }

    static func row(_ group: Int, _ x: Int, _ ok: Bool) -> [String: RuntimeValue] {
        ["g": .enumCase(group), "x": .number(Rational(x)), "ok": .bool(ok)]
    }

    @Test func emptySetsAndGroups() throws {
        let rows = [Self.row(0, 10, true), Self.row(0, 20, false), Self.row(0, 30, true)]
        let results = try evaluate("""
        rule a: count(r in t where r.ok) == 2
        rule b: rate(r in t: r.ok) > 66%
        rule c: max(rate(r in t by r.g: r.ok)) > 50%
        rule d: max(rate(r in t by r.g skip empty: r.ok)) > 50%
        rule e: mean(r in t where r.x > 50: r.x) > 1
        rule f: all r in t where r.x > 50: r.ok
        rule g: not (any r in t where r.x > 50: r.ok)
        rule h: sum(r in t where r.x > 50: r.x) == 0 and max(count(r in t by r.g)) == 3
        rule i: 100 / count(r in t where r.x > 50) > 1
        rule j: mean(r in t: r.x) == 20 and min(r in t: r.x) == 10 and max(r in t: r.x) == 30
        """, rows: rows)
        #expect((try? results[0].get()) == true)
        #expect((try? results[1].get()) == true) // 2/3 > 66%, exactly
        if case .failure(let error) = results[2] { #expect(error.message.contains("group `b` has no rows")) } else { Issue.record("c") }
        #expect((try? results[3].get()) == true)
        if case .failure(let error) = results[4] { #expect(error.message.contains("over no rows")) } else { Issue.record("e") }
        #expect((try? results[5].get()) == true)
        #expect((try? results[6].get()) == true)
        #expect((try? results[7].get()) == true)
        if case .failure(let error) = results[8] { #expect(error.message.contains("division by zero")) } else { Issue.record("i") }
        #expect((try? results[9].get()) == true)
    }

    /// Distributing a comparison over `max`/`min` keeps its meaning: checked
    /// against direct evaluation on random values.
    @Test func distributionPreservesMeaning() throws {
        var g = IntervalTests.Generator(state: 99)
        let result = Support.check("""
        policy "d" version "1"
        data t: table { g: enum { a, b }, x: int in 0..100, ok: bool } private
        param p: int in 0..100 = 50
        rule maxLE: max(min(r in t: r.x), max(r in t: r.x)) <= p
        rule maxGE: max(min(r in t: r.x), max(r in t: r.x)) >= p
        rule minLT: p < min(max(r in t: r.x), min(r in t: r.x), 60)
        rule minGT: min(max(r in t: r.x), min(r in t: r.x)) > p
        """)
        let program = try #require(result.program)
        for _ in 0..<300 {
            let xs = (0..<Int.random(in: 1...5, using: &g)).map { _ in Int.random(in: 0...100, using: &g) }
            let p = Int.random(in: 0...100, using: &g)
            let rows = xs.map { Self.row(0, $0, true) }
            var evaluator = Evaluator(program: program, inputs: EvaluationInputs(tables: ["t": rows], params: ["p": .number(Rational(p))]))
            let verdicts = evaluator.verdicts().map { try? $0.result.get() }
            let lo = xs.min()!, hi = xs.max()!
            #expect(verdicts == [max(lo, hi) <= p, max(lo, hi) >= p, p < min(hi, lo, 60), min(hi, lo) > p])
        }
    }

    /// Evaluates `rules` over `rows` in one pass and in runs of at most 64
    /// rows side by side; returns both.
    func evaluateBothWays(_ rules: String, rows: [[String: RuntimeValue]]) throws
        -> (onePass: [Result<Bool, EvaluationError>], inRuns: [Result<Bool, EvaluationError>]) {
        let result = Support.check("policy \"e\" version \"1\"\ndata t: table { g: enum { a, b }, x: int in 0..100, ok: bool } private\n" + rules)
        #expect(result.diagnostics.isEmpty, "\(Support.codes(result)) \(result.diagnostics.map(\.message))")
        let program = try #require(result.program, "no program")
        var onePass = Evaluator(program: program, inputs: EvaluationInputs(tables: ["t": rows]))
        onePass.parallelRows = 0
        var inRuns = Evaluator(program: program, inputs: EvaluationInputs(tables: ["t": rows]))
        inRuns.parallelRows = 128
        return (onePass.verdicts().map(\.result), inRuns.verdicts().map(\.result))
    }

    /// A large table is aggregated in runs side by side: the values are
    /// exactly those computed here from the data, and the same as one pass.
    @Test func largeTablesAggregateInRunsExactlyAsInOnePass() throws {
        var g = IntervalTests.Generator(state: 7)
        var data = (0..<3001).map { _ in (Int.random(in: 0...1, using: &g), Int.random(in: 1...100, using: &g), Bool.random(using: &g)) }
        data[2000].1 = 0  // the row where `100 / r.x` fails
        let rows = data.map { Self.row($0.0, $0.1, $0.2) }
        let xs = data.map(\.1)
        let okCount = data.filter(\.2).count
        let perGroup = [data.filter { $0.0 == 0 }.count, data.filter { $0.0 == 1 }.count]
        let okPerGroup = [data.filter { $0.0 == 0 && $0.2 }.count, data.filter { $0.0 == 1 && $0.2 }.count]
        // The group with the higher rate of `ok`, by cross-multiplying.
        let top = okPerGroup[0] * perGroup[1] >= okPerGroup[1] * perGroup[0] ? 0 : 1
        let results = try evaluateBothWays("""
        rule sum: sum(r in t: r.x) == \(xs.reduce(0, +))
        rule count: count(r in t where r.ok) == \(okCount)
        rule extremes: min(r in t: r.x) == \(xs.min()!) and max(r in t: r.x) == \(xs.max()!)
        rule mean: mean(r in t: r.x) * \(xs.count) == \(xs.reduce(0, +))
        rule groups: max(count(r in t by r.g)) == \(perGroup.max()!) and min(count(r in t by r.g)) == \(perGroup.min()!)
        rule rate: max(rate(r in t by r.g: r.ok)) * \(perGroup[top]) == \(okPerGroup[top])
        rule every: all r in t where r.x > 0: r.x >= 1
        rule some: any r in t: r.x > 99
        rule failing: count(r in t where 100 / r.x > 1) > 0
        """, rows: rows)
        #expect(results.inRuns == results.onePass)
        for (k, result) in results.onePass.prefix(7).enumerated() { #expect((try? result.get()) == true, "rule \(k)") }
        #expect((try? results.onePass[7].get()) == xs.contains(100))
        // The first row that fails names the error, whichever run it lies in.
        if case .failure(let error) = results.inRuns[8] { #expect(error.message.contains("division by zero")) } else { Issue.record("failing") }
    }

    /// An aggregate inside the rows of one aggregated in runs is evaluated by each run.
    @Test func nestedAggregatesOfRunsAgreeWithOnePass() throws {
        var g = IntervalTests.Generator(state: 11)
        let data = (0..<400).map { _ in (Int.random(in: 0...1, using: &g), Int.random(in: 0...100, using: &g), Bool.random(using: &g)) }
        let xs = data.map(\.1)
        let total = xs.reduce(0, +)
        let above = xs.filter { $0 * xs.count > total }.count
        let results = try evaluateBothWays("""
        rule nested: count(r in t where r.x > mean(s in t: s.x)) == \(above)
        """, rows: data.map { Self.row($0.0, $0.1, $0.2) })
        #expect(results.inRuns == results.onePass)
        #expect((try? results.onePass[0].get()) == true)
    }
}
