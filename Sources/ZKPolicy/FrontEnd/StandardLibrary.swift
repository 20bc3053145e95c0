/// The standard library (`import std.NAME`), compiled into the binary so that
/// a policy checks the same everywhere and the policy digest does not depend
/// on an installation. The texts are the files of `Stdlib/`, copied into
/// `EmbeddedStandardLibrary.swift` (a test fails when they differ; running the
/// tests with ZKPOLICY_UPDATE_GOLDEN=1 regenerates the copy).
public enum StandardLibrary {
    /// Module name (`fairness`) → source text.
    public static var modules: [String: String] { EmbeddedStandardLibrary.modules }

    /// The names of the standard modules, sorted.
    public static var names: [String] { modules.keys.sorted() }

    /// The Swift source of `EmbeddedStandardLibrary.swift` for these texts.
    public static func generatedSource(_ modules: [String: String]) -> String {
        var out = """
        // Generated from Stdlib/*.zkp by the test `embeddedStandardLibraryMatchesStdlib`
        // (run `ZKPOLICY_UPDATE_GOLDEN=1 swift test --filter ZKPolicyTests`). Do not edit.

        enum EmbeddedStandardLibrary {
            static let modules: [String: String] = [

        """
        for name in modules.keys.sorted() {
            let text = modules[name]!
            var hashes = "#"
            while text.contains("\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
            out += "        \"\(name)\": \(hashes)\"\"\"\n"
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                out += line.isEmpty ? "\n" : "        " + line + "\n"
            }
            out += "        \"\"\"\(hashes),\n"
        }
        out += "    ]\n}\n"
        return out
    }
}
