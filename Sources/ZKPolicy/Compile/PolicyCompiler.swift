import CircuitIR
import Foundation
import ModelGraph
import PolicySemantics
import PolicySyntax

/// The compile entry point (`zkpolicyc compile`, and the first half of
/// `prove`): policy + models + data (or row counts) → optimised circuit.
///
/// What the circuit depends on: the policy (its canonical text), each model's
/// *architecture* — shapes, the scales chosen by calibration, public weight
/// bounds, lookup tables, all recorded in its architecture card — and each
/// table's row count. Not on data values or weight values. Calibration
/// (choosing the scales) runs the float model on the rows the policy applies
/// it to (at most `ModelBinder.maxCalibrationRows`, first rows first), or on
/// an explicit calibration file; the quantized weights — and so `commit(model)`
/// — depend on those scales, so a commitment published before the audit must
/// be computed with the same calibration (`zkpolicyc commit` uses this same
/// path). The verifier never calibrates: `rebuild` takes the cards.
public enum PolicyCompiler {
    /// The names of the optimisation passes (for `CompileRequest.skipPasses`).
    public static var allPasses: Set<String> { Set(PassPipeline.optimisation.passes.map(\.name)) }

    /// Compiles a request; every failure is a value (diagnostics, data or
    /// model errors, usage), never a crash.
    public static func compile(_ request: CompileRequest) -> Result<CompiledPolicy, CompileFailure> {
        prepare(request).flatMap { lower($0, skipPasses: request.skipPasses) }
    }

    /// Checks the policy, loads the data and quantizes the models, without
    /// lowering: enough to evaluate the rules.
    public static func prepare(_ request: CompileRequest) -> Result<PreparedPolicy, CompileFailure> {
        catching { try prepareThrowing(request) }
    }

    /// Lowers and optimises a prepared policy.
    ///
    /// `progress` is called with "lowering the policy" and then, for the
    /// optimiser, "optimising the circuit (PASS)" and the fraction of passes done.
    public static func lower(_ prepared: PreparedPolicy, skipPasses: Set<String> = [],
                             progress: ((String, Double) -> Void)? = nil) -> Result<CompiledPolicy, CompileFailure> {
        catching {
            let (lowered, optimised, passes, times) = try build(prepared.checked, bindings: prepared.models.mapValues(\.binding),
                                                                 rowCounts: prepared.rowCounts, skipping: skipPasses,
                                                                 progress: progress)
            return CompiledPolicy(prepared: prepared, lowered: lowered, optimised: optimised, passes: passes,
                                  loweringSeconds: times.0, optimisationSeconds: times.1)
        }
    }

    /// Lowers and optimises one circuit of a proof in parts
    /// (`LoweringTarget`, docs/circuit.md §10) for these row counts: a
    /// part's, or the totals for the combining circuit.
    public static func lower(_ prepared: PreparedPolicy, rowCounts: [String: Int], target: LoweringTarget,
                             skipPasses: Set<String> = [])
        -> Result<(lowered: LoweredPolicy, optimised: CircuitIR.Program), CompileFailure> {
        catching {
            let (lowered, optimised, _, _) = try build(prepared.checked, bindings: prepared.models.mapValues(\.binding),
                                                       rowCounts: rowCounts, target: target, skipping: skipPasses)
            return (lowered, optimised)
        }
    }

    /// A throwing stage as a value: its own failures as they are, anything
    /// else as a lowering failure.
    static func catching<T>(_ body: () throws -> T) -> Result<T, CompileFailure> {
        do {
            return .success(try body())
        } catch let failure as CompileFailure {
            return .failure(failure)
        } catch {
            return .failure(.lowering("\(error)"))
        }
    }

    static func prepareThrowing(_ request: CompileRequest) throws -> PreparedPolicy {
        let checked = PolicyFrontEnd.check(path: request.policy, options: request.frontEnd)
        if checked.hasErrors { throw CompileFailure.diagnostics(checked.diagnostics, checked.sources) }
        guard let program = checked.program else {
            throw CompileFailure.usage("\(request.policy) is a library module, not a policy: it has no rules to compile")
        }
        var request = request
        do {
            (request.models, request.data) = try Bindings.name(program: program, models: request.models, unnamedModels: request.unnamedModels,
                                                               data: request.data, unnamedData: request.unnamedData)
        } catch {
            throw CompileFailure.usage(error.message)
        }
        if let n = request.allRows {
            for table in program.tables where request.rows[table.name] == nil { request.rows[table.name] = n }
        }
        for (name, n) in request.rows.sorted(by: { $0.key < $1.key }) where n < 0 || n > 1 << 24 {
            throw CompileFailure.usage("table `\(name)`: \(n) rows; a table has 0 to 2^24 rows")
        }
        for name in request.rows.keys.sorted() where program.table(named: name) == nil {
            throw CompileFailure.usage("the policy declares no table `\(name)`")
        }

        // Data and row counts.
        var tables: [String: TableRows] = [:]
        var rowCounts: [String: Int] = [:]
        for table in program.tables {
            if let path = request.data[table.name] {
                do { tables[table.name] = try TableLoader.load(path: path, table: table) } catch let error as DataError {
                    throw CompileFailure.data(error)
                }
            }
            guard let n = request.rows[table.name] ?? tables[table.name]?.count else {
                throw CompileFailure.usage("table `\(table.name)` needs its data (--data) or a row count (--rows)")
            }
            rowCounts[table.name] = n
        }

        // Models: decode, check the declarations, quantize.
        var models: [String: CompiledModel] = [:]
        var problems: [Diagnostic] = []
        for model in program.models {
            guard let path = request.models[model.name] else {
                throw CompileFailure.usage("model `\(model.name)` needs its ONNX file (--model)")
            }
            let graph: ModelGraph
            do {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                graph = try ModelGraph(bytes: [UInt8](bytes))
            } catch let error as ModelError {
                throw CompileFailure.model(file: path, message: error.message)
            } catch {
                throw CompileFailure.model(file: path, message: "cannot read the file")
            }
            if let problem = ModelBinder.signatureProblem(model, graph, file: path) {
                problems.append(problem)
                continue
            }
            if let profile = request.profiles[model.name] {
                let quantized: QuantizedModel
                do { quantized = try Quantizer().quantize(graph, profile: profile) } catch let error as ModelError {
                    throw CompileFailure.model(file: path, message: error.message)
                }
                guard let output = ModelBinder.output(quantized.architecture, declared: model.output) else {
                    throw CompileFailure.lowering("model `\(model.name)`: no output of the quantized program has shape \(model.output.dimensions)")
                }
                models[model.name] = CompiledModel(path: path, graph: graph, quantized: quantized,
                                                   binding: ModelBinding(architecture: quantized.architecture, output: output))
                continue
            }
            var samples: [[FloatTensor]]
            if let calibration = request.calibration[model.name] {
                do {
                    let text = try String(contentsOfFile: calibration, encoding: .utf8)
                    samples = try ModelEvaluation(graph: graph, csv: text, file: calibration).samples
                } catch let error as ModelError {
                    throw CompileFailure.model(file: calibration, message: error.message)
                } catch {
                    throw CompileFailure.model(file: calibration, message: "cannot read the file")
                }
            } else {
                samples = ModelBinder.samples(program, model: model.name, graph: graph, tables: tables)
            }
            guard !samples.isEmpty else {
                throw CompileFailure.usage("model `\(model.name)` needs calibration data to be quantized: give the data (--data) of a table the policy applies it to, or --calibration")
            }
            let quantized: QuantizedModel
            do { quantized = try Quantizer().quantize(graph, calibration: samples) } catch let error as ModelError {
                throw CompileFailure.model(file: path, message: error.message)
            }
            guard let output = ModelBinder.output(quantized.architecture, declared: model.output) else {
                throw CompileFailure.lowering("model `\(model.name)`: no output of the quantized program has shape \(model.output.dimensions)")
            }
            models[model.name] = CompiledModel(path: path, graph: graph, quantized: quantized,
                                               binding: ModelBinding(architecture: quantized.architecture, output: output))
        }
        if !problems.isEmpty { throw CompileFailure.diagnostics(problems, checked.sources) }

        return PreparedPolicy(checked: checked, models: models, tables: tables, rowCounts: rowCounts)
    }

    /// The verifier's path: the same circuit from the checked policy, the
    /// models' architecture cards (by model name) and the row counts alone.
    /// Gives byte-identical `Program.serialized()` to `compile`'s `optimised`.
    ///
    /// `target` picks one of the circuits of a proof in parts
    /// (`LoweringTarget`, docs/circuit.md §10) instead of the whole policy.
    public static func rebuild(_ checked: PolicyFrontEnd.Checked, cards: [String: [UInt8]], rowCounts: [String: Int],
                               target: LoweringTarget = .whole, skipPasses: Set<String> = [])
        -> Result<(lowered: LoweredPolicy, optimised: CircuitIR.Program), CompileFailure> {
        guard let program = checked.program, !checked.hasErrors else {
            return .failure(.diagnostics(checked.diagnostics, checked.sources))
        }
        var bindings: [String: ModelBinding] = [:]
        for model in program.models {
            guard let card = cards[model.name] else { return .failure(.usage("no architecture card for model `\(model.name)`")) }
            let architecture: QuantizedArchitecture
            do { architecture = try ArchitectureCard.decode(card) } catch {
                return .failure(.model(file: "the architecture card of `\(model.name)`", message: "\(error)"))
            }
            guard let output = ModelBinder.output(architecture, declared: model.output) else {
                return .failure(.lowering("model `\(model.name)`: no output of its architecture has shape \(model.output.dimensions)"))
            }
            bindings[model.name] = ModelBinding(architecture: architecture, output: output)
        }
        return catching {
            let (lowered, optimised, _, _) = try build(checked, bindings: bindings, rowCounts: rowCounts, target: target,
                                                       skipping: skipPasses)
            return (lowered, optimised)
        }
    }

    /// Lowers (on a large stack: the HIR may be 1,000 levels deep) and optimises.
    static func build(_ checked: PolicyFrontEnd.Checked, bindings: [String: ModelBinding], rowCounts: [String: Int],
                      target: LoweringTarget = .whole, skipping: Set<String> = [],
                      progress: ((String, Double) -> Void)? = nil) throws
        -> (LoweredPolicy, CircuitIR.Program, [PassReport], (Double, Double)) {
        progress?("lowering the policy", 0)
        let program = checked.program!
        let locate = SourceLocator.make(checked.sources, root: program.span.file, rootName: checked.path)
        let started = Date()
        let result: Result<LoweredPolicy, Error> = PolicyFrontEnd.onLargeStack {
            Result { try PolicyLowering.lower(program, models: bindings, rowCounts: rowCounts, target: target, locate: locate) }
        }
        let lowered: LoweredPolicy
        switch result {
        case .success(let value): lowered = value
        case .failure(let error as LoweringError): throw CompileFailure.lowering(error.description)
        case .failure(let error): throw CompileFailure.lowering("\(error)")
        }
        let lowering = Date().timeIntervalSince(started)
        let (optimised, passes) = PassPipeline.optimisation.run(lowered.program, skipping: skipping, progress: progress.map { report in
            { pass, fraction in report("optimising the circuit (\(pass))", fraction) }
        })
        return (lowered, optimised, passes, (lowering, Date().timeIntervalSince(started) - lowering))
    }
}

/// Source places for origins, independent of where the files are: the policy
/// file by its name (not its path), standard modules as `std/NAME.zkp`,
/// imported files relative to the policy's folder. The program embeds these,
/// so a verifier rebuilding from a copy of the policy elsewhere gets the
/// same bytes (as long as the file keeps its name).
enum SourceLocator {
    static func make(_ sources: SourceMap, root: FileID, rootName: String) -> (SourceSpan) -> OriginLocation? {
        let name = rootName.split(separator: "/").last.map(String.init) ?? rootName
        let folder = rootName.contains("/") ? String(rootName[..<rootName.lastIndex(of: "/")!]) + "/" : ""
        return { span in
            guard let file = sources[span.file] else { return nil }
            let location = file.location(of: span.start)
            var path = span.file == root ? name : file.path
            if span.file != root, !folder.isEmpty, path.hasPrefix(folder) { path = String(path.dropFirst(folder.count)) }
            return OriginLocation(file: path, line: location.line, column: location.column)
        }
    }
}
