import Testing
@testable import PolicySyntax

@Suite struct ParserTests {
    static let sample = """
    /// The policy.
    policy "P" version "1.0"

    import std.fairness
    import "./lib/bank-rules.zkp" as bank

    model scorer: onnx tensor[20] -> tensor[2] in 0..1 private

    data applicants: table {
        /// Features.
        features: tensor[20] from f0..f19,
        group: enum { female, male },
        age: int in 18..120 from "age in years",
        extra: tensor[3] int from [a, b, "c d"],
    } committed

    param max_gap: ratio = 5%
    commitment digest_of_scorer
    let threshold = 0.5
    let approved(a) = scorer(a.features)[1] >= threshold
    fn share(selected: rows -> bool, rows: table, by group: rows -> enum) -> ratio per group =
        rate(r in rows by group(r) skip empty: selected(r))
    rule r: fairness.parity_gap(approved, applicants, by: group) < max_gap and not (1 + 2 * 3 == 7)
    rule q: all a in applicants where a.age < 21: if a.age > 18 then approved(a) else false
    """

    @Test func parsesEveryDeclarationKind() throws {
        let parsed = Support.parse(Self.sample)
        #expect(parsed.diagnostics.isEmpty)
        let kinds = parsed.module.declarations.map { declaration -> String in
            switch declaration.kind {
            case .policy: return "policy"
            case .import: return "import"
            case .model: return "model"
            case .data: return "data"
            case .param: return "param"
            case .commitment: return "commitment"
            case .function(let f): return f.isFn ? "fn" : "let"
            case .rule: return "rule"
            case .error: return "error"
            }
        }
        #expect(kinds == ["policy", "import", "import", "model", "data", "param", "commitment", "let", "let", "fn", "rule", "rule"])
        #expect(parsed.module.declarations[0].doc?.text == "The policy.")
        #expect(parsed.module.imports.map(\.moduleName) == ["fairness", "bank"])
        guard case .data(let data) = parsed.module.declarations[4].kind else { Issue.record("no data"); return }
        #expect(data.fields.map(\.name.name) == ["features", "group", "age", "extra"])
        #expect(data.fields[0].doc?.text == "Features.")
        #expect(data.visibility?.visibility == .committed)
        guard case .function(let share) = parsed.module.declarations[9].kind else { Issue.record("no fn"); return }
        #expect(share.parameters?.map(\.callLabel) == ["selected", "rows", "by"])
    }

    @Test func precedence() {
        let parsed = Support.parse("policy \"p\" version \"1\"\nrule r: a or b and not c == d + e * f")
        #expect(parsed.diagnostics.isEmpty)
        guard case .rule(let rule) = parsed.module.declarations[1].kind else { Issue.record("no rule"); return }
        let dump = ASTDumper.dump(parsed.module)
        #expect(dump.contains("binary or"))
        // or(a, and(b, not(==(c, +(d, *(e, f))))))
        guard case .binary(.or, _, let right) = rule.body.kind, case .binary(.and, _, let notExpr) = right.kind,
              case .unary(.not, let comparison) = notExpr.kind, case .binary(.equal, _, let sum) = comparison.kind,
              case .binary(.add, _, let product) = sum.kind, case .binary(.multiply, _, _) = product.kind else {
            Issue.record("wrong tree:\n\(dump)")
            return
        }
    }

    @Test func recoveryReportsIndependentErrors() {
        let codes = Support.parseCodes("""
        policy "p" version "1"
        rule a: 1 +
        rule b 2
        data t: table { x: bool, y: , z: int } private
        rule c: (1 + 2
        model m: onnx tensor[2] -> tensor[1]
        param p: ratio = 5%
        """)
        #expect(codes == ["E0105@3:1", "E0100@3:8", "E0106@4:29", "E0103@5:9", "E0107@6:37"])
    }

    @Test func chainedComparisonsAreAnError() {
        #expect(Support.parseCodes("policy \"p\" version \"1\"\nrule r: 1 < x < 3") == ["E0109@2:15"])
    }

    @Test func declarationOrder() {
        #expect(Support.parseCodes("rule r: true\npolicy \"p\" version \"1\"") == ["E0102@2:1"])
        #expect(Support.parseCodes("policy \"p\" version \"1\"\nrule r: true\nimport std.fairness") == ["E0111@3:1"])
        #expect(Support.parseCodes("policy \"p\" version \"1\"\npolicy \"q\" version \"1\"") == ["E0102@2:1"])
    }

    @Test func deepNestingIsADiagnosticNotACrash() {
        for depth in [150, 10_000, 200_000] {
            let text = "policy \"p\" version \"1\"\nrule r: " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
            let codes = Support.parseCodes(text)
            #expect(codes.first?.hasPrefix("E0104") == true, "depth \(depth): \(codes)")
            #expect(codes.count == 1)
        }
        // Long flat chains are deep trees too.
        let chain = "policy \"p\" version \"1\"\nrule r: " + Array(repeating: "1", count: 50_000).joined(separator: " + ") + " > 0"
        #expect(Support.parseCodes(chain).first?.hasPrefix("E0104") == true)
        let unary = "policy \"p\" version \"1\"\nrule r: " + String(repeating: "not ", count: 50_000) + "true"
        #expect(Support.parseCodes(unary).first?.hasPrefix("E0104") == true)
        let types = "policy \"p\" version \"1\"\nfn f(x: int" + String(repeating: " per group", count: 5_000) + ") = 1"
        #expect(Support.parseCodes(types).first?.hasPrefix("E0104") == true)
        // Nesting within the limit is fine.
        let fine = "policy \"p\" version \"1\"\nrule r: " + String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50) + " > 0"
        #expect(Support.parseCodes(fine).isEmpty)
    }

    @Test func columnRanges() {
        #expect(ColumnRange.expand("f0", "f3") == ["f0", "f1", "f2", "f3"])
        #expect(ColumnRange.expand("x_9", "x_10") == ["x_9", "x_10"])
        #expect(ColumnRange.expand("f3", "f0") == nil)
        #expect(ColumnRange.expand("f0", "g3") == nil)
        #expect(ColumnRange.expand("f", "f3") == nil)
        #expect(ColumnRange.expand("f01", "f03") == nil)
        #expect(Support.parseCodes("data t: table { x: tensor[2] from f1..f0 } private") == ["E0108@1:35"])
    }

    @Test func emptyAndCommentOnlyFilesParse() {
        #expect(Support.parse("").module.declarations.isEmpty)
        #expect(Support.parse("// only a comment\n").diagnostics.isEmpty)
    }

    @Test func strayTokensAtTopLevel() {
        #expect(Support.parseCodes("policy \"p\" version \"1\"\n) ) )\nrule r: true") == ["E0110@2:1"])
    }

    @Test func astDumpIsStable() {
        let dump = ASTDumper.dump(Support.parse("policy \"p\" version \"1\"\nrule r: count(a in t where a.x by a.g) > 2").module)
        #expect(dump == """
        module test.zkp
          policy "p" version "1" @1:1
          rule r @2:1
            binary > @2:9
              aggregate count a @2:9
                in
                  name t @2:20
                where
                  member .x @2:28
                    name a @2:28
                by
                  member .g @2:35
                    name a @2:35
              literal 2 @2:42

        """)
    }
}
