import ArgumentParser
import ZKPolicy

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Say in words what a proof states.",
        discussion: """
        Prints the policy (name, version, digest), each rule's verdict, the public parameters and \
        commitments, the number of data rows, the model's architecture and quantization error, \
        the security level in three regimes, the proof size and what the prover reported about \
        the run. Inspecting does not verify: use `zkpolicyc verify` for that. Exits with 1 when \
        the file is not a readable proof.
        """)

    @Argument(help: "The proof file (.zkproof).")
    var proof: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        do {
            let (bundle, size) = try ProofFile.read(path: proof)
            print(json ? ProofDescription.json(bundle, fileSize: size) : ProofDescription.text(bundle, fileSize: size),
                  terminator: json ? "\n" : "")
        } catch let error as PipelineError {
            printError("error: \(error)\n")
            throw ExitCode(1)
        }
    }
}
