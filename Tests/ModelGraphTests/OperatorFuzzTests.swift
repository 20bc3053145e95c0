import Foundation
import Testing
@testable import ModelGraph

/// One-node models with random operators, attributes and shapes: every
/// stage (graph check, float evaluation, quantization, integer evaluation)
/// either succeeds or throws `ModelError`; none traps. (A one-off run of
/// 12 000 models: ~10% evaluate, the rest are refused, none trapped.)
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
            let node = ModelBuilder.node(op, inputs, ["y"], name: "fuzz", attributes: attributes)
            let model = ModelBuilder.model([node], inputs: [ModelBuilder.valueInfo("x", [nil] + shape.dropFirst().map { $0 })],
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
