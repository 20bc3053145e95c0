import BigNumber
import PolicySyntax
import Testing
@testable import PolicySemantics

@Suite struct CheckerTests {
    func program(_ rules: String) throws -> Program {
        let result = Support.check(Support.prelude + rules)
        #expect(result.diagnostics.isEmpty, "\(Support.codes(result)) \(result.diagnostics.map(\.message))")
        return try #require(result.program, "no program")
    }

    /// `CODE@line:col` of each diagnostic in the policy, lines counted from the first rule.
    func errors(_ rules: String) -> [String] {
        let result = Support.check(Support.prelude + rules)
        return result.diagnostics.map { diagnostic in
            guard let span = diagnostic.span, let file = result.sources[span.file] else { return diagnostic.code.rawValue }
            let location = file.location(of: span.start)
            let line = span.file == FileID(0) ? location.line - Support.preludeLines : location.line
            return "\(diagnostic.code.rawValue)@\(span.file == FileID(0) ? "" : file.path + ":")\(line):\(location.column)"
        }
    }

    @Test func standardLibraryChecksOnItsOwn() {
        let result = Support.check("policy \"p\" version \"1\"\nimport std.fairness\nimport std.performance\nimport std.integrity\n")
        #expect(result.diagnostics.isEmpty, "\(Support.codes(result)) \(result.diagnostics.map(\.message))")
        #expect(result.program?.sources.map(\.key) == ["policy", "std.fairness", "std.performance", "std.integrity"])
    }

    @Test func rateComparisonKeepsNumeratorAndDenominator() throws {
        let program = try self.program("rule r: rate(a in applicants where a.repaid: approved(a)) >= 80%")
        guard case .compare(.greaterEqual, let rate, let threshold, .numeric(.ratio)) = program.rules[0].body.kind,
              case .aggregate(let aggregate) = rate.kind else {
            Issue.record("unexpected HIR")
            return
        }
        #expect(aggregate.function == .rate)
        #expect(aggregate.filter != nil)
        #expect(rate.range?.numerator == Interval(.zero, Rational(Limits.maxRows)))
        #expect(rate.range?.denominator == Interval(.one, Rational(Limits.maxRows)))
        guard case .number(let value) = threshold.kind else { Issue.record("threshold not a constant"); return }
        #expect(value == Rational(4, 5))
        #expect(threshold.type == .ratio)
    }

    @Test func percentAndDecimalAreTheSameRatio() throws {
        let program = try self.program("rule a: rate(a in applicants: a.repaid) >= 5%\nrule b: rate(a in applicants: a.repaid) >= 0.05")
        let values = program.rules.map { rule -> Rational? in
            if case .compare(_, _, let threshold, _) = rule.body.kind, case .number(let value) = threshold.kind { return value }
            return nil
        }
        #expect(values == [Rational(1, 20), Rational(1, 20)])
    }

    @Test func everyNodeIsTypedAndNumbersHaveRanges() throws {
        let program = try self.program("""
        rule a: fairness.parity_gap(approved, applicants, by: group) <= 10%
        rule b: mean(a in applicants: a.income) > 1000 and sum(a in applicants where a.repaid: a.age) < 2000000000
        rule c: max(max(a in applicants by a.group: a.age)) <= max(50, min(60, 70)) or abs(count(a in applicants) - 5) > 2
        """)
        var nodes = 0
        func visit(_ expr: Expr) {
            nodes += 1
            #expect(!expr.isError)
            if case .opaque = expr.kind { Issue.record("opaque node in a program") }
            if expr.type.isNumeric || { if case .perGroup = expr.type { return true }; return false }() {
                #expect(expr.range != nil, "no range at \(expr.kind)")
            }
            expr.children.forEach(visit)
        }
        program.rules.forEach { visit($0.body) }
        #expect(nodes > 40)
    }

    @Test func inlinedCallsBindValuesAndSubstituteFunctions() throws {
        let program = try self.program("rule r: fairness.impact_ratio(approved, applicants, by: group) >= 80%")
        guard case .compare(_, let lhs, _, .numeric(.ratio)) = program.rules[0].body.kind,
              case .inline(let call) = lhs.kind else { Issue.record("no inline"); return }
        #expect(call.function == "fairness.impact_ratio")
        #expect(call.bindings.isEmpty) // tables, functions and fields are substituted
        guard case .inline(let inner) = call.body.kind else { Issue.record("no inner inline"); return }
        #expect(inner.function == "fairness.min_max_ratio")
        #expect(inner.bindings.map(\.name) == ["values"])
        if case .perGroup(.ratio, let groups) = inner.bindings[0].value.type {
            #expect(groups.cases == ["female", "male"])
        } else {
            Issue.record("binding is not a per-group ratio")
        }
    }

    @Test func comparisonsAreDistributedOverMax() throws {
        let program = try self.program("""
        rule r: fairness.equalized_odds_gap(approved, applicants, label: repaid, by: group) <= 10%
        rule s: max(count(a in applicants), count(a in applicants where a.repaid)) >= 10
        """)
        func shape(_ expr: Expr) -> String {
            switch expr.kind {
            case .inline(let call): return shape(call.body)
            case .and(let a, let b): return "and(\(shape(a)), \(shape(b)))"
            case .or(let a, let b): return "or(\(shape(a)), \(shape(b)))"
            case .compare(let op, _, _, _): return op.rawValue
            default: return "?"
            }
        }
        #expect(shape(program.rules[0].body) == "and(<=, <=)")
        #expect(shape(program.rules[1].body) == "or(>=, >=)")
    }

    @Test func enumCasesReadAgainstTheOtherSide() throws {
        let program = try self.program("rule r: count(a in applicants where a.group == female and male != a.group) >= 1")
        #expect(program.rules.count == 1)
        #expect(errors("rule r: count(a in applicants where a.group == femal) >= 1") == ["E0208@1:48"])
    }

    @Test func paramsAndDomains() throws {
        let program = try self.program("param p: ratio = 12.5%\nparam n: int in 0..100 = 7\nparam f: fixed = -0.25\nparam b: bool = true\nrule r: rate(a in applicants: a.repaid) >= p")
        #expect(program.params.map(\.name) == ["p", "n", "f", "b"])
        #expect(program.params[0].value == .number(Rational(1, 8)))
        #expect(program.params[0].domain == Interval(0, 1))
        #expect(program.params[1].domain == Interval(0, 100))
        #expect(program.params[0].validate(override: "4%") == .success(.number(Rational(1, 25))))
        #expect((try? program.params[0].validate(override: "120%").get()) == nil)
        #expect((try? program.params[0].validate(override: "0.00001").get()) == nil)
        #expect((try? program.params[1].validate(override: "2.5").get()) == nil)
        #expect(program.params[3].validate(override: "false") == .success(.bool(false)))
        #expect(errors("param p: ratio = 150%") == ["E0402@1:18"])
        #expect(errors("param p: int = 0.5") == ["E0311@1:16"])
        #expect(errors("param p: ratio = 0.123456") == ["E0311@1:18"])
        #expect(errors("param p: ratio = x") == ["E0311@1:18"])
        #expect(errors("param p: bool = 5") == ["E0311@1:17"])
        #expect(errors("param p: tensor[2] = 5") == ["E0318@1:10"])
    }

    @Test func typeErrors() {
        #expect(errors("rule r: count(a in applicants) + true > 1") == ["E0301@1:34"])
        #expect(errors("rule r: rate(a in applicants: a.age) > 0.5") == ["E0300@1:31"])
        #expect(errors("rule r: count(a in applicants: a.repaid) > 1") == ["E0307@1:32"])
        #expect(errors("rule r: sum(a in applicants) > 1") == ["E0307@1:9"])
        #expect(errors("rule r: count(a in applicants by a.age) > 1") == ["E0308@1:34"])
        #expect(errors("rule r: count(a in applicants by a.group) > 1") == ["E0309@1:9"])
        #expect(errors("rule r: count(a in applicants)") == ["E0310@1:9"])
        #expect(errors("rule r: scorer(a.features) > 1") == ["E0200@1:16"])
        #expect(errors("rule r: all a in applicants: scorer(a.age)[0] > 0") == ["E0306@1:37"])
        #expect(errors("rule r: all a in applicants: scorer(a.features)[2] > 0") == ["E0305@1:49"])
        #expect(errors("rule r: all a in applicants: a.features > 0") == ["E0301@1:30"])
        #expect(errors("rule r: commit(approved) == commit(scorer)") == ["E0312@1:16"])
        #expect(errors("rule r: commit(scorer) < commit(applicants)") == ["E0301@1:9"])
        #expect(errors("rule r: all a in applicants: a.salary > 0") == ["E0204@1:32"])
        #expect(errors("rule r: applicants > 0") == ["E0214@1:9"])
        #expect(errors("rule r: count(a in scorer) > 0") == ["E0313@1:20"])
        #expect(errors("rule r: approved > 0") == ["E0214@1:9"])
        #expect(errors("rule r: repaid(1) > 0") == ["E0200@1:9"])
    }

    @Test func callErrors() {
        #expect(errors("rule r: fairness.parity_gap(approved, applicants) < 5%") == ["E0302@1:9"])
        #expect(errors("rule r: fairness.parity_gap(approved, applicants, by: group, extra: 1) < 5%") == ["E0303@1:62"])
        #expect(errors("rule r: fairness.parity_gap(approved, applicants, by: income) < 5%") == ["E0314@1:55"])
        #expect(errors("rule r: fairness.parity_gap(approved, applicants, by: grop) < 5%") == ["E0200@1:55"])
        #expect(errors("rule r: fairness.parity_gap(approved, approved, by: group) < 5%") == ["E0313@1:39"])
        #expect(errors("rule r: fairness.parity_gapp(approved, applicants, by: group) < 5%") == ["E0205@1:18"])
        #expect(errors("rule r: fairness.parity_gap(by: group, approved, applicants) < 5%") == ["E0303@1:40"])
        #expect(errors("let twice(x) = x + x\nrule r: twice(1, 2) > 0") == ["E0302@2:18"])
        #expect(errors("rule r: max(1) > 0") == ["E0302@1:9"])
        #expect(errors("rule r: abs(x: 1) > 0") == ["E0303@1:13"])
        #expect(errors("rule r: count(1) > 0") == ["E0307@1:9"])
        #expect(errors("rule r: fairness > 0") == ["E0214@1:9"])
    }

    @Test func rowsAndAggregatesNest() {
        #expect(errors("rule r: all a in applicants: count(b in applicants where b.age > a.age) > 0") == ["E0210@1:66"])
        #expect(errors("let older(a) = count(b in applicants where b.age > a.age) > 0\nrule r: any a in applicants: older(a)") == ["E0210@1:52"])
        // Row-independent values inside aggregates are fine.
        #expect(errors("rule r: all a in applicants: a.age <= 2 * mean(b in applicants: b.age)") == [])
    }

    @Test func recursionIsReportedOnce() {
        #expect(errors("let f(x) = g(x)\nlet g(x) = f(x)\nrule r: f(1) > 0") == ["E0207@1:5"])
        #expect(errors("let v = v + 1\nrule r: v > 0") == ["E0207@1:5"])
        // Recursion through a function argument is caught when inlining.
        #expect(errors("let apply(f, x) = f(f, x)\nrule r: apply(apply, 1) > 0") == ["E0207@1:19"])
    }

    @Test func intervalAnalysisErrors() {
        #expect(errors("rule r: sum(a in applicants: a.features[0]) > 0") == ["E0400@1:9"])
        #expect(errors("rule r: count(a in applicants) >= 0") == ["E0401@1:9"])
        #expect(errors("rule r: rate(a in applicants: a.repaid) < 150%") == ["E0401@1:9"])
        #expect(errors("rule r: all a in applicants: a.age > 200") == ["E0401@1:30"])
        #expect(errors("rule r: all a in applicants: a.income / (a.age - 50) > 0") == ["E0403@1:42"])
        #expect(errors("rule r: all a in applicants: a.income / 0 > 0") == ["E0403@1:41"])
        #expect(errors("rule r: 1 / 0 > 0") == ["E0403@1:13"])
        #expect(errors("rule r: 4611686018427387904 > count(a in applicants)") == ["E0400@1:9"])
        // Bounded inputs fit.
        #expect(errors("rule r: sum(a in applicants: a.income) > 0") == [])
        // A product of sums does not.
        #expect(errors("rule r: sum(a in applicants: a.income) * sum(a in applicants: a.income) > 0") == ["E0400@1:9"])
    }

    @Test func errorsInImportedFunctionsPointAtTheCall() throws {
        let library = "fn total(rows: table, amount: rows -> fixed) -> fixed = sum(r in rows: amount(r))\n"
        let result = Support.check(Support.prelude + "import \"lib.zkp\"\nrule r: lib.total(applicants, approved_income) > 0\nlet approved_income(a) = a.features[0]\n",
                                   files: ["lib.zkp": library])
        // An import after other declarations is E0111; the overflow is reported at the call in the policy.
        let codes = Support.codes(result)
        #expect(codes.contains("E0111@policy.zkp:\(Support.preludeLines + 1):1"))
        let overflow = try #require(result.diagnostics.first { $0.code == .valueOutOfSafeRange })
        #expect(overflow.span?.file == FileID(0))
        #expect(overflow.notes.contains { $0.span.map { result.sources[$0.file]?.path } == "lib.zkp" && $0.message.contains("lib.total") })
    }

    @Test func untypedLetErrorsAreReportedAtTheLetWithTheCall() throws {
        let result = Support.check(Support.prelude + "let older(a) = a.agee > 30\nrule r: any a in applicants: older(a)")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.code == .unknownField)
        #expect(diagnostic.notes.contains { $0.message.contains("when `older` is called here") })
    }

    @Test func fnParametersNeedTypes() {
        #expect(errors("fn f(x) = x\nrule r: f(1) > 0") == ["E0211@1:6"])
        #expect(errors("fn f(x: table -> bool) = 1") == ["E0106@1:9"])
        #expect(errors("fn f(x: int in 0..1) -> int = x") == ["E0315@1:13"])
    }

    @Test func declarationErrors() {
        #expect(errors("data t: table { x: bool, x: int } private") == ["E0209@1:26"])
        #expect(errors("data t: table { x: tensor[3] from [a, b] } private") == ["E0317@1:30"])
        #expect(errors("data t: table { x: tensor[0] } private") == ["E0316@1:27"])
        #expect(errors("data t: table { x: int in 5..1 } private") == ["E0315@1:24"])
        #expect(errors("data t: table { x: int in 0..1.5 } private") == ["E0315@1:24"])
        #expect(errors("data t: table { x: ratio } private") == ["E0318@1:20"])
        #expect(errors("data t: table { x: enum { a, a } } private") == ["E0209@1:30"])
        #expect(errors("data t: table { x: fixed in 0..100000000000000 } private") == ["E0400@1:26"])
        #expect(errors("model m: onnx int -> tensor[1] private") == ["E0318@1:15"])
        #expect(errors("let approved = 1") == ["E0201@1:5"])
    }

    @Test func columnBindings() throws {
        let result = Support.check("""
        policy "p" version "1"
        data t: table {
            a: tensor[3],
            b: tensor[2] from [x, "y z"],
            c: int from "C",
            d: tensor[2, 2] from d1..d4,
        } private
        """)
        #expect(result.diagnostics.isEmpty)
        let table = try #require(result.program?.tables.first)
        #expect(table.fields.map(\.columns) == [["a[0]", "a[1]", "a[2]"], ["x", "y z"], ["C"], ["d1", "d2", "d3", "d4"]])
        #expect(table.fields[0].fractionBits == 16)
        #expect(table.fields[2].fractionBits == 0)
        #expect(table.fields[2].range == Limits.defaultInt)
    }
}
