import Foundation

/// Names this zkpolicyc build for the verifying-key cache: the executable's
/// path, size and modification time (what ccache's default compiler check
/// uses), so that keys written by another build are never read. Reading the
/// whole executable to hash it would cost more than the cached verification.
enum ToolIdentity {
    static var current: String {
        let path = Bundle.main.executablePath ?? CommandLine.arguments[0]
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let attributes = try? FileManager.default.attributesOfItem(atPath: resolved)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "zkpolicyc \(resolved) \(size) \(String(format: "%.6f", modified))"
    }
}
