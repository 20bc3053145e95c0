import CircuitIR
import Field
import ModelGraph
import PolicySemantics
import PolicySyntax

/// What to compile: a policy file, its models, and its data or row counts.
public struct CompileRequest: Sendable {
    /// The policy file.
    public var policy: String
    /// The ONNX file of each model, by the policy's model name.
    public var models: [String: String]
    /// The CSV file of each table, by the policy's table name (optional: a
    /// table needs data or a row count).
    public var data: [String: String]
    /// Row counts by table name: the size the circuit is compiled for
    /// (default: the rows of the table's data).
    public var rows: [String: Int]
    /// A calibration CSV per model name (`zkpolicyc model eval` input format:
    /// a header, then per row the model's input values). Default: calibrate on
    /// the rows of the data the policy applies the model to.
    public var calibration: [String: String]
    /// A calibration profile per model name (from the salt file of its
    /// published commitment): quantize exactly as when it was committed.
    /// Takes precedence over `calibration` and the data.
    public var profiles: [String: CalibrationProfile] = [:]
    /// ONNX files without a name: given to the policy's models without one,
    /// in declaration order.
    public var unnamedModels: [String] = []
    /// CSV files without a name: given to the tables without one, in declaration order.
    public var unnamedData: [String] = []
    /// A row count for every table without one.
    public var allRows: Int?
    /// Passes of `PassPipeline.optimisation` to leave out, by name (all of
    /// them: `PolicyCompiler.allPasses`).
    public var skipPasses: Set<String> = []
    public var frontEnd: PolicyFrontEnd.Options

    public init(policy: String, models: [String: String] = [:], data: [String: String] = [:], rows: [String: Int] = [:],
                calibration: [String: String] = [:], frontEnd: PolicyFrontEnd.Options = PolicyFrontEnd.Options()) {
        self.policy = policy
        self.models = models
        self.data = data
        self.rows = rows
        self.calibration = calibration
        self.frontEnd = frontEnd
    }
}

/// Why compilation failed: diagnostics in the policy (with the sources to
/// render them), a data file error, a model file error, or a problem between them.
public enum CompileFailure: Error, Sendable, CustomStringConvertible {
    /// Errors in the policy, or a model declaration that does not match its
    /// ONNX file (E0320), located in the policy.
    case diagnostics([Diagnostic], SourceMap)
    /// A data file (file:line:column).
    case data(DataError)
    /// An ONNX or calibration file that cannot be used.
    case model(file: String, message: String)
    /// The policy, models and data do not fit together, or the circuit cannot be built.
    case lowering(String)
    /// Missing or inconsistent arguments.
    case usage(String)

    public var description: String {
        switch self {
        case .diagnostics(let diagnostics, let sources): return PolicyFrontEnd.render(diagnostics, sources: sources, json: false)
        case .data(let error): return "error: \(error)"
        case .model(let file, let message): return "error: \(file): \(message)"
        case .lowering(let message): return "error: \(message)"
        case .usage(let message): return "error: \(message)"
        }
    }
}

/// A model compiled into a policy: its graph, its quantized form (weights
/// included: the prover's private input), and which output the policy reads.
public struct CompiledModel: Sendable {
    /// The ONNX file it was read from.
    public let path: String
    public let graph: ModelGraph
    public let quantized: QuantizedModel
    public let binding: ModelBinding
    /// The architecture card (public; what a verifier recompiles from).
    public var card: [UInt8] { ArchitectureCard.encode(quantized.architecture) }
    /// How the native reference evaluator runs it.
    public var reference: PolicyReference.Model { PolicyReference.Model(model: quantized, output: binding.output) }
}

/// A policy ready to lower: the checked program, its models decoded and
/// quantized, and its data loaded. The prover evaluates the rules at this
/// stage, before the (much longer) lowering, so a violated rule is reported
/// in seconds.
public struct PreparedPolicy: Sendable {
    public let checked: PolicyFrontEnd.Checked
    /// The HIR (present: preparation fails on policy errors).
    public var program: PolicySemantics.Program { checked.program! }
    public let models: [String: CompiledModel]
    /// The rows of every table data was given for.
    public let tables: [String: TableRows]
    /// The row count of every table (the circuit's shape).
    public let rowCounts: [String: Int]

    /// The architecture card of every model, by name.
    public var cards: [String: [UInt8]] { models.mapValues(\.card) }

    /// Witness data for the loaded tables and the models' weights, with the
    /// given parameters, published commitments and salts.
    public func witnessData(params: [String: Param.Value] = [:], commitments: [String: Poseidon2Digest] = [:],
                            salts: [Asset: [Goldilocks]] = [:]) -> PolicyWitnessData {
        PolicyWitnessData(tables: tables, params: params, commitments: commitments,
                          weights: models.mapValues(\.quantized.weights), salts: salts)
    }

    /// The HIR evaluator's inputs for the same data (the prove-time reference).
    public func evaluationInputs(_ data: PolicyWitnessData) -> EvaluationInputs {
        PolicyReference.evaluationInputs(program, data: data, models: models.mapValues(\.reference))
    }
}

/// A compiled policy: the prepared policy and the circuit before and after
/// optimisation.
public struct CompiledPolicy: Sendable {
    public let prepared: PreparedPolicy
    public var checked: PolicyFrontEnd.Checked { prepared.checked }
    /// The HIR (present: compilation fails on policy errors).
    public var program: PolicySemantics.Program { prepared.program }
    public var models: [String: CompiledModel] { prepared.models }
    /// The rows of every table data was given for.
    public var tables: [String: TableRows] { prepared.tables }
    /// The row count of every table (the circuit's shape).
    public var rowCounts: [String: Int] { prepared.rowCounts }
    /// The lowered circuit (before optimisation) and its interface.
    public let lowered: LoweredPolicy
    /// After `PassPipeline.optimisation`: the circuit to lay out and prove.
    public let optimised: CircuitIR.Program
    /// What each pass did.
    public let passes: [PassReport]
    /// Seconds spent lowering and optimising.
    public let loweringSeconds: Double
    public let optimisationSeconds: Double

    /// The architecture card of every model, by name.
    public var cards: [String: [UInt8]] { prepared.cards }

    /// See `PreparedPolicy.witnessData`.
    public func witnessData(params: [String: Param.Value] = [:], commitments: [String: Poseidon2Digest] = [:],
                            salts: [Asset: [Goldilocks]] = [:]) -> PolicyWitnessData {
        prepared.witnessData(params: params, commitments: commitments, salts: salts)
    }

    /// See `PreparedPolicy.evaluationInputs`.
    public func evaluationInputs(_ data: PolicyWitnessData) -> EvaluationInputs {
        prepared.evaluationInputs(data)
    }
}
