import Foundation
import Testing
@testable import ZKPolicy

@Suite struct DigestTests {
    func digest(_ text: String) throws -> String {
        let checked = PolicyFrontEnd.check(text: text)
        let program = try #require(checked.program, "\(checked.diagnostics.map(\.message))")
        return PolicyDigest.hex(of: program)
    }

    static let policy = """
    policy "d" version "1"
    import std.integrity
    model m: onnx tensor[2] -> tensor[1] private
    commitment c
    // a comment
    rule r: integrity.model_matches(m, c)

    """

    @Test func digestIgnoresLayoutButNotContent() throws {
        let base = try digest(Self.policy)
        #expect(base.count == 64)
        #expect(try digest(Self.policy) == base)
        // Spacing and line breaks inside declarations are layout; blank lines between
        // declarations are kept by the formatter and so are part of the canonical text.
        let relaid = Self.policy.replacingOccurrences(of: "rule r: ", with: "rule r:\n      ").replacingOccurrences(of: ", c)", with: ",c )")
            .replacingOccurrences(of: "model m:", with: "model   m :")
        #expect(try digest(relaid) == base)
        #expect(try digest(Self.policy.replacingOccurrences(of: "commitment c\n", with: "commitment c\n\n")) != base)
        #expect(try digest(Self.policy.replacingOccurrences(of: "a comment", with: "another comment")) != base)
        #expect(try digest(Self.policy.replacingOccurrences(of: "version \"1\"", with: "version \"2\"")) != base)
        #expect(try digest(Self.policy.replacingOccurrences(of: "rule r:", with: "rule s:")) != base)
    }

    @Test func digestCoversImportedModules() throws {
        let base = try digest(Self.policy)
        var modules = StandardLibrary.modules
        modules["integrity"] = modules["integrity"]! + "\n/// An extra function.\nfn extra() -> bool = true\n"
        let checked = PolicyFrontEnd.check(text: Self.policy, modules: .init(standard: modules))
        let program = try #require(checked.program)
        #expect(PolicyDigest.hex(of: program) != base)
        #expect(program.sources.map(\.key) == ["policy", "std.integrity"])
    }
}
