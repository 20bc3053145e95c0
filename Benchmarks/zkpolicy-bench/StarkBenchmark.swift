import ArgumentParser
import Dispatch
import Field
import Foundation
import Stark

/// `zkpolicy-bench stark`: proves a random table and prints one line of measurements.
struct StarkBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stark",
        abstract: "Prove and verify a random table using every gate kind, copy constraints and lookups.",
        discussion: """
            Prints one line: rows, columns, prove_s (wall time of proving), floor_s (LDE and \
            Merkle commitment of the advice columns alone, the floor a STARK prover cannot go \
            below), verify_ms, proof_bytes, security_bits (in the preset's regime), peak_rss_mib, \
            security (the preset). With --runs N the floor and the proof alternate N times and the \
            times are medians (min and max follow as prove_range_s and floor_range_s). --micro also \
            prints NTT and SHA-256 throughput.
            """)

    @Option(help: "log2 of the table rows (including the blinding rows).")
    var logRows = 18

    @Option(help: "Advice columns (even, at least 8).")
    var columns = 16

    @Option(help: "Security preset: conjectured-100, proven-100 or proven-128.")
    var security = "conjectured-100"

    @Option(help: "Times to measure the floor and the proof, alternately (medians are printed).")
    var runs = 1

    @Option(help: "Whether the prover keeps its committed extensions: automatic, kept or recomputed.")
    var extensions = "automatic"

    @Option(help: "Verifications to average.")
    var verifyRuns = 20

    @Flag(help: "Also measure a 2^20 NTT and SHA-256 on 64-byte inputs.")
    var micro = false

    @Flag(help: "Print the time of each proving stage and the duration of each finer step of the last run (to standard error).")
    var stages = false

    @OptionGroup var memory: AllocatorOptions

    func validate() throws {
        guard SecurityPreset(rawValue: security) != nil else {
            throw ValidationError("unknown preset '\(security)': use \(SecurityPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard columns >= 8, columns % 2 == 0 else { throw ValidationError("--columns must be even and at least 8") }
        guard (10 ... 24).contains(logRows) else { throw ValidationError("--log-rows must be in 10...24") }
        guard ExtensionStorage(rawValue: extensions) != nil else {
            throw ValidationError("unknown --extensions '\(extensions)': use \(ExtensionStorage.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    }

    func run() throws {
        memory.apply()
        let preset = SecurityPreset(rawValue: security)!
        let parameters = preset.parameters
        if micro { MicroBenchmarks.run() }
        let synthetic = SyntheticCircuit(logRows: logRows, columns: columns, parameters: parameters)
        let key = try ProvingKey(circuit: synthetic.circuit, parameters: parameters)

        // Floor: LDE + Merkle commitment of the advice columns (with blinding rows).
        let floorColumns = synthetic.witness.map { $0 + [Goldilocks](repeating: .one, count: (1 << logRows) - $0.count) }
        let showStages = stages
        var floorTimes: [(wall: Double, cpu: Double)] = []
        var proveTimes: [(wall: Double, cpu: Double)] = []
        var proof: Proof?
        // Floor and proof alternate, so that a change in the machine's load
        // or memory state during the runs affects both alike.
        for run in 0 ..< runs {
            let floorCPUStart = cpuSeconds()
            let floorStart = DispatchTime.now()
            let floorRoot = try StarkProver.commitColumns(floorColumns, parameters: parameters)
            floorTimes.append((seconds(since: floorStart), cpuSeconds() - floorCPUStart))
            withExtendedLifetime(floorRoot) {}

            let cpuStart = cpuSeconds()
            let proveStart = DispatchTime.now()
            var options = ProverOptions(progress: { stage, _ in
                if showStages && run == runs - 1 {
                    FileHandle.standardError.write(Data("  \(format(seconds(since: proveStart))) s: \(stage)\n".utf8))
                }
            })
            if showStages && run == runs - 1 {
                let steps = StepTimes(start: proveStart)
                options.step = { steps.start($0) }
            }
            options.extensionStorage = ExtensionStorage(rawValue: extensions)!
            proof = try StarkProver.prove(key: key, witness: synthetic.witness, publicInputs: synthetic.publicInputs,
                                          options: options)
            proveTimes.append((seconds(since: proveStart), cpuSeconds() - cpuStart))
        }
        let proveSeconds = median(proveTimes.map(\.wall)), proveCPU = median(proveTimes.map(\.cpu))
        let floorSeconds = median(floorTimes.map(\.wall)), floorCPU = median(floorTimes.map(\.cpu))
        let bytes = proof!.encoded()

        var verifyTotal = 0.0
        for _ in 0 ..< verifyRuns {
            let start = DispatchTime.now()
            try StarkVerifier.verify(key: key.verifyingKey, publicInputs: synthetic.publicInputs, proof: try Proof(decoding: bytes))
            verifyTotal += seconds(since: start)
        }
        let bits: Int
        switch preset {
        case .conjectured100: bits = key.verifyingKey.security.conjectured
        case .proven100, .proven128: bits = key.verifyingKey.security.provenUniqueDecoding
        }
        print("rows=\(1 << logRows) columns=\(columns) prove_s=\(format(proveSeconds)) floor_s=\(format(floorSeconds)) "
              + "verify_ms=\(format(verifyTotal / Double(verifyRuns) * 1000, digits: 2)) proof_bytes=\(bytes.count) "
              + "security_bits=\(bits) peak_rss_mib=\(peakRSSMiB()) security=\(preset.rawValue) "
              + "bits_conjectured=\(key.verifyingKey.security.conjectured) bits_proven_udr=\(key.verifyingKey.security.provenUniqueDecoding) "
              + "bits_proven_johnson=\(key.verifyingKey.security.provenJohnson) prove_cpu_s=\(format(proveCPU)) floor_cpu_s=\(format(floorCPU)) "
              + "load=\(loadAverage())"
              + (runs > 1 ? " runs=\(runs) prove_range_s=\(spread(proveTimes.map(\.wall))) floor_range_s=\(spread(floorTimes.map(\.wall)))" : ""))
    }
}

func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

func format(_ x: Double, digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

/// The median of measurements (the mean of the middle two for an even count).
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// "min–max" of measurements, seconds to three places.
func spread(_ values: [Double]) -> String {
    "\(format(values.min() ?? 0))-\(format(values.max() ?? 0))"
}

/// User + system CPU time of this process so far (all threads), seconds.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return s(usage.ru_utime) + s(usage.ru_stime)
}

/// The 1-minute load average (other processes competing for the 2 cores).
func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
}

/// The resident set of this process now, MiB, from /proc/self/statm (0
/// where it cannot be read).
func currentRSSMiB() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / (1 << 20)
}

/// Peak resident set size of this process, MiB (getrusage's ru_maxrss,
/// which Linux gives in KiB; /proc/self/status reads as empty through
/// Foundation, whose file reading trusts the reported size of 0).
func peakRSSMiB() -> Int {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    return usage.ru_maxrss / 1024
}

/// Prints each prover step's duration when the next one starts (`ProverOptions.step`):
/// `  +0.340 s  advice commitment (from 0.063 s)`.
final class StepTimes: @unchecked Sendable {
    private let lock = NSLock()
    private let origin: DispatchTime
    private var current: (name: String, at: DispatchTime)?

    init(start: DispatchTime) { origin = start }

    func start(_ name: String) {
        let now = DispatchTime.now()
        lock.withLock {
            if let (previous, at) = current {
                let duration = Double(now.uptimeNanoseconds - at.uptimeNanoseconds) / 1e9
                let from = Double(at.uptimeNanoseconds - origin.uptimeNanoseconds) / 1e9
                FileHandle.standardError.write(Data("    +\(String(format: "%.3f", duration)) s  \(previous) (from \(String(format: "%.3f", from)) s)\n".utf8))
            }
            current = (name, now)
        }
    }
}
