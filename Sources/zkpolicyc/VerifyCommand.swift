import ArgumentParser
import Foundation
import ZKPolicy

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a proof against a policy: accept or reject.",
        discussion: """
        Recompiles POLICY with the model architecture carried in the proof, checks that the proof \
        is about this policy (its digest), these parameters (the policy's values, or those given \
        with --param) and these commitments (--commitment; a commitment not given is taken from \
        the proof and printed for you to compare with the published one), then checks the STARK \
        proof. Prints ACCEPTED with each rule's verdict and the public values, or REJECTED with \
        the reason.

        The circuit's verifying key is kept in a cache (--key-cache), named by what the circuit \
        depends on: the policy's digest, the architecture cards, the row counts, the security \
        preset and this zkpolicyc build. The next proof about the same circuit is then checked \
        in milliseconds without recompiling. A damaged entry is ignored and rebuilt.

        Exit status: 0 accepted, 4 rejected, 1 input error (a file that cannot be read, a policy \
        with errors).
        """)

    @Argument(help: "The proof file (.zkproof).")
    var proof: String

    @Option(help: ArgumentHelp("The policy the proof must be about.", valueName: "FILE"))
    var policy: String

    @Option(name: .customLong("param"), help: ArgumentHelp("Require a parameter value (repeatable).", valueName: "NAME=VALUE"))
    var params: [String] = []

    @Option(name: .customLong("commitment"), help: ArgumentHelp("Require a published commitment (repeatable).", valueName: "NAME=HEX"))
    var commitments: [String] = []

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Option(name: .customLong("key-cache"), help: ArgumentHelp(
        "Where to keep verifying keys between runs (default: $ZKPOLICYC_CACHE_DIR, else $XDG_CACHE_HOME/zkpolicyc/keys, else ~/.cache/zkpolicyc/keys).",
        valueName: "DIR"))
    var keyCache: String?

    @Flag(name: .customLong("no-key-cache"), help: "Recompile the circuit and neither read nor write the key cache.")
    var noKeyCache = false

    @Option(name: .customLong("max-rows"), help: ArgumentHelp(
        "Recompile circuits of at most this many rows per table: the row counts come from the proof, and the cost grows with them.",
        valueName: "N"))
    var maxRows = PolicyVerifier.defaultMaxRows

    @OptionGroup var stdlib: StandardLibraryOptions

    func validate() throws {
        guard maxRows >= 0 else { throw ValidationError("--max-rows takes a number of rows, 0 or more") }
    }

    func run() throws {
        var request = PolicyVerifier.Request(proof: proof, policy: policy)
        request.maxRows = maxRows
        request.params = try AssetOptions.named(params, option: "--param")
        request.commitments = try AssetOptions.named(commitments, option: "--commitment")
        request.frontEnd = stdlib.frontEnd
        if !noKeyCache, let directory = keyCache ?? VerifierKeyCache.defaultDirectory() {
            request.keyCache = VerifierKeyCache(directory: directory, toolIdentity: ToolIdentity.current)
        }
        let display = ProgressDisplay()
        request.progress = { stage, fraction in display.update(stage, fraction) }
        do {
            let outcome = try PolicyVerifier.verify(request)
            display.finish()
            for note in outcome.keyCacheNotes { printError("warning: key cache: \(note)\n") }
            let s = outcome.bundle.statement
            if json {
                print(VerificationReport.json(accepted: true, reason: nil, outcome: outcome))
                return
            }
            print("ACCEPTED: \"\(s.policyName)\" version \(s.policyVersion)")
            for verdict in s.verdicts { print("  rule \(verdict.rule): \(verdict.holds ? "holds" : "VIOLATED")") }
            for p in s.params { print("  param \(p.name) = \(p.display)") }
            for c in s.commitments {
                let note = outcome.uncheckedCommitments.contains(c.name) ? "  (from the proof: compare it with the published value, or pass --commitment)" : ""
                print("  commitment \(c.name) = \(c.hex)\(note)")
            }
            for t in s.tables { print("  data \(t.name): \(t.rows) rows" + (s.parts.isEmpty ? "" : " (in \(s.parts.count) parts, each proof checked)")) }
            print("  security: \(s.security.preset): \(s.security.conjecturedBits) bits conjectured, \(s.security.provenUniqueDecodingBits) bits proven")
            let check = String(format: "checked the proof in %.1f ms", outcome.checkSeconds * 1000)
            switch outcome.keySource {
            case .cached(let path):
                print(String(format: "  verifying key from the cache (%@) in %.1f ms, ", path, outcome.keySeconds * 1000) + check)
            case .recompiledAndCached(let path):
                print(String(format: "  recompiled the circuit in %.2f s (key cached at %@), ", outcome.keySeconds, path) + check)
            case .recompiled:
                print(String(format: "  recompiled the circuit in %.2f s, ", outcome.keySeconds) + check)
            }
        } catch let error as PipelineError {
            display.finish()
            switch error {
            case .rejected(let reason):
                if json { print(VerificationReport.json(accepted: false, reason: reason, outcome: nil)) } else { print("REJECTED: \(reason)") }
                throw ExitCode(4)
            default:
                let text = error.description
                printError(text.hasSuffix("\n") ? text : "error: \(text)\n")
                throw ExitCode(1)
            }
        }
    }
}
