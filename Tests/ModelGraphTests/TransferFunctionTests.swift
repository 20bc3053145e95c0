import BigNumber
import Testing
@testable import ModelGraph

/// Each operation's interval transfer function contains every result the
/// integer kernel produces, on random inputs over random clamp ranges.
@Suite struct TransferFunctionTests {
    enum Case: String, CaseIterable {
        case relu, leakyRelu, abs, affine, rescale, divideByConstant, greaterThan, argMax, reduceSum, reduceMax
        case sqrtFloor, square, mul, sub, oneHot, mulWeight, addWeight, dense, divide, gather, concat
    }

    @Test(arguments: Case.allCases)
    func containsEveryResult(which: Case) throws {
        var g = SplitMix(seed: UInt64(which.rawValue.hashValue.magnitude % 1000))
        for _ in 0..<30 {
            let positive = which == .sqrtFloor
            let lo = positive ? g.nextInt(in: 0...1000) : g.nextInt(in: -(1 << 30)...0)
            let hi = lo + g.nextInt(in: 0...(1 << 30))
            let bound = g.nextInt(in: 1...(1 << 12))
            let x = QTensor(name: "x", shape: [1, 6], scale: 8)
            var tensors = [x, QTensor(name: "c", shape: [1, 6], scale: 8)]
            var weights = [WeightSpec(name: "W", role: .weights, shape: [6, 3], scale: 8, lower: -bound, upper: bound),
                           WeightSpec(name: "v", role: .weights, shape: [6], scale: 8, lower: -bound, upper: bound)]
            var steps = [QStep(op: .clamp(lo: lo, hi: hi), inputs: [0], output: 1)]
            func add(_ op: QOp, _ inputs: [Int], _ shape: [Int]) {
                tensors.append(QTensor(name: "y\(tensors.count)", shape: shape, scale: 8))
                steps.append(QStep(op: op, inputs: inputs, output: tensors.count - 1))
            }
            switch which {
            case .relu: add(.relu, [1], [1, 6])
            case .leakyRelu: add(.leakyRelu(numerator: g.nextInt(in: 0...70000), shift: 16), [1], [1, 6])
            case .abs: add(.abs, [1], [1, 6])
            case .affine: add(.affine(multiplier: g.nextInt(in: -9...9), offset: g.nextInt(in: -99...99)), [1], [1, 6])
            case .rescale: add(.rescale(shift: Int(g.nextInt(in: 1...20))), [1], [1, 6])
            case .divideByConstant: add(.divideByConstant(divisors: [g.nextInt(in: 1...9), g.nextInt(in: 1...99), 3]), [1], [1, 6])
            case .greaterThan: add(.greaterThan(threshold: g.nextInt(in: lo...hi)), [1], [1, 6])
            case .argMax: add(.argMax(axis: 1, keepDims: false, selectLast: false), [1], [1])
            case .reduceSum: add(.reduceSum(axis: 1), [1], [1, 1])
            case .reduceMax: add(.reduceMax(axis: 1), [1], [1, 1])
            case .sqrtFloor: add(.sqrtFloor, [1], [1, 6])
            case .square: add(.mul, [1, 1], [1, 6])
            case .mul:
                add(.affine(multiplier: -3, offset: 7), [1], [1, 6])
                add(.mul, [1, 2], [1, 6])
            case .sub:
                add(.affine(multiplier: 2, offset: -5), [1], [1, 6])
                add(.sub, [1, 2], [1, 6])
            case .oneHot: add(.oneHot(categories: [lo, hi, (lo + hi) / 2]), [1], [1, 6, 3])
            case .mulWeight: add(.mulWeight(1), [1], [1, 6])
            case .addWeight: add(.addWeight(1), [1], [1, 6])
            case .dense: add(.dense(weight: 0, bias: nil), [1], [1, 3])
            case .divide:
                add(.abs, [1], [1, 6])
                add(.reduceSum(axis: 1), [2], [1, 1])
                add(.divide(shift: 16), [1, 3], [1, 6])
            case .gather: add(.gather(axis: 1, indices: [5, 0, -1], indicesShape: [3]), [1], [1, 3])
            case .concat: add(.concat(axis: 1), [1, 1], [1, 12])
            }
            weights[0].lower = -bound
            let a = QuantizedArchitecture(inputs: [QInput(name: "x", tensor: 0, sampleShape: [6])],
                                          outputs: [QOutput(name: "y", tensor: tensors.count - 1, sampleShape: [])],
                                          tensors: tensors, weights: weights, tables: [], steps: steps)
            try a.validate()
            let analysis = try IntervalAnalysis(a)
            for _ in 0..<20 {
                let values = [(0..<18).map { _ in g.nextInt(in: -bound...bound) }, (0..<6).map { _ in g.nextInt(in: -bound...bound) }]
                let model = QuantizedModel(architecture: a, weights: QuantizedWeights(values: values),
                                           report: QuantizationReport(options: QuantizationOptions(), calibrationSamples: 0,
                                                                      maxBits: 0, maxBitsAt: "", clampedCalibrationValues: 0))
                // Inputs inside, at and beyond the clamp range.
                let input = IntTensor(shape: [1, 6], scalars: (0..<6).map { i in
                    [lo, hi, g.nextInt(in: lo...hi), lo - 5, hi + 5, g.nextInt(in: -(1 << 40)...(1 << 40))][(i + Int(g.next() % 6)) % 6]
                })
                let all = try IntegerEvaluator(model: model).runAll([input])
                for step in a.steps {
                    let b = analysis.bounds[step.output]
                    for v in all[step.output].scalars {
                        #expect(b.lower <= BigInt(Int(v)) && BigInt(Int(v)) <= b.upper, "\(which): \(v) outside \(b)")
                    }
                }
            }
        }
    }
}
