import ArgumentParser
import CircuitIR
import Dispatch
import Foundation
import ZKPolicy

/// `zkpolicy-bench audit`: the bundled credit audit (commit, prove, verify)
/// at a chosen number of applicants, in process, with one result line.
struct AuditBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Prove and verify the fair-lending policy over N applicants.",
        discussion: """
        Resamples examples/credit/applicants.csv to --rows applicants (the first 1,000 are the real \
        ones; further rows are drawn with replacement by a fixed-seed generator), commits to the \
        model, proves Policies/credit/fair-lending.zkp and verifies the proof, then prints one line: \
        rows, compile_s, layout_s, stark_s, prove_s (the whole prove command), verify_recompile_s, \
        verify_ms (the proof check), verify_cached_ms (a whole verification with the verifying key \
        read from the key cache), proof_bytes, trace (log2 rows × advice columns), peak_rss_mib. \
        Run from the repository root with `swift run -c release zkpolicy-bench audit --rows 1000`.
        """)

    @Option(help: "Number of applicant rows.")
    var rows = 1000

    @Option(help: "The ONNX model.")
    var model = "examples/credit/model.onnx"

    @Option(help: "Security preset: conjectured-100, proven-100 or proven-128.")
    var security = "conjectured-100"

    @Option(help: "The prover's low-degree extensions: automatic, kept or recomputed.")
    var extensions = "automatic"

    @Option(name: .customLong("part-rows"), help: "Parts: N rows each, auto or none (`zkpolicyc prove --part-rows`).")
    var partRows = "auto"

    @Flag(help: "Print each stage of the prove command with its wall and CPU time and the resident memory (standard error).")
    var stages = false

    @OptionGroup var memory: AllocatorOptions

    func run() throws {
        memory.apply()
        guard let preset = SecurityPreset(rawValue: security) else { throw ValidationError("unknown preset \(security)") }
        guard let storage = ExtensionStorage(rawValue: extensions) else { throw ValidationError("unknown --extensions \(extensions)") }
        guard rows > 0 else { throw ValidationError("--rows must be positive") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zkpolicy-bench-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let data = folder.appendingPathComponent("applicants.csv").path
        try Self.resample("examples/credit/applicants.csv", rows: rows, to: data)
        let policy = "Policies/credit/fair-lending.zkp"
        let saltFile = folder.appendingPathComponent("salts.json").path

        var commit = Committer.Request(saltFile: saltFile)
        commit.policy = policy
        commit.models = ["scorer": model]
        commit.data = ["applicants": data]
        let lines = try Committer.commit(commit)
        guard let digest = lines.first(where: { $0.name == "scorer" })?.digest else { throw ValidationError("no scorer commitment") }

        var compile = CompileRequest(policy: policy)
        compile.models = ["scorer": model]
        compile.data = ["applicants": data]
        var request = PolicyProver.Request(compile: compile, output: folder.appendingPathComponent("audit.zkproof").path)
        request.commitments = ["scorer_digest": digest]
        request.saltFile = saltFile
        request.preset = preset
        request.extensionStorage = storage
        guard let parts = PartChoice(partRows) else { throw ValidationError("--part-rows takes N ≥ 1, auto or none") }
        request.parts = parts
        if stages {
            let wallStart = DispatchTime.now(), cpuStart = cpuSeconds()
            request.progress = { stage, fraction in
                let wall = Double(DispatchTime.now().uptimeNanoseconds - wallStart.uptimeNanoseconds) / 1e9
                let line = String(format: "  wall %6.2f s  cpu %6.2f s  rss %6d MiB (peak %6d)  %@ (%.0f%%)\n",
                                  wall, cpuSeconds() - cpuStart, currentRSSMiB(), peakRSSMiB(), stage, fraction * 100)
                FileHandle.standardError.write(Data(line.utf8))
            }
            let steps = StepTimes(start: wallStart)
            request.proverStep = { steps.start($0) }
        }
        let start = DispatchTime.now()
        let outcome = try PolicyProver.prove(request)
        let proveSeconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9

        // Verified twice with a key cache: the first run recompiles (and
        // stores the key), the second reads the key from the cache.
        var verify = PolicyVerifier.Request(proof: request.output, policy: policy)
        verify.commitments = ["scorer_digest": digest]
        verify.maxRows = max(rows, PolicyVerifier.defaultMaxRows)
        verify.keyCache = VerifierKeyCache(directory: folder.appendingPathComponent("keys").path, toolIdentity: "zkpolicy-bench")
        let verified = try PolicyVerifier.verify(verify)
        let cachedStart = DispatchTime.now()
        let cached = try PolicyVerifier.verify(verify)
        let cachedSeconds = Double(DispatchTime.now().uptimeNanoseconds - cachedStart.uptimeNanoseconds) / 1e9
        guard case .cached = cached.keySource else { throw ValidationError("the second verification did not use the cached key") }
        let report = outcome.bundle.report
        print(String(format: "rows=%d parts=%d compile_s=%.2f layout_s=%.2f stark_s=%.2f prove_s=%.2f verify_recompile_s=%.2f "
                     + "verify_ms=%.1f verify_cached_ms=%.1f proof_bytes=%d trace=2^%d×%d peak_rss_mib=%d security=%@",
                     rows, max(1, outcome.bundle.statement.parts.count), outcome.compileSeconds, outcome.layoutSeconds,
                     outcome.proveSeconds, proveSeconds,
                     verified.keySeconds, verified.checkSeconds * 1000, cachedSeconds * 1000, outcome.bytes,
                     report.traceRows.trailingZeroBitCount, report.traceColumns, peakRSSMiB(), security))
    }

    /// The first `rows` data lines of `source` (cycling is not resampling:
    /// beyond its length, lines are drawn uniformly with a fixed seed).
    static func resample(_ source: String, rows: Int, to path: String) throws {
        let text = try String(contentsOfFile: source, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst()
        var generator = SplitMix64(seed: 0x5EED)
        var out = String(header) + "\n"
        for i in 0..<rows {
            let line = i < lines.count ? lines[i] : lines[Int(generator.next() % UInt64(lines.count))]
            out += line + "\n"
        }
        try out.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

