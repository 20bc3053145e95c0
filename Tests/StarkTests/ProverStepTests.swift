import Foundation
import Testing
import Field
@testable import Stark

/// `ProverOptions.step`, the benchmarks' fine timing hook.
@Suite struct ProverStepTests {
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var names: [String] = []
        func record(_ name: String) { lock.withLock { names.append(name) } }
        var steps: [String] { lock.withLock { names } }
    }

    /// Every step is reported once, in protocol order, and watching them
    /// leaves the proof as it is (same seed, same bytes).
    @Test func stepsComeInOrderAndChangeNothing() throws {
        let example = BusExample(logRows: 8)
        let key = try ProvingKey(circuit: example.circuit, parameters: testParameters)
        var plain = ProverOptions()
        plain.seed = [9]
        let recorder = Recorder()
        var watched = plain
        watched.step = { recorder.record($0) }
        let a = try StarkProver.prove(key: key, witness: example.witness, publicInputs: [], options: plain)
        let b = try StarkProver.prove(key: key, witness: example.witness, publicInputs: [], options: watched)
        #expect(a.encoded() == b.encoded())
        let steps = recorder.steps
        #expect(Set(steps).count == steps.count, "each step once: \(steps)")
        let milestones = ["lookup multiplicities", "advice commitment", "quotient: interpolation",
                          "quotient: randomisation and commitment", "DEEP: combination", "FRI", "openings", "done"]
        let positions = milestones.map { steps.firstIndex(of: $0) }
        #expect(positions.allSatisfy { $0 != nil }, "missing milestones in \(steps)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(steps.last == "done")
    }
}
