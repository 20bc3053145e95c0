import Foundation
import PolicySyntax
import Testing
import ZKPolicy

/// The command-line tool, run as a subprocess: exit codes, streams, formats.
@Suite struct CLITests {
    static let policies = Support.zkpFiles(in: "Policies/credit")

    @Test func policiesCheckAndAreFormatted() throws {
        #expect(Self.policies.count >= 3)
        #expect(Self.policies.contains("Policies/credit/fair-lending.zkp"))
        let check = try Support.run(["check"] + Self.policies)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr.isEmpty)
        #expect(check.stdout.contains("Policies/credit/fair-lending.zkp: ok (3 rules)"))
        let format = try Support.run(["fmt", "--check"] + Self.policies + Support.zkpFiles(in: "Stdlib"))
        #expect(format.status == 0, "\(format.stderr)")
        // Library modules check on their own.
        let modules = try Support.run(["check"] + Support.zkpFiles(in: "Stdlib"))
        #expect(modules.status == 0, "\(modules.stderr)")
        #expect(modules.stdout.contains("Stdlib/fairness.zkp: ok (module)"))
    }

    @Test func stdlibChecksFromItsFolderToo() throws {
        let run = try Support.run(["check", "--stdlib", "Stdlib", "Policies/credit/fair-lending.zkp"])
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func errorsGoToStandardErrorWithCarets() throws {
        let run = try Support.run(["check", "Tests/ZKPolicyTests/Corpus/invalid/E0204-unknown-field.zkp"])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("Tests/ZKPolicyTests/Corpus/invalid/E0204-unknown-field.zkp:12:30: error[E0204]: table `t` has no field `repayed`\n"))
        #expect(run.stderr.contains("   |                              ^~~~~~~\n"))
        #expect(run.stderr.contains("did you mean `repaid`?"))
        #expect(run.stderr.hasSuffix("1 error generated\n"))
    }

    @Test func jsonOutput() throws {
        let run = try Support.run(["check", "--json", "Tests/ZKPolicyTests/Corpus/invalid/E0100-recovery-many-errors.zkp",
                                   "Policies/credit/fair-lending.zkp"])
        #expect(run.status == 1)
        let documents = run.stdout.split(separator: "\n")
        #expect(documents.count == 2)
        let first = try #require(JSONSerialization.jsonObject(with: Data(documents[0].utf8)) as? [String: Any])
        let diagnostics = try #require(first["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.map { $0["code"] as? String } == ["E0100", "E0204", "E0401"])
        #expect(diagnostics[0]["line"] as? Int == 12)
        #expect(diagnostics[0]["column"] as? Int == 8)
        #expect(first["errors"] as? Int == 3)
        let second = try #require(JSONSerialization.jsonObject(with: Data(documents[1].utf8)) as? [String: Any])
        #expect((second["diagnostics"] as? [Any])?.isEmpty == true)
    }

    @Test func unreadableInputs() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data([0x70, 0xFF, 0xFE, 0x00, 0x80]).write(to: folder.appendingPathComponent("binary.zkp"))
        try Data().write(to: folder.appendingPathComponent("empty.zkp"))
        try Data(repeating: 0x20, count: (4 << 20) + 1).write(to: folder.appendingPathComponent("huge.zkp"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("dir.zkp"), withIntermediateDirectories: true)
        let cases: [(String, String)] = [
            ("dir.zkp", "E0010"), ("missing.zkp", "E0010"), ("binary.zkp", "E0001"), ("empty.zkp", "E0101"), ("huge.zkp", "E0011"),
        ]
        for (name, code) in cases {
            let run = try Support.run(["check", name], in: folder)
            #expect(run.status == 1, "\(name)")
            #expect(run.stderr.contains("error[\(code)]"), "\(name): \(run.stderr)")
        }
        // Every command survives them. (An empty file formats to itself and has an empty syntax tree.)
        for command in [["fmt"], ["fmt", "--check"], ["compile", "--emit", "ast"], ["compile", "--emit", "hir"]] {
            for (name, _) in cases {
                let run = try Support.run(command + [name], in: folder)
                let expected: Int32 = name == "empty.zkp" && command != ["compile", "--emit", "hir"] ? 0 : 1
                #expect(run.status == expected, "\(command) \(name): \(run.stderr)")
            }
        }
    }

    @Test func missingImportAndImportCycle() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "policy \"p\" version \"1\"\nimport \"./lib/missing.zkp\"\n".write(to: folder.appendingPathComponent("missing-import.zkp"), atomically: true, encoding: .utf8)
        try "policy \"p\" version \"1\"\nimport \"./a.zkp\"\n".write(to: folder.appendingPathComponent("cycle.zkp"), atomically: true, encoding: .utf8)
        try "import \"./b.zkp\"\n".write(to: folder.appendingPathComponent("a.zkp"), atomically: true, encoding: .utf8)
        try "import \"./a.zkp\"\n".write(to: folder.appendingPathComponent("b.zkp"), atomically: true, encoding: .utf8)
        let missing = try Support.run(["check", "missing-import.zkp"], in: folder)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("missing-import.zkp:2:8: error[E0202]: cannot import `./lib/missing.zkp`: no such file"))
        let cycle = try Support.run(["check", "cycle.zkp"], in: folder)
        #expect(cycle.status == 1)
        #expect(cycle.stderr.contains("b.zkp:1:1: error[E0203]"))
        #expect(cycle.stderr.contains("`a.zkp` imports `b.zkp`"))
    }

    @Test func formatRewritesAndChecks() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("messy.zkp")
        let messy = "policy   \"p\" version \"1\"\nrule r:count(a in t)>1   // keep me\n"
        try messy.write(to: file, atomically: true, encoding: .utf8)
        let check = try Support.run(["fmt", "--check", "messy.zkp"], in: folder)
        #expect(check.status == 1)
        #expect(check.stderr.contains("messy.zkp: not formatted"))
        #expect(try String(contentsOf: file, encoding: .utf8) == messy, "--check must not write")
        let stdout = try Support.run(["fmt", "--stdout", "messy.zkp"], in: folder)
        #expect(stdout.stdout == "policy \"p\" version \"1\"\nrule r: count(a in t) > 1  // keep me\n")
        #expect(try Support.run(["fmt", "messy.zkp"], in: folder).status == 0)
        #expect(try String(contentsOf: file, encoding: .utf8) == stdout.stdout)
        #expect(try Support.run(["fmt", "--check", "messy.zkp"], in: folder).status == 0)
        // A file with syntax errors is left alone.
        try "policy \"p\" version \"1\"\nrule r: (".write(to: file, atomically: true, encoding: .utf8)
        let broken = try Support.run(["fmt", "messy.zkp"], in: folder)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("messy.zkp:2:10: error[E0105]: expected an expression, found end of file"))
        #expect(try String(contentsOf: file, encoding: .utf8) == "policy \"p\" version \"1\"\nrule r: (")
    }

    @Test func explain() throws {
        let run = try Support.run(["explain", "E0401"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("E0401: comparison is always true or always false\n"))
        let lowercase = try Support.run(["explain", "e0401"])
        #expect(lowercase.stdout == run.stdout)
        let unknown = try Support.run(["explain", "E9999"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("unknown error code"))
        let list = try Support.run(["explain", "--list"])
        for code in DiagnosticCode.allCases { #expect(list.stdout.contains(code.rawValue + "  ")) }
    }

    @Test func compileEmitsStagesMatchingGoldens() throws {
        for policy in Self.policies {
            let name = URL(fileURLWithPath: policy).deletingPathExtension().lastPathComponent
            let hir = try Support.run(["compile", policy, "--emit", "hir"])
            #expect(hir.status == 0, "\(hir.stderr)")
            try Support.expectGolden(hir.stdout, "Tests/ZKPolicyTests/Golden/hir/\(name).hir")
        }
        let ast = try Support.run(["compile", "Policies/credit/fair-lending.zkp", "--emit", "ast"])
        #expect(ast.status == 0)
        try Support.expectGolden(ast.stdout, "Tests/ZKPolicyTests/Golden/ast/fair-lending.ast")
        let failing = try Support.run(["compile", "Tests/ZKPolicyTests/Corpus/invalid/E0309-unreduced-group-rates.zkp", "--emit", "hir"])
        #expect(failing.status == 1)
        #expect(failing.stdout.isEmpty)
        let bad = try Support.run(["compile", "Policies/credit/fair-lending.zkp", "--emit", "nonsense"])
        #expect(bad.status == 64) // a usage error (EX_USAGE), not a policy error
        #expect(bad.stderr.contains("'nonsense' is invalid for '--emit"))
    }

    /// The rendered diagnostics of some corpus cases, byte for byte.
    @Test(arguments: ["E0100-recovery-many-errors", "E0203-import-cycle", "E0309-unreduced-group-rates",
                      "E0400-sum-overflow", "E0107-missing-visibility", "E0001-invalid-utf8"])
    func renderedDiagnosticsMatchGoldens(_ name: String) throws {
        let run = try Support.run(["check", "Tests/ZKPolicyTests/Corpus/invalid/\(name).zkp"])
        #expect(run.status == 1)
        try Support.expectGolden(run.stderr, "Tests/ZKPolicyTests/Golden/diagnostics/\(name).txt")
    }

    @Test func helpDescribesTheCommands() throws {
        let run = try Support.run(["--help"])
        #expect(run.status == 0)
        for command in ["check", "fmt", "explain", "compile"] { #expect(run.stdout.contains(command)) }
    }
}
