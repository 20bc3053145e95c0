import PolicySyntax
import Testing
@testable import PolicySemantics

@Suite struct ModuleLoaderTests {
    let header = "policy \"p\" version \"1\"\n"

    @Test func missingModules() {
        #expect(Support.codes(Support.check(header + "import std.nothing")) == ["E0202@policy.zkp:2:1"])
        #expect(Support.codes(Support.check(header + "import \"./missing.zkp\"")) == ["E0202@policy.zkp:2:8"])
        #expect(Support.codes(Support.check(header + "import fairness")) == ["E0112@policy.zkp:2:1"])
        #expect(Support.codes(Support.check(header + "import \"/etc/x.zkp\"")) == ["E0112@policy.zkp:2:8"])
        #expect(Support.codes(Support.check(header + "import \"x.txt\"")) == ["E0112@policy.zkp:2:8"])
    }

    @Test func importCycles() {
        let files = ["a.zkp": "import \"b.zkp\"\nfn fa() -> int = 1", "b.zkp": "import \"a.zkp\"\nfn fb() -> int = 2"]
        let result = Support.check(header + "import \"a.zkp\"", files: files)
        #expect(Support.codes(result) == ["E0203@b.zkp:1:1"])
        #expect(result.diagnostics[0].notes.map(\.message) == ["`a.zkp` imports `b.zkp`", "`b.zkp` imports `a.zkp`"])
        let selfImport = Support.check(header + "import \"a.zkp\"", files: ["a.zkp": "import \"./a.zkp\""])
        #expect(Support.codes(selfImport) == ["E0203@a.zkp:1:1"])
        // The policy importing itself is a cycle too.
        #expect(Support.codes(Support.check(header + "import \"policy.zkp\"", files: ["policy.zkp": header])) != [])
    }

    @Test func sharedModulesLoadOnce() throws {
        let files = ["lib/a.zkp": "import \"../common.zkp\"\nfn fa() -> int = common.one()",
                     "common.zkp": "fn one() -> int = 1",
                     "b.zkp": "import \"./common.zkp\"\nfn fb() -> int = common.one()"]
        let result = Support.check(header + "import \"lib/a.zkp\"\nimport \"b.zkp\"\nrule r: a.fa() + b.fb() == 2 or a.fa() == 1", files: files)
        #expect(result.diagnostics.map(\.code) == [.constantComparison, .constantComparison])
        #expect(result.graph.modules.map(\.key) == ["policy", "lib/a.zkp", "common.zkp", "b.zkp"])
    }

    @Test func moduleContents() {
        let files = ["lib.zkp": "policy \"x\" version \"1\"\nrule r: true\nfn ok() -> int = 1"]
        #expect(Support.codes(Support.check(header + "import \"lib.zkp\"", files: files)) == ["E0102@lib.zkp:1:1", "E0206@lib.zkp:2:1"])
        #expect(Support.codes(Support.check("rule r: true")) == ["E0101@policy.zkp:1:1"])
        #expect(Support.codes(Support.check("")) == ["E0101@policy.zkp:1:1"])
        #expect(Support.codes(Support.check(header + "import \"my-lib.zkp\"", files: ["my-lib.zkp": ""])) == ["E0113@policy.zkp:2:1"])
        #expect(Support.codes(Support.check(header + "import \"my-lib.zkp\" as mine", files: ["my-lib.zkp": ""])) == [])
        #expect(Support.codes(Support.check(header + "import std.fairness\nimport \"fairness.zkp\"", files: ["fairness.zkp": ""])) == ["E0201@policy.zkp:3:1"])
    }

    @Test func paths() {
        #expect(ModulePaths.join("a/b", "../c.zkp") == "a/c.zkp")
        #expect(ModulePaths.join("", "./x/./y.zkp") == "x/y.zkp")
        #expect(ModulePaths.join("/root/p", "../../../x.zkp") == "/x.zkp")
        #expect(ModulePaths.join("a", "../../x.zkp") == "../x.zkp")
        #expect(ModulePaths.directory(of: "a/b/c.zkp") == "a/b")
        #expect(ModulePaths.directory(of: "c.zkp") == "")
    }
}
