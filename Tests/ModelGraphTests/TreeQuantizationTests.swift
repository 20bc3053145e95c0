import Foundation
import Testing
@testable import ModelGraph

/// Tree decisions in the quantized program equal the float ones for every
/// input on the quantization grid, whatever the comparison mode.
@Suite struct TreeQuantizationTests {
    func ints(_ name: String, _ v: [Int64]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .ints; a.ints = v; return a
    }
    func floats(_ name: String, _ v: [Float]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .floats; a.floats = v; return a
    }
    func strings(_ name: String, _ v: [String]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .strings; a.strings = v.map { Data($0.utf8) }; return a
    }

    /// One tree per mode: root compares feature 0 with t; leaves 1 (true) and 2 (false),
    /// each tree weighted by a distinct power of 4 so every decision shows in the sum.
    func model(thresholds: [Float], modes: [String]) throws -> ModelGraph {
        var treeIds: [Int64] = [], nodeIds: [Int64] = [], features: [Int64] = [], values: [Float] = []
        var modeNames: [String] = [], trueIds: [Int64] = [], falseIds: [Int64] = []
        var targetTrees: [Int64] = [], targetNodes: [Int64] = [], targetIds: [Int64] = [], weights: [Float] = []
        for (t, (threshold, mode)) in zip(thresholds, modes).enumerated() {
            treeIds += [Int64(t), Int64(t), Int64(t)]
            nodeIds += [0, 1, 2]
            features += [Int64(t % 2), 0, 0]
            values += [threshold, 0, 0]
            modeNames += [mode, "LEAF", "LEAF"]
            trueIds += [1, 0, 0]
            falseIds += [2, 0, 0]
            let scale = Float(pow(4.0, Double(t)))
            targetTrees += [Int64(t), Int64(t)]
            targetNodes += [1, 2]
            targetIds += [0, 0]
            weights += [1 * scale, 2 * scale]
        }
        let node = ModelBuilder.node("TreeEnsembleRegressor", ["x"], ["y"], name: "trees", domain: "ai.onnx.ml", attributes: [
            ints("nodes_treeids", treeIds), ints("nodes_nodeids", nodeIds), ints("nodes_featureids", features),
            floats("nodes_values", values), strings("nodes_modes", modeNames), ints("nodes_truenodeids", trueIds),
            ints("nodes_falsenodeids", falseIds), ints("target_treeids", targetTrees), ints("target_nodeids", targetNodes),
            ints("target_ids", targetIds), floats("target_weights", weights), { var a = Onnx_AttributeProto(); a.name = "n_targets"; a.type = .int; a.i = 1; return a }(),
        ])
        let m = ModelBuilder.model([node], inputs: [ModelBuilder.valueInfo("x", [nil, 2])],
                                   outputs: [ModelBuilder.valueInfo("y", [nil, 1])], ml: true)
        return try ModelGraph(bytes: try ModelBuilder.bytes(m))
    }

    @Test func decisionsOnTheGridAreExact() throws {
        var g = SplitMix(seed: 9)
        let modes = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT"]
        for _ in 0..<10 {
            let thresholds = (0..<4).map { _ in Float(g.nextDouble(in: -6...6)) }
            let graph = try model(thresholds: thresholds, modes: modes)
            // Calibration spans ±7.5, so the input scale is treeInputBits − 3 = 27.
            let calibration = [[FloatTensor(shape: [2], scalars: [7.5, -7.5])]]
            let quantized = try Quantizer().quantize(graph, calibration: calibration)
            let s = quantized.architecture.tensors[quantized.architecture.inputs[0].tensor].scale
            #expect(s == 27)
            let float = FloatEvaluator(graph: graph), integer = IntegerEvaluator(model: quantized)
            var inputs: [Double] = []
            for t in thresholds {   // grid points around and at each threshold
                let k = (Double(t) * pow(2, Double(s))).rounded(.down)
                for d in -2...2 { inputs.append((k + Double(d)) / pow(2, Double(s))) }
            }
            for a in inputs {
                for b in inputs.prefix(5) {
                    let x = [FloatTensor(shape: [2], scalars: [a, b])]
                    let expected = try float.run(x)[0].scalars
                    let got = try integer.run(real: x)[0].scalars
                    #expect(got == expected, "x = \(a), \(b); thresholds \(thresholds)")
                }
            }
        }
    }

    /// On the fixtures every (row, tree) pair reaches a leaf with the same value
    /// in both semantics (measured: no disagreement).
    @Test(arguments: ["credit_gbt", "iris_gbt", "iris_gbr"])
    func fixtureLeavesAgree(name: String) throws {
        let fixture = try Fixtures.load(name)
        let model = try Quantizer().quantize(fixture.graph, calibration: fixture.samples)
        guard let node = fixture.graph.nodes.first(where: { if case .treeEnsemble = $0.operation { return true }; return false }),
              case .treeEnsemble(let ensemble) = node.operation,
              let step = model.architecture.steps.first(where: { if case .treeEnsemble = $0.op { return true }; return false }),
              case .treeEnsemble(let spec) = step.op else { Issue.record("no tree ensemble"); return }
        let evaluator = IntegerEvaluator(model: model)
        let leafScale = model.architecture.weights[spec.leaves].scale
        var differing = 0
        for sample in fixture.samples {
            let all = try evaluator.runAll(try evaluator.quantize(sample))
            let x = all[step.inputs[0]].scalars
            for (t, tree) in ensemble.trees.enumerated() {
                let floatLeaf = ensemble.leaf(of: tree, features: sample[0].scalars, offset: 0)
                // The quantized traversal, re-implemented from QTreeEnsemble's documentation.
                let inner = (1 << spec.depth) - 1
                var i = 0
                for _ in 0..<spec.depth {
                    let f = Int(model.weights.values[spec.features][t * inner + i])
                    i = x[f] <= model.weights.values[spec.thresholds][t * inner + i] ? 2 * i + 1 : 2 * i + 2
                }
                let leaf = (0..<spec.outputCount).map {
                    FixedPoint.dequantize(model.weights.values[spec.leaves][(t * (inner + 1) + i - inner) * spec.outputCount + $0], scale: leafScale)
                }
                var expected = [Double](repeating: 0, count: spec.outputCount)
                for (k, w) in floatLeaf.weights { expected[k] += w }
                if zip(leaf, expected).contains(where: { abs($0 - $1) > 1.0 / Double(1 << leafScale) }) { differing += 1 }
            }
        }
        #expect(differing == 0, "\(name): \(differing) (row, tree) pairs reach different leaves")
    }
}
