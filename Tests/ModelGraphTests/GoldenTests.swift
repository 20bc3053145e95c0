import Foundation
import Testing
@testable import ModelGraph

/// Golden snapshots of `model info` and of quantized programs, in
/// Fixtures/golden/. Set ZKPOLICYC_UPDATE_GOLDEN=1 to rewrite them, then
/// review the diff.
@Suite struct GoldenTests {
    static let directory = Fixtures.directory.appendingPathComponent("golden")

    func check(_ text: String, _ file: String) throws {
        let url = Self.directory.appendingPathComponent(file)
        if ProcessInfo.processInfo.environment["ZKPOLICYC_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text + "\n" == expected, "\(file) differs; rerun with ZKPOLICYC_UPDATE_GOLDEN=1 and review the diff")
    }

    @Test(arguments: ["credit_mlp", "digits_cnn", "ops_pool"])
    func info(name: String) throws {
        try check(try ModelSummary(bytes: try Fixtures.bytes(name)).render(file: name + ".onnx"), name + ".info.txt")
    }

    @Test(arguments: ["credit_logreg", "credit_gbt", "iris_logreg", "digits_cnn"])
    func program(name: String) throws {
        let fixture = try Fixtures.load(name)
        let model = try Quantizer().quantize(fixture.graph, calibration: fixture.samples)
        try check(model.architecture.listing, name + ".program.txt")
    }
}
