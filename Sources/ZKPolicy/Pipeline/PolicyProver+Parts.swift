import CircuitIR
import ConstraintSystem
import Dispatch
import Field
import PolicySemantics
import Stark

// `zkpolicyc prove --part-rows N`: a proof in parts (docs/circuit.md §10).
// Each part of the rows is compiled, proven and released before the next,
// so memory is that of one part whatever the total; then the combining
// circuit opens every part's commitment and proves the rules.
extension PolicyProver {
    /// The rows of every table in each part: k = ⌈largest table / partRows⌉
    /// parts, each table cut into k runs of consecutive rows as even as
    /// possible (so parts of equal size share one circuit).
    static func partRanges(_ rowCounts: [String: Int], partRows: Int) -> [[String: Range<Int>]] {
        let largest = rowCounts.values.max() ?? 0
        // ⌈largest / partRows⌉ without forming largest + partRows − 1, which
        // overflows for a part size near Int.max.
        let size = max(1, partRows)
        let k = max(1, largest / size + (largest % size == 0 ? 0 : 1))
        return (0..<k).map { p in rowCounts.mapValues { n in (p * n / k)..<((p + 1) * n / k) } }
    }

    /// One part's circuit, kept while consecutive parts have its row counts.
    struct PartCircuit {
        var rowCounts: [String: Int]
        var lowered: LoweredPolicy
        var optimised: CircuitIR.Program
        var cs: ConstraintSystem
    }

    static func proveInParts(_ request: Request, evaluated: Evaluated, partRows: Int, start: DispatchTime,
                             progress: @escaping @Sendable (String, Double) -> Void) throws -> Outcome {
        let prepared = evaluated.prepared
        let ranges = partRanges(prepared.rowCounts, partRows: partRows)
        let k = ranges.count
        let parameters = LayoutParameters(preset: request.preset)
        let policyDigest = PolicyDigest.bytes(of: prepared.program)
        let skip = evaluated.compileRequest.skipPasses
        var timing = (compile: seconds(since: start), layout: 0.0, prove: 0.0)
        var partStatements: [Statement.Part] = [], partProofs: [[UInt8]] = []
        var shapes: [PartShape] = [], commitments: [Poseidon2Digest] = [], openings: [[Goldilocks]] = []
        var traceRows = 0, traceColumns = 0
        var estimates: [SecurityEstimate] = []

        var circuit: PartCircuit?
        for (p, range) in ranges.enumerated() {
            let label = "part \(p + 1) of \(k)"
            let partProgress: @Sendable (String, Double) -> Void = { stage, fraction in progress("\(label): \(stage)", fraction) }
            let rowCounts = range.mapValues(\.count)
            if circuit?.rowCounts != rowCounts {
                circuit = nil
                let compileStart = DispatchTime.now()
                partProgress("lowering the policy", 0)
                let (lowered, optimised) = try lower(prepared, rowCounts: rowCounts, target: .part, skip: skip)
                try requireSalts(lowered.interface, evaluated.assetSalts, files: evaluated.files, path: request.saltFile)
                timing.compile += seconds(since: compileStart)
                let layoutStart = DispatchTime.now()
                partProgress("laying out the circuit", 0)
                let cs = try layout(optimised, parameters: parameters, progress: partProgress)
                timing.layout += seconds(since: layoutStart)
                circuit = PartCircuit(rowCounts: rowCounts, lowered: lowered, optimised: optimised, cs: cs)
            }
            let part = circuit!
            let shape = part.lowered.part!

            partProgress("assigning the witness", 0)
            let assignStart = DispatchTime.now()
            var data = evaluated.data
            data.tables = data.tables.mapValues { $0.rows(range[$0.table]!) }
            data.partSalt = SaltFile.freshSalt()
            let inputs = try witnessInputs(part.lowered.witnessInputs(data))
            // The opening is read from the program as lowered (optimisation
            // renumbers values), the assignment from the optimised one.
            let witnesses = ConcurrentPair({ try CircuitIR.Evaluator(part.lowered.program).generate(inputs) },
                                           { try CircuitIR.Evaluator(part.optimised).generate(inputs) })
            let asLowered: Witness, irWitness: Witness
            do { (asLowered, irWitness) = (try witnesses.first.get(), try witnesses.second.get()) } catch {
                // A part checks its rows' expressions without the conditions
                // around their aggregate (docs/circuit.md §10), so data the
                // whole policy accepts can fail here.
                throw PipelineError.input("\(label): the part's circuit rejects its rows: \(error). A part checks every row's "
                    + "expressions even where a condition around the aggregate would skip them; prove with --part-rows none")
            }
            let advice: [[Goldilocks]], publicInputs: [Goldilocks]
            do { (advice, publicInputs) = try part.cs.assign(irWitness) } catch {
                throw PipelineError.input("\(label): the circuit cannot be assigned: \(error)")
            }
            timing.layout += seconds(since: assignStart)
            let commitment = Poseidon2Digest(irWitness.publicOutputs)

            let proveStart = DispatchTime.now()
            let proof: Proof
            do {
                proof = try StarkProver.prove(key: part.cs.provingKey, witness: consume advice, publicInputs: publicInputs,
                                              context: ProofBundle.partTranscriptContext(policyDigest: policyDigest, index: p, count: k),
                                              options: proverOptions(request, progress: partProgress))
            } catch {
                throw PipelineError.input("\(label): the prover refused the witness (a compiler bug, please report it): \(error)")
            }
            timing.prove += seconds(since: proveStart)
            estimates.append(part.cs.verifyingKey.security)
            traceRows = max(traceRows, part.cs.circuit.rows)
            traceColumns = max(traceColumns, part.cs.stats.adviceColumns)
            partProofs.append(proof.encoded())
            shapes.append(shape)
            commitments.append(commitment)
            openings.append(shape.opening(asLowered))
            partStatements.append(Statement.Part(
                tables: prepared.program.tables.map { Statement.Table(name: $0.name, rows: rowCounts[$0.name] ?? 0) },
                commitment: commitment.hex, verifyingKeyDigest: part.cs.verifyingKeyDigest.bytes))
        }
        circuit = nil

        // The combining circuit, over the totals.
        let combineProgress: @Sendable (String, Double) -> Void = { stage, fraction in progress("combining the parts: \(stage)", fraction) }
        let compileStart = DispatchTime.now()
        combineProgress("lowering the policy", 0)
        let (lowered, optimised) = try lower(prepared, rowCounts: prepared.rowCounts, target: .combine(shapes), skip: skip)
        timing.compile += seconds(since: compileStart)
        let layoutStart = DispatchTime.now()
        combineProgress("laying out the circuit", 0)
        var data = evaluated.data
        data.partCommitments = commitments
        data.partOpenings = openings
        let cs = try layout(optimised, parameters: parameters, progress: combineProgress)
        let irWitness: Witness
        do { irWitness = try CircuitIR.Evaluator(optimised).generate(try lowered.witnessInputs(data)) } catch {
            throw PipelineError.input("the combining circuit rejects the parts (a compiler bug, please report it): \(error)")
        }
        let advice: [[Goldilocks]], publicInputs: [Goldilocks]
        do { (advice, publicInputs) = try cs.assign(irWitness) } catch {
            throw PipelineError.input("the combining circuit cannot be assigned: \(error)")
        }
        timing.layout += seconds(since: layoutStart)
        let compiled = CompiledPolicy(prepared: prepared, lowered: lowered, optimised: optimised, passes: [],
                                      loweringSeconds: 0, optimisationSeconds: 0)
        var statement = try Self.statement(compiled, data: data, params: evaluated.params, commitments: evaluated.commitments,
                                           cs: cs, preset: request.preset, irWitness: irWitness)
        statement.parts = partStatements
        statement.security = Statement.Security(preset: request.preset.rawValue,
                                                weakestOf: estimates + [cs.verifyingKey.security])

        let proveStart = DispatchTime.now()
        let proof: Proof
        do {
            proof = try StarkProver.prove(key: cs.provingKey, witness: consume advice, publicInputs: publicInputs,
                                          context: ProofBundle.transcriptContext(for: statement),
                                          options: proverOptions(request, progress: combineProgress))
        } catch {
            throw PipelineError.input("the prover refused the combining witness (a compiler bug, please report it): \(error)")
        }
        timing.prove += seconds(since: proveStart)
        let report = ProverReport(toolVersion: ZKPolicyVersion.current, proveMilliseconds: Int(timing.prove * 1000),
                                  totalMilliseconds: Int(seconds(since: start) * 1000),
                                  traceRows: traceRows, traceColumns: traceColumns)
        let bundle = ProofBundle(statement: statement, report: report, starkProof: proof.encoded(), partProofs: partProofs)
        progress("writing the proof", 1)
        let bytes = try ProofFile.write(bundle, to: request.output)
        return Outcome(bundle: bundle, bytes: bytes, compileSeconds: timing.compile, layoutSeconds: timing.layout,
                       proveSeconds: timing.prove)
    }

    /// One circuit of a proof in parts, lowered and optimised.
    static func lower(_ prepared: PreparedPolicy, rowCounts: [String: Int], target: LoweringTarget,
                      skip: Set<String>) throws -> (LoweredPolicy, CircuitIR.Program) {
        switch PolicyCompiler.lower(prepared, rowCounts: rowCounts, target: target, skipPasses: skip) {
        case .success(let built): return built
        case .failure(let failure): throw PipelineError.compile(failure)
        }
    }

    static func layout(_ program: CircuitIR.Program, parameters: LayoutParameters,
                       progress: @escaping @Sendable (String, Double) -> Void) throws -> ConstraintSystem {
        do {
            return try ConstraintSystem.layout(program, parameters: parameters,
                                               progress: { progress("laying out the circuit", 0.9 * $0) })
        } catch {
            throw PipelineError.input("the circuit cannot be laid out: \(error)")
        }
    }

    /// The witness inputs of a circuit; a failure is the data's.
    static func witnessInputs(_ inputs: @autoclosure () throws -> WitnessInputs) throws -> WitnessInputs {
        do { return try inputs() } catch {
            throw PipelineError.input("the data does not fit the circuit: \(error)")
        }
    }
}
