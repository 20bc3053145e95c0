import Foundation
import Testing
@testable import PolicySyntax

@Suite struct FormatterTests {
    static let goldenFolder = "Tests/PolicySyntaxTests/Formatter"

    static var goldenInputs: [URL] {
        Support.zkpFiles(under: goldenFolder).filter { $0.lastPathComponent.hasSuffix(".input.zkp") }
    }

    /// Every checked-in .zkp file: policies, the standard library, golden cases, docs-independent corpora.
    static var allSources: [URL] {
        Support.zkpFiles(under: "Policies") + Support.zkpFiles(under: "Stdlib") + Support.zkpFiles(under: goldenFolder)
    }

    func format(_ text: String, path: String = "t.zkp") -> FormatResult {
        Formatter.format(SourceFile(id: FileID(0), path: path, text: text))
    }

    @Test(arguments: goldenInputs)
    func matchesGolden(_ input: URL) throws {
        let text = try String(contentsOf: input, encoding: .utf8)
        let result = format(text, path: input.lastPathComponent)
        let formatted = try #require(result.text, "syntax errors: \(result.diagnostics.map(\.message))")
        let expectedURL = input.deletingLastPathComponent()
            .appendingPathComponent(input.lastPathComponent.replacingOccurrences(of: ".input.zkp", with: ".output.zkp"))
        if Support.updateGoldens || !FileManager.default.fileExists(atPath: expectedURL.path) {
            try formatted.write(to: expectedURL, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(formatted == expected, "formatting \(input.lastPathComponent) differs from its golden (ZKPOLICY_UPDATE_GOLDEN=1 to update)")
    }

    @Test(arguments: allSources)
    func isIdempotentAndKeepsTokensAndComments(_ url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let once = format(text).text else { return } // files with syntax errors are not formatted
        let twice = try #require(format(once).text)
        #expect(once == twice, "\(url.lastPathComponent) is not formatted idempotently")
        #expect(TokenComparison.difference(original: Support.file(text), formatted: once) == nil)
        let before = Lexer.lex(Support.file(text)).comments.map(\.text).sorted()
        let after = Lexer.lex(Support.file(once)).comments.map(\.text).sorted()
        #expect(before == after)
        #expect(once.split(separator: "\n").allSatisfy { $0.count <= 100 || $0.contains("//") || !$0.contains(" ") },
                "\(url.lastPathComponent) has lines over 100 columns")
    }

    @Test func policiesAndStandardLibraryAreFormatted() throws {
        for url in Support.zkpFiles(under: "Policies") + Support.zkpFiles(under: "Stdlib") {
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(format(text).text == text, "\(url.path) is not formatted (run zkpolicyc fmt)")
        }
    }

    @Test func refusesFilesWithSyntaxErrors() {
        let result = format("policy \"p\" version \"1\"\nrule r: (")
        #expect(result.text == nil)
        #expect(result.diagnostics.hasErrors)
    }

    @Test func emptyAndCommentOnly() {
        #expect(format("").text == "")
        #expect(format("\n\n  \n").text == "")
        #expect(format("// a\n\n\n// b   \n").text == "// a\n\n// b\n")
    }

    @Test func windowsLineEndingsAndByteOrderMark() throws {
        let text = "\u{FEFF}policy \"p\" version \"1\"\r\n\r\nrule r: true  // ok\r\n"
        let formatted = try #require(format(text).text)
        #expect(formatted == "policy \"p\" version \"1\"\n\nrule r: true  // ok\n")
        #expect(format(formatted).text == formatted)
    }

    @Test func breaksLongChainsOnePerLine() throws {
        let operands = (1...8).map { "count(a in applicants where a.field_number_\($0)) > \($0)" }
        let text = "policy \"p\" version \"1\"\n\nrule r: " + operands.joined(separator: " and ") + "\n"
        let formatted = try #require(format(text).text)
        let lines = formatted.split(separator: "\n")
        #expect(lines.count == 2 + 8)
        #expect(lines[2] == "    count(a in applicants where a.field_number_1) > 1")
        #expect(lines[3] == "    and count(a in applicants where a.field_number_2) > 2")
    }
}
