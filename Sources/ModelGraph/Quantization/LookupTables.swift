#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation

/// The public lookup tables of nonlinear functions. Every table has 2^16
/// entries; entry i holds ⌊f(x_i) · 2^outputScale + 1/2⌋ for the input
/// x_i = (domainStart + i) / 2^inputScale, computed in Double. The values are
/// stored in the architecture card, so a verifier never recomputes them.
enum LookupTables {
    static let entries = 1 << 16

    /// σ(x) on [−2^15, 2^15) / 2^inputScale (±16 at scale 11).
    static func sigmoid(inputScale: Int, outputScale: Int) -> LookupTable {
        make("sigmoid", inputScale, outputScale, start: -Int64(entries / 2)) { 1 / (1 + Foundation.exp(-$0)) }
    }

    /// tanh(x) on [−2^15, 2^15) / 2^inputScale (±8 at scale 12).
    static func tanh(inputScale: Int, outputScale: Int) -> LookupTable {
        make("tanh", inputScale, outputScale, start: -Int64(entries / 2)) { Foundation.tanh($0) }
    }

    /// exp(x) on (−2^16, 0] / 2^inputScale ((−16, 0] at scale 12): softmax's
    /// exponentials of x − max(x).
    static func exp(inputScale: Int, outputScale: Int) -> LookupTable {
        make("exp", inputScale, outputScale, start: -Int64(entries - 1)) { Foundation.exp($0) }
    }

    /// Maps a class index 0..<n to its label (scale 0).
    static func labels(_ labels: [Int64]) -> LookupTable {
        LookupTable(function: "labels", inputScale: 0, outputScale: 0, domainStart: 0, values: labels)
    }

    private static func make(_ name: String, _ inputScale: Int, _ outputScale: Int, start: Int64,
                             _ f: (Double) -> Double) -> LookupTable {
        let values = (0..<Int64(entries)).map { i -> Int64 in
            FixedPoint.quantize(f(FixedPoint.dequantize(start + i, scale: inputScale)), scale: outputScale) ?? 0
        }
        return LookupTable(function: name, inputScale: inputScale, outputScale: outputScale, domainStart: start, values: values)
    }
}
