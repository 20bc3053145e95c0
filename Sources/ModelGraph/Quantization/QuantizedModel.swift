/// A quantized model: a straight-line program of integer operations on
/// tensors (`architecture`, public) and the integer weights it reads
/// (`weights`, private). The circuit reproduces `IntegerEvaluator` on it bit
/// for bit; docs/models.md restates every operation's semantics.
public struct QuantizedModel: Sendable {
    public var architecture: QuantizedArchitecture
    public var weights: QuantizedWeights
    /// How the scales were chosen and what the interval analysis proved.
    public var report: QuantizationReport
    /// The calibration's measurements, to quantize the same graph identically
    /// later without the data (`Quantizer.quantize(_:profile:)`); nil for a
    /// model built by other means.
    public var calibrationProfile: CalibrationProfile?

    public init(architecture: QuantizedArchitecture, weights: QuantizedWeights, report: QuantizationReport,
                calibrationProfile: CalibrationProfile? = nil) {
        self.architecture = architecture
        self.weights = weights
        self.report = report
        self.calibrationProfile = calibrationProfile
    }
}

/// Everything about a quantized model except its weight values: tensors with
/// shapes and scales, the program, the weight tensors' shapes, scales and
/// public bounds, and the lookup tables. The verifying key depends only on this.
public struct QuantizedArchitecture: Sendable, Equatable {
    public var inputs: [QInput]
    public var outputs: [QOutput]
    /// Every tensor of the program, indexed by `QTensorID`.
    public var tensors: [QTensor]
    public var weights: [WeightSpec]
    public var tables: [LookupTable]
    /// In execution order; each step writes a new tensor (SSA).
    public var steps: [QStep]

    public init(inputs: [QInput], outputs: [QOutput], tensors: [QTensor], weights: [WeightSpec],
                tables: [LookupTable], steps: [QStep]) {
        self.inputs = inputs
        self.outputs = outputs
        self.tensors = tensors
        self.weights = weights
        self.tables = tables
        self.steps = steps
    }
}

public typealias QTensorID = Int

/// A tensor of the program: its shape (batch of one) and scale. The real value
/// of an entry q is q / 2^scale.
public struct QTensor: Sendable, Equatable {
    /// The ONNX value it stands for, or a derived name for internal tensors.
    public var name: String
    public var shape: [Int]
    public var scale: Int
    public var count: Int { shape.reduce(1, *) }

    public init(name: String, shape: [Int], scale: Int) {
        self.name = name
        self.shape = shape
        self.scale = scale
    }
}

/// A model input: the program tensor that holds it. The caller quantizes the
/// real input x to q = ⌊x · 2^scale + 1/2⌋ (`FixedPoint.quantize`); the program
/// then clamps it (an explicit `clamp` step).
public struct QInput: Sendable, Equatable {
    public var name: String
    public var tensor: QTensorID
    public var sampleShape: [Int]
}

/// A model output: the program tensor that holds it; its real value is q / 2^scale
/// (labels and indices have scale 0).
public struct QOutput: Sendable, Equatable {
    public var name: String
    public var tensor: QTensorID
    public var sampleShape: [Int]
}

/// A weight tensor's public description. The circuit range-checks every entry
/// to `lower...upper`; the interval analysis relies on those bounds only, never
/// on the values.
public struct WeightSpec: Sendable, Equatable {
    public enum Role: String, Sendable { case weights, bias, thresholds, features, leaves, constant }
    public var name: String
    public var role: Role
    public var shape: [Int]
    public var scale: Int
    public var lower: Int64
    public var upper: Int64
    public var count: Int { shape.reduce(1, *) }
}

/// A public lookup table: entry i is the output for input `domainStart + i`.
/// Inputs outside the domain are a program error (the quantizer always clamps first).
public struct LookupTable: Sendable, Equatable {
    /// `sigmoid`, `tanh`, `exp` or `labels` (a class-label map).
    public var function: String
    public var inputScale: Int
    public var outputScale: Int
    public var domainStart: Int64
    public var values: [Int64]
    public var domainEnd: Int64 { domainStart + Int64(values.count) - 1 }
}

/// The private part: one integer array per `WeightSpec`, row-major.
public struct QuantizedWeights: Sendable, Equatable {
    public var values: [[Int64]]
}

/// One program step: `output = op(inputs)`.
public struct QStep: Sendable, Equatable {
    public var op: QOp
    public var inputs: [QTensorID]
    public var output: QTensorID
}

/// The operations of the quantized program. All arithmetic is exact on
/// integers; ⌊·⌋ is floor (toward −∞). Shapes follow the output tensor.
/// Broadcasting (for `add`, `sub`, `mul`, `addWeight`, `mulWeight`, `divide`)
/// is numpy's, aligned on trailing axes.
public enum QOp: Sendable, Equatable {
    /// y = min(max(x, lo), hi).
    case clamp(lo: Int64, hi: Int64)
    /// y[r, n] = b[n] + Σ_k x[r, k] · W[k, n] over the last axis of x; W is a
    /// weight [K, N], b a weight [N] at scale(x) + scale(W). Output scale:
    /// scale(x) + scale(W).
    case dense(weight: Int, bias: Int?)
    /// 2-D convolution on x [1, C, H, W] with weight W [O, C/group, kh, kw] and
    /// bias b [O]: y[0, o, i, j] = b[o] + Σ_{c, u, v} x[0, g·C/group + c, i·sh +
    /// u·dh − pt, j·sw + v·dw − pl] · W[o, c, u, v], g = o / (O/group), padding
    /// positions contributing 0. Output scale: scale(x) + scale(W).
    case conv(weight: Int, bias: Int?, geometry: WindowGeometry, group: Int)
    /// y = W, a weight tensor used as a value.
    case weight(Int)
    /// y = x + W (broadcast); W has x's scale.
    case addWeight(Int)
    /// y = x · W (broadcast); output scale scale(x) + scale(W).
    case mulWeight(Int)
    /// y = a + b (broadcast, equal scales).
    case add
    /// y = a − b (broadcast, equal scales).
    case sub
    /// y = a · b (broadcast); output scale scale(a) + scale(b).
    case mul
    /// y = multiplier · x + offset, public integers.
    case affine(multiplier: Int64, offset: Int64)
    /// y = ⌊(x + 2^(shift−1)) / 2^shift⌋, shift ≥ 1: rounding half up to
    /// scale(x) − shift.
    case rescale(shift: Int)
    /// y = ⌊(2x + d) / (2d)⌋ with d = divisors[i mod divisors.count] for the i-th
    /// element (the divisors cover the trailing axes); every d ≥ 1 and public:
    /// x / d rounded half up. Scale unchanged.
    case divideByConstant(divisors: [Int64])
    /// y = max(x, 0).
    case relu
    /// y = x if x ≥ 0, else ⌊(x · numerator + 2^(shift−1)) / 2^shift⌋
    /// (alpha ≈ numerator / 2^shift).
    case leakyRelu(numerator: Int64, shift: Int)
    /// y = tables[table].values[x − domainStart]; x must be inside the domain.
    /// Output scale: the table's output scale.
    case lookup(table: Int)
    /// y = the maximum of x over each pooling window's positions inside the
    /// input (padding never contributes). x is [1, C, H, W].
    case maxPool(geometry: WindowGeometry)
    /// y = the sum of x over each pooling window's positions inside the input.
    case sumPool(geometry: WindowGeometry)
    /// y = Σ of x along `axis`, keeping the axis with size 1.
    case reduceSum(axis: Int)
    /// y = max of x along `axis`, keeping the axis with size 1.
    case reduceMax(axis: Int)
    /// y = 0 if d = 0, else ⌊(n · 2^(shift+1) + d) / (2d)⌋: n / d · 2^shift rounded
    /// half up, with n = input 0, d = input 1 (broadcast). Requires d ≥ 0 and
    /// |n| ≤ d (the quantizer only divides a value by a sum or norm that
    /// dominates it), so |y| ≤ 2^shift. Output scale: scale(n) − scale(d) + shift.
    case divide(shift: Int)
    /// y = |x|.
    case abs
    /// y = ⌊√x⌋, x ≥ 0. Output scale: scale(x) / 2 (scale(x) is even).
    case sqrtFloor
    /// Index of the first (or last, with `selectLast`) maximum along `axis`; scale 0.
    case argMax(axis: Int, keepDims: Bool, selectLast: Bool)
    /// y = 1 if x > threshold else 0; scale 0.
    case greaterThan(threshold: Int64)
    /// Appends an axis: y[..., j] = 1 if x[...] = categories[j] else 0; scale 0.
    case oneHot(categories: [Int64])
    /// Selects `indices` along `axis` (numpy take with public indices).
    case gather(axis: Int, indices: [Int], indicesShape: [Int])
    /// Same values, new shape.
    case reshape(shape: [Int])
    /// Concatenation along `axis` (equal scales).
    case concat(axis: Int)
    /// Sum of tree leaves; see `QTreeEnsemble`.
    case treeEnsemble(QTreeEnsemble)
}

/// A tree ensemble with every tree padded to a complete binary tree of depth
/// `depth` (nodes in heap order: children of i are 2i+1 and 2i+2), so that its
/// shape reveals only (trees, depth, features, outputs).
///
/// For input x (the last axis holds `featureCount` features) and each tree t:
/// start at i = 0; `depth` times do i = (x[f] ≤ T ? 2i+1 : 2i+2) with
/// f = features[t, i], T = thresholds[t, i]; then add leaves[t, i − (2^depth − 1), c]
/// to y[c] for every output c. y has shape [1, outputCount] and the leaves' scale.
/// Weights: `features` [trees, 2^depth − 1] (bounds 0…featureCount−1),
/// `thresholds` [trees, 2^depth − 1] at x's scale, `leaves` [trees, 2^depth, outputs].
public struct QTreeEnsemble: Sendable, Equatable {
    public var treeCount: Int
    public var depth: Int
    public var featureCount: Int
    public var outputCount: Int
    public var features: Int
    public var thresholds: Int
    public var leaves: Int
}

/// What quantization chose and measured.
public struct QuantizationReport: Sendable, Equatable {
    /// Options the scales were derived from.
    public var options: QuantizationOptions
    public var calibrationSamples: Int
    /// Largest bit width (of |value|, sign excluded) any intermediate can reach.
    public var maxBits: Int
    /// Where that bound is reached (a tensor name and the step's operation).
    public var maxBitsAt: String
    /// Number of inputs and activations that the calibration saw beyond their
    /// clamp range (0 means no sample was clamped).
    public var clampedCalibrationValues: Int
}
