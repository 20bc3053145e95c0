import Foundation
import SwiftProtobuf
import Testing
@testable import ModelGraph

/// Malformed, truncated and hostile files give errors, never a crash or a huge allocation.
@Suite struct DecodingTests {
    @Test func decodesAHandBuiltModel() throws {
        let graph = try ModelGraph(bytes: try ModelBuilder.bytes(ModelBuilder.dense()))
        let y = try FloatEvaluator(graph: graph).run([FloatTensor(shape: [3], scalars: [1, 2, 3])])
        // Independent arithmetic: [1,2,3]·W + b, then relu.
        let first: Double = 1 * 0.5 + 2 * 2 + 3 * -0.75 + 0.1
        let second: Double = 1 * -1 + 2 * 0.25 + 3 * 1 - 0.2
        let expected = [max(0, first), max(0, second)]
        #expect(zip(y[0].scalars, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(graph.signature.inputs[0].shape == [3])
        #expect(graph.signature.outputs[0].shape == [2])
    }

    /// Every prefix of real files: an error, or (cut exactly between fields) a
    /// graph that still checks; never a trap.
    @Test(arguments: ["credit_gbt", "digits_cnn", "credit_logreg"])
    func truncatedFilesAreRejected(name: String) throws {
        let bytes = try Fixtures.bytes(name)
        var rejected = 0, total = 0
        for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 400)) {
            total += 1
            do { _ = try ModelGraph(bytes: Array(bytes.prefix(length))) } catch is ModelError { rejected += 1 }
        }
        #expect(rejected >= total * 9 / 10, "\(name): only \(rejected) of \(total) prefixes rejected")
    }

    /// Random bit flips: decoding, evaluating, quantizing and running the
    /// integer program either throw ModelError or succeed.
    @Test(arguments: ["credit_gbt", "digits_cnn", "credit_mlp", "onehot_logreg"])
    func bitFlippedFilesNeverTrap(name: String) throws {
        let fixture = try Fixtures.load(name)
        let bytes = try Fixtures.bytes(name)
        var generator = SplitMix(seed: UInt64(bytes.count))
        var outcomes = (rejected: 0, evaluated: 0)
        for _ in 0..<100 {
            var flipped = bytes
            let i = Int(generator.next() % UInt64(bytes.count))
            flipped[i] ^= UInt8(1 << (generator.next() % 8))
            do {
                let graph = try ModelGraph(bytes: flipped)
                let sample = fixture.samples[0]
                guard graph.inputs.map(\.count) == fixture.graph.inputs.map(\.count) else { continue }
                _ = try FloatEvaluator(graph: graph).run(sample)
                outcomes.evaluated += 1
                // The quantizer and the integer program must not trap on it either.
                let model = try Quantizer().quantize(graph, calibration: [sample])
                _ = try IntegerEvaluator(model: model).run(real: sample)
            } catch is ModelError {
                outcomes.rejected += 1
            }
        }
        #expect(outcomes.rejected + outcomes.evaluated > 0)
    }

    @Test func garbageIsRejected() {
        for bytes: [UInt8] in [[], [0xFF], [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], Array("hello, world".utf8)] {
            #expect(throws: ModelError.self) { try ModelGraph(bytes: bytes) }
        }
    }

    /// A length prefix promising 2^60 bytes must not allocate them.
    @Test func hugeLengthIsRejected() {
        // field 7 (graph), wire type 2, length 2^60.
        var bytes: [UInt8] = [0x3A]
        var v: UInt64 = 1 << 60
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
        bytes += [0, 0, 0]
        #expect(throws: ModelError.self) { try ModelGraph(bytes: bytes) }
    }

    /// A type nested 10 000 deep (sequence of sequence of …) stops at the depth limit.
    @Test func deepNestingIsRejected() throws {
        var type = Onnx_TypeProto()
        type.tensorType = Onnx_TypeProto.Tensor()
        var encoded: [UInt8] = try type.serializedBytes()
        for _ in 0..<10_000 {
            // TypeProto.sequence_type (4) { Sequence.elem_type (1) { encoded } }
            let inner = [0x0A] + varint(encoded.count) + encoded
            encoded = [0x22] + varint(inner.count) + inner
        }
        var model = ModelBuilder.dense()
        var info = Onnx_ValueInfoProto()
        info.name = "deep"
        model.graph.valueInfo = [info]
        var bytes: [UInt8] = try model.serializedBytes()
        // Append a value_info (graph field 13) whose type (field 2) is the deep one, inside graph (field 7).
        let valueInfo = [0x0A, 0x01, 0x7A] + [0x12] + varint(encoded.count) + encoded
        let graphExtra = [0x6A] + varint(valueInfo.count) + valueInfo
        bytes += [0x3A] + varint(graphExtra.count) + graphExtra
        #expect(throws: ModelError.self) { try ModelGraph(bytes: bytes) }
    }

    func varint(_ n: Int) -> [UInt8] {
        var v = UInt64(n), out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
        return out
    }

    @Test func externalDataIsRejectedWithAMessage() throws {
        var model = ModelBuilder.dense()
        model.graph.initializer[0].floatData = []
        model.graph.initializer[0].dataLocation = 1
        var entry = Onnx_StringStringEntryProto()
        entry.key = "location"
        entry.value = "weights.bin"
        model.graph.initializer[0].externalData = [entry]
        let error = try #require(throws: ModelError.self) { try ModelGraph(bytes: try ModelBuilder.bytes(model)) }
        #expect(error.kind == .unsupported)
        #expect(error.message.contains("external file ('weights.bin')"))
    }

    /// Declared shape [2^20, 2^20] with no data: refused before allocating.
    @Test func shapeWithoutDataIsRejected() throws {
        var model = ModelBuilder.dense()
        model.graph.initializer[0].dims = [1 << 20, 1 << 20]
        #expect(throws: ModelError.self) { try ModelGraph(bytes: try ModelBuilder.bytes(model)) }
        model.graph.initializer[0].dims = [3, 3]   // 9 declared, 6 present
        let error = try #require(throws: ModelError.self) { try ModelGraph(bytes: try ModelBuilder.bytes(model)) }
        #expect(error.message.contains("needs 9 values but float_data holds 6"))
        var raw = ModelBuilder.dense()
        raw.graph.initializer[0].floatData = []
        raw.graph.initializer[0].rawData = Data(repeating: 0, count: 23)   // 6 floats need 24 bytes
        #expect(throws: ModelError.self) { try ModelGraph(bytes: try ModelBuilder.bytes(raw)) }
    }

    /// Raw little-endian data decodes to the same values as the typed field.
    @Test func rawDataDecodes() throws {
        var model = ModelBuilder.dense()
        let values = model.graph.initializer[0].floatData
        model.graph.initializer[0].floatData = []
        model.graph.initializer[0].rawData = Data(values.flatMap { v in (0..<4).map { UInt8((v.bitPattern >> (8 * $0)) & 0xFF) } })
        let a = try ModelGraph(bytes: try ModelBuilder.bytes(model))
        let b = try ModelGraph(bytes: try ModelBuilder.bytes(ModelBuilder.dense()))
        #expect(a.constants["W"] == b.constants["W"])
    }

    @Test func unsupportedOperatorsAreNamedWithTheirNodes() throws {
        var model = ModelBuilder.dense()
        model.graph.node.insert(ModelBuilder.node("Einsum", ["x"], ["e"], name: "mix"), at: 0)
        model.graph.node.append(ModelBuilder.node("Erf", ["y"], ["z"]))
        model.graph.node.append(ModelBuilder.node("Mystery", ["y"], ["w"], name: "m2", domain: "com.example"))
        let error = try #require(throws: ModelError.self) { try ModelGraph(bytes: try ModelBuilder.bytes(model)) }
        #expect(error.kind == .unsupported)
        #expect(error.message.contains("Einsum node 'mix': operator Einsum is not supported"))
        #expect(error.message.contains("Erf node #5"))
        #expect(error.message.contains("Mystery node 'm2': operator domain 'com.example' is not supported"))
        let summary = try ModelSummary(bytes: try ModelBuilder.bytes(model))
        #expect(summary.graph == nil)
        #expect(summary.operators.contains { $0.name == "Einsum" && !$0.supported })
        #expect(summary.render(file: "m.onnx").contains("supported: no"))
    }

    @Test func symbolicInnerDimensionIsRejected() throws {
        var model = ModelBuilder.dense()
        model.graph.input = [ModelBuilder.valueInfo("x", [1, nil])]
        let error = try #require(throws: ModelError.self) { try ModelGraph(bytes: try ModelBuilder.bytes(model)) }
        #expect(error.message.contains("only the leading batch axis may be symbolic"))
    }

    @Test func shapeMismatchIsAnErrorNamingTheNode() throws {
        var model = ModelBuilder.dense()
        model.graph.input = [ModelBuilder.valueInfo("x", [nil, 4])]
        let error = try #require(throws: ModelError.self) { try ModelGraph(bytes: try ModelBuilder.bytes(model)) }
        #expect(error.message.contains("MatMul node 'mm'"))
    }

    @Test func maxNormalizerIsFloatOnly() throws {
        let node = ModelBuilder.node("Normalizer", ["x"], ["y"], name: "norm", domain: "ai.onnx.ml",
                                     attributes: [ModelBuilder.attribute("norm", string: "MAX")])
        let model = ModelBuilder.model([node], inputs: [ModelBuilder.valueInfo("x", [nil, 3])],
                                       outputs: [ModelBuilder.valueInfo("y", [nil, 3])], ml: true)
        let graph = try ModelGraph(bytes: try ModelBuilder.bytes(model))
        let y = try FloatEvaluator(graph: graph).run([FloatTensor(shape: [3], scalars: [1, -4, 2])])
        #expect(y[0].scalars == [0.5, -2, 1])   // divided by the largest value, 2
        let error = try #require(throws: ModelError.self) {
            try Quantizer().quantize(graph, calibration: [[FloatTensor(shape: [3], scalars: [1, 2, 3])]])
        }
        #expect(error.kind == .unsupported)
        #expect(error.message.contains("Normalizer node 'norm'"))
    }
}
