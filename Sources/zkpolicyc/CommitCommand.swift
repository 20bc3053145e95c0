import ArgumentParser
import ZKPolicy

struct CommitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit",
        abstract: "Print the commitments to publish for a model and its data.",
        discussion: """
        Prints the Poseidon2 commitment (64 hexadecimal digits) of each model's quantized weights \
        and of each data file's rows, to be published before an audit; a policy's `commit(scorer) \
        == scorer_digest` then proves that the audited model is the published one. The secret \
        salts that hide the committed values, and the calibration each model was quantized with, \
        are kept in the salt file (created if it does not exist, reused if it does, so committing \
        again prints the same digests): keep it secret, `prove` needs it.

        With POLICY, models and data bind to the policy's names as for `prove`, and a model is \
        calibrated on the data the policy applies it to. Without POLICY only models can be \
        committed, each calibrated on --calibration (a CSV of model inputs, as for \
        `zkpolicyc model eval`).

        Exit status: 0 on success, 1 on an input error.
        """)

    @Argument(help: "The policy the model and data are audited under (optional for models).")
    var policy: String?

    @OptionGroup var assets: AssetOptions

    @Option(name: .customLong("calibration"), help: ArgumentHelp(
        "Calibration samples for a model (model-eval CSV; repeatable).", valueName: "[NAME=]PATH"))
    var calibration: [String] = []

    @Option(name: .customLong("salt-file"), help: ArgumentHelp("The secret salt file.", valueName: "FILE"))
    var saltFile = "zkpolicy.salts.json"

    @OptionGroup var stdlib: StandardLibraryOptions

    func run() throws {
        var request = Committer.Request(saltFile: saltFile)
        request.policy = policy
        (request.models, request.unnamedModels) = AssetOptions.files(assets.models)
        (request.data, request.unnamedData) = AssetOptions.files(assets.data)
        let (named, unnamed) = AssetOptions.files(calibration)
        request.calibration = named
        guard unnamed.count <= 1 else { throw ValidationError("--calibration without a name may be given once") }
        request.unnamedCalibration = unnamed.first
        request.frontEnd = stdlib.frontEnd
        do {
            let lines = try Committer.commit(request)
            let width = lines.map { "commit(\($0.name))".count }.max() ?? 0
            for line in lines {
                let label = "commit(\(line.name))"
                print("\(label.padding(toLength: width, withPad: " ", startingAt: 0)) = \(line.digest)  (\(line.isModel ? "model" : "data") \(line.file)\(line.reused ? ", salt reused" : ""))")
            }
            printError("salts kept in \(saltFile) (secret: keep it, do not publish it; `zkpolicyc prove --salt-file \(saltFile)` needs it)\n")
        } catch let error as PipelineError {
            printError(error.description.hasSuffix("\n") ? error.description : "error: \(error)\n")
            throw ExitCode(1)
        }
    }
}
