/// The magnitudes calibration measured, in the order the quantizer asked for
/// them: with the same graph and options, `Quantizer.quantize(_:profile:)`
/// reproduces the same scales — and so the same quantized weights — without
/// the calibration data.
///
/// This is what lets a bank publish `commit(model)` once: `zkpolicyc commit`
/// calibrates and keeps the profile (in the secret salt file); `prove` replays
/// it, so the committed weights are exactly the ones the circuit reads.
public struct CalibrationProfile: Hashable, Sendable {
    /// Largest absolute value of each calibrated quantity, in request order.
    public var magnitudes: [Double]

    public init(magnitudes: [Double]) { self.magnitudes = magnitudes }
}

/// Where the quantizer's calibrated maxima come from: measured on samples (and
/// logged), or replayed from a profile. A class so that the lowering's
/// non-mutating helpers can log through it.
final class CalibrationSource {
    private let replay: [Double]?
    private(set) var log: [Double] = []
    /// Set when a replayed profile has fewer values than the lowering asks for.
    private(set) var exhausted = false

    init(replay: CalibrationProfile? = nil) { self.replay = replay?.magnitudes }

    var isReplaying: Bool { replay != nil }

    /// The next calibrated maximum: `measure()` when calibrating, the next
    /// profile value when replaying.
    func next(_ measure: () throws -> Double) rethrows -> Double {
        let value: Double
        if let replay {
            guard log.count < replay.count else {
                exhausted = true
                return 1
            }
            value = replay[log.count]
        } else {
            value = try measure()
        }
        log.append(value)
        return value
    }

    /// Whether a replay consumed exactly the whole profile.
    var replayMatched: Bool {
        guard let replay else { return true }
        return !exhausted && log.count == replay.count
    }

    var profile: CalibrationProfile { CalibrationProfile(magnitudes: log) }
}
