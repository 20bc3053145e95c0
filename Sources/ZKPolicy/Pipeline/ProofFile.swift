import Foundation

/// Reading and writing `.zkproof` files.
public enum ProofFile {
    /// Reads and decodes a proof file.
    public static func read(path: String) throws -> (bundle: ProofBundle, size: Int) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PipelineError.input("\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw PipelineError.input("\(path): is a directory, not a proof file") }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > ProofBundle.maximumSize {
            throw PipelineError.input("\(path): \(size) bytes is larger than any proof (\(ProofBundle.maximumSize))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError.input("\(path): cannot be read")
        }
        do {
            return (try ProofBundle(decoding: Array(data)), data.count)
        } catch {
            throw PipelineError.input("\(path): \(error)")
        }
    }

    /// Writes a proof atomically: to a temporary file in the same directory,
    /// then renamed over `path`, so a failed or killed run leaves no partial proof.
    public static func write(_ bundle: ProofBundle, to path: String) throws -> Int {
        let bytes = bundle.encoded()
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw PipelineError.input("\(path): cannot write the proof: \(error.localizedDescription)")
        }
        return bytes.count
    }
}
