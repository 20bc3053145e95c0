import BigNumber
import CircuitIR
import ConstraintSystem
import Dispatch
import Field
import Foundation
import ModelGraph
import PolicySemantics
import Stark

/// `zkpolicyc prove`: evaluates the policy on the real data first — a
/// violated rule stops there and nothing is written — then compiles, lays out
/// and proves, and writes the proof atomically (DESIGN §1).
public enum PolicyProver {
    public struct Request: Sendable {
        /// The policy, its models and data (by name or in declaration order).
        public var compile: CompileRequest
        /// `--param name=value` overrides, as written.
        public var params: [String: String] = [:]
        /// `--commitment name=hex`: the published digest of every `commitment`.
        public var commitments: [String: String] = [:]
        /// The salt file of `zkpolicyc commit` (needed when the policy computes a commitment).
        public var saltFile: String?
        public var preset: SecurityPreset = .proven100
        /// Whether the prover keeps its low-degree extensions (speed) or
        /// recomputes them (memory); the proof is the same.
        public var extensionStorage = ExtensionStorage.automatic
        /// Prove the rows in parts, one part at a time, then a combining
        /// proof (docs/circuit.md §10): memory is that of one part.
        public var parts = PartChoice.automatic
        /// Where to write the proof.
        public var output: String
        /// Called with a stage and its completed fraction, for a progress display.
        public var progress: (@Sendable (String, Double) -> Void)?
        /// Called with the name of each finer STARK step as it starts
        /// (`ProverOptions.step`), for benchmarks.
        public var proverStep: (@Sendable (String) -> Void)?

        public init(compile: CompileRequest, output: String) {
            self.compile = compile
            self.output = output
        }
    }

    public struct Outcome: Sendable {
        public var bundle: ProofBundle
        public var bytes: Int
        public var compileSeconds: Double
        public var layoutSeconds: Double
        public var proveSeconds: Double
    }

    public static func prove(_ request: Request) throws -> Outcome {
        let start = DispatchTime.now()
        let progress = request.progress ?? { _, _ in }
        if case .rows(let n) = request.parts, n < 1 {
            throw PipelineError.input("--part-rows \(n): a part has at least one row")
        }
        let evaluated = try evaluate(request, progress: progress)
        let largest = evaluated.prepared.rowCounts.values.max() ?? 0
        if let partRows = request.parts.partRows(largest: largest),
           partRanges(evaluated.prepared.rowCounts, partRows: partRows).count > 1 {
            return try proveInParts(request, evaluated: evaluated, partRows: partRows, start: start, progress: progress)
        }
        var input = try proverInput(request, evaluated: evaluated, start: start, progress: progress)
        // The prover gets the only references to the key and the witness, so
        // that it can reuse or release their storage (`StarkProver.prove`).
        let key = input.provingKey.take()!
        let advice = input.advice
        input.advice = []
        let proveStart = DispatchTime.now()
        let proof: Proof
        do {
            proof = try StarkProver.prove(key: consume key, witness: consume advice, publicInputs: input.publicInputs,
                                          context: ProofBundle.transcriptContext(for: input.statement),
                                          options: proverOptions(request, progress: progress))
        } catch {
            throw PipelineError.input("the prover refused the witness (a compiler bug, please report it): \(error)")
        }
        let proveSeconds = seconds(since: proveStart)
        let report = ProverReport(toolVersion: ZKPolicyVersion.current, proveMilliseconds: Int(proveSeconds * 1000),
                                  totalMilliseconds: Int(seconds(since: start) * 1000),
                                  traceRows: input.traceRows, traceColumns: input.traceColumns)
        let bundle = ProofBundle(statement: input.statement, report: report, starkProof: proof.encoded())
        progress("writing the proof", 1)
        let bytes = try ProofFile.write(bundle, to: request.output)
        return Outcome(bundle: bundle, bytes: bytes, compileSeconds: input.compileSeconds, layoutSeconds: input.layoutSeconds,
                       proveSeconds: proveSeconds)
    }

    static func proverOptions(_ request: Request, progress: @escaping @Sendable (String, Double) -> Void) -> ProverOptions {
        var options = ProverOptions(progress: progress)
        options.extensionStorage = request.extensionStorage
        options.step = request.proverStep
        return options
    }

    /// What the STARK prover needs and nothing more. Everything the compiler
    /// built on the way (the HIR, both IR programs, the IR witness, the
    /// layout's bookkeeping, the data) is released when `proverInput` returns,
    /// before the prover allocates its tables: about a third of the credit
    /// audit's peak memory (docs/benchmarks.md).
    struct ProverInput {
        var statement: Statement
        /// Taken (set to nil) when it is handed to the prover.
        var provingKey: ProvingKey?
        var advice: [[Goldilocks]]
        var publicInputs: [Goldilocks]
        var traceRows: Int
        var traceColumns: Int
        var compileSeconds: Double
        var layoutSeconds: Double
    }

    /// What the prover knows once the policy holds on the data: the prepared
    /// policy (data loaded, models quantized), the values of the statement
    /// and the witness data over all rows.
    struct Evaluated {
        var prepared: PreparedPolicy
        var compileRequest: CompileRequest
        var params: [String: Param.Value]
        var commitments: [String: Poseidon2Digest]
        var assetSalts: [Asset: [Goldilocks]]
        var data: PolicyWitnessData
        var files: (models: [String: String], data: [String: String])
    }

    /// Compiles, lays out and assigns the circuit of a policy that holds.
    static func proverInput(_ request: Request, evaluated: Evaluated, start: DispatchTime,
                            progress: @escaping @Sendable (String, Double) -> Void) throws -> ProverInput {
        let (prepared, compileRequest, files) = (evaluated.prepared, evaluated.compileRequest, evaluated.files)
        let (params, commitments, assetSalts, data) = (evaluated.params, evaluated.commitments, evaluated.assetSalts, evaluated.data)

        let compiled: CompiledPolicy
        switch PolicyCompiler.lower(prepared, skipPasses: compileRequest.skipPasses, progress: progress) {
        case .success(let c): compiled = c
        case .failure(let failure): throw PipelineError.compile(failure)
        }
        try requireSalts(compiled.lowered.interface, assetSalts, files: files, path: request.saltFile)

        let compileSeconds = seconds(since: start)

        // The layout depends on the program only and the witness on the
        // program and the data: both are serial, so they run side by side.
        progress("laying out the circuit", 0)
        let layoutStart = DispatchTime.now()
        let parameters = LayoutParameters(preset: request.preset)
        let results = ConcurrentPair(
            { try CircuitIR.Evaluator(compiled.optimised).generate(try compiled.lowered.witnessInputs(data)) },
            { try ConstraintSystem.layout(compiled.optimised, parameters: parameters,
                                          progress: { progress("laying out the circuit", 0.9 * $0) }) })
        let irWitness: Witness
        do { irWitness = try results.first.get() } catch {
            throw PipelineError.input("the circuit rejects the data (a compiler bug, please report it): \(error)")
        }
        let cs: ConstraintSystem
        let advice: [[Goldilocks]], publicInputs: [Goldilocks]
        do {
            cs = try results.second.get()
            progress("assigning the witness", 0)
            (advice, publicInputs) = try cs.assign(irWitness)
        } catch {
            throw PipelineError.input("the circuit cannot be laid out: \(error)")
        }
        let layoutSeconds = seconds(since: layoutStart)

        let statement = try Self.statement(compiled, data: data, params: params, commitments: commitments,
                                           cs: cs, preset: request.preset, irWitness: irWitness)
        return ProverInput(statement: statement, provingKey: cs.provingKey, advice: advice, publicInputs: publicInputs,
                           traceRows: cs.circuit.rows, traceColumns: cs.stats.adviceColumns,
                           compileSeconds: compileSeconds, layoutSeconds: layoutSeconds)
    }

    /// Checks the policy, loads the data, quantizes the models and evaluates
    /// the rules on the data: a violated rule stops here.
    static func evaluate(_ request: Request, progress: @escaping @Sendable (String, Double) -> Void) throws -> Evaluated {
        progress("compiling", 0)
        let salts = try request.saltFile.map { try SaltFile.read(path: $0) } ?? SaltFile()
        var compileRequest = request.compile
        let checked = PolicyFrontEnd.check(path: compileRequest.policy, options: compileRequest.frontEnd)
        guard let program = checked.program, !checked.hasErrors else {
            throw PipelineError.compile(.diagnostics(checked.diagnostics, checked.sources))
        }
        let files = try Bindings.named(program: program, models: compileRequest.models, unnamedModels: compileRequest.unnamedModels,
                                      data: compileRequest.data, unnamedData: compileRequest.unnamedData)
        (compileRequest.models, compileRequest.data) = files
        (compileRequest.unnamedModels, compileRequest.unnamedData) = ([], [])
        // A model committed with `zkpolicyc commit` is quantized as it was then.
        for (name, path) in files.models {
            if let entry = salts.models[try SaltFile.key(ofFile: path)],
               let profile = try SaltFile.profile(of: entry, path: request.saltFile ?? "") {
                compileRequest.profiles[name] = profile
            }
        }
        let prepared: PreparedPolicy
        switch PolicyCompiler.prepare(compileRequest) {
        case .success(let p): prepared = p
        case .failure(let failure): throw PipelineError.compile(failure)
        }
        let params = try Self.params(request.params, program)
        let commitments = try Self.commitments(request.commitments, program)
        let assetSalts = try Self.salts(prepared, files: files, salts, path: request.saltFile)
        let data = prepared.witnessData(params: params, commitments: commitments, salts: assetSalts)

        // The policy must hold before anything is lowered or proven.
        progress("evaluating the policy", 0)
        var inputs = prepared.evaluationInputs(data)
        // A rule that commits to an asset without its salt cannot be decided:
        // say so, rather than report the comparison as false.
        let unsalted = AssetRecorder()
        let commit = inputs.commit
        inputs.commit = { asset in
            let digest = commit(asset)
            if digest.isEmpty { unsalted.insert(asset) }
            return digest
        }
        var evaluator = Evaluator(program: program, inputs: inputs)
        var violations: [String] = []
        for (rule, result) in evaluator.verdicts() {
            switch result {
            case .success(true): continue
            case .success(false):
                var explanation = RuleExplanation(program: program, inputs: inputs)
                violations += explanation.explain(program.rules.first { $0.name == rule }!)
            case .failure(let error):
                throw PipelineError.input("rule \(rule) cannot be evaluated on the data: \(error.message)")
            }
        }
        if let asset = unsalted.assets.sorted(by: { "\($0)" < "\($1)" }).first {
            let (kind, name, file): (String, String, String?) = {
                switch asset {
                case .model(let m): return ("model", m, files.models[m])
                case .table(let t): return ("data", t, files.data[t])
                }
            }()
            guard let path = request.saltFile else {
                throw PipelineError.input("the policy commits to \(kind) `\(name)`: give the salt file of `zkpolicyc commit` (--salt-file)")
            }
            throw PipelineError.input("\(path) has no salt for \(kind) `\(name)`\(file.map { " (\($0))" } ?? ""): commit it first with `zkpolicyc commit`")
        }
        if !violations.isEmpty { throw PipelineError.violated(violations) }
        return Evaluated(prepared: prepared, compileRequest: compileRequest, params: params, commitments: commitments,
                         assetSalts: assetSalts, data: data, files: files)
    }

    /// The parameter overrides, each checked against its declaration.
    static func params(_ raw: [String: String], _ program: PolicySemantics.Program) throws -> [String: Param.Value] {
        var values: [String: Param.Value] = [:]
        for (name, text) in raw.sorted(by: { $0.key < $1.key }) {
            guard let param = program.params.first(where: { $0.name == name }) else {
                let known = program.params.map(\.name).joined(separator: ", ")
                throw PipelineError.input("--param \(name): the policy declares no parameter `\(name)`\(known.isEmpty ? "" : " (it has: \(known))")")
            }
            switch param.validate(override: text) {
            case .success(let value): values[name] = value
            case .failure(let error): throw PipelineError.input("--param \(name)=\(text): \(error.message)")
            }
        }
        return values
    }

    /// The published digest of every `commitment` of the policy.
    static func commitments(_ raw: [String: String], _ program: PolicySemantics.Program) throws -> [String: Poseidon2Digest] {
        var digests: [String: Poseidon2Digest] = [:]
        for (name, text) in raw.sorted(by: { $0.key < $1.key }) {
            guard program.commitments.contains(where: { $0.name == name }) else {
                throw PipelineError.input("--commitment \(name): the policy declares no commitment `\(name)`")
            }
            guard let digest = Poseidon2Digest(hex: text) else {
                throw PipelineError.input("--commitment \(name)=\(text): not a commitment (64 hexadecimal digits, as `zkpolicyc commit` prints)")
            }
            digests[name] = digest
        }
        for c in program.commitments where digests[c.name] == nil {
            throw PipelineError.input("commitment `\(c.name)` needs its published value: --commitment \(c.name)=HEX (from `zkpolicyc commit`)")
        }
        return digests
    }

    /// The salt of every model and data file that the salt file knows. They
    /// are read before lowering (the rules may commit to the assets); which
    /// ones the circuit needs is known after it, `requireSalts`.
    static func salts(_ prepared: PreparedPolicy, files: (models: [String: String], data: [String: String]),
                      _ salts: SaltFile, path: String?) throws -> [Asset: [Goldilocks]] {
        guard let path else { return [:] }
        var result: [Asset: [Goldilocks]] = [:]
        for (name, file) in files.models {
            if let entry = salts.models[try SaltFile.key(ofFile: file)] { result[.model(name)] = try SaltFile.salt(of: entry, path: path) }
        }
        for (name, file) in files.data {
            if let entry = salts.tables[try SaltFile.key(ofFile: file)] { result[.table(name)] = try SaltFile.salt(of: entry, path: path) }
        }
        return result
    }

    /// Every asset whose commitment the circuit computes has its salt.
    static func requireSalts(_ interface: PolicyInterface, _ salts: [Asset: [Goldilocks]],
                             files: (models: [String: String], data: [String: String]), path: String?) throws {
        for segment in interface.privateInputs {
            guard case .salt(let asset) = segment, salts[asset] == nil else { continue }
            let (kind, name, file): (String, String, String?) = {
                switch asset {
                case .model(let m): return ("model", m, files.models[m])
                case .table(let t): return ("data", t, files.data[t])
                }
            }()
            guard let path else {
                throw PipelineError.input("the policy commits to \(kind) `\(name)`: give the salt file of `zkpolicyc commit` (--salt-file)")
            }
            throw PipelineError.input("\(path) has no salt for \(kind) `\(name)`\(file.map { " (\($0))" } ?? ""): commit it first with `zkpolicyc commit`")
        }
    }

    /// What the proof will state.
    static func statement(_ compiled: CompiledPolicy, data: PolicyWitnessData, params: [String: Param.Value],
                          commitments: [String: Poseidon2Digest], cs: ConstraintSystem, preset: SecurityPreset,
                          irWitness: Witness) throws -> Statement {
        let program = compiled.program
        var published = program.commitments.map { Statement.Commitment(name: $0.name, hex: commitments[$0.name]!.hex) }
        // The commitments of `committed` assets are outputs of the circuit.
        for segment in compiled.lowered.interface.publicOutputs {
            guard case .digest(let asset) = segment else { continue }
            let name: String, digest: Poseidon2Digest
            switch asset {
            case .model(let m): name = "commit(\(m))"; digest = try AssetCommitment.commit(model: compiled.models[m]!.quantized, salt: data.salts[asset]!)
            case .table(let t): name = "commit(\(t))"; digest = try AssetCommitment.commit(table: data.tables[t]!, salt: data.salts[asset]!)
            }
            published.append(Statement.Commitment(name: name, hex: digest.hex))
        }
        let security = cs.verifyingKey.security
        return Statement(
            policyName: program.name, policyVersion: program.version,
            policyDigest: PolicyDigest.bytes(of: program),
            tables: program.tables.map { Statement.Table(name: $0.name, rows: compiled.rowCounts[$0.name] ?? 0) },
            models: try program.models.map { try modelStatement($0.name, compiled) },
            params: program.params.map { paramStatement($0, value: params[$0.name] ?? $0.value) },
            commitments: published,
            verdicts: program.rules.map { Statement.Verdict(rule: $0.name, holds: true) },
            security: Statement.Security(preset: preset.rawValue, conjecturedBits: security.conjectured,
                                         provenUniqueDecodingBits: security.provenUniqueDecoding,
                                         provenJohnsonBits: security.provenJohnson),
            verifyingKeyDigest: cs.verifyingKeyDigest.bytes)
    }

    static func paramStatement(_ param: Param, value: Param.Value) -> Statement.Param {
        switch value {
        case .bool(let flag):
            return Statement.Param(name: param.name, value: String(flag), display: String(flag))
        case .number(let number):
            let kind: NumericKind = param.type == .ratio ? .ratio : (param.type == .int ? .int : .fixed)
            return Statement.Param(name: param.name, value: number.description,
                                   display: ParamValues.show(number, kind: kind))
        }
    }

    /// A model's card, summary and measured quantization error on the rows it was applied to.
    static func modelStatement(_ name: String, _ compiled: CompiledPolicy) throws -> Statement.Model {
        let model = compiled.models[name]!
        let samples = ModelBinder.samples(compiled.program, model: name, graph: model.graph, tables: compiled.tables)
        var maxError = "n/a", meanError = "n/a", differing = 0
        if !samples.isEmpty {
            let evaluation = ModelEvaluation(graph: model.graph, samples: samples)
            let comparison = evaluation.compare(quantized: try evaluation.quantized(model.quantized), float: try evaluation.float())
            maxError = String(format: "%.3g", comparison.maxAbsoluteDifference)
            meanError = String(format: "%.3g", comparison.meanAbsoluteDifference)
            differing = comparison.decisionsDiffering
        }
        return Statement.Model(name: name, architectureCard: model.card,
                               summary: ArchitectureSummary.describe(model.quantized.architecture),
                               maxAbsoluteError: maxError, meanAbsoluteError: meanError,
                               differingDecisions: differing, comparedRows: samples.count)
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}

/// The assets whose commitment a rule asked for without a salt. Locked:
/// the evaluator calls its inputs from several threads on large tables.
final class AssetRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded = Set<PolicySemantics.Asset>()

    func insert(_ asset: PolicySemantics.Asset) { lock.withLock { _ = recorded.insert(asset) } }

    var assets: Set<PolicySemantics.Asset> { lock.withLock { recorded } }
}

/// The named security parameter sets (DESIGN §7), as the CLI offers them.
public typealias SecurityPreset = Stark.SecurityPreset
/// The prover's choice between kept and recomputed low-degree extensions, re-exported for the CLI.
public typealias ExtensionStorage = Stark.ExtensionStorage

/// The version of zkpolicyc, recorded in every proof's report.
public enum ZKPolicyVersion {
    public static let current = "0.1.0"
}
