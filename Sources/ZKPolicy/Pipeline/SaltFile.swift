import Field
import Foundation
import ModelGraph
import Stark

/// The secret companion of published commitments (`zkpolicyc commit
/// --salt-file S`): for every committed model or data file, the salt that
/// hides it and, for a model, the calibration profile its quantization used.
///
/// Entries are keyed by the SHA-256 of the file's bytes, so one salt file
/// serves every policy that audits the same model or data, and a changed file
/// never silently reuses an old salt. The file is JSON, written atomically
/// with owner-only permissions; losing it means the commitments can never be
/// opened in a proof again, and leaking it lets anyone test guesses of the
/// committed weights against the published digest.
public struct SaltFile: Codable, Equatable, Sendable {
    public static let formatName = "zkpolicyc-salts-v1"

    public struct Entry: Codable, Equatable, Sendable {
        /// Where the file was when it was committed (informational).
        public var file: String
        /// The salt: 4 field elements, hexadecimal.
        public var salt: [String]
        /// For a model: the calibration profile (IEEE-754 bit patterns, hexadecimal).
        public var calibration: [String]?
        /// The commitment printed when it was made (informational).
        public var commitment: String?
    }

    public var format: String
    public var warning: String
    /// By the SHA-256 (hex) of the ONNX file.
    public var models: [String: Entry]
    /// By the SHA-256 (hex) of the CSV file.
    public var tables: [String: Entry]

    public init() {
        format = Self.formatName
        warning = "SECRET: these salts hide the committed model and data. Keep this file; do not publish it."
        models = [:]
        tables = [:]
    }

    /// Reads a salt file; a missing file is an empty one.
    public static func read(path: String) throws -> SaltFile {
        guard FileManager.default.fileExists(atPath: path) else { return SaltFile() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError.input("\(path): cannot be read")
        }
        do {
            let file = try JSONDecoder().decode(SaltFile.self, from: data)
            guard file.format == formatName else {
                throw PipelineError.input("\(path): not a zkpolicyc salt file (format \(file.format))")
            }
            for entry in Array(file.models.values) + Array(file.tables.values) {
                _ = try salt(of: entry, path: path)
                _ = try profile(of: entry, path: path)
            }
            return file
        } catch let error as PipelineError {
            throw error
        } catch {
            throw PipelineError.input("\(path): not a zkpolicyc salt file (\(error))")
        }
    }

    /// Writes atomically, readable by the owner only.
    public func write(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            throw PipelineError.input("\(path): cannot write the salt file: \(error.localizedDescription)")
        }
    }

    /// A fresh salt from the system's cryptographic random generator: 4
    /// uniform field elements (rejection sampling, no modular bias).
    public static func freshSalt() -> [Goldilocks] {
        var rng = SystemRandomNumberGenerator()
        return (0 ..< 4).map { _ in
            while true {
                let v = rng.next() as UInt64
                if v < Goldilocks.modulus { return Goldilocks(canonical: v) }
            }
        }
    }

    static func hex(_ salt: [Goldilocks]) -> [String] {
        salt.map { String($0.value, radix: 16) }
    }

    static func salt(of entry: Entry, path: String) throws -> [Goldilocks] {
        let values = entry.salt.compactMap { UInt64($0, radix: 16) }
        guard values.count == 4, entry.salt.count == 4, values.allSatisfy({ $0 < Goldilocks.modulus }) else {
            throw PipelineError.input("\(path): a salt of \(entry.file) is not 4 field elements")
        }
        return values.map { Goldilocks(canonical: $0) }
    }

    static func profile(of entry: Entry, path: String) throws -> CalibrationProfile? {
        guard let bits = entry.calibration else { return nil }
        let values = bits.compactMap { UInt64($0, radix: 16) }.map(Double.init(bitPattern:))
        guard values.count == bits.count, values.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw PipelineError.input("\(path): the calibration profile of \(entry.file) is malformed")
        }
        return CalibrationProfile(magnitudes: values)
    }

    static func profileHex(_ profile: CalibrationProfile) -> [String] {
        profile.magnitudes.map { String($0.bitPattern, radix: 16) }
    }

    /// The key of a file: the SHA-256 of its bytes, hexadecimal.
    public static func key(ofFile path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError.input("\(path): cannot be read")
        }
        return SHA256.hash([UInt8](data)).hex
    }
}
