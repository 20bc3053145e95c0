import Foundation
import Testing
@testable import ModelGraph

/// Models of one or two random operators with random attributes and shapes:
/// every stage (graph check, float evaluation, quantization, integer
/// evaluation, card round trip) either succeeds or throws `ModelError`; none
/// traps. (One-off runs of 12 000 such models and 12 000 random ai.onnx.ml
/// nodes: 6–10% evaluate, the rest are refused, none trapped after the fix of
/// a one-column LinearClassifier with one label.)
@Suite struct OperatorFuzzTests {
    static let operators = ["Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softmax",
                            "ArgMax", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Concat", "Identity", "Cast", "Gather",
                            "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization"]

    func int(_ name: String, _ v: Int64) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .int; a.i = v; return a
    }
    func ints(_ name: String, _ v: [Int64]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .ints; a.ints = v; return a
    }

    @Test(arguments: 0..<4)
    func randomOperatorsNeverTrap(seed: Int) throws {
        var g = SplitMix(seed: UInt64(100 + seed))
        var outcomes = [0, 0]
        for _ in 0..<150 {
            let op = Self.operators[Int(g.next() % UInt64(Self.operators.count))]
            let rank = 1 + Int(g.next() % 4)
            let shape = (0..<rank).map { _ in Int(1 + g.next() % 4) }
            func small() -> Int64 { g.nextInt(in: -2...4) }
            var attributes: [Onnx_AttributeProto] = []
            for name in ["axis", "transA", "transB", "keepdims", "group", "ceil_mode", "count_include_pad", "to"] where g.next() % 3 == 0 {
                attributes.append(int(name, name == "to" ? [1, 7, 11, 9][Int(g.next() % 4)] : small()))
            }
            for name in ["kernel_shape", "strides", "pads", "dilations", "axes"] where g.next() % 3 == 0 {
                attributes.append(ints(name, (0..<Int(g.next() % 5)).map { _ in small() }))
            }
            var inits: [Onnx_TensorProto] = []
            var inputs = ["x"]
            let extra = Int(g.next() % 5)
            for k in 0..<extra {
                let r = 1 + Int(g.next() % 4)
                let dims = (0..<r).map { _ in Int(1 + g.next() % 4) }
                let count = dims.reduce(1, *)
                let isIndex = op == "Reshape" || op == "Gather" || (op == "Squeeze" || op == "Unsqueeze")
                let values = (0..<count).map { _ in isIndex ? Float(small()) : Float(g.nextDouble(in: -2...2)) }
                inits.append(ModelBuilder.tensor("c\(k)", isIndex ? [count] : dims, values))
                inputs.append("c\(k)")
            }
            var nodes = [ModelBuilder.node(op, inputs, ["y0"], name: "fuzz", attributes: attributes)]
            // Half of the time a second random operator reads the first one's result (and maybe x).
            if g.next() % 2 == 0 {
                let second = Self.operators[Int(g.next() % UInt64(Self.operators.count))]
                let operands = g.next() % 2 == 0 ? ["y0"] : ["y0", g.next() % 2 == 0 ? "x" : (inputs.count > 1 ? inputs[1] : "y0")]
                nodes.append(ModelBuilder.node(second, operands, ["y"], name: "second"))
            } else {
                nodes.append(ModelBuilder.node("Identity", ["y0"], ["y"]))
            }
            let model = ModelBuilder.model(nodes, inputs: [ModelBuilder.valueInfo("x", [nil] + shape.dropFirst().map { $0 })],
                                           outputs: [ModelBuilder.valueInfo("y", [nil])], initializers: inits)
            do {
                let graph = try ModelGraph(bytes: try ModelBuilder.bytes(model))
                let count = graph.inputs[0].count
                let sample = [FloatTensor(shape: [count], scalars: (0..<count).map { _ in g.nextDouble(in: -3...3) })]
                _ = try FloatEvaluator(graph: graph).run(sample)
                let quantized = try Quantizer().quantize(graph, calibration: [sample])
                _ = try IntegerEvaluator(model: quantized).run(real: sample)
                _ = try ArchitectureCard.decode(ArchitectureCard.encode(quantized.architecture))
                outcomes[0] += 1
            } catch is ModelError {
                outcomes[1] += 1
            }
        }
        #expect(outcomes[0] > 0 && outcomes[1] > 0, "successes and refusals: \(outcomes)")
    }
}

/// Random ai.onnx.ml nodes: trees with random (often cyclic or dangling)
/// structure, linear models and scalers with mismatched lengths.
@Test(arguments: 0..<3)
func randomMLOperatorsNeverTrap(seed: Int) throws {
    var g = SplitMix(seed: UInt64(200 + seed))
    func ints(_ name: String, _ v: [Int64]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .ints; a.ints = v; return a
    }
    func floats(_ name: String, _ v: [Float]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .floats; a.floats = v; return a
    }
    func strings(_ name: String, _ v: [String]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .strings; a.strings = v.map { Data($0.utf8) }; return a
    }
    var outcomes = [0, 0]
    for _ in 0..<300 {
        let features = Int(1 + g.next() % 4)
        let n = Int(1 + g.next() % 7)
        func r(_ range: ClosedRange<Int64>) -> [Int64] { (0..<n).map { _ in g.nextInt(in: range) } }
        let modes = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "LEAF", "LEAF", "BRANCH_EQ"]
        let node: Onnx_NodeProto
        switch g.next() % 4 {
        case 0, 1:
            let classifier = g.next() % 2 == 0
            let prefix = classifier ? "class" : "target"
            var attributes = [
                ints("nodes_treeids", r(0...1)), ints("nodes_nodeids", r(0...4)), ints("nodes_featureids", r(-1...Int64(features))),
                floats("nodes_values", (0..<n).map { _ in Float(g.nextDouble(in: -2...2)) }),
                strings("nodes_modes", (0..<n).map { _ in modes[Int(g.next() % UInt64(modes.count))] }),
                ints("nodes_truenodeids", r(0...5)), ints("nodes_falsenodeids", r(0...5)),
                ints("\(prefix)_treeids", r(0...1)), ints("\(prefix)_nodeids", r(0...4)), ints("\(prefix)_ids", r(0...2)),
                floats("\(prefix)_weights", (0..<n).map { _ in Float(g.nextDouble(in: -1...1)) }),
            ]
            if classifier { attributes.append(ints("classlabels_int64s", (0..<Int64(1 + g.next() % 3)).map { $0 })) }
            if g.next() % 2 == 0 { attributes.append(floats("base_values", (0..<Int(g.next() % 3)).map { _ in 0.5 })) }
            node = ModelBuilder.node(classifier ? "TreeEnsembleClassifier" : "TreeEnsembleRegressor", ["x"],
                                     classifier ? ["y", "p"] : ["y"], domain: "ai.onnx.ml", attributes: attributes)
        case 2:
            node = ModelBuilder.node("LinearClassifier", ["x"], ["y", "p"], domain: "ai.onnx.ml", attributes: [
                floats("coefficients", (0..<Int(g.next() % 9)).map { _ in Float(g.nextDouble(in: -1...1)) }),
                floats("intercepts", (0..<Int(g.next() % 3)).map { _ in 0.1 }),
                ints("classlabels_ints", (0..<Int64(g.next() % 4)).map { $0 }),
                ModelBuilder.attribute("post_transform", string: ["NONE", "LOGISTIC", "SOFTMAX", "PROBIT"][Int(g.next() % 4)]),
            ])
        default:
            node = ModelBuilder.node("Scaler", ["x"], ["y"], domain: "ai.onnx.ml", attributes: [
                floats("offset", (0..<Int(g.next() % 5)).map { _ in 0.5 }), floats("scale", (0..<Int(g.next() % 5)).map { _ in 2 }),
            ])
        }
        let model = ModelBuilder.model([node], inputs: [ModelBuilder.valueInfo("x", [nil, features])],
                                       outputs: node.output.map { ModelBuilder.valueInfo($0, [nil]) }, ml: true)
        do {
            let graph = try ModelGraph(bytes: try ModelBuilder.bytes(model))
            let sample = [FloatTensor(shape: [features], scalars: (0..<features).map { _ in g.nextDouble(in: -3...3) })]
            _ = try FloatEvaluator(graph: graph).run(sample)
            let quantized = try Quantizer().quantize(graph, calibration: [sample])
            _ = try IntegerEvaluator(model: quantized).run(real: sample)
            outcomes[0] += 1
        } catch is ModelError {
            outcomes[1] += 1
        }
    }
        #expect(outcomes[1] > 0, "refusals: \(outcomes)")
}
