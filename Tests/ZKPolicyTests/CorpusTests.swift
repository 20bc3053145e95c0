import Foundation
import PolicySyntax
import Testing
import ZKPolicy

/// Every file of Corpus/invalid is a policy with a known first error, written
/// on its first line (`// expect: E0200 at 12:29`, optionally with the path of
/// an imported file, or several for files that test recovery). Every file of
/// Corpus/valid checks cleanly (`// expect: ok`). Adding a case is adding a file.
@Suite struct CorpusTests {
    static let invalid = Support.zkpFiles(in: "Tests/ZKPolicyTests/Corpus/invalid")
    static let valid = Support.zkpFiles(in: "Tests/ZKPolicyTests/Corpus/valid")

    struct Expectation: Equatable, CustomStringConvertible {
        let code: String
        let path: String?
        let line: Int
        let column: Int
        var description: String { "\(code) at \(path.map { $0 + ":" } ?? "")\(line):\(column)" }
    }

    /// Parses `// expect: E0200 at 12:29, E0204 at lib/x.zkp:3:4`.
    static func expectations(_ firstLine: Substring) -> [Expectation]? {
        guard firstLine.hasPrefix("// expect: ") else { return nil }
        return firstLine.dropFirst("// expect: ".count).split(separator: ",").compactMap { item in
            let parts = item.trimmingCharacters(in: .whitespaces).components(separatedBy: " at ")
            guard parts.count == 2 else { return nil }
            let location = parts[1].split(separator: ":")
            guard location.count >= 2, let line = Int(location[location.count - 2]), let column = Int(location[location.count - 1]) else { return nil }
            let path = location.count > 2 ? location.dropLast(2).joined(separator: ":") : nil
            return Expectation(code: parts[0], path: path, line: line, column: column)
        }
    }

    static func firstLine(_ relative: String) throws -> Substring {
        let data = try Data(contentsOf: Support.url(relative))
        return String(decoding: data.prefix { $0 != 0x0A }, as: UTF8.self)[...]
    }

    @Test func corpusIsLargeEnough() {
        #expect(Self.invalid.count >= 40)
        #expect(Self.valid.count >= 3)
    }

    @Test(arguments: invalid)
    func invalidPolicyReportsItsFirstError(_ relative: String) throws {
        let expected = try #require(Self.expectations(try Self.firstLine(relative)), "missing `// expect:` line")
        let folder = Support.url(relative).deletingLastPathComponent().path
        let checked = PolicyFrontEnd.check(path: Support.url(relative).path)
        let actual = checked.diagnostics.prefix(expected.count).map { diagnostic -> Expectation in
            guard let span = diagnostic.span, let file = checked.sources[span.file] else {
                return Expectation(code: diagnostic.code.rawValue, path: diagnostic.path, line: 0, column: 0)
            }
            let location = file.location(of: span.start)
            var path: String? = String(file.path.dropFirst(folder.count + 1))
            if file.path == Support.url(relative).path { path = nil }
            return Expectation(code: diagnostic.code.rawValue, path: path, line: location.line, column: location.column)
        }
        #expect(Array(actual) == expected, "\(relative): got \(checked.diagnostics.map { "\($0.code.rawValue) \($0.message)" })")
        #expect(checked.program == nil)
        // Rendering never fails, in either format.
        #expect(!PolicyFrontEnd.render(checked.diagnostics, sources: checked.sources, json: false).isEmpty)
        #expect(!PolicyFrontEnd.render(checked.diagnostics, sources: checked.sources, json: true).isEmpty)
    }

    @Test(arguments: valid)
    func validPolicyChecks(_ relative: String) throws {
        #expect(try Self.firstLine(relative) == "// expect: ok")
        let checked = PolicyFrontEnd.check(path: Support.url(relative).path)
        #expect(checked.diagnostics.isEmpty, "\(checked.diagnostics.map { "\($0.code.rawValue) \($0.message)" })")
        #expect(checked.program != nil)
    }

    /// Every code the compiler can emit is exercised: as the first error of a
    /// corpus file, or (for file system errors) by the CLI tests.
    @Test func everyCodeIsExercised() throws {
        // Unreadable and oversized files: CLITests; a model declaration against its ONNX file: LoweringCompileTests.
        var covered: Set<String> = ["E0010", "E0011", "E0320"]
        for relative in Self.invalid {
            for expectation in Self.expectations(try Self.firstLine(relative)) ?? [] { covered.insert(expectation.code) }
        }
        let all = Set(DiagnosticCode.allCases.map(\.rawValue))
        #expect(all.subtracting(covered).sorted() == [], "codes without a corpus case")
        #expect(covered.subtracting(all).sorted() == [], "corpus expects codes that do not exist")
    }
}
