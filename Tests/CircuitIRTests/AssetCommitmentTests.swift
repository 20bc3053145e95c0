import Field
import Foundation
import ModelGraph
import Testing
@testable import CircuitIR

/// `commit(model)` binds the architecture as well as the weights: the same
/// integers under other scales are another model, and must not open the same
/// commitment.
@Suite struct AssetCommitmentTests {
    static func model() throws -> QuantizedModel {
        try LoweringModelTests.load("credit_mlp").0
    }

    @Test func anotherScaleIsAnotherCommitment() throws {
        let model = try Self.model()
        let salt: [Goldilocks] = [5, 6, 7, 8]
        var rescaled = model.architecture
        let t = try #require(rescaled.tensors.indices.first { rescaled.tensors[$0].scale != 0 })
        rescaled.tensors[t].scale += 1
        let original = try AssetCommitment.commit(model: model, salt: salt)
        let changed = try AssetCommitment.commit(architecture: rescaled, weights: model.weights, salt: salt)
        #expect(original != changed)
        #expect(AssetCommitment.architectureDigest(rescaled) != AssetCommitment.architectureDigest(model.architecture))
    }

    @Test func saltAndWeightsMatter() throws {
        let model = try Self.model()
        let a = try AssetCommitment.commit(model: model, salt: [1, 2, 3, 4])
        #expect(a != (try AssetCommitment.commit(model: model, salt: [1, 2, 3, 5])))
        var weights = model.weights
        weights.values[0][0] += 1
        #expect(a != (try AssetCommitment.commit(architecture: model.architecture, weights: weights, salt: [1, 2, 3, 4])))
        #expect(throws: (any Error).self) { try AssetCommitment.commit(model: model, salt: [1, 2, 3]) }
    }

    /// The digest survives the card's round trip (the verifier recompiles from the card).
    @Test func architectureDigestOfTheDecodedCard() throws {
        let model = try Self.model()
        let decoded = try ArchitectureCard.decode(ArchitectureCard.encode(model.architecture))
        #expect(AssetCommitment.architectureDigest(decoded) == AssetCommitment.architectureDigest(model.architecture))
    }
}
