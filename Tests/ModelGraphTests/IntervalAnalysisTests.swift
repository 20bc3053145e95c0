import BigNumber
import Testing
@testable import ModelGraph

@Suite struct IntervalAnalysisTests {
    /// input [1, 4] → clamp ±2^b → dense with |W| ≤ 2^w (K = 4) → …
    func program(clampBits: Int, weightBits: Int, extra: [QStep] = [], tables: [LookupTable] = []) -> QuantizedArchitecture {
        let bound = (Int64(1) << Int64(clampBits)) - 1
        let w = (Int64(1) << Int64(weightBits)) - 1
        var tensors = [QTensor(name: "x", shape: [1, 4], scale: 8), QTensor(name: "clamped", shape: [1, 4], scale: 8),
                       QTensor(name: "acc", shape: [1, 2], scale: 16)]
        tensors += extra.map { _ in QTensor(name: "extra", shape: [1, 2], scale: 16) }
        return QuantizedArchitecture(
            inputs: [QInput(name: "x", tensor: 0, sampleShape: [4])], outputs: [QOutput(name: "y", tensor: tensors.count - 1, sampleShape: [2])],
            tensors: tensors,
            weights: [WeightSpec(name: "W", role: .weights, shape: [4, 2], scale: 8, lower: -w, upper: w)],
            tables: tables,
            steps: [QStep(op: .clamp(lo: -bound, hi: bound), inputs: [0], output: 1),
                    QStep(op: .dense(weight: 0, bias: nil), inputs: [1], output: 2)] + extra)
    }

    @Test func boundsFollowTheDeclaredWeightBounds() throws {
        let a = try IntervalAnalysis(program(clampBits: 20, weightBits: 10))
        // |acc| ≤ K · max|x| · max|W| = 4 · (2^20 − 1) · (2^10 − 1), computed independently.
        let expected = BigInt(4) * (BigInt.powerOfTwo(20) - .one) * (BigInt.powerOfTwo(10) - .one)
        #expect(a.bounds[2] == Interval(-expected, expected))
        #expect(a.maxBits == expected.bitWidth)
    }

    @Test func wrapAroundIsRefused() throws {
        // 4 · 2^40 · 2^30 ≥ 2^62: the field could wrap.
        let error = try #require(throws: ModelError.self) { try IntervalAnalysis(program(clampBits: 40, weightBits: 30)) }
        #expect(error.kind == .quantization)
        #expect(error.message.contains("'acc'"))
        #expect(error.message.contains("beyond 2^62"))
        // Just below the limit is accepted: 4 · (2^30 − 1) · (2^30 − 1) < 2^62.
        #expect(throws: Never.self) { try IntervalAnalysis(program(clampBits: 30, weightBits: 30)) }
    }

    @Test func tableDomainMustBeProved() throws {
        let table = LookupTables.sigmoid(inputScale: 11, outputScale: 16)
        let lookup = QStep(op: .lookup(table: 0), inputs: [2], output: 3)
        let unclamped = program(clampBits: 20, weightBits: 10, extra: [lookup], tables: [table])
        #expect(throws: ModelError.self) { try IntervalAnalysis(unclamped) }
        let clamp = QStep(op: .clamp(lo: table.domainStart, hi: table.domainEnd), inputs: [2], output: 3)
        let safe = program(clampBits: 20, weightBits: 10, extra: [clamp, QStep(op: .lookup(table: 0), inputs: [3], output: 4)], tables: [table])
        let analysis = try IntervalAnalysis(safe)
        #expect(analysis.bounds[4] == Interval(BigInt(Int(table.values.min()!)), BigInt(Int(table.values.max()!))))
    }

    /// Weights outside their declared bounds are refused (the circuit range-checks them;
    /// the analysis relies on it).
    @Test func weightsOutsideDeclaredBoundsAreRefused() throws {
        let a = program(clampBits: 20, weightBits: 10)
        let good = QuantizedModel(architecture: a, weights: QuantizedWeights(values: [[1, -2, 3, 1023, -1023, 0, 5, 6]]),
                                  report: QuantizationReport(options: QuantizationOptions(), calibrationSamples: 0, maxBits: 0,
                                                             maxBitsAt: "", clampedCalibrationValues: 0))
        #expect(throws: Never.self) { try good.validate() }
        var bad = good
        bad.weights.values[0][3] = 1024
        #expect(throws: ModelError.self) { try bad.validate() }
        #expect(throws: ModelError.self) { try IntegerEvaluator(model: bad).run([IntTensor(shape: [1, 4], scalars: [1, 2, 3, 4])]) }
    }
}

@Suite struct SignatureTests {
    @Test func classifiersAndNets() throws {
        let logreg = try Fixtures.load("credit_logreg").graph.signature
        #expect(logreg.inputs.map(\.shape) == [[20]])
        #expect(logreg.outputs.map(\.shape) == [[], [2]])
        #expect(logreg.labelOutput == 0)
        #expect(logreg.scoresOutput == 1)
        let lenet = try Fixtures.load("lenet5").graph.signature
        #expect(lenet.inputs.map(\.shape) == [[1, 28, 28]])
        #expect(lenet.outputs.map(\.shape) == [[10]])
        #expect(lenet.labelOutput == nil)
        #expect(lenet.scoresOutput == 0)
        let regressor = try Fixtures.load("iris_linreg").graph.signature
        #expect(regressor.outputs.map(\.shape) == [[1]])
        let dense = try Fixtures.load("ops_dense").graph.signature
        #expect(dense.labelOutput == 0 && dense.scoresOutput == 1)
    }
}
