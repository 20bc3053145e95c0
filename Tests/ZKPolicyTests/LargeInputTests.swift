import Foundation
import PolicySyntax
import Testing
import ZKPolicy

/// Large hostile inputs end with a bounded number of diagnostics and bounded
/// output, in time roughly linear in their size.
@Suite struct LargeInputTests {
    static let size = 256 * 1024

    static let inputs: [(String, String)] = [
        ("one bad character repeated", String(repeating: "#", count: size)),
        ("stray tokens", String(repeating: ") ] } ", count: size / 6)),
        ("many broken rules", String(repeating: "rule r: x\n", count: size / 10)),
        ("a huge name", "policy \"x\" version \"1\"\nrule r: " + String(repeating: "a", count: size) + " > 1\n"),
        ("many comments", "policy \"x\" version \"1\"\n" + String(repeating: "// c\n", count: size / 5)),
        ("open parentheses", String(repeating: "(", count: size)),
        ("a huge string", "policy \"" + String(repeating: "s", count: size) + "\" version \"1\"\n"),
        ("many rules", "policy \"x\" version \"1\"\ndata t: table {\n    x: int in 0..9,\n} private\n"
            + (0..<(size / 40)).map { "rule r\($0): count(a in t where a.x > 1) > 1\n" }.joined()),
    ]

    @Test(arguments: inputs.indices)
    func boundedDiagnosticsAndOutput(_ index: Int) throws {
        let (name, text) = Self.inputs[index]
        let checked = PolicyFrontEnd.check(text: text, path: "large.zkp")
        #expect(checked.diagnostics.count <= PolicyFrontEnd.maxDiagnostics, "\(name)")
        let rendered = PolicyFrontEnd.render(checked.diagnostics, sources: checked.sources, json: false)
        #expect(rendered.utf8.count < 200_000, "\(name): \(rendered.utf8.count) bytes of diagnostics")
        if name == "many comments" || name == "many rules" {
            #expect(!checked.hasErrors, "\(name): \(checked.diagnostics.prefix(3).map(\.message))")
            let (formatted, _) = PolicyFrontEnd.format(path: "large.zkp", bytes: Array(text.utf8))
            #expect(formatted.text != nil)
        } else {
            #expect(checked.hasErrors, "\(name)")
        }
    }
}
