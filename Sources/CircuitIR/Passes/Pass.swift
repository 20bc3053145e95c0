import Dispatch

/// One named program transformation. Passes are data (as in Noir's SSA
/// pipeline): a pipeline is a list of them, any can be skipped by name, and
/// each reports what it changed for `--emit stats`.
///
/// Every pass keeps the program's meaning: for all inputs the transformed
/// program accepts exactly when the original does, with the same public
/// outputs, and the proven bound of every public output is unchanged or tighter.
public struct Pass: Sendable {
    /// A stable kebab-case name (`constant-folding`), used on the command line.
    public let name: String
    /// One line saying what it does.
    public let summary: String
    private let transform: @Sendable (Program) -> Program

    public init(name: String, summary: String, _ transform: @escaping @Sendable (Program) -> Program) {
        self.name = name
        self.summary = summary
        self.transform = transform
    }

    public func run(_ program: Program) -> Program { transform(program) }
}

/// What one pass did.
public struct PassReport: Sendable, Equatable, CustomStringConvertible {
    public let pass: String
    public let before: ProgramStats
    public let after: ProgramStats
    /// Wall-clock seconds the pass took (not part of equality: reports of
    /// the same pass on the same program are equal however long it ran).
    public var seconds: Double = 0

    public init(pass: String, before: ProgramStats, after: ProgramStats, seconds: Double = 0) {
        self.pass = pass
        self.before = before
        self.after = after
        self.seconds = seconds
    }

    public static func == (a: PassReport, b: PassReport) -> Bool {
        a.pass == b.pass && a.before == b.before && a.after == b.after
    }

    /// `cse: 1200 → 1150 instructions (−40 add, −10 mul)`.
    public var description: String {
        var changes: [String] = []
        for opcode in Opcode.allCases {
            let delta = after[opcode] - before[opcode]
            if delta != 0 { changes.append("\(delta > 0 ? "+" : "−")\(delta.magnitude) \(opcode)") }
        }
        let summary = changes.isEmpty ? "no change" : changes.joined(separator: ", ")
        return "\(pass): \(before.instructions) → \(after.instructions) instructions (\(summary))"
    }
}

/// An ordered list of passes.
public struct PassPipeline: Sendable {
    public var passes: [Pass]

    public init(_ passes: [Pass]) { self.passes = passes }

    /// Every pass CircuitIR defines, by name.
    public static let all: [Pass] = [
        .constantFolding, .commonSubexpressionElimination, .deadCodeElimination, .linearFusion,
        .dotProductFusion, .rangeCheckMerging, .expandRangeChecks, .expandMatmul, .expandPoseidon2,
    ]

    /// The pass named `name`, if any.
    public static func pass(named name: String) -> Pass? { all.first { $0.name == name } }

    /// The optimiser: meaning-preserving simplifications, in an order where
    /// each pass leaves work for the next.
    public static let optimisation = PassPipeline([
        .constantFolding, .commonSubexpressionElimination, .linearFusion, .dotProductFusion,
        .rangeCheckMerging, .deadCodeElimination,
    ])

    /// Runs the passes in order, skipping those named in `skipping`; returns
    /// the result and one report per pass run. `progress` is called with the
    /// name of each pass as it starts and the fraction of the passes done.
    public func run(_ program: Program, skipping: Set<String> = [],
                    progress: ((String, Double) -> Void)? = nil) -> (Program, [PassReport]) {
        var current = program
        var reports: [PassReport] = []
        let selected = passes.filter { !skipping.contains($0.name) }
        for (k, pass) in selected.enumerated() {
            progress?(pass.name, Double(k) / Double(selected.count))
            let before = ProgramStats(current)
            let start = DispatchTime.now().uptimeNanoseconds
            current = pass.run(current)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            reports.append(PassReport(pass: pass.name, before: before, after: ProgramStats(current), seconds: seconds))
        }
        return (current, reports)
    }
}
