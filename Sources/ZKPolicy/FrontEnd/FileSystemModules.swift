import Foundation
import PolicySemantics
import PolicySyntax

/// Reads policy files, turning every failure into a diagnostic (E0010,
/// E0011) instead of a crash: missing files, directories, unreadable files.
public enum PolicyFiles {
    /// The largest policy or module file accepted.
    public static let maxBytes = 4 << 20

    public static func read(_ path: String) -> Result<[UInt8], Diagnostic> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(Diagnostic(.unreadableFile, "no such file", path: path))
        }
        if isDirectory.boolValue {
            return .failure(Diagnostic(.unreadableFile, "is a directory, not a policy file", path: path))
        }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           let size = attributes[.size] as? NSNumber, size.intValue > maxBytes {
            return .failure(Diagnostic(.fileTooLarge, "file is larger than \(maxBytes >> 20) MiB", path: path))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(Diagnostic(.unreadableFile, "cannot open the file (permissions?)", path: path))
        }
        defer { try? handle.close() }
        do {
            let data = try handle.read(upToCount: maxBytes + 1) ?? Data()
            guard data.count <= maxBytes else {
                return .failure(Diagnostic(.fileTooLarge, "file is larger than \(maxBytes >> 20) MiB", path: path))
            }
            return .success([UInt8](data))
        } catch {
            return .failure(Diagnostic(.unreadableFile, "cannot read the file: \(error.localizedDescription)", path: path))
        }
    }

    /// Writes atomically (temporary file, then rename), so that a failure
    /// never leaves a half-written file.
    public static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The absolute, normalised form of a path.
    public static func absolute(_ path: String) -> String {
        let base = path.hasPrefix("/") ? "" : FileManager.default.currentDirectoryPath
        return ModulePaths.join(base, path)
    }

    /// `to` relative to the directory `base` (both absolute and normalised).
    public static func relative(_ path: String, from base: String) -> String {
        let from = base.split(separator: "/")
        let to = path.split(separator: "/")
        var common = 0
        while common < from.count, common < to.count, from[common] == to[common] { common += 1 }
        let ups = Array(repeating: "..", count: from.count - common)
        return (ups + to[common...].map(String.init)).joined(separator: "/")
    }
}

/// A `ModuleProvider` over the file system: `import "./x.zkp"` is read
/// relative to the importing file; `import std.NAME` comes from the standard
/// library compiled into the binary, or from `standardLibraryDirectory`
/// when one is given (for developing the standard library).
public struct FileSystemModules: ModuleProvider {
    /// The folder of the policy being checked: file module keys are relative to it.
    public let policyDirectory: String
    /// The folder of the policy as the user wrote it (for displayed paths).
    public let displayDirectory: String
    public var standardLibraryDirectory: String?

    public init(policyPath: String, standardLibraryDirectory: String? = nil) {
        policyDirectory = ModulePaths.directory(of: PolicyFiles.absolute(policyPath))
        displayDirectory = ModulePaths.directory(of: policyPath)
        self.standardLibraryDirectory = standardLibraryDirectory
    }

    /// The root module for the policy file. Its key is its file name (so that
    /// a module importing the policy back is seen as a cycle); the digest
    /// calls it `policy` whatever its name.
    public func root(path: String, bytes: [UInt8]) -> ModuleSource {
        let location = PolicyFiles.absolute(path)
        return ModuleSource(key: PolicyFiles.relative(location, from: policyDirectory), displayPath: path, location: location, bytes: bytes)
    }

    public func standardModule(named name: String) -> ModuleSource? {
        let display = "std/\(name).zkp"
        if let directory = standardLibraryDirectory {
            let path = ModulePaths.join(PolicyFiles.absolute(directory), "\(name).zkp")
            guard case .success(let bytes) = PolicyFiles.read(path) else { return nil }
            return ModuleSource(key: "std." + name, displayPath: display, location: path, bytes: bytes)
        }
        guard let text = StandardLibrary.modules[name] else { return nil }
        return ModuleSource(key: "std." + name, displayPath: display, location: display, bytes: Array(text.utf8))
    }

    public func file(_ path: String, importedFrom importer: ModuleSource) -> Result<ModuleSource, ModuleLoadError> {
        guard importer.location.hasPrefix("/") else {
            return .failure(ModuleLoadError("a standard module cannot import files"))
        }
        let location = ModulePaths.join(ModulePaths.directory(of: importer.location), path)
        switch PolicyFiles.read(location) {
        case .failure(let diagnostic):
            return .failure(ModuleLoadError(diagnostic.message))
        case .success(let bytes):
            let key = PolicyFiles.relative(location, from: policyDirectory)
            let display = displayDirectory.isEmpty ? key : ModulePaths.join(displayDirectory, key)
            return .success(ModuleSource(key: key, displayPath: display, location: location, bytes: bytes))
        }
    }
}
