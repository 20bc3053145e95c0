import Foundation
@testable import ModelGraph

/// The fixtures of scripts/make-model-fixtures.py: NAME.onnx, NAME.inputs.csv
/// (samples) and NAME.ort.csv (onnxruntime's outputs for them).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static let all = ["credit_logreg", "credit_mlp", "credit_gbt", "digits_cnn", "lenet5", "iris_logreg", "iris_gbt",
                      "iris_linreg", "iris_gbr", "onehot_logreg", "ops_dense", "ops_conv", "ops_ml", "ops_pool",
                      "linear_one_column", "rf_binary"]

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name + ".onnx")))
    }

    static func text(_ file: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
    }

    struct Case {
        var name: String
        var graph: ModelGraph
        var inputs: CSVTable
        var samples: [[FloatTensor]]
        /// onnxruntime's outputs, one row per sample, flattened.
        var reference: [[Double]]
        var referenceHeader: [String]
    }

    static func load(_ name: String) throws -> Case {
        let graph = try ModelGraph(bytes: try bytes(name))
        let inputs = try CSVTable(parsing: try text(name + ".inputs.csv"), file: name + ".inputs.csv")
        let samples = try ModelCSV.floatInputs(inputs, graph: graph, file: name + ".inputs.csv")
        let ort = try CSVTable(parsing: try text(name + ".ort.csv"), file: name + ".ort.csv")
        let reference = ort.rows.map { $0.map { Double($0)! } }
        return Case(name: name, graph: graph, inputs: inputs, samples: samples, reference: reference, referenceHeader: ort.header)
    }
}
