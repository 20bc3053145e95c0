/// A supported operator with its attributes resolved and checked. Constant
/// operands that shape the computation (Reshape's shape, Squeeze's axes, …)
/// are folded in here; numeric constant operands (weights) stay node inputs.
///
/// The float semantics of each case are those of ONNX (default domain opset
/// 7–21, ai.onnx.ml opset 1–3) as implemented by onnxruntime's CPU kernels,
/// which the fixtures are checked against; `FloatEvaluator` is the reference.
public enum Operation: Sendable {
    /// Y = alpha · A' · B' + beta · C, A' = transA ? Aᵀ : A (rank-2 operands).
    case gemm(alpha: Double, beta: Double, transA: Bool, transB: Bool)
    /// numpy matmul; the second operand must be rank 2 (or 1).
    case matMul
    case add, sub, mul, div
    case relu
    case leakyRelu(alpha: Double)
    case sigmoid, tanh
    /// Softmax along `axis`; with `legacy` (opset < 13) over all axes from `axis` on.
    case softmax(axis: Int, legacy: Bool)
    /// Index of the largest value along `axis` (first one unless `selectLast`).
    case argMax(axis: Int, keepDims: Bool, selectLast: Bool)
    /// Reshapes to [prod(dims[..<axis]), prod(dims[axis...])].
    case flatten(axis: Int)
    /// Target shape with ONNX's 0 (copy, unless allowZero) and −1 (infer) entries.
    case reshape(shape: [Int64], allowZero: Bool)
    /// Removes the listed axes (all size-1 axes when nil).
    case squeeze(axes: [Int]?)
    case unsqueeze(axes: [Int])
    case concat(axis: Int)
    case identity
    /// Conversion; to a floating type is the identity, to an integer type truncates toward zero.
    case cast(to: ElementType)
    /// Selects along `axis` of input 0 at the indices of input 1 (negative indices count from the end).
    case gather(axis: Int)
    /// The shape of the input as a 1-D int64 tensor (always folded to a constant).
    case shape(start: Int, end: Int?)
    case conv(ConvGeometry)
    case maxPool(PoolGeometry)
    case averagePool(PoolGeometry, countIncludePad: Bool)
    case globalAveragePool
    /// y = scale · (x − mean) / sqrt(var + epsilon) + bias, per channel (axis 1).
    case batchNormalization(epsilon: Double)
    /// ai.onnx.ml: selects entries of the last axis of X (input 0) at indices (input 1).
    case arrayFeatureExtractor
    /// ai.onnx.ml: y = (x − offset) · scale along the last axis.
    case scaler(offset: [Double], scale: [Double])
    /// ai.onnx.ml: divides each row by its MAX, L1 or L2 norm (rows of norm 0 pass unchanged).
    case normalizer(Norm)
    /// ai.onnx.ml: one-hot encoding of integer categories; appends an axis.
    case oneHotEncoder(categories: [Int64], zeros: Bool)
    case linearClassifier(LinearModel)
    case linearRegressor(LinearModel)
    case treeEnsemble(TreeEnsemble)

    public enum Norm: String, Sendable { case max = "MAX", l1 = "L1", l2 = "L2" }
}

/// Geometry of a 2-D convolution over NCHW tensors.
public struct ConvGeometry: Sendable, Equatable {
    public var kernel: [Int]          // [kh, kw]
    public var strides: [Int]         // [sh, sw]
    public var dilations: [Int]       // [dh, dw]
    /// [top, left, bottom, right] (ONNX order: begins then ends).
    public var pads: [Int]
    public var group: Int
    /// SAME_UPPER / SAME_LOWER padding, resolved against the input size at shape time.
    public var autoPad: String
}

/// Geometry of a 2-D pooling window.
public struct PoolGeometry: Sendable, Equatable {
    public var kernel: [Int]
    public var strides: [Int]
    public var pads: [Int]
    public var ceilMode: Bool
    public var autoPad: String
}

/// Post-processing of classifier and regressor scores (ai.onnx.ml).
public enum PostTransform: String, Sendable {
    case none = "NONE", logistic = "LOGISTIC", softmax = "SOFTMAX"
    case softmaxZero = "SOFTMAX_ZERO", probit = "PROBIT"
}

/// LinearClassifier / LinearRegressor: scores = X · coefficientsᵀ + intercepts.
public struct LinearModel: Sendable {
    /// [targets][features], row-major as in the attribute.
    public var coefficients: [Double]
    public var intercepts: [Double]
    public var targets: Int
    public var postTransform: PostTransform
    /// Class labels (classifier only; empty for a regressor).
    public var classLabels: [Int64]
}
