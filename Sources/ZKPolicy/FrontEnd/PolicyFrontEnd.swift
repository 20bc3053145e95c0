import Foundation
import PolicySemantics
import PolicySyntax

/// The front half of the pipeline as a library: load, check, format, dump.
/// Pure over values except `PolicyFiles` reads at the edge.
public enum PolicyFrontEnd {
    /// Options shared by the commands that check a policy.
    public struct Options: Sendable {
        /// Read `std.NAME` from this folder instead of the embedded library.
        public var standardLibraryDirectory: String?
        public init(standardLibraryDirectory: String? = nil) { self.standardLibraryDirectory = standardLibraryDirectory }
    }

    /// The result of checking one policy file.
    public struct Checked: Sendable {
        /// The file as given.
        public let path: String
        /// nil when the file could not be read, or when it has errors.
        public let result: CheckResult?
        /// All diagnostics, including a file-level one when the file could not be read.
        public let diagnostics: [Diagnostic]
        public let sources: SourceMap

        public var program: Program? { result?.program }
        public var hasErrors: Bool { diagnostics.hasErrors }
        /// The file is a library module (functions only), checked without producing a program.
        public var isModule: Bool { result?.isModule ?? false }
    }

    /// Reads, parses, resolves and type-checks a policy file and its imports.
    public static func check(path: String, options: Options = Options()) -> Checked {
        switch PolicyFiles.read(path) {
        case .failure(let diagnostic):
            return Checked(path: path, result: nil, diagnostics: [diagnostic], sources: SourceMap())
        case .success(let bytes):
            return check(path: path, bytes: bytes, options: options)
        }
    }

    /// Checks policy text given as bytes (`path` is used for messages and relative imports).
    public static func check(path: String, bytes: [UInt8], options: Options = Options()) -> Checked {
        let provider = FileSystemModules(policyPath: path, standardLibraryDirectory: options.standardLibraryDirectory)
        let result = onLargeStack { Checker.check(root: provider.root(path: path, bytes: bytes), provider: provider) }
        return Checked(path: path, result: result, diagnostics: limit(result.diagnostics), sources: result.sources)
    }

    /// Checks in-memory text with an in-memory module provider (tests, editors).
    public static func check(text: String, path: String = "policy.zkp", modules: InMemoryModules? = nil) -> Checked {
        var provider = modules ?? InMemoryModules()
        if provider.standard.isEmpty { provider.standard = StandardLibrary.modules }
        let root = ModuleSource(key: path, displayPath: path, location: path, bytes: Array(text.utf8))
        let result = onLargeStack { [provider] in Checker.check(root: root, provider: provider) }
        return Checked(path: path, result: result, diagnostics: limit(result.diagnostics), sources: result.sources)
    }

    /// The stack of the thread that checks a policy. Checking recurses over
    /// expressions up to `Limits.maxDepth` levels after inlining (a few KiB
    /// per level in a debug build); a dedicated thread makes that safe
    /// whatever thread the caller runs on. The memory is reserved, not used.
    public static let stackSize = 512 << 20

    /// Runs `body` on a new thread with a `stackSize` stack and waits for it.
    public static func onLargeStack<T>(_ body: @escaping () -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        return box.value!
    }

    /// At most this many diagnostics are shown for one file.
    public static let maxDiagnostics = 100

    static func limit(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        guard diagnostics.count > maxDiagnostics else { return diagnostics }
        var kept = Array(diagnostics.prefix(maxDiagnostics))
        kept[kept.count - 1].notes.append(Note("\(diagnostics.count - maxDiagnostics) more diagnostics not shown"))
        return kept
    }

    /// Renders diagnostics as text (`path:line:col: error[E0300]: ...` with source lines) or JSON.
    public static func render(_ diagnostics: [Diagnostic], sources: SourceMap, json: Bool) -> String {
        let renderer = DiagnosticRenderer(sources: sources)
        return json ? renderer.renderJSON(diagnostics) : renderer.render(diagnostics)
    }

    /// The canonical form of a file, or its syntax errors.
    public static func format(path: String, bytes: [UInt8]) -> (FormatResult, SourceMap) {
        var sources = SourceMap()
        let file = sources.add(path: path, bytes: bytes)
        return (Formatter.format(file), sources)
    }

    /// `--emit ast`: the syntax tree of the policy file (parse errors are diagnostics).
    public static func dumpAST(path: String, bytes: [UInt8]) -> (String?, [Diagnostic], SourceMap) {
        var sources = SourceMap()
        let file = sources.add(path: path, bytes: bytes)
        let parsed = Parser.parse(file)
        return (parsed.diagnostics.hasErrors ? nil : ASTDumper.dump(parsed.module), parsed.diagnostics, sources)
    }

    /// `--emit hir`: the checked program.
    public static func dumpHIR(_ checked: Checked) -> String? {
        guard let program = checked.program else { return nil }
        let sources = checked.sources
        return onLargeStack { HIRDumper.dump(program, sources: sources) + "digest \(PolicyDigest.hex(of: program))\n" }
    }
}

/// Carries a result out of the checking thread (written once, before the semaphore is signalled).
final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
