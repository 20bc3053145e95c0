/// The knobs of `Quantizer`. Defaults keep every model of the fixtures within
/// docs/models.md's error bounds with at most ~50-bit intermediates.
public struct QuantizationOptions: Sendable, Equatable {
    /// An activation whose calibrated magnitude is at most M gets scale
    /// s = activationBits − ⌈log2 M⌉, so M · 2^s ≤ 2^activationBits; after each
    /// rescale it is clamped to ±(2^(activationBits+1) − 1) when the interval
    /// analysis cannot prove it stays there (saturation at 2–4× the calibrated range).
    public var activationBits = 16
    /// The same for the model inputs (which are clamped to ±(2^(inputBits+1) − 1)).
    public var inputBits = 20
    /// Bits for an input read directly by a tree ensemble: its thresholds are
    /// compared with the input itself, so a fine grid makes more decisions exact
    /// (with s = treeInputBits − ⌈log2 M⌉, every float32 value of magnitude
    /// ≥ 2^(⌈log2 M⌉ + 23 − treeInputBits) lies on it, and every integer does).
    public var treeInputBits = 30
    /// A weight tensor whose largest magnitude is W gets scale weightBits − ⌈log2 W⌉.
    public var weightBits = 16
    /// Bits for a Scaler's per-feature scale vector, whose entries can span many
    /// orders of magnitude (1/σ of features as different as an amount and a flag):
    /// its product with the input is exact, so only the weight rounding matters.
    public var scalerWeightBits = 32
    /// Table input scales: sigmoid on [−16, 16) at 2^−11, tanh on [−8, 8) and
    /// exp on (−16, 0] at 2^−12 (2^16 entries each).
    public var sigmoidInputScale = 11
    public var tanhInputScale = 12
    public var expInputScale = 12
    /// Output scale of every table (probabilities to 2^−16).
    public var tableOutputScale = 16
    /// LeakyRelu's alpha is approximated by numerator / 2^leakyReluShift.
    public var leakyReluShift = 16

    public init() {}
}
