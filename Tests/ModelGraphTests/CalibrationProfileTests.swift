import Testing
@testable import ModelGraph

@Suite struct CalibrationProfileTests {
    /// Replaying a calibration's profile gives the very same model, card and
    /// weights, without the calibration data.
    @Test(arguments: ["credit_logreg", "credit_mlp", "credit_gbt", "digits_cnn", "ops_ml", "onehot_logreg"])
    func replayReproducesTheModel(name: String) throws {
        let fixture = try Fixtures.load(name)
        let calibrated = try Quantizer().quantize(fixture.graph, calibration: fixture.samples)
        let profile = try #require(calibrated.calibrationProfile)
        #expect(!profile.magnitudes.isEmpty)
        let replayed = try Quantizer().quantize(fixture.graph, profile: profile)
        #expect(ArchitectureCard.encode(replayed.architecture) == ArchitectureCard.encode(calibrated.architecture))
        #expect(replayed.weights == calibrated.weights)
        #expect(replayed.calibrationProfile == profile)
    }

    /// A profile from other data gives other scales (so the replay is not a no-op),
    /// and a profile of the wrong length is refused.
    @Test func profileMattersAndIsChecked() throws {
        let fixture = try Fixtures.load("credit_mlp")
        let calibrated = try Quantizer().quantize(fixture.graph, calibration: fixture.samples)
        var scaled = try #require(calibrated.calibrationProfile)
        scaled.magnitudes = scaled.magnitudes.map { $0 * 64 }
        let other = try Quantizer().quantize(fixture.graph, profile: scaled)
        #expect(ArchitectureCard.encode(other.architecture) != ArchitectureCard.encode(calibrated.architecture))
        var short = try #require(calibrated.calibrationProfile)
        short.magnitudes.removeLast()
        #expect(throws: ModelError.self) { try Quantizer().quantize(fixture.graph, profile: short) }
        var long = try #require(calibrated.calibrationProfile)
        long.magnitudes.append(1)
        #expect(throws: ModelError.self) { try Quantizer().quantize(fixture.graph, profile: long) }
    }
}
