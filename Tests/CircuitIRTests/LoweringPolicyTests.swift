import BigNumber
import Field
import Foundation
import ModelGraph
@testable import PolicySemantics
import PolicySyntax
import Testing
@testable import CircuitIR

/// Each construct of the language lowered and evaluated by the circuit on
/// random data, against the HIR evaluator: every verdict and both sides of
/// every rule's comparison must agree exactly (`LoweringHarness.compare`).
@Suite struct LoweringPolicyTests {
    static let prelude = """
    policy "test" version "1"
    import std.fairness
    import std.performance
    import std.integrity
    model scorer: onnx tensor[3] -> tensor[2] in 0..1 private
    data t: table {
        features: tensor[3] fixed in -4..4 from f0..f2,
        group: enum { female, male, other },
        sex: enum { f, m },
        repaid: bool,
        age: int in 18..100,
        income: fixed in 0..1000,
        debt: fixed in -50..50,
    } private
    param threshold: fixed in 0..1 = 0.5
    param max_gap: ratio = 30%
    param min_rows: int in 0..100000 = 10
    param strict: bool = true
    let approved(a) = scorer(a.features)[1] >= threshold

    """

    /// Random tables for the prelude's `t`.
    static func data(rows: Int, seed: UInt64) -> (HIRProgram) throws -> [String: TableRows] {
        { program in ["t": try LoweringHarness.randomRows(program.table(named: "t")!, count: rows, seed: seed)] }
    }

    static let cases: [(String, String)] = [
        ("count", "rule r1: count(a in t) >= min_rows\nrule r2: count(a in t where a.repaid and a.age < 40) <= 7"),
        ("rate", "rule r1: rate(a in t: approved(a)) >= 40%\nrule r2: rate(a in t where a.repaid: approved(a)) <= 70%"),
        ("parity", "rule r1: fairness.parity_gap(approved, t, by: group) <= max_gap\nrule r2: fairness.impact_ratio(approved, t, by: sex) >= 60%"),
        ("odds", "rule r1: fairness.equalized_odds_gap(approved, t, label: repaid, by: sex) <= 45%\nrule r2: fairness.equal_opportunity_gap(approved, t, label: repaid, by: group) < 50%"),
        ("performance", "rule r1: performance.accuracy(approved, t, label: repaid) >= 30%\nrule r2: performance.false_negative_rate(approved, t, label: repaid) <= 80%\nrule r3: performance.precision(approved, t, label: repaid) > 20%"),
        ("sum", "rule r1: sum(a in t: a.income) <= 9000\nrule r2: sum(a in t where a.repaid: a.debt) >= -100"),
        ("mean", "rule r1: mean(a in t: a.income) < 600\nrule r2: mean(a in t where approved(a): a.age) >= 30"),
        ("min max", "rule r1: min(a in t: a.debt) >= -49\nrule r2: max(a in t where a.repaid: a.income) <= 990\nrule r3: max(a in t: a.age) > 50"),
        ("grouped", "rule r1: min(rate(a in t by a.group: a.repaid)) >= 10%\nrule r2: max(count(a in t by a.group)) <= 3 * min(count(a in t by a.group))"),
        ("grouped mean", "rule r1: max(mean(a in t by a.sex: a.age)) <= 80\nrule r2: min(mean(a in t where a.repaid by a.group: a.age)) > 40"),
        ("grouped extremes", "rule r1: max(max(a in t by a.group: a.age)) >= 90\nrule r2: min(min(a in t where a.repaid by a.sex: a.debt)) < 0"),
        ("skip empty", "rule r1: fairness.gap(rate(a in t where a.age > 95 by a.group skip empty: a.repaid)) <= 90%\nrule r2: max(sum(a in t by a.group skip empty: a.income)) >= 500"),
        ("quantifiers", "rule r1: all a in t where a.age < 20: a.income >= 100\nrule r2: any a in t: a.repaid and a.debt > 40\nrule r3: all a in t: a.age >= 19"),
        ("arithmetic", "rule r1: rate(a in t: a.repaid) * 2 + rate(a in t where a.age > 50: approved(a)) / 3 - 0.5 <= 120%\nrule r2: rate(a in t: a.repaid) * rate(a in t: approved(a)) < 60%"),
        ("if abs min max", "rule r1: sum(a in t: if a.repaid then a.income else abs(a.debt)) > 10\nrule r2: max(mean(a in t: a.age), 50) - min(mean(a in t where a.repaid: a.age), 40) >= 30"),
        ("comparisons", "rule r1: count(a in t where a.group == female) + count(a in t where a.group != female) == count(a in t)\nrule r2: count(a in t where a.repaid == approved(a)) >= 5\nrule r3: count(a in t where a.sex == m and a.age == 30) <= 10"),
        ("params", "rule r1: (rate(a in t: a.repaid) >= 10% or not strict) and count(a in t) >= min_rows"),
        ("model output", "rule r1: mean(a in t: scorer(a.features)[0]) <= 0.5\nrule r2: sum(a in t: scorer(a.features)[1] - scorer(a.features)[0]) >= -1000"),
        ("division", "rule r1: sum(a in t: a.debt) / count(a in t where a.repaid) >= -5\nrule r2: count(a in t where a.repaid) / count(a in t where approved(a)) <= 2"),
        ("negation", "rule r1: -mean(a in t: a.debt) <= 10\nrule r2: -min(a in t: a.debt) <= 45"),
    ]

    static let seeds: [(rows: Int, seed: UInt64)] = [(12, 1), (25, 7), (40, 3)]

    @Test(arguments: cases.indices)
    func agreesWithTheEvaluator(_ index: Int) throws {
        let (name, rules) = Self.cases[index]
        for (rows, seed) in Self.seeds {
            let outcome = try LoweringHarness.compare(Self.prelude + rules, tables: Self.data(rows: rows, seed: seed))
            #expect(outcome.reference.count == rules.split(separator: "\n").count, "\(name): not every rule evaluated")
        }
    }

    /// The cases above are only meaningful if rules both hold and fail (and
    /// sometimes cannot be evaluated) on the random data.
    @Test func casesExerciseEveryOutcome() throws {
        var holds = 0, fails = 0, undefined = 0
        for (_, rules) in Self.cases {
            for (rows, seed) in Self.seeds {
                let outcome = try LoweringHarness.compare(Self.prelude + rules, tables: Self.data(rows: rows, seed: seed))
                for verdict in outcome.reference.values {
                    switch verdict {
                    case true?: holds += 1
                    case false?: fails += 1
                    case nil: undefined += 1
                    }
                }
            }
        }
        #expect(holds >= 60 && fails >= 10 && undefined >= 1, "holds \(holds), fails \(fails), undefined \(undefined)")
    }

    /// A library function passing its row-function parameter on by name
    /// (`by: group` inside `fairness.parity_gap`) groups by the field it was
    /// given, even when the table has a field named like the parameter.
    @Test func libraryParametersShadowFieldsOfTheSameName() throws {
        let text = """
        policy "shadow" version "1"
        import std.fairness
        data t: table {
            sex: enum { f, m },
            group: enum { a, b, c },
            repaid: bool,
        } private
        rule by_sex: fairness.parity_gap(repaid, t, by: sex) <= 60%
        """
        let (program, _) = try LoweringHarness.check(text)
        var rows = try TableRows(schema: program.table(named: "t")!)
        // By sex: f repays 1/2, m 1/2 (gap 0); by group: a 1/1, b 0/2, c 1/1 (gap 100%).
        for row: [Int64] in [[0, 0, 1], [0, 1, 0], [1, 1, 0], [1, 2, 1]] { try rows.append(row) }
        let outcome = try LoweringHarness.compare(text, tables: { _ in ["t": rows] }, models: [:])
        #expect(outcome.reference["by_sex"] == .some(true))
        #expect(outcome.circuit["by_sex"] == true)
    }
}
