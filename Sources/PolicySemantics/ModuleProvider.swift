import PolicySyntax

/// The text of a module and where it came from. Produced by a `ModuleProvider`;
/// the front end never reads files itself.
public struct ModuleSource: Sendable {
    /// Identifies the module across imports and in the policy digest:
    /// `std.fairness`, or a file's path relative to the policy's folder
    /// (`lib/bank.zkp`; `policy` is used for the policy itself).
    public let key: String
    /// The path diagnostics print (`Policies/credit/fair-lending.zkp`, `std/fairness.zkp`).
    public let displayPath: String
    /// Where the provider resolves relative imports from (e.g. an absolute path).
    public let location: String
    public let bytes: [UInt8]

    public init(key: String, displayPath: String, location: String, bytes: [UInt8]) {
        self.key = key
        self.displayPath = displayPath
        self.location = location
        self.bytes = bytes
    }
}

/// Finds imported modules: the standard library and files relative to the
/// importing module. ZKPolicy implements it over the file system and the
/// standard library embedded in the binary; tests implement it over a dictionary.
public protocol ModuleProvider {
    /// `import std.fairness` → `standardModule(named: "fairness")`; nil when there is none.
    func standardModule(named name: String) -> ModuleSource?
    /// `import "./lib/x.zkp"` from `importer`; a failure says why (not found, a directory, ...).
    func file(_ path: String, importedFrom importer: ModuleSource) -> Result<ModuleSource, ModuleLoadError>
}

public struct ModuleLoadError: Error, Sendable, Hashable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// A provider over in-memory texts: standard modules by name and files by
/// path (resolved relative to the importer's folder). For tests and tools.
public struct InMemoryModules: ModuleProvider, Sendable {
    public var standard: [String: String]
    public var files: [String: String]

    public init(standard: [String: String] = [:], files: [String: String] = [:]) {
        self.standard = standard
        self.files = files
    }

    public func standardModule(named name: String) -> ModuleSource? {
        standard[name].map { ModuleSource(key: "std." + name, displayPath: "std/\(name).zkp", location: "std/\(name).zkp", bytes: Array($0.utf8)) }
    }

    public func file(_ path: String, importedFrom importer: ModuleSource) -> Result<ModuleSource, ModuleLoadError> {
        let resolved = ModulePaths.join(ModulePaths.directory(of: importer.location), path)
        guard let text = files[resolved] else { return .failure(ModuleLoadError("no such file `\(resolved)`")) }
        return .success(ModuleSource(key: resolved, displayPath: resolved, location: resolved, bytes: Array(text.utf8)))
    }
}

/// Pure path arithmetic for `/`-separated relative paths.
public enum ModulePaths {
    /// `a/b/c.zkp` → `a/b`; `c.zkp` → ``.
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// Joins and normalises (`.` and `..` removed where possible).
    public static func join(_ base: String, _ relative: String) -> String {
        let absolute = relative.hasPrefix("/")
        var parts: [Substring] = absolute ? [] : base.split(separator: "/", omittingEmptySubsequences: true)
        let leadingSlash = absolute || base.hasPrefix("/")
        for part in relative.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            if part == "..", leadingSlash, parts.isEmpty { continue } // above the root is the root
            parts.append(part)
        }
        return (leadingSlash ? "/" : "") + parts.joined(separator: "/")
    }
}
