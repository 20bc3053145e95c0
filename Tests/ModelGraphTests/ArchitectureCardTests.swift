import Testing
@testable import ModelGraph

@Suite struct ArchitectureCardTests {
    static let models = ["credit_logreg", "credit_mlp", "credit_gbt", "digits_cnn", "iris_gbt", "ops_conv", "ops_ml", "onehot_logreg"]

    @Test(arguments: models)
    func roundTripsExactly(name: String) throws {
        let fixture = try Fixtures.load(name)
        let model = try Quantizer().quantize(fixture.graph, calibration: fixture.samples)
        let bytes = ArchitectureCard.encode(model.architecture)
        let decoded = try ArchitectureCard.decode(bytes)
        #expect(decoded == model.architecture)
        #expect(ArchitectureCard.encode(decoded) == bytes)
        // The decoded card with the same weights computes the same outputs.
        let again = QuantizedModel(architecture: decoded, weights: model.weights, report: model.report)
        let sample = fixture.samples[0]
        #expect(try IntegerEvaluator(model: again).run(real: sample) == IntegerEvaluator(model: model).run(real: sample))
    }

    /// Quantizing twice gives byte-identical cards (the verifying key must be reproducible).
    @Test func isDeterministic() throws {
        let fixture = try Fixtures.load("credit_mlp")
        let a = try Quantizer().quantize(fixture.graph, calibration: fixture.samples)
        let b = try Quantizer().quantize(fixture.graph, calibration: fixture.samples)
        #expect(ArchitectureCard.encode(a.architecture) == ArchitectureCard.encode(b.architecture))
    }

    /// No weight leaks into the card: (1) every run of ≥ 3 consecutive
    /// weight values, encoded as the card encodes integers, is absent from
    /// the card bytes; (2) replacing every weight by another value inside its
    /// public bounds leaves the card unchanged (it is computed from the
    /// architecture alone, and the architecture holds no weight).
    @Test(arguments: ["credit_logreg", "credit_mlp", "credit_gbt", "digits_cnn"])
    func carriesNoWeights(name: String) throws {
        let fixture = try Fixtures.load(name)
        let model = try Quantizer().quantize(fixture.graph, calibration: fixture.samples)
        let card = ArchitectureCard.encode(model.architecture)
        var leaks = 0
        var checked = 0
        for values in model.weights.values where values.count >= 3 {
            for start in stride(from: 0, to: values.count - 2, by: max(1, values.count / 50)) {
                let run = values[start ..< start + 3]
                guard Set(run).count == 3, run.allSatisfy({ $0.magnitude > 64 }) else { continue }   // distinctive runs only
                var w = ByteWriter()
                for v in run { w.signed(v) }
                checked += 1
                if contains(card, w.bytes) { leaks += 1 }
            }
        }
        #expect(checked > 10)
        #expect(leaks == 0)

        var generator = SplitMix(seed: 7)
        var other = model
        other.weights.values = zip(model.architecture.weights, model.weights.values).map { spec, values in
            values.map { _ in generator.nextInt(in: spec.lower...spec.upper) }
        }
        try other.validate()
        #expect(other.weights != model.weights)
        #expect(ArchitectureCard.encode(other.architecture) == card)
    }

    func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i ..< i + needle.count]) == needle { return true }
        }
        return false
    }

    /// Truncated or bit-flipped cards are rejected with an error or decode to a
    /// valid architecture; never a trap.
    @Test func malformedCardsAreRejected() throws {
        let fixture = try Fixtures.load("digits_cnn")
        let model = try Quantizer().quantize(fixture.graph, calibration: Array(fixture.samples.prefix(5)))
        let card = ArchitectureCard.encode(model.architecture)
        for length in stride(from: 0, to: card.count, by: max(1, card.count / 300)) {
            #expect(throws: ModelError.self) { try ArchitectureCard.decode(Array(card.prefix(length))) }
        }
        var generator = SplitMix(seed: 3)
        var rejected = 0
        for _ in 0..<400 {
            var bytes = card
            let i = Int(generator.next() % UInt64(bytes.count))
            bytes[i] ^= UInt8(1 << (generator.next() % 8))
            do {
                let a = try ArchitectureCard.decode(bytes)
                try a.validate()
            } catch is ModelError {
                rejected += 1
            }
        }
        #expect(rejected > 0)
    }
}
