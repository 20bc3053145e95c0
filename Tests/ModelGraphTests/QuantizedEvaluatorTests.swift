import BigNumber
import Testing
@testable import ModelGraph

/// The quantized (circuit) semantics against onnxruntime on every fixture,
/// and the interval analysis against actual executions.
@Suite struct QuantizedEvaluatorTests {
    /// docs/models.md: |quantized − onnxruntime| ≤ 5e-3 · max(1, |onnxruntime|)
    /// per output value (measured ≤ 1.9e-3, on lenet5's logits), and the class
    /// decisions agree on at least 99% of rows (measured: all).
    static let bound = 5e-3

    @Test(arguments: Fixtures.all)
    func matchesOnnxruntime(name: String) throws {
        let fixture = try Fixtures.load(name)
        let model = try Quantizer().quantize(fixture.graph, calibration: fixture.samples)
        #expect(model.report.maxBits <= 62)
        #expect(model.report.clampedCalibrationValues == 0)
        let evaluator = IntegerEvaluator(model: model)
        var worst = 0.0
        var disagreements = 0
        for (sample, expected) in zip(fixture.samples, fixture.reference) {
            let got = try evaluator.run(real: sample).flatMap(\.scalars)
            #expect(got.count == expected.count)
            for (g, e) in zip(got, expected) { worst = max(worst, abs(g - e) / max(1, abs(e))) }
            if decision(got, fixture) != decision(expected, fixture) { disagreements += 1 }
        }
        #expect(worst <= Self.bound, "\(name): worst relative difference \(worst)")
        #expect(Double(disagreements) <= 0.01 * Double(fixture.samples.count), "\(name): \(disagreements) decisions differ")
    }

    /// The class decision of one output row: the label column of a classifier,
    /// else the argmax of the (single) score vector.
    func decision(_ row: [Double], _ fixture: Fixtures.Case) -> Int {
        if fixture.graph.outputs.count > 1 { return Int(row[0]) }
        var best = 0
        for i in row.indices where row[i] > row[best] { best = i }
        return best
    }

    /// Every tensor of every execution lies inside the interval the analysis
    /// proved, also for inputs far outside the calibration range (which the
    /// program clamps), and the analysis agrees with the builder's bounds.
    @Test(arguments: ["credit_mlp", "credit_gbt", "digits_cnn", "iris_logreg", "ops_dense", "ops_conv", "ops_ml", "onehot_logreg"])
    func executionsStayInsideTheIntervals(name: String) throws {
        let fixture = try Fixtures.load(name)
        let model = try Quantizer().quantize(fixture.graph, calibration: Array(fixture.samples.prefix(20)))
        let analysis = try IntervalAnalysis(model.architecture)
        let evaluator = IntegerEvaluator(model: model)
        var generator = SplitMix(seed: 42)
        var samples = Array(fixture.samples.prefix(10))
        for _ in 0..<6 {   // wild inputs: huge magnitudes of both signs
            samples.append(fixture.samples[0].map { t in t.map { _ in generator.nextDouble(in: -1e6...1e6) } })
        }
        for sample in samples {
            let quantized = try evaluator.quantize(sample)
            let all = try evaluator.runAll(quantized)
            for step in model.architecture.steps {
                let bound = analysis.bounds[step.output]
                for v in all[step.output].scalars {
                    #expect(bound.lower <= BigInt(Int(v)) && BigInt(Int(v)) <= bound.upper,
                            "\(name): \(model.architecture.tensors[step.output].name) = \(v) outside \(bound)")
                }
            }
        }
    }
}

/// A small deterministic generator for test inputs.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextDouble(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + Double(next() >> 11) / Double(1 << 53) * (range.upperBound - range.lowerBound)
    }
    mutating func nextInt(in range: ClosedRange<Int64>) -> Int64 {
        range.lowerBound + Int64(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
}
