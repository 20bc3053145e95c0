import BigNumber
import Field
import Foundation
import ModelGraph
@testable import PolicySemantics
import PolicySyntax
import Testing
@testable import CircuitIR

/// A policy whose rows are split into parts (`LoweringTarget`): every part
/// circuit and the combining circuit, run on the parts of random tables,
/// give the whole policy's circuit's outputs exactly (verdicts and both
/// sides of every rule's comparison), and the combining circuit refuses an
/// opening that is not what a part committed to.
@Suite struct LoweringPartsTests {
    /// Part sizes for a table of n ≥ 12 rows: halves; a one-row part, a
    /// small one and the rest (so that parts miss groups and filters); and an
    /// empty part (a smaller table cut into as many parts as a larger one).
    static func splits(_ n: Int) -> [[Int]] { [[n / 2, n - n / 2], [1, 4, n - 5], [0, n]] }

    struct Split {
        var program: HIRProgram
        var sources: SourceMap
        var tables: [String: TableRows]
        var models: [String: QuantizedModel] = ["scorer": LoweringHarness.toyModel()]
        /// A different model for some parts (by part index).
        var modelOfPart: [Int: QuantizedModel] = [:]
        var params: [String: PolicySemantics.Param.Value] = [:]
        var commitments: [String: Poseidon2Digest] = [:]
        var probes: [(name: String, expr: Expr)] = []

        var bindings: [String: ModelBinding] { models.mapValues { ModelBinding(architecture: $0.architecture, output: 0) } }

        /// Every part's lowered circuit, commitment and opening.
        func parts(_ sizes: [Int]) throws -> [(lowered: LoweredPolicy, commitment: Poseidon2Digest, opening: [Goldilocks])] {
            var start = 0
            var result: [(LoweredPolicy, Poseidon2Digest, [Goldilocks])] = []
            for (p, size) in sizes.enumerated() {
                let range = start..<(start + size)
                start += size
                let rows = tables.mapValues { $0.rows(range) }
                let lowering = PolicyLowering(program, models: bindings, rowCounts: rows.mapValues(\.count), target: .part,
                                              locate: LoweringHarness.locator(sources))
                lowering.probes = probes
                let lowered = try lowering.run()
                try lowered.program.validate()
                var data = PolicyWitnessData(tables: rows, params: params, commitments: commitments,
                                             weights: (modelOfPart[p].map { ["scorer": $0] } ?? models).mapValues(\.weights),
                                             salts: LoweringHarness.salts(lowered))
                data.partSalt = (0..<4).map { _ in Goldilocks(UInt64.random(in: 0..<Goldilocks.modulus)) }
                let inputs = try lowered.witnessInputs(data)
                let witness = try CircuitIR.Evaluator(lowered.program).generate(inputs)
                // The optimised part commits to the same values.
                let (optimised, _) = PassPipeline.optimisation.run(lowered.program)
                let run = try CircuitIR.Evaluator(optimised).execute(inputs)
                #expect(run.failure == nil && run.outputs == witness.publicOutputs, "part \(p): the optimised circuit differs")
                // The commitment is the documented sponge over the opening.
                let opening = lowered.part!.opening(witness)
                #expect(Poseidon2Sponge.hash(opening, domain: Poseidon2Sponge.Domain.part).elements == witness.publicOutputs)
                #expect(Array(opening.prefix(4)) == data.partSalt)
                result.append((lowered, Poseidon2Digest(witness.publicOutputs), opening))
            }
            return result
        }

        /// The combining circuit over parts of these shapes.
        func combining(_ shapes: [PartShape]) throws -> LoweredPolicy {
            let lowering = PolicyLowering(program, models: bindings, rowCounts: tables.mapValues(\.count),
                                          target: .combine(shapes), locate: LoweringHarness.locator(sources))
            lowering.probes = probes
            let lowered = try lowering.run()
            try lowered.program.validate()
            return lowered
        }

        /// The combining circuit's outputs by name, and where it failed,
        /// before and after optimisation (which must agree).
        func combine(_ sizes: [Int], tamper: (inout PolicyWitnessData) -> Void = { _ in })
            throws -> (outputs: [String: Goldilocks], failure: WitnessError?) {
            let parts = try self.parts(sizes)
            let lowered = try combining(parts.map { $0.lowered.part! })
            var data = PolicyWitnessData(params: params, commitments: commitments)
            data.partCommitments = parts.map(\.commitment)
            data.partOpenings = parts.map(\.opening)
            tamper(&data)
            let inputs = try lowered.witnessInputs(data)
            let (optimised, _) = PassPipeline.optimisation.run(lowered.program)
            let runs = try [lowered.program, optimised].map { try CircuitIR.Evaluator($0).execute(inputs) }
            #expect(runs[0].outputs == runs[1].outputs && (runs[0].failure == nil) == (runs[1].failure == nil),
                    "the optimised combining circuit differs")
            return (Dictionary(uniqueKeysWithValues: Swift.zip(lowered.program.publicOutputNames, runs[0].outputs)), runs[0].failure)
        }
    }

    /// The whole policy's circuit (checked against the HIR evaluator by the
    /// harness), its outputs by name and where it failed.
    static func whole(_ text: String, tables: @escaping (HIRProgram) throws -> [String: TableRows],
                      commitments: ((HIRProgram, [Asset: [Goldilocks]], [String: TableRows]) -> [String: Poseidon2Digest])? = nil)
        throws -> (outputs: [String: Goldilocks], failure: WitnessError?, outcome: LoweringHarness.Outcome) {
        let outcome = try LoweringHarness.compare(text, tables: tables, commitments: commitments)
        let run = try CircuitIR.Evaluator(outcome.optimised).execute(outcome.inputs)
        return (Dictionary(uniqueKeysWithValues: Swift.zip(outcome.optimised.publicOutputNames, run.outputs)), run.failure, outcome)
    }

    static func split(_ text: String, rows: Int, seed: UInt64) throws -> Split {
        let (program, sources) = try LoweringHarness.check(text)
        return Split(program: program, sources: sources, tables: try LoweringPolicyTests.data(rows: rows, seed: seed)(program),
                     probes: LoweringHarness.probes(program))
    }

    @Test(arguments: LoweringPolicyTests.cases.indices)
    func partsGiveTheWholePolicysOutputs(_ index: Int) throws {
        let (name, rules) = LoweringPolicyTests.cases[index]
        let text = LoweringPolicyTests.prelude + rules
        for (rows, seed) in LoweringPolicyTests.seeds {
            let whole = try Self.whole(text, tables: LoweringPolicyTests.data(rows: rows, seed: seed))
            let split = try Self.split(text, rows: rows, seed: seed)
            for sizes in Self.splits(rows) {
                let combined = try split.combine(sizes)
                #expect(combined.outputs == whole.outputs, "\(name), \(rows) rows as \(sizes): outputs differ")
                #expect(combined.failure?.origin == whole.failure?.origin,
                        "\(name), \(rows) rows as \(sizes): the whole circuit failed at \(whole.failure?.origin ?? "nothing"), the parts at \(combined.failure?.origin ?? "nothing")")
            }
        }
    }

    /// Every opened value is bound by the part's commitment: a reduction
    /// changed by one, two parts' openings swapped, or another salt is refused
    /// where the combining circuit checks the commitment.
    @Test func theCombiningCircuitRefusesAnOpeningThePartDidNotCommitTo() throws {
        let split = try Self.split(LoweringPolicyTests.prelude + LoweringPolicyTests.cases[2].1, rows: 25, seed: 7)
        let honest = try split.combine([12, 13])
        #expect(honest.failure == nil || !honest.failure!.origin.contains("opening"))
        let opening = try split.parts([12, 13])[1].opening
        let tampered: [(String, (inout PolicyWitnessData) -> Void)] = [
            ("a reduction plus one", { $0.partOpenings[1][opening.count - 1] += .one }),
            ("the salt", { $0.partOpenings[0][0] += .one }),
            ("the openings swapped", { $0.partOpenings.swapAt(0, 1) }),
            ("the commitments swapped", { $0.partCommitments.swapAt(0, 1) }),
        ]
        for (what, change) in tampered {
            let run = try split.combine([12, 13], tamper: change)
            #expect(run.failure?.origin.contains("opening of part") == true, "\(what): \(run.failure?.description ?? "accepted")")
        }
    }

    /// A part that applied another model (or the same one under another
    /// salt) commits to another digest: the combining circuit refuses it,
    /// and with a committed model its digest output is the parts' digest.
    @Test func everyPartMustApplyTheSameModel() throws {
        let text = LoweringPolicyTests.prelude + """
        commitment scorer_digest
        rule r1: integrity.model_matches(scorer, scorer_digest)
        rule r2: rate(a in t: approved(a)) <= 90%
        """
        let digests = publishedDigests(models: ["scorer": LoweringHarness.toyModel()])
        let whole = try Self.whole(text, tables: LoweringPolicyTests.data(rows: 20, seed: 5), commitments: digests)
        #expect(whole.outputs["rule.r1"] == .one)
        var split = try Self.split(text, rows: 20, seed: 5)
        split.commitments = digests(split.program, LoweringHarness.salts(whole.outcome.lowered), split.tables)
        let honest = try split.combine([8, 12])
        #expect(honest.outputs == whole.outputs && honest.failure?.origin == whole.failure?.origin)

        split.modelOfPart = [1: LoweringHarness.toyModel(weights: [61, -40, -30, 70, 20, 10])]
        let mixed = try split.combine([8, 12])
        #expect(mixed.failure?.origin.contains("opening of part 1") == true, "\(mixed.failure?.description ?? "accepted")")
    }

    /// What a split cannot prove is refused with its reason and place.
    @Test func unsplittablePoliciesAreRefused() throws {
        let nested = try Self.split(LoweringPolicyTests.prelude + "rule r1: count(a in t where a.age > mean(b in t: b.age)) >= 1",
                                    rows: 12, seed: 1)
        #expect(throws: LoweringError.self) { _ = try nested.parts([6, 6]) }
        do { _ = try nested.parts([6, 6]) } catch let error as LoweringError {
            #expect(error.message.contains("inside another aggregate"), "\(error)")
            #expect(error.location != nil)
        }

        let committedTable = LoweringPolicyTests.prelude.replacingOccurrences(of: "} private\nparam threshold", with: "} committed\nparam threshold")
        #expect(committedTable != LoweringPolicyTests.prelude)
        let table = try Self.split(committedTable + "rule r1: count(a in t) >= 1", rows: 12, seed: 1)
        do {
            _ = try table.parts([6, 6])
            Issue.record("a committed table was split")
        } catch let error as LoweringError {
            #expect(error.message.contains("commits to table `t`"), "\(error)")
        }
    }

    /// A part checks its rows' expressions without the conditions around
    /// their aggregate: here the whole policy never divides by the zero
    /// income (the left side of `and` is false), but the part holding that row
    /// does, and refuses it; the other part proves.
    @Test func aPartChecksItsRowsWithoutTheOuterCondition() throws {
        let text = LoweringPolicyTests.prelude + "rule r1: count(a in t) > 1000 and count(a in t where 10 / a.income > 1) >= 1"
        var split = try Self.split(text, rows: 12, seed: 3)
        let rows = split.tables["t"]!
        var zeroIncome = try TableRows(schema: split.program.table(named: "t")!)
        let income = rows.fields.firstIndex { $0.name == "income" }!
        for r in 0..<rows.count {
            var values = rows.fields.indices.flatMap { Array(rows.values(row: r, field: $0)) }
            if r == 9 {
                let offset = rows.fields[..<income].reduce(0) { $0 + $1.elements }
                values[offset] = 0
            }
            try zeroIncome.append(values)
        }
        split.tables["t"] = zeroIncome
        let whole = try Self.whole(text, tables: { _ in ["t": zeroIncome] })
        #expect(whole.outcome.reference["r1"] == .some(false))
        #expect(whole.failure?.origin.contains("rule r1 holds") == true, "\(whole.failure?.description ?? "accepted")")
        #expect(throws: WitnessError.self) { _ = try split.parts([6, 6]) }
        // The rows before the zero income prove as a part.
        #expect(try split.parts([9]).count == 1)
    }

    /// The combining circuit is compiled for the parts' total rows, and for
    /// parts of the policy's own aggregates.
    @Test func partsMustFitTheCombiningCircuit() throws {
        let split = try Self.split(LoweringPolicyTests.prelude + LoweringPolicyTests.cases[0].1, rows: 12, seed: 1)
        let shapes = try split.parts([6, 6]).map { $0.lowered.part! }
        #expect(throws: LoweringError.self) { _ = try split.combining(Array(shapes.prefix(1))) }
        let other = try Self.split(LoweringPolicyTests.prelude + LoweringPolicyTests.cases[1].1, rows: 12, seed: 1)
        let otherShapes = try other.parts([6, 6]).map { $0.lowered.part! }
        #expect(throws: LoweringError.self) { _ = try split.combining(otherShapes) }
        #expect(throws: LoweringError.self) { _ = try split.combining([]) }
    }
}
