import Foundation
import PolicySyntax

/// Helpers shared by the syntax tests.
enum Support {
    static func file(_ text: String, path: String = "test.zkp") -> SourceFile {
        SourceFile(id: FileID(0), path: path, text: text)
    }

    static func parse(_ text: String) -> ParsedFile {
        Parser.parse(file(text))
    }

    /// `code@line:col` of every diagnostic, for compact expectations.
    static func codes(_ diagnostics: [Diagnostic], in file: SourceFile) -> [String] {
        diagnostics.map { diagnostic in
            let location = diagnostic.span.map { file.location(of: $0.start).description } ?? "-"
            return "\(diagnostic.code.rawValue)@\(location)"
        }
    }

    static func parseCodes(_ text: String) -> [String] {
        let source = file(text)
        return codes(Parser.parse(source).diagnostics, in: source)
    }

    /// The repository root (this file is Tests/PolicySyntaxTests/TestSupport.swift).
    static let repository: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent(relative), encoding: .utf8)
    }

    /// Every `.zkp` file under a folder of the repository, sorted.
    static func zkpFiles(under relative: String) -> [URL] {
        let root = repository.appendingPathComponent(relative)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "zkp" }.sorted { $0.path < $1.path }
    }

    /// Golden files are rewritten instead of compared when this is set.
    static var updateGoldens: Bool { ProcessInfo.processInfo.environment["ZKPOLICY_UPDATE_GOLDEN"] != nil }
}
