import Testing
@testable import ModelGraph

/// The float reference against onnxruntime on every fixture.
@Suite struct FloatEvaluatorTests {
    @Test(arguments: Fixtures.all)
    func matchesOnnxruntime(name: String) throws {
        let fixture = try Fixtures.load(name)
        #expect(ModelCSV.outputHeader(fixture.graph) == fixture.referenceHeader)
        let evaluator = FloatEvaluator(graph: fixture.graph)
        var worst = 0.0
        for (sample, expected) in zip(fixture.samples, fixture.reference) {
            let got = try evaluator.run(sample).flatMap(\.scalars)
            #expect(got.count == expected.count)
            for (g, e) in zip(got, expected) {
                // onnxruntime computes in float32: relative 1e-5 (absolute below 1); measured ≤ 2.2e-6.
                worst = max(worst, abs(g - e) / max(1, abs(e)))
            }
        }
        #expect(worst < 1e-5, "\(name): worst relative difference \(worst)")
    }
}
