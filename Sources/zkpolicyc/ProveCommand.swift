import ArgumentParser
import Foundation
import ZKPolicy

extension SecurityPreset: ExpressibleByArgument {}
extension ExtensionStorage: ExpressibleByArgument {}
extension PartChoice: ExpressibleByArgument {}

struct ProveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Prove that a private model and private data satisfy a policy.",
        discussion: """
        Evaluates the policy on the data first. If a rule does not hold, prints which rule, the \
        measured value and the threshold, writes nothing and exits with 3: no proof of a false \
        statement is ever made. Otherwise compiles the policy with the models into a circuit, \
        proves it with the STARK prover (progress on standard error) and writes the proof \
        atomically to --output.

        The proof reveals each rule's verdict, the parameters, the commitments, the number of data \
        rows and each model's architecture (without weights); nothing else of the data or the \
        weights. Models are quantized with the calibration kept in the salt file when they were \
        committed (`zkpolicyc commit`), otherwise calibrated on the data.

        With --part-rows N the rows are proven in parts of about N rows (of the largest table), \
        one part after the other, then one proof combines the parts' aggregates and proves the \
        rules: memory is that of one part's proof, so tables too large for one proof can be \
        proven. The default, auto, proves in parts of \(PartChoice.automaticRows) rows when a table \
        has more rows than that; none makes one proof over all rows. The file holds every part's \
        proof; `verify` checks them all. Each part's aggregates stay hidden behind a salted \
        commitment. Not for policies that commit to a table or nest an aggregate inside another's \
        rows (docs/circuit.md §10).

        Exit status: 0 proven, 1 input error (a bad file, CSV row, option), 3 a rule is violated.
        """)

    @Argument(help: "The policy file.")
    var policy: String

    @OptionGroup var assets: AssetOptions

    @Option(name: .customLong("param"), help: ArgumentHelp("Override a parameter (repeatable).", valueName: "NAME=VALUE"))
    var params: [String] = []

    @Option(name: .customLong("commitment"), help: ArgumentHelp("A published commitment (repeatable).", valueName: "NAME=HEX"))
    var commitments: [String] = []

    @Option(name: .customLong("salt-file"), help: ArgumentHelp("The secret salt file of `zkpolicyc commit`.", valueName: "FILE"))
    var saltFile: String?

    @Option(help: "Security preset: conjectured-100, proven-100 or proven-128.")
    var security: SecurityPreset = .proven100

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the proof.", valueName: "FILE"))
    var output: String

    @Option(help: ArgumentHelp(
        "Keep the prover's low-degree extensions in memory (kept: fastest), recompute them where needed (recomputed: about 40% less memory, up to 15% slower), or choose by this machine's memory (automatic).",
        valueName: "automatic|kept|recomputed"))
    var extensions: ExtensionStorage = .automatic

    @Option(name: .customLong("part-rows"), help: ArgumentHelp(
        "Prove the rows in parts of about N rows each, one at a time (memory of one part), then combine them; none: one proof over all rows; "
            + "auto: parts of \(PartChoice.automaticRows) rows beyond \(PartChoice.automaticRows) rows.",
        valueName: "N|auto|none"))
    var partRows: PartChoice = .automatic

    @OptionGroup var stdlib: StandardLibraryOptions

    func run() throws {
        var compile = CompileRequest(policy: policy, frontEnd: stdlib.frontEnd)
        assets.apply(to: &compile)
        var request = PolicyProver.Request(compile: compile, output: output)
        request.params = try AssetOptions.named(params, option: "--param")
        request.commitments = try AssetOptions.named(commitments, option: "--commitment")
        request.saltFile = saltFile
        request.preset = security
        request.extensionStorage = extensions
        request.parts = partRows
        let display = ProgressDisplay()
        request.progress = { stage, fraction in display.update(stage, fraction) }
        do {
            let outcome = try PolicyProver.prove(request)
            display.finish()
            let s = outcome.bundle.statement
            print("proved \"\(s.policyName)\" version \(s.policyVersion) on \(s.tables.map { "\($0.rows) rows of \($0.name)" }.joined(separator: ", "))"
                  + (s.parts.isEmpty ? "" : " in \(s.parts.count) parts"))
            for verdict in s.verdicts { print("  rule \(verdict.rule): holds") }
            print(String(format: "wrote %@ (%d bytes); compile %.2f s, layout %.2f s, prove %.2f s",
                         output, outcome.bytes, outcome.compileSeconds, outcome.layoutSeconds, outcome.proveSeconds))
            print("security: \(s.security.preset): \(s.security.conjecturedBits) bits conjectured, \(s.security.provenUniqueDecodingBits) bits proven")
        } catch let error as PipelineError {
            display.finish()
            switch error {
            case .violated(let lines):
                for line in lines { printError(line + "\n") }
                printError("no proof written: the policy does not hold on this data\n")
                throw ExitCode(3)
            default:
                let text = error.description
                printError(text.hasSuffix("\n") ? text : "error: \(text)\n")
                throw ExitCode(1)
            }
        }
    }
}
