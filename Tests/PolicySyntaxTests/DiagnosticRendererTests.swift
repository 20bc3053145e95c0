import Testing
@testable import PolicySyntax

@Suite struct DiagnosticRendererTests {
    func setup() -> (SourceMap, SourceFile) {
        var sources = SourceMap()
        let file = sources.add(path: "p.zkp", text: "policy \"p\" version \"1\"\n\trule r: x >= 5\n")
        return (sources, file)
    }

    @Test func textRenderingHasLocationSourceLineAndCaret() {
        let (sources, file) = setup()
        let span = SourceSpan(file: file.id, start: 32, end: 33) // `x`
        let note = Note("declared here", at: SourceSpan(file: file.id, start: 0, end: 6))
        let diagnostic = Diagnostic(.unknownName, "unknown name `x`", at: span, notes: [note, Note("plain note")],
                                    fixIts: [FixIt("rename", replacing: span, with: "y")])
        let text = DiagnosticRenderer(sources: sources).render([diagnostic])
        #expect(text == """
        p.zkp:2:10: error[E0200]: unknown name `x`
          |
        2 |     rule r: x >= 5
          |             ^
        p.zkp:1:1: note: declared here
          |
        1 | policy "p" version "1"
          | ^~~~~~
           = note: plain note
           = fix-it: rename (replace with `y` at p.zkp:2:10)

        1 error generated

        """)
    }

    @Test func fileLevelDiagnostic() {
        let text = DiagnosticRenderer(sources: SourceMap()).render([Diagnostic(.unreadableFile, "is a directory", path: "dir")])
        #expect(text == "dir: error[E0010]: is a directory\n\n1 error generated\n")
    }

    @Test func jsonRendering() {
        let (sources, file) = setup()
        let span = SourceSpan(file: file.id, start: 32, end: 33)
        let diagnostic = Diagnostic(.unknownName, "unknown \"x\"", at: span, notes: [Note("n")])
        let json = DiagnosticRenderer(sources: sources).renderJSON([diagnostic])
        #expect(json == #"{"diagnostics":[{"code":"E0200","severity":"error","message":"unknown \"x\"","file":"p.zkp","line":2,"column":10,"endLine":2,"endColumn":11,"notes":[{"message":"n"}],"fixIts":[]}],"errors":1,"warnings":0}"# + "\n")
    }

    @Test func caretOnInvalidBytesAndEmptyFiles() {
        var sources = SourceMap()
        let file = sources.add(path: "b.zkp", bytes: [0x61, 0xFF, 0x62])
        let text = DiagnosticRenderer(sources: sources).render(Diagnostic(.invalidUTF8, "bad", at: SourceSpan(file: file.id, start: 1, end: 2)))
        #expect(text.contains("1 | a\u{FFFD}b"))
        #expect(text.contains("  |  ^"))
        let empty = sources.add(path: "e.zkp", text: "")
        let rendered = DiagnosticRenderer(sources: sources).render(Diagnostic(.missingPolicyHeader, "m", at: SourceSpan(file: empty.id, start: 0, end: 0)))
        #expect(rendered.hasPrefix("e.zkp:1:1: error[E0101]: m\n"))
    }

    @Test func everyCodeHasAnExplanation() {
        var seen: Set<String> = []
        for code in DiagnosticCode.allCases {
            #expect(code.rawValue.range(of: #"^E0[0-9]{3}$"#, options: .regularExpression) != nil)
            #expect(seen.insert(code.rawValue).inserted, "duplicate \(code.rawValue)")
            #expect(!code.explanation.title.isEmpty)
            #expect(code.explanation.text.count > 60, "\(code.rawValue) explanation too short")
            #expect(!code.explanation.title.hasSuffix("."))
            #expect(DiagnosticCode(code: code.rawValue.lowercased()) == code)
        }
    }
}
