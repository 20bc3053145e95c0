import Foundation
import PolicySemantics
import PolicySyntax

enum Support {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The standard library as in `Stdlib/`.
    static let standard: [String: String] = {
        var modules: [String: String] = [:]
        let folder = repository.appendingPathComponent("Stdlib")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasSuffix(".zkp") {
            modules[String(name.dropLast(4))] = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        }
        return modules
    }()

    static func check(_ text: String, files: [String: String] = [:]) -> CheckResult {
        let provider = InMemoryModules(standard: standard, files: files)
        let root = ModuleSource(key: "policy", displayPath: "policy.zkp", location: "policy.zkp", bytes: Array(text.utf8))
        return Checker.check(root: root, provider: provider)
    }

    /// `CODE@path:line:col` of each diagnostic.
    static func codes(_ result: CheckResult) -> [String] {
        result.diagnostics.map { "\($0.code.rawValue)@" + ($0.span.map(result.sources.describe) ?? $0.path ?? "-") }
    }

    /// A header, a scorer and an applicants table, for short test policies.
    static let prelude = """
    policy "test" version "1"
    import std.fairness
    import std.performance
    model scorer: onnx tensor[3] -> tensor[2] in 0..1 private
    data applicants: table {
        features: tensor[3] from f0..f2,
        group: enum { female, male },
        repaid: bool,
        age: int in 18..120,
        income: fixed in 0..1000000,
    } private
    let approved(a) = scorer(a.features)[1] >= 0.5

    """

    static let preludeLines = prelude.split(separator: "\n", omittingEmptySubsequences: false).count - 1
}
