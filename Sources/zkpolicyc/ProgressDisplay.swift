#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Shows the prover's stages on standard error: on a terminal one line
/// rewritten in place with a percentage; otherwise one line per stage.
final class ProgressDisplay: @unchecked Sendable {
    private let isTerminal = isatty(2) != 0
    private let lock = NSLock()
    private var stage = ""
    private var lastPercent = -1
    private var lastDraw: UInt64 = 0

    func update(_ newStage: String, _ fraction: Double) {
        lock.withLock {
            let percent = Int((min(max(fraction, 0), 1) * 100).rounded(.down))
            if newStage != stage {
                if isTerminal && !stage.isEmpty { FileOutput.standardError("\r\u{1B}[2K") }
                stage = newStage
                lastPercent = -1
                if !isTerminal { FileOutput.standardError("  \(newStage)…\n") }
            }
            guard isTerminal else { return }
            let now = DispatchTime.now().uptimeNanoseconds
            guard percent != lastPercent, percent == 100 || now - lastDraw > 100_000_000 || lastPercent < 0 else { return }
            lastPercent = percent
            lastDraw = now
            FileOutput.standardError("\r\u{1B}[2K  \(stage)… \(percent)%")
        }
    }

    /// Clears the progress line.
    func finish() {
        lock.withLock {
            if isTerminal && !stage.isEmpty { FileOutput.standardError("\r\u{1B}[2K") }
            stage = ""
        }
    }
}
