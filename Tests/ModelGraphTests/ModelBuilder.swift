import SwiftProtobuf
@testable import ModelGraph

/// Builds small ONNX models in Swift (through the generated protobuf types),
/// for cases no exporter produces: malformed, hostile and unsupported files.
enum ModelBuilder {
    static func tensor(_ name: String, _ dims: [Int], _ values: [Float]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = dims.map(Int64.init)
        t.dataType = 1
        t.floatData = values
        return t
    }

    static func valueInfo(_ name: String, _ dims: [Int?], type: Int32 = 1) -> Onnx_ValueInfoProto {
        var v = Onnx_ValueInfoProto()
        v.name = name
        var t = Onnx_TypeProto.Tensor()
        t.elemType = type
        var shape = Onnx_TensorShapeProto()
        shape.dim = dims.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            if let d { dim.dimValue = Int64(d) } else { dim.dimParam = "N" }
            return dim
        }
        t.shape = shape
        v.type.tensorType = t
        return v
    }

    static func node(_ op: String, _ inputs: [String], _ outputs: [String], name: String = "", domain: String = "",
                     attributes: [Onnx_AttributeProto] = []) -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        n.opType = op
        n.input = inputs
        n.output = outputs
        n.name = name
        n.domain = domain
        n.attribute = attributes
        return n
    }

    static func attribute(_ name: String, string: String) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .string
        a.s = Data(string.utf8)
        return a
    }

    static func model(_ nodes: [Onnx_NodeProto], inputs: [Onnx_ValueInfoProto], outputs: [Onnx_ValueInfoProto],
                      initializers: [Onnx_TensorProto] = [], ml: Bool = false) -> Onnx_ModelProto {
        var g = Onnx_GraphProto()
        g.node = nodes
        g.input = inputs
        g.output = outputs
        g.initializer = initializers
        var m = Onnx_ModelProto()
        m.irVersion = 8
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 17
        m.opsetImport = [opset]
        if ml {
            var mlOpset = Onnx_OperatorSetIdProto()
            mlOpset.domain = "ai.onnx.ml"
            mlOpset.version = 3
            m.opsetImport.append(mlOpset)
        }
        m.graph = g
        return m
    }

    static func bytes(_ m: Onnx_ModelProto) throws -> [UInt8] { try m.serializedBytes() }

    /// y = relu(x · W + b) for x [N, 3].
    static func dense() -> Onnx_ModelProto {
        model([node("MatMul", ["x", "W"], ["h"], name: "mm"), node("Add", ["h", "b"], ["a"]), node("Relu", ["a"], ["y"])],
              inputs: [valueInfo("x", [nil, 3])], outputs: [valueInfo("y", [nil, 2])],
              initializers: [tensor("W", [3, 2], [0.5, -1, 2, 0.25, -0.75, 1]), tensor("b", [2], [0.1, -0.2])])
    }
}

import Foundation
