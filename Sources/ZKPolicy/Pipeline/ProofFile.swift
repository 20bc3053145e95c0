import Foundation

/// Reading and writing `.zkproof` files.
public enum ProofFile {
    /// Reads and decodes a proof file; a file that cannot be read or decoded
    /// is an input error.
    public static func read(path: String) throws -> (bundle: ProofBundle, size: Int) {
        let bytes = try contents(path: path)
        do {
            return (try ProofBundle(decoding: bytes), bytes.count)
        } catch {
            throw PipelineError.input("\(path): \(error)")
        }
    }

    /// The bytes of a proof file (an input error when missing, a directory,
    /// unreadable or larger than any proof).
    public static func contents(path: String) throws -> [UInt8] {
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
        return Array(data)
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
