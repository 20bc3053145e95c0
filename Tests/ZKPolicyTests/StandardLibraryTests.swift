import Foundation
import Testing
@testable import ZKPolicy

@Suite struct StandardLibraryTests {
    /// The copy compiled into the binary equals Stdlib/*.zkp (regenerated with ZKPOLICY_UPDATE_GOLDEN=1).
    @Test func embeddedStandardLibraryMatchesStdlib() throws {
        var modules: [String: String] = [:]
        for relative in Support.zkpFiles(in: "Stdlib") {
            let name = URL(fileURLWithPath: relative).deletingPathExtension().lastPathComponent
            modules[name] = try Support.read(relative)
        }
        #expect(modules.keys.sorted() == ["fairness", "integrity", "performance"])
        let generated = StandardLibrary.generatedSource(modules)
        let path = "Sources/ZKPolicy/FrontEnd/EmbeddedStandardLibrary.swift"
        if Support.updateGoldens { try generated.write(to: Support.url(path), atomically: true, encoding: .utf8) }
        #expect(try Support.read(path) == generated, "run ZKPOLICY_UPDATE_GOLDEN=1 swift test --filter StandardLibraryTests, then rebuild")
        #expect(StandardLibrary.modules == modules, "the binary was built from an older copy")
    }

    @Test func everyStandardFunctionIsDocumented() throws {
        for (name, text) in StandardLibrary.modules {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() where line.hasPrefix("fn ") {
                #expect(index > 0 && lines[index - 1].hasPrefix("///"), "std.\(name): `\(line)` has no doc comment")
            }
        }
    }
}
