import Foundation
import Testing
@testable import ZKPolicy

@Suite struct DigestTests {
    /// FIPS 180-4 / NIST CSRC examples for SHA-256.
    @Test func sha256Vectors() {
        #expect(SHA256.hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000)))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

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
