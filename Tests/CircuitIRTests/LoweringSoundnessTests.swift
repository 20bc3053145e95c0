import BigNumber
import Field
import ModelGraph
@testable import PolicySemantics
import PolicySyntax
import Testing
@testable import CircuitIR

/// A lowered policy admits only honest witnesses: every hint of small
/// lowered policies is tampered with (as a cheating prover would, with all
/// later values recomputed) and must be rejected by a constraint; the random
/// under-constraint search finds no second witness; and wrong private inputs
/// (a group code, a weight, a commitment) make the circuit reject.
@Suite struct LoweringSoundnessTests {
    static let policy = """
    policy "small" version "1"
    import std.fairness
    import std.integrity
    model scorer: onnx tensor[3] -> tensor[2] in 0..1 private
    data t: table {
        features: tensor[3] fixed in -4..4 from f0..f2,
        sex: enum { f, m },
        group: enum { a, b, c },
        repaid: bool,
        age: int in 18..100,
    } committed
    param threshold: fixed in 0..1 = 0.5
    commitment scorer_digest
    commitment t_digest
    let approved(r) = scorer(r.features)[1] >= threshold
    rule registered: integrity.model_matches(scorer, scorer_digest) and integrity.data_matches(t, t_digest)
    rule parity: fairness.parity_gap(approved, t, by: sex) <= 99%
    rule ages: max(mean(r in t by r.group skip empty: r.age)) < 100 and min(r in t where r.repaid: r.age) >= 20
    rule some: any r in t: approved(r) or r.repaid
    """

    /// Rows chosen so that every rule holds (both sexes present, an approval).
    static func rows(_ program: HIRProgram) throws -> TableRows {
        var rows = try TableRows(schema: program.table(named: "t")!)
        let one: Int64 = 1 << 16
        try rows.append([2 * one, -one, one / 2, 0, 0, 1, 30])
        try rows.append([-3 * one, one, 0, 1, 2, 0, 45])
        try rows.append([one, one, one, 1, 1, 1, 60])
        try rows.append([0, -2 * one, 3 * one, 0, 0, 0, 21])
        return rows
    }

    struct Setup {
        var lowered: LoweredPolicy
        var inputs: WitnessInputs
        var data: PolicyWitnessData
    }

    static func setup(_ text: String = policy) throws -> Setup {
        let (program, sources) = try LoweringHarness.check(text)
        let model = LoweringHarness.toyModel()
        let table = try rows(program)
        let lowered = try PolicyLowering.lower(program, models: ["scorer": ModelBinding(architecture: model.architecture, output: 0)],
                                               rowCounts: ["t": table.count], locate: LoweringHarness.locator(sources))
        let salts = LoweringHarness.salts(lowered)
        let data = PolicyWitnessData(tables: ["t": table], commitments: [
            "scorer_digest": try AssetCommitment.commit(model: model, salt: salts[.model("scorer")]!),
            "t_digest": try AssetCommitment.commit(table: table, salt: salts[.table("t")]!),
        ], weights: ["scorer": model.weights], salts: salts)
        return Setup(lowered: lowered, inputs: try lowered.witnessInputs(data), data: data)
    }

    @Test func honestWitnessIsAcceptedAndEveryRuleHolds() throws {
        let s = try Self.setup()
        let witness = try Evaluator(s.lowered.program).generate(s.inputs)
        let names = s.lowered.program.publicOutputNames
        for (name, value) in Swift.zip(names, witness.publicOutputs) where name.hasPrefix("rule.") {
            #expect(value == .one, "\(name)")
        }
        // The committed table's digest is revealed and equals the native one.
        let digest = Array(witness.publicOutputs[0..<4])
        #expect(digest == (try AssetCommitment.commit(table: s.data.tables["t"]!, salt: s.data.salts[.table("t")]!)).elements)
    }

    @Test func everyTamperedHintIsRejected() throws {
        let s = try Self.setup()
        try #require(Harness.honest(s.lowered.program, s.inputs) != nil)
        Harness.expectEveryTamperingRejected(s.lowered.program, s.inputs)
    }

    @Test func everyTamperedHintIsRejectedAfterOptimisation() throws {
        let s = try Self.setup()
        let (optimised, _) = PassPipeline.optimisation.run(s.lowered.program)
        try #require(Harness.honest(optimised, s.inputs) != nil)
        Harness.expectEveryTamperingRejected(optimised, s.inputs)
    }

    @Test func noSecondWitness() throws {
        let s = try Self.setup()
        Harness.expectNoSecondWitness(s.lowered.program, s.inputs, trials: 400)
        let (optimised, _) = PassPipeline.optimisation.run(s.lowered.program)
        Harness.expectNoSecondWitness(optimised, s.inputs, trials: 400, seed: 11)
        #expect(UnderconstraintSearch.hintsReachingNoConstraint(optimised).isEmpty)
    }

    /// The private input at `name` replaced by `value` must be rejected.
    static func expectRejected(_ s: Setup, private name: String, _ value: Goldilocks, because: String,
                               sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let index = s.lowered.program.privateInputNames.firstIndex(of: name) else {
            Issue.record("no private input \(name)", sourceLocation: sourceLocation)
            return
        }
        var inputs = s.inputs
        inputs.privateValues[index] = value
        do {
            _ = try Evaluator(s.lowered.program).generate(inputs)
            Issue.record("\(because): accepted", sourceLocation: sourceLocation)
        } catch let error as WitnessError {
            #expect(error.kind == .constraintViolated, "\(because): \(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func wrongGroupCodesAreRejected() throws {
        let s = try Self.setup()
        Self.expectRejected(s, private: "t[1].sex", 2, because: "a two-case enum coded 2")
        Self.expectRejected(s, private: "t[1].sex", Goldilocks(signed: -1), because: "a two-case enum coded -1")
        Self.expectRejected(s, private: "t[0].group==c", 1, because: "two indicators of a three-case enum set")
        Self.expectRejected(s, private: "t[0].group==a", 0, because: "no indicator of a three-case enum set")
        Self.expectRejected(s, private: "t[2].repaid", 2, because: "a bool of 2")
        Self.expectRejected(s, private: "t[2].age", 17, because: "an int below its range")
        Self.expectRejected(s, private: "t[2].features[1]", Goldilocks(signed: 4 << 16 + 1), because: "a fixed value above its range")
    }

    @Test func wrongWeightsAndCommitmentsAreRejected() throws {
        let s = try Self.setup()
        // A weight within its bounds but not the committed one: the commitment rule fails.
        Self.expectRejected(s, private: "scorer.weight0[2]", Goldilocks(signed: -29), because: "a weight that is not the committed one")
        // A weight beyond its public bounds.
        Self.expectRejected(s, private: "scorer.weight0[0]", Goldilocks(signed: 256), because: "a weight beyond its bounds")
        // A row that is not the committed one (the model still scores it).
        Self.expectRejected(s, private: "t[3].age", Goldilocks(signed: 22), because: "a row that is not the committed one")
        // A wrong salt.
        Self.expectRejected(s, private: "salt.scorer[0]", 12345, because: "a salt that is not the committed one")
        // A published digest that does not match.
        var inputs = s.inputs
        let index = s.lowered.program.publicInputNames.firstIndex(of: "commitment.scorer_digest[2]")!
        inputs.publicValues[index] = inputs.publicValues[index] + 1
        #expect(throws: WitnessError.self) { try Evaluator(s.lowered.program).generate(inputs) }
    }

    /// A tampered count (an assignment whose count value does not follow from
    /// the rows) is rejected by the constraint system, and so is a tampered
    /// model activation or approval decision taken alone.
    @Test func tamperedIntermediatesAreRejectedByTheConstraintCheck() throws {
        let s = try Self.setup()
        let p = s.lowered.program
        let evaluator = Evaluator(p)
        let honest = try evaluator.generate(s.inputs)
        #expect(evaluator.check(honest.values, publicInputs: honest.publicInputs) == nil)
        var checked = 0
        for i in 0..<p.instructionCount {
            let chain = p.originTable.describe(p.origins[i])
            let interesting = (p.opcodes[i] == .dot && chain.contains("rate over t"))
                || (p.opcodes[i] == .hint && (chain.contains("rescale_clamp") || chain.contains("comparison >=")))
            guard interesting else { continue }
            for v in p.results(of: i) {
                var values = honest.values
                values[v] = values[v] + 1
                #expect(evaluator.check(values, publicInputs: honest.publicInputs) != nil,
                        "changing %\(v) of `\(p.text(ofInstruction: i))` (\(chain)) was accepted")
                checked += 1
            }
        }
        #expect(checked >= 6)
    }

    @Test func loweringIsDeterministic() throws {
        let a = try Self.setup(), b = try Self.setup()
        #expect(a.lowered.program.serialized() == b.lowered.program.serialized())
        #expect(a.lowered.interface == b.lowered.interface)
        let (x, _) = PassPipeline.optimisation.run(a.lowered.program)
        let (y, _) = PassPipeline.optimisation.run(b.lowered.program)
        #expect(x.serialized() == y.serialized())
        #expect(x.text() == y.text())
    }

    /// The circuit depends on the shape only: other rows and weights of the
    /// same shapes give the same program.
    @Test func circuitIsIndependentOfDataAndWeights() throws {
        let (program, sources) = try LoweringHarness.check(Self.policy)
        let one = LoweringHarness.toyModel(), other = LoweringHarness.toyModel(weights: [1, 2, 3, 4, 5, 6], bias: [0, 7])
        func lower(_ m: QuantizedModel) throws -> [UInt8] {
            try PolicyLowering.lower(program, models: ["scorer": ModelBinding(architecture: m.architecture, output: 0)],
                                     rowCounts: ["t": 4], locate: LoweringHarness.locator(sources)).program.serialized()
        }
        #expect(try lower(one) == lower(other))
    }
}

