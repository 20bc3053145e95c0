import Foundation
import PolicySyntax
import Testing
import ZKPolicy

enum Support {
    /// The repository root (this file is Tests/ZKPolicyTests/TestSupport.swift).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func url(_ relative: String) -> URL { repository.appendingPathComponent(relative) }

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: url(relative), encoding: .utf8)
    }

    /// `.zkp` files directly in a folder (not in sub-folders), sorted.
    static func zkpFiles(in relative: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(relative).path)) ?? []
        return names.filter { $0.hasSuffix(".zkp") }.sorted().map { relative + "/" + $0 }
    }

    static var updateGoldens: Bool { ProcessInfo.processInfo.environment["ZKPOLICY_UPDATE_GOLDEN"] != nil }

    /// Compares `actual` with a golden file (written when missing or when updating).
    static func expectGolden(_ actual: String, _ relative: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let file = url(relative)
        if updateGoldens || !FileManager.default.fileExists(atPath: file.path) {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "differs from \(relative) (ZKPOLICY_UPDATE_GOLDEN=1 swift test to update)", sourceLocation: sourceLocation)
    }

    /// The built `zkpolicyc` (next to the test bundle).
    static var binary: URL {
        var products = URL(fileURLWithPath: Bundle.main.bundlePath)
        if products.pathExtension == "xctest" { products.deleteLastPathComponent() }
        return products.appendingPathComponent("zkpolicyc")
    }

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `zkpolicyc` with the repository as current directory.
    static func run(_ arguments: [String], in directory: URL = repository,
                    environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        // Verifying keys go to this test run's own cache, never the user's.
        let environment = ["ZKPOLICYC_CACHE_DIR": keyCacheFolder.path].merging(environment) { $1 }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so that large outputs cannot fill the pipes.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The key cache of every `zkpolicyc verify` the tests run (`run`).
    static let keyCacheFolder = try! temporaryFolder().appendingPathComponent("keys")

    /// A fresh temporary folder.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zkpolicy-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
