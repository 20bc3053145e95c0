import Field
import Testing
@testable import CircuitIR

@Suite struct PassTests {
    static let seeds: [UInt64] = Array(1...40)

    /// Each pass, on random programs and random inputs: the result is a valid
    /// program that accepts exactly the same inputs with the same outputs.
    @Test(arguments: PassPipeline.all.map(\.name))
    func passKeepsMeaning(name: String) throws {
        let pass = try #require(PassPipeline.pass(named: name))
        var accepted = 0, rejected = 0, changed = 0
        for seed in Self.seeds {
            let p = RandomProgram.make(seed: seed)
            let q = pass.run(p)
            try q.validate()
            if ProgramStats(q) != ProgramStats(p) { changed += 1 }
            #expect(q.publicInputNames == p.publicInputNames && q.privateInputNames == p.privateInputNames)
            #expect(q.publicOutputNames == p.publicOutputNames)
            for k in 0..<8 {
                let inputs = RandomProgram.inputs(seed: seed &* 1000 &+ UInt64(k))
                let before = RandomProgram.outcome(p, inputs)
                #expect(RandomProgram.outcome(q, inputs) == before, "\(name) changed program \(seed) on inputs \(k)")
                if before == .rejected { rejected += 1 } else { accepted += 1 }
            }
        }
        // The property is not vacuous: both outcomes occur and the pass did something.
        #expect(accepted > 60 && rejected > 60, "accepted \(accepted), rejected \(rejected)")
        print("\(name): accepted \(accepted), rejected \(rejected), changed \(changed) of \(Self.seeds.count)")
        #expect(changed > 5, "\(name) changed only \(changed) programs")
    }

    /// The whole optimiser, and the optimiser with any one pass off.
    @Test func pipelinesKeepMeaning() throws {
        let pipelines = [Set<String>()] + PassPipeline.optimisation.passes.map { Set([$0.name]) }
        for seed in Self.seeds.prefix(20) {
            let p = RandomProgram.make(seed: seed)
            for skipping in pipelines {
                let (q, reports) = PassPipeline.optimisation.run(p, skipping: skipping)
                try q.validate()
                #expect(reports.count == PassPipeline.optimisation.passes.count - skipping.count)
                #expect(q.instructionCount <= p.instructionCount)
                for k in 0..<6 {
                    let inputs = RandomProgram.inputs(seed: seed &* 7919 &+ UInt64(k))
                    #expect(RandomProgram.outcome(q, inputs) == RandomProgram.outcome(p, inputs))
                }
                // Proven bounds of the outputs never get looser.
                let before = BoundAnalysis(p), after = BoundAnalysis(q)
                for (x, y) in zip(Self.outputs(p), Self.outputs(q)) {
                    #expect(after[y].isSubset(of: before[x]), "bound of an output loosened by skipping \(skipping)")
                }
            }
        }
    }

    @Test func optimiserSavesInstructionsAndReportsIt() {
        let p = RandomProgram.make(seed: 99, steps: 80)
        let (q, reports) = PassPipeline.optimisation.run(p)
        #expect(q.instructionCount < p.instructionCount)
        #expect(reports.map(\.pass) == PassPipeline.optimisation.passes.map(\.name))
        #expect(reports.first?.before == ProgramStats(p))
        #expect(reports.last?.after == ProgramStats(q))
        for report in reports { #expect(report.description.hasPrefix("\(report.pass): ")) }
    }

    /// Progress names each pass as it starts, with the fraction of passes done,
    /// and leaves out skipped passes.
    @Test func optimiserReportsProgressPerPass() {
        let p = RandomProgram.make(seed: 7, steps: 40)
        var seen: [(String, Double)] = []
        let skipped = PassPipeline.optimisation.passes[1].name
        let (q, reports) = PassPipeline.optimisation.run(p, skipping: [skipped]) { seen.append(($0, $1)) }
        #expect(seen.map(\.0) == reports.map(\.pass))
        #expect(!seen.map(\.0).contains(skipped))
        let count = Double(PassPipeline.optimisation.passes.count - 1)
        #expect(seen.map(\.1) == seen.indices.map { Double($0) / count })
        #expect(ProgramStats(q) == ProgramStats(PassPipeline.optimisation.run(p, skipping: [skipped]).0))
    }

    /// Lowering the whole optimised program leaves only lookups for ranges and
    /// no matmul or poseidon2, and still means the same.
    @Test func loweringPassesComplete() throws {
        for seed in Self.seeds.prefix(10) {
            let p = PassPipeline.optimisation.run(RandomProgram.make(seed: seed)).0
            let lowered = PassPipeline([.expandRangeChecks, .expandMatmul, .expandPoseidon2]).run(p).0
            try lowered.validate()
            #expect(!lowered.opcodes.contains(.rangeCheck) && !lowered.opcodes.contains(.matmul) && !lowered.opcodes.contains(.poseidon2))
            for k in 0..<4 {
                let inputs = RandomProgram.inputs(seed: seed &+ 500 &+ UInt64(k))
                #expect(RandomProgram.outcome(lowered, inputs) == RandomProgram.outcome(p, inputs))
            }
        }
    }

    static func outputs(_ p: Program) -> [Value] {
        (0..<p.instructionCount).filter { p.opcodes[$0] == .publicOutput }.map { Value(p.operands(of: $0).last!) }
    }
}
