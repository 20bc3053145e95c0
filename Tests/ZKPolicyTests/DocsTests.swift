import Foundation
import PolicySyntax
import Testing
import ZKPolicy

/// The documentation and the grammar cannot drift from the compiler: their
/// examples are checked, the keyword lists compared, docs/errors.md is
/// generated from the explanation table.
@Suite struct DocsTests {
    struct Block {
        let info: String
        let text: String
        let line: Int
    }

    /// Fenced code blocks (```info ... ```) of a markdown file.
    static func blocks(_ markdown: String) -> [Block] {
        var blocks: [Block] = []
        var current: (String, [Substring], Int)?
        for (index, line) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("```") {
                if let (info, lines, start) = current {
                    blocks.append(Block(info: info, text: lines.joined(separator: "\n") + "\n", line: start))
                    current = nil
                } else {
                    current = (String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces), [], index + 1)
                }
            } else if current != nil {
                current!.1.append(line)
            }
        }
        return blocks
    }

    @Test func languageReferenceExamplesCheck() throws {
        let blocks = Self.blocks(try Support.read("docs/language.md"))
        let policies = blocks.filter { $0.info == "zkp" }
        let failures = blocks.filter { $0.info.hasPrefix("zkp-error") }
        #expect(policies.count >= 8)
        #expect(failures.count >= 3)
        for block in policies {
            let checked = PolicyFrontEnd.check(text: block.text, path: "docs/language.md:\(block.line)")
            #expect(checked.diagnostics.isEmpty,
                    "example at docs/language.md:\(block.line): \(checked.diagnostics.map { "\($0.code.rawValue) \($0.message)" })")
            #expect(Formatter.format(SourceFile(id: FileID(0), path: "x", text: block.text)).text == block.text,
                    "example at docs/language.md:\(block.line) is not formatted")
        }
        for block in failures {
            let code = block.info.dropFirst("zkp-error".count).trimmingCharacters(in: .whitespaces)
            let checked = PolicyFrontEnd.check(text: block.text, path: "docs/language.md:\(block.line)")
            #expect(checked.diagnostics.first?.code.rawValue == code,
                    "example at docs/language.md:\(block.line) should fail with \(code): \(checked.diagnostics.map(\.code.rawValue))")
        }
    }

    /// `(* example ... *)` blocks of the EBNF parse without errors.
    @Test func grammarExamplesParse() throws {
        let grammar = try Support.read("Grammar/zkpolicy.ebnf")
        let parts = grammar.components(separatedBy: "(* example")
        #expect(parts.count >= 5)
        for part in parts.dropFirst() {
            let example = String(part.components(separatedBy: "*)")[0])
            let parsed = Parser.parse(SourceFile(id: FileID(0), path: "example", text: example))
            #expect(parsed.diagnostics.isEmpty, "grammar example does not parse: \(parsed.diagnostics.map(\.message))\n\(example)")
            #expect(!parsed.module.declarations.isEmpty)
        }
    }

    /// Every keyword and contextual word of the lexer appears in both grammars.
    @Test func grammarsKnowEveryKeyword() throws {
        let ebnf = try Support.read("Grammar/zkpolicy.ebnf")
        let textMate = try Support.read("Grammar/zkpolicy.tmLanguage.json")
        let json = try #require(JSONSerialization.jsonObject(with: Data(textMate.utf8)) as? [String: Any])
        #expect(json["scopeName"] as? String == "source.zkpolicy")
        let contextual = ["count", "rate", "sum", "mean", "min", "max", "all", "any", "skip", "empty", "group", "std"]
        for word in Keyword.allCases.map(\.rawValue) + contextual {
            #expect(ebnf.contains("\"\(word)\""), "`\(word)` is not a terminal of Grammar/zkpolicy.ebnf")
            let pattern = try NSRegularExpression(pattern: "[|(\\\\b]\(word)[|)\\\\s.]")
            #expect(pattern.firstMatch(in: textMate, range: NSRange(textMate.startIndex..., in: textMate)) != nil,
                    "`\(word)` is not highlighted by Grammar/zkpolicy.tmLanguage.json")
        }
        let terminal = try NSRegularExpression(pattern: "\"([a-z]+)\"")
        let words = terminal.matches(in: ebnf, range: NSRange(ebnf.startIndex..., in: ebnf)).compactMap { match in
            Range(match.range(at: 1), in: ebnf).map { String(ebnf[$0]) }
        }
        #expect(words.count > 40)
        for word in words {
            let known = Keyword(rawValue: word) != nil || contextual.contains(word) || ["n", "t"].contains(word)
            #expect(known, "Grammar/zkpolicy.ebnf has a terminal `\(word)` the lexer does not know")
        }
    }

    static func errorsDocument() -> String {
        var out = """
        # Error codes

        Every diagnostic of `zkpolicyc` has a stable code that never changes meaning.
        `zkpolicyc explain CODE` prints the same text as this page, which is generated
        from `Sources/PolicySyntax/DiagnosticCode+Explanations.swift` (run
        `ZKPOLICY_UPDATE_GOLDEN=1 swift test --filter DocsTests` after editing it).
        Every code is exercised by a test case in `Tests/ZKPolicyTests/Corpus/invalid/`.

        Ranges: E00xx source and tokens, E01xx syntax, E02xx names and modules,
        E03xx types, E04xx ranges (interval analysis).

        """
        for code in DiagnosticCode.allCases.sorted() {
            out += "\n## \(code.rawValue): \(code.explanation.title)\n\n\(code.explanation.text)\n"
        }
        return out
    }

    @Test func errorsDocumentMatchesExplanations() throws {
        try Support.expectGolden(Self.errorsDocument(), "docs/errors.md")
    }

    @Test func cliDocumentCoversEveryCommand() throws {
        let cli = try Support.read("docs/cli.md")
        for command in ["check", "fmt", "explain", "compile"] {
            #expect(cli.contains("zkpolicyc \(command)"), "docs/cli.md does not describe `\(command)`")
        }
        for option in ["--json", "--check", "--stdout", "--stdlib", "--emit", "--list"] {
            #expect(cli.contains(option), "docs/cli.md does not mention \(option)")
        }
    }

    /// CI runs exactly the test command of the README.
    @Test func continuousIntegrationRunsTheReadmeTestCommand() throws {
        let readme = try Support.read("README.md")
        let ci = try Support.read(".ci/run")
        let command = try #require(ci.split(separator: "\n").last { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix("fi") && !$0.hasPrefix("    ") })
        #expect(Self.blocks(readme).contains { $0.text.split(separator: "\n").contains(command) },
                "README.md has no code block with `\(command)`")
    }
}
