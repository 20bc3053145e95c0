import CircuitIR
import Field
import Foundation
import ModelGraph
import PolicySemantics

/// `zkpolicyc commit`: the Poseidon2 commitments to publish for a model (and
/// the data), with their secret salts kept in a salt file (DESIGN §8).
///
/// A model's commitment covers its quantized weights, which depend on the
/// scales calibration chooses; so the calibration is done here once and its
/// profile kept in the salt file, and `prove` quantizes from that profile —
/// the weights the circuit reads are exactly the committed ones.
public enum Committer {
    public struct Request: Sendable {
        /// The policy the assets are audited under; needed to commit to data
        /// (its table schema fixes the canonical cells) and to calibrate a model
        /// on data. Without it: models only, calibrated with `calibration`.
        public var policy: String?
        /// ONNX files by the policy's model name (or unnamed, in declaration order).
        public var models: [String: String] = [:]
        public var unnamedModels: [String] = []
        /// CSV files by the policy's table name (or unnamed).
        public var data: [String: String] = [:]
        public var unnamedData: [String] = []
        /// Calibration CSVs (model-eval format) by model name, or for an unnamed model.
        public var calibration: [String: String] = [:]
        public var unnamedCalibration: String?
        public var saltFile: String
        public var frontEnd = PolicyFrontEnd.Options()

        public init(saltFile: String) { self.saltFile = saltFile }
    }

    /// One published commitment.
    public struct Line: Sendable, Equatable {
        /// `scorer` or `applicants` (the policy's name), or the file name without one.
        public var name: String
        public var isModel: Bool
        public var file: String
        public var digest: String
        /// Whether the salt (and calibration) were already in the salt file.
        public var reused: Bool
    }

    public static func commit(_ request: Request) throws -> [Line] {
        var salts = try SaltFile.read(path: request.saltFile)
        let lines: [Line]
        if let policy = request.policy {
            lines = try commitUnderPolicy(policy, request, &salts)
        } else {
            lines = try commitModelsAlone(request, &salts)
        }
        guard !lines.isEmpty else { throw PipelineError.input("nothing to commit: give a model (--model) or data (--data)") }
        try salts.write(path: request.saltFile)
        return lines
    }

    /// Commits to the policy's models and tables that have files.
    static func commitUnderPolicy(_ policy: String, _ request: Request, _ salts: inout SaltFile) throws -> [Line] {
        // Reuse the calibration of models committed before, so their digests stay the same.
        var compile = CompileRequest(policy: policy, models: request.models, data: request.data,
                                     calibration: request.calibration, frontEnd: request.frontEnd)
        compile.unnamedModels = request.unnamedModels
        compile.unnamedData = request.unnamedData
        let checked = PolicyFrontEnd.check(path: policy, options: request.frontEnd)
        guard let program = checked.program, !checked.hasErrors else {
            throw PipelineError.compile(.diagnostics(checked.diagnostics, checked.sources))
        }
        let named = try Bindings.named(program: program, models: request.models, unnamedModels: request.unnamedModels,
                                      data: request.data, unnamedData: request.unnamedData)
        for table in program.tables where named.data[table.name] == nil { compile.rows[table.name] = 0 }
        for (name, path) in named.models {
            if let entry = salts.models[try SaltFile.key(ofFile: path)],
               let profile = try SaltFile.profile(of: entry, path: request.saltFile) {
                compile.profiles[name] = profile
            }
        }
        let compiled: PreparedPolicy
        switch PolicyCompiler.prepare(compile) {
        case .success(let c): compiled = c
        case .failure(let failure): throw PipelineError.compile(failure)
        }
        var lines: [Line] = []
        for model in program.models {
            guard let path = named.models[model.name], let m = compiled.models[model.name] else { continue }
            let (salt, reused) = try saltFor(&salts.models, path: path, request)
            let digest = try AssetCommitment.commit(model: m.quantized, salt: salt).hex
            let key = try SaltFile.key(ofFile: path)
            salts.models[key] = SaltFile.Entry(file: path, salt: SaltFile.hex(salt),
                                               calibration: m.quantized.calibrationProfile.map(SaltFile.profileHex),
                                               commitment: digest)
            lines.append(Line(name: model.name, isModel: true, file: path, digest: digest, reused: reused))
        }
        for table in program.tables {
            guard let path = named.data[table.name], let rows = compiled.tables[table.name] else { continue }
            let (salt, reused) = try saltFor(&salts.tables, path: path, request)
            let digest = try AssetCommitment.commit(table: rows, salt: salt).hex
            salts.tables[try SaltFile.key(ofFile: path)] = SaltFile.Entry(file: path, salt: SaltFile.hex(salt),
                                                                         calibration: nil, commitment: digest)
            lines.append(Line(name: table.name, isModel: false, file: path, digest: digest, reused: reused))
        }
        return lines
    }

    /// Commits to ONNX files without a policy: each calibrated on its calibration CSV.
    static func commitModelsAlone(_ request: Request, _ salts: inout SaltFile) throws -> [Line] {
        guard request.data.isEmpty, request.unnamedData.isEmpty else {
            throw PipelineError.input("committing to data needs the policy whose table schema it follows (zkpolicyc commit POLICY --data …)")
        }
        var files = request.models.sorted { $0.key < $1.key }.map { (name: $0.key, path: $0.value) }
        files += request.unnamedModels.map { (name: URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent, path: $0) }
        var lines: [Line] = []
        for (name, path) in files {
            let graph: ModelGraph
            do { graph = try ModelGraph(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))) } catch let e as ModelError {
                throw PipelineError.input("\(path): \(e.message)")
            } catch {
                throw PipelineError.input("\(path): cannot be read")
            }
            let key = try SaltFile.key(ofFile: path)
            let quantized: QuantizedModel
            do {
                if let entry = salts.models[key], let profile = try SaltFile.profile(of: entry, path: request.saltFile) {
                    quantized = try Quantizer().quantize(graph, profile: profile)
                } else {
                    guard let csv = request.calibration[name] ?? request.unnamedCalibration else {
                        throw PipelineError.input("\(path): the model must be calibrated before it is committed: give --calibration C.csv (its input rows, as for `zkpolicyc model eval`), or the policy and its data")
                    }
                    let text: String
                    do { text = try String(contentsOfFile: csv, encoding: .utf8) } catch {
                        throw PipelineError.input("\(csv): cannot be read")
                    }
                    quantized = try Quantizer().quantize(graph, calibration: try ModelEvaluation(graph: graph, csv: text, file: csv).samples)
                }
            } catch let e as ModelError {
                throw PipelineError.input("\(path): \(e.message)")
            }
            let (salt, reused) = try saltFor(&salts.models, path: path, request)
            let digest = try AssetCommitment.commit(model: quantized, salt: salt).hex
            salts.models[key] = SaltFile.Entry(file: path, salt: SaltFile.hex(salt),
                                               calibration: quantized.calibrationProfile.map(SaltFile.profileHex), commitment: digest)
            lines.append(Line(name: name, isModel: true, file: path, digest: digest, reused: reused))
        }
        return lines
    }

    /// The salt already kept for this file, or a fresh one.
    static func saltFor(_ entries: inout [String: SaltFile.Entry], path: String, _ request: Request) throws -> ([Goldilocks], Bool) {
        if let entry = entries[try SaltFile.key(ofFile: path)] {
            return (try SaltFile.salt(of: entry, path: request.saltFile), true)
        }
        return (SaltFile.freshSalt(), false)
    }
}
