import BigNumber

/// A closed integer interval, exact (BigInt bounds).
public struct Interval: Sendable, Equatable, CustomStringConvertible {
    public var lower: BigInt
    public var upper: BigInt

    public init(_ lower: BigInt, _ upper: BigInt) {
        self.lower = lower
        self.upper = upper
    }

    init(int64 lower: Int64, _ upper: Int64) { self.init(BigInt(Int(lower)), BigInt(Int(upper))) }

    /// The larger magnitude of the two bounds.
    public var magnitude: BigInt { BigInt.max(lower.magnitude, upper.magnitude) }
    /// Bits of the largest magnitude (sign excluded).
    public var bits: Int { magnitude.bitWidth }
    public var description: String { "[\(lower), \(upper)]" }

    static func + (a: Interval, b: Interval) -> Interval { Interval(a.lower + b.lower, a.upper + b.upper) }
    static func - (a: Interval, b: Interval) -> Interval { Interval(a.lower - b.upper, a.upper - b.lower) }
    static func * (a: Interval, b: Interval) -> Interval {
        let p = [a.lower * b.lower, a.lower * b.upper, a.upper * b.lower, a.upper * b.upper]
        return Interval(p.min()!, p.max()!)
    }
    func scaled(_ k: BigInt) -> Interval { self * Interval(k, k) }
    func union(_ o: Interval) -> Interval { Interval(BigInt.min(lower, o.lower), BigInt.max(upper, o.upper)) }
    /// Symmetric interval ±magnitude.
    var symmetric: Interval { Interval(-magnitude, magnitude) }
}

/// Bounds every tensor and every intermediate of a quantized program over
/// all inputs (inputs may be anything inside ±2^62; the program clamps them),
/// using only the architecture: weights are bounded by their specs' public
/// bounds, never by their values. It proves that no value reaches 2^62 in
/// magnitude, so nothing wraps modulo the Goldilocks prime.
public struct IntervalAnalysis: Sendable {
    /// Bound of every tensor, indexed by `QTensorID`.
    public var bounds: [Interval]
    /// Per step, the largest magnitude reached inside it (accumulators,
    /// rounding offsets, comparison differences), at least its output's.
    public var stepMagnitudes: [BigInt]
    /// Bits of the largest magnitude of any intermediate (sign excluded),
    /// not counting the steps that read a raw input (raw inputs are assumed
    /// inside ±2^61, so clamping them compares 62-bit values).
    public var maxBits: Int
    /// Which step reaches `maxBits`: its output tensor's name and operation.
    public var maxBitsAt: String

    /// The bound every value must stay strictly below, in magnitude.
    public static let limit = BigInt.powerOfTwo(62)

    /// The range assumed for a raw model input (the circuit range-checks it).
    public static let inputBound = Interval(-(BigInt.powerOfTwo(61) - .one), BigInt.powerOfTwo(61) - .one)

    /// Analyses the program; throws `.quantization` if a value can reach ±2^62
    /// or a step's precondition (table domain, divisor sign) cannot be proved.
    public init(_ a: QuantizedArchitecture) throws {
        var bounds = [Interval](repeating: Interval(int64: 0, 0), count: a.tensors.count)
        for input in a.inputs { bounds[input.tensor] = IntervalAnalysis.inputBound }
        var magnitudes: [BigInt] = []
        var maxBits = 0
        var maxAt = "(no steps)"
        for step in a.steps {
            let (out, inner) = try IntervalAnalysis.transfer(step, bounds, a)
            bounds[step.output] = out
            let m = BigInt.max(out.magnitude, inner)
            magnitudes.append(m)
            let name = a.tensors[step.output].name
            guard m < IntervalAnalysis.limit else {
                throw ModelError(.quantization, "tensor '\(name)' (\(Self.opName(step.op))) can reach magnitude \(m), beyond 2^62: the field would wrap")
            }
            // Steps reading a raw input (its clamp) compare values of up to 62 bits by
            // construction; maxBits describes the rest of the program.
            let readsRawInput = step.inputs.contains { id in a.inputs.contains { $0.tensor == id } }
            if !readsRawInput, m.bitWidth > maxBits { maxBits = m.bitWidth; maxAt = "'\(name)' (\(Self.opName(step.op)))" }
        }
        self.bounds = bounds
        stepMagnitudes = magnitudes
        self.maxBits = maxBits
        maxBitsAt = maxAt
    }

    static func opName(_ op: QOp) -> String { String("\(op)".prefix { $0 != "(" }) }

    static func weightBound(_ a: QuantizedArchitecture, _ w: Int) -> Interval {
        Interval(int64: a.weights[w].lower, a.weights[w].upper)
    }

    /// (output bound, largest intermediate magnitude) of one step.
    static func transfer(_ step: QStep, _ b: [Interval], _ a: QuantizedArchitecture) throws -> (Interval, BigInt) {
        let x = step.inputs.map { b[$0] }
        let zero = BigInt.zero
        func fail(_ message: String) -> ModelError {
            ModelError(.quantization, "tensor '\(a.tensors[step.output].name)': \(message)")
        }
        switch step.op {
        case .clamp(let lo, let hi):
            let l = BigInt(Int(lo)), h = BigInt(Int(hi))
            func clamp(_ v: BigInt) -> BigInt { BigInt.min(BigInt.max(v, l), h) }
            // The comparisons x − lo and hi − x.
            let differences = BigInt.max((x[0] - Interval(l, l)).magnitude, (Interval(h, h) - x[0]).magnitude)
            return (Interval(clamp(x[0].lower), clamp(x[0].upper)), differences)
        case .dense(let w, let bias):
            let k = BigInt(a.weights[w].shape[0])
            let products = (x[0] * weightBound(a, w)).magnitude * k
            var out = Interval(-products, products)
            if let bias { out = out + weightBound(a, bias) }
            return (out, out.magnitude)
        case .conv(let w, let bias, _, _):
            let shape = a.weights[w].shape
            let k = BigInt(shape[1] * shape[2] * shape[3])
            let products = (x[0] * weightBound(a, w)).magnitude * k
            var out = Interval(-products, products)
            if let bias { out = out + weightBound(a, bias) }
            return (out, out.magnitude)
        case .weight(let w): return (weightBound(a, w), zero)
        case .addWeight(let w): return (x[0] + weightBound(a, w), zero)
        case .mulWeight(let w): return (x[0] * weightBound(a, w), zero)
        case .add: return (x[0] + x[1], zero)
        case .sub: return (x[0] - x[1], zero)
        case .mul:
            if step.inputs[0] == step.inputs[1] {   // a square is never negative
                let m = x[0].magnitude
                let low = x[0].lower > zero ? x[0].lower * x[0].lower : (x[0].upper < zero ? x[0].upper * x[0].upper : zero)
                return (Interval(low, m * m), zero)
            }
            return (x[0] * x[1], zero)
        case .affine(let m, let o):
            let scaled = x[0].scaled(BigInt(Int(m)))
            return (scaled + Interval(int64: o, o), scaled.magnitude)
        case .rescale(let k):
            let half = BigInt.powerOfTwo(k - 1), div = BigInt.powerOfTwo(k)
            let shifted = x[0] + Interval(half, half)
            return (Interval(shifted.lower.floorDivided(by: div), shifted.upper.floorDivided(by: div)), shifted.magnitude)
        case .divideByConstant(let divisors):
            guard divisors.allSatisfy({ $0 >= 1 }) else { throw fail("divisor below 1") }
            var out: Interval?
            var inner = zero
            for d in Set(divisors) {
                let bd = BigInt(Int(d))
                let num = x[0].scaled(BigInt(2)) + Interval(bd, bd)
                inner = BigInt.max(inner, BigInt.max(num.magnitude, x[0].magnitude * BigInt(2)))
                let r = Interval(num.lower.floorDivided(by: bd * BigInt(2)), num.upper.floorDivided(by: bd * BigInt(2)))
                out = out.map { $0.union(r) } ?? r
            }
            return (out ?? x[0], inner)
        case .relu:
            return (Interval(BigInt.max(x[0].lower, zero), BigInt.max(x[0].upper, zero)), x[0].magnitude)
        case .leakyRelu(let num, let k):
            guard num >= 0 else { throw fail("negative LeakyRelu slope") }
            // Monotone for a slope ≥ 0: the bounds are the images of the bounds.
            let half = BigInt.powerOfTwo(k - 1), div = BigInt.powerOfTwo(k)
            func f(_ v: BigInt) -> BigInt { v >= zero ? v : (v * BigInt(Int(num)) + half).floorDivided(by: div) }
            let product = BigInt.min(x[0].lower, zero) * BigInt(Int(num))
            return (Interval(f(x[0].lower), f(x[0].upper)), product.magnitude + half)
        case .lookup(let t):
            let table = a.tables[t]
            guard x[0].lower >= BigInt(Int(table.domainStart)), x[0].upper <= BigInt(Int(table.domainEnd)) else {
                throw fail("input \(x[0]) is not inside the \(table.function) table's domain [\(table.domainStart), \(table.domainEnd)]")
            }
            return (Interval(int64: table.values.min() ?? 0, table.values.max() ?? 0), zero)
        case .maxPool: return (x[0], (x[0] - x[0]).magnitude)   // comparisons of two window values
        case .sumPool(let g):
            let n = BigInt(g.kernel[0] * g.kernel[1])
            let out = Interval(BigInt.min(x[0].lower * n, x[0].lower), BigInt.max(x[0].upper * n, x[0].upper))
            return (out, out.magnitude)
        case .reduceSum(let axis):
            let n = BigInt(a.tensors[step.inputs[0]].shape[axis])
            let out = Interval(BigInt.min(x[0].lower * n, x[0].lower), BigInt.max(x[0].upper * n, x[0].upper))
            return (out, out.magnitude)
        case .reduceMax: return (x[0], (x[0] - x[0]).magnitude)
        case .divide(let k):
            guard x[1].lower >= zero else { throw fail("the divisor may be negative (\(x[1]))") }
            let one = BigInt.powerOfTwo(k)
            let inner = x[0].magnitude * BigInt.powerOfTwo(k + 1) + x[1].magnitude
            return (Interval(x[0].lower >= zero ? zero : -one, x[0].upper <= zero ? zero : one), inner)
        case .abs:
            return (Interval(x[0].lower >= zero ? x[0].lower : (x[0].upper <= zero ? -x[0].upper : zero), x[0].magnitude), zero)
        case .sqrtFloor:
            guard x[0].lower >= zero else { throw fail("square root of a possibly negative value \(x[0])") }
            func isqrt(_ v: BigInt) -> BigInt {
                if let i = v.asInt { return BigInt(Int(IntegerKernels.isqrt(Int64(i)))) }
                return v   // unreachable below 2^62; a safe over-approximation otherwise
            }
            return (Interval(isqrt(x[0].lower), isqrt(x[0].upper)), zero)
        case .argMax(let axis, _, _):
            let n = a.tensors[step.inputs[0]].shape[axis]
            return (Interval(int64: 0, Int64(max(n - 1, 0))), (x[0] - x[0]).magnitude)
        case .greaterThan(let t):
            return (Interval(int64: 0, 1), (x[0] - Interval(int64: t, t)).magnitude)
        case .oneHot(let categories):
            let c = Interval(int64: categories.min() ?? 0, categories.max() ?? 0)
            return (Interval(int64: 0, 1), (x[0] - c).magnitude)
        case .gather, .reshape: return (x[0], zero)
        case .concat: return (x.dropFirst().reduce(x[0]) { $0.union($1) }, zero)
        case .treeEnsemble(let e):
            let t = BigInt(e.treeCount)
            let leaves = weightBound(a, e.leaves)
            let comparison = (x[0] - weightBound(a, e.thresholds)).magnitude
            let out = Interval(BigInt.min(leaves.lower * t, zero), BigInt.max(leaves.upper * t, zero))
            return (out, BigInt.max(comparison, out.magnitude))
        }
    }
}
