import CircuitIR
import ConstraintSystem
import Dispatch
import Field
import PolicySemantics
import Stark

/// `zkpolicyc verify`: what a regulator runs. From the policy they hold, the
/// proof's architecture card(s) and row counts it recompiles the circuit and
/// its verifying key, checks that the proof is about this policy, these
/// parameters and these commitments, then checks the STARK proof.
public enum PolicyVerifier {
    /// `--max-rows` by default: the largest single proof measured (10,000
    /// applicants); `prove` makes parts of 1,000 rows beyond 1,000 unless
    /// told otherwise. Recompiling the credit example's circuit for 10,000
    /// rows takes about 50 s and 8 GB on the machines of docs/benchmarks.md
    /// (20,000: 114 s and 16 GB).
    public static let defaultMaxRows = 10_000

    public struct Request: Sendable {
        public var proof: String
        public var policy: String
        /// `--param name=value`: the values the regulator requires (default: the policy's).
        public var params: [String: String] = [:]
        /// `--commitment name=hex`: the published digests the proof must bind.
        public var commitments: [String: String] = [:]
        public var frontEnd = PolicyFrontEnd.Options()
        /// Where verifying keys are kept between runs (`VerifierKeyCache`); nil: always recompile.
        public var keyCache: VerifierKeyCache?
        /// Called with a stage and its completed fraction, for a progress display.
        public var progress: (@Sendable (String, Double) -> Void)?
        /// The most rows of a table that `verify` recompiles a circuit for
        /// (`--max-rows`). The row counts come from the proof, and recompiling
        /// costs time and memory in proportion to them, so without a limit a
        /// proof file of a few kilobytes that claims millions of rows would
        /// keep the verifier busy for minutes and exhaust its memory.
        public var maxRows = PolicyVerifier.defaultMaxRows

        public init(proof: String, policy: String) {
            self.proof = proof
            self.policy = policy
        }
    }

    public struct Outcome: Sendable {
        public var bundle: ProofBundle
        public var proofBytes: Int
        /// Commitments the regulator did not pass with --commitment: taken from
        /// the proof, to be compared with the published ones by hand.
        public var uncheckedCommitments: [String]
        /// Where the verifying key came from.
        public var keySource: KeySource
        /// Why the key cache was not used or not updated (a damaged entry, a
        /// folder that cannot be written), for a warning.
        public var keyCacheNotes: [String]
        /// Seconds to obtain the key (recompiling, or reading the cache) and
        /// to check the proof.
        public var keySeconds: Double
        public var checkSeconds: Double
    }

    /// How `verify` obtained the circuit's verifying key.
    public enum KeySource: Sendable, Equatable {
        /// Recompiled from the policy (no cache in use).
        case recompiled
        /// Recompiled, then stored in the cache at this path.
        case recompiledAndCached(String)
        /// Read from the cache entry at this path.
        case cached(String)
    }

    /// Accepts (returns the outcome) or throws `PipelineError.rejected` with
    /// the reason (or `.input` when a file cannot be read at all).
    public static func verify(_ request: Request) throws -> Outcome {
        // A file that is there but does not decode is a rejected proof, not an input error.
        let bytes = try ProofFile.contents(path: request.proof)
        let bundle: ProofBundle
        do { bundle = try ProofBundle(decoding: bytes) } catch {
            throw PipelineError.rejected("not a valid proof file: \(error)")
        }
        // The STARK proof decodes before the (long) recompilation, so that a
        // truncated proof or one of an older format is rejected at once, and
        // with the decoder's reason.
        let proof: Proof
        do { proof = try Proof(decoding: bundle.starkProof) } catch {
            throw PipelineError.rejected("\(error)")
        }
        let size = bytes.count
        let statement = bundle.statement
        let start = DispatchTime.now()
        let progress = request.progress ?? { _, _ in }
        progress("checking the statement", 0)

        // The proof must be about this very policy.
        let checked = PolicyFrontEnd.check(path: request.policy, options: request.frontEnd)
        guard let program = checked.program, !checked.hasErrors else {
            throw PipelineError.compile(.diagnostics(checked.diagnostics, checked.sources))
        }
        let digest = PolicyDigest.bytes(of: program)
        guard digest == statement.policyDigest else {
            throw PipelineError.rejected("the proof is for another policy: \"\(statement.policyName)\" version \(statement.policyVersion) "
                + "(digest \(ProofDescription.hex(statement.policyDigest))), not \(request.policy) "
                + "(\"\(program.name)\" version \(program.version), digest \(ProofDescription.hex(digest)))")
        }

        // Parameters: the proof must use the values the regulator requires.
        let required = try PolicyProver.params(request.params, program)
        for param in program.params {
            let expected = PolicyProver.paramStatement(param, value: required[param.name] ?? param.value)
            guard let stated = statement.params.first(where: { $0.name == param.name }) else {
                throw PipelineError.rejected("the proof states no value for parameter \(param.name)")
            }
            guard stated.value == expected.value else {
                throw PipelineError.rejected("parameter \(param.name): the proof was made with \(stated.display), "
                    + "but \(request.params[param.name] == nil ? "the policy says" : "you require") \(expected.display)")
            }
        }
        guard statement.params.count == program.params.count else {
            throw PipelineError.rejected("the proof states parameters the policy does not declare")
        }

        // Commitments: the regulator's published values, where given.
        var digests: [String: Poseidon2Digest] = [:]
        var unchecked: [String] = []
        for name in request.commitments.keys.sorted() where !program.commitments.contains(where: { $0.name == name }) {
            throw PipelineError.input("--commitment \(name): the policy declares no commitment `\(name)`")
        }
        for commitment in program.commitments {
            guard let stated = statement.commitments.first(where: { $0.name == commitment.name }),
                  let statedDigest = Poseidon2Digest(hex: stated.hex) else {
                throw PipelineError.rejected("the proof states no value for commitment \(commitment.name)")
            }
            if let text = request.commitments[commitment.name] {
                guard let given = Poseidon2Digest(hex: text) else {
                    throw PipelineError.input("--commitment \(commitment.name)=\(text): not a commitment (64 hexadecimal digits)")
                }
                guard given == statedDigest else {
                    throw PipelineError.rejected("commitment \(commitment.name): the proof binds \(stated.hex), not the published \(given.hex)")
                }
            } else {
                unchecked.append(commitment.name)
            }
            digests[commitment.name] = statedDigest
        }

        // The verdicts are those of this policy's rules, every one holding.
        guard statement.verdicts.map(\.rule) == program.rules.map(\.name) else {
            throw PipelineError.rejected("the proof's rules (\(statement.verdicts.map(\.rule).joined(separator: ", "))) "
                + "are not the policy's (\(program.rules.map(\.name).joined(separator: ", ")))")
        }
        if let failed = statement.verdicts.first(where: { !$0.holds }) {
            throw PipelineError.rejected("the proof states that rule \(failed.rule) does not hold")
        }

        // Recompile the circuit from the policy, the cards and the row counts.
        guard let preset = SecurityPreset(rawValue: statement.security.preset) else {
            throw PipelineError.rejected("unknown security preset \(statement.security.preset)")
        }
        let cards = Dictionary(statement.models.map { ($0.name, $0.architectureCard) }, uniquingKeysWith: { a, _ in a })
        let rowCounts = Dictionary(statement.tables.map { ($0.name, $0.rows) }, uniquingKeysWith: { a, _ in a })
        guard Set(cards.keys) == Set(program.models.map(\.name)), Set(rowCounts.keys) == Set(program.tables.map(\.name)) else {
            throw PipelineError.rejected("the proof's models and tables are not the policy's")
        }
        if !statement.parts.isEmpty {
            let checked = try verifyInParts(bundle, proof: proof, checked: checked, program: program,
                                            preset: preset, cards: cards, rowCounts: rowCounts,
                                            data: PolicyWitnessData(params: required, commitments: digests),
                                            cache: request.keyCache, maxRows: request.maxRows, progress: progress)
            return Outcome(bundle: bundle, proofBytes: size, uncheckedCommitments: unchecked, keySource: checked.source,
                           keyCacheNotes: checked.notes, keySeconds: checked.key, checkSeconds: checked.check)
        }
        let circuit = try verifierCircuit(checked, program: program, policyDigest: digest, preset: preset,
                                          cards: cards, rowCounts: rowCounts, cache: request.keyCache, maxRows: request.maxRows,
                                          progress: progress)
        let key = circuit.key
        guard key.digest.bytes == statement.verifyingKeyDigest else {
            throw PipelineError.rejected("the proof was made for another circuit (verifying key \(ProofDescription.hex(statement.verifyingKeyDigest)), "
                + "the policy and the proof's architecture give \(key.digest.hex))")
        }
        guard Statement.Security(preset: statement.security.preset, weakestOf: [key.security]) == statement.security else {
            throw PipelineError.rejected("the proof overstates its security (\(statement.security)), the key gives \(key.security)")
        }
        let keySeconds = PolicyProver.seconds(since: start)

        // The public inputs the proof must satisfy: the statement as the verifier sees it.
        let publicInputs = try statementValues(circuit.interface, PolicyWitnessData(params: required, commitments: digests),
                                               statement: statement)

        progress("checking the proof", 0)
        let checkSeconds = try check(proof, key: key, publicInputs: publicInputs,
                                     context: ProofBundle.transcriptContext(for: statement), rejecting: "")
        return Outcome(bundle: bundle, proofBytes: size, uncheckedCommitments: unchecked, keySource: circuit.source,
                       keyCacheNotes: circuit.notes, keySeconds: keySeconds, checkSeconds: checkSeconds)
    }

    /// Checks one STARK proof; returns the seconds it took, or throws
    /// `rejected` with the verifier's reason after `prefix`.
    static func check(_ proof: Proof, key: VerifyingKey, publicInputs: [Goldilocks], context: [UInt8],
                      rejecting prefix: String) throws -> Double {
        let start = DispatchTime.now()
        do {
            try StarkVerifier.verify(key: key, publicInputs: publicInputs, proof: proof, context: context)
        } catch {
            throw PipelineError.rejected(prefix + "\(error)")
        }
        return PolicyProver.seconds(since: start)
    }

    /// The values a proof of a circuit with this interface must satisfy:
    /// its public inputs from the statement, then its outputs — each verdict
    /// 1, each `committed` asset's digest as the statement gives it, and a
    /// part's published commitment.
    static func statementValues(_ interface: PolicyInterface, _ data: PolicyWitnessData, statement: Statement,
                                partCommitment: Poseidon2Digest? = nil) throws -> [Goldilocks] {
        var publicInputs: [Goldilocks]
        do {
            publicInputs = try interface.publicInputs(data)
        } catch {
            throw PipelineError.rejected("the proof's statement does not fit the circuit: \(error)")
        }
        for segment in interface.publicOutputs {
            switch segment {
            case .verdict: publicInputs.append(.one)
            case .digest(let asset):
                let name: String
                switch asset {
                case .model(let m): name = "commit(\(m))"
                case .table(let t): name = "commit(\(t))"
                }
                guard let stated = statement.commitments.first(where: { $0.name == name }), let d = Poseidon2Digest(hex: stated.hex) else {
                    throw PipelineError.rejected("the proof states no value for \(name)")
                }
                publicInputs += d.elements
            case .partCommitment where partCommitment != nil:
                publicInputs += partCommitment!.elements
            default:
                throw PipelineError.rejected("the circuit has an output the statement cannot give (\(segment))")
            }
        }
        return publicInputs
    }

    /// The circuit's verifying key and the public layout of its statement —
    /// for a part circuit of a proof in parts (`part`) also its shape: from
    /// the key cache when it holds them, else by recompiling the policy with
    /// the proof's cards and row counts (then stored in the cache).
    static func verifierCircuit(_ checked: PolicyFrontEnd.Checked, program: PolicySemantics.Program, policyDigest: [UInt8],
                                preset: SecurityPreset, cards: [String: [UInt8]], rowCounts: [String: Int], part: Bool = false,
                                cache: VerifierKeyCache?, maxRows: Int, progress: (String, Double) -> Void) throws
        -> (key: VerifyingKey, interface: PolicyInterface, shape: PartShape?, source: KeySource, notes: [String]) {
        var notes: [String] = []
        let fingerprint = cache?.fingerprint(policyDigest: policyDigest, preset: preset, cards: cards, rowCounts: rowCounts,
                                             part: part)
        if let cache, let fingerprint {
            progress("loading the cached verifying key", 0)
            do {
                if let entry = try cache.load(fingerprint) {
                    guard !part || entry.part != nil else { throw VerifierKeyCache.CacheError("the entry has no part shape") }
                    let interface = PolicyInterface(publicInputs: entry.publicInputs, publicOutputs: entry.publicOutputs,
                                                    rowCounts: rowCounts, params: program.params)
                    return (entry.key, interface, entry.part, .cached(cache.path(of: fingerprint)), notes)
                }
            } catch {
                notes.append("the cached key is not used (\(error)); recompiling")
            }
        }

        if let (table, rows) = rowCounts.filter({ $0.value > maxRows }).min(by: { $0.key < $1.key }) {
            throw PipelineError.input("not verified: the proof's \(part ? "part " : "")circuit has \(rows) rows of table `\(table)`, "
                + "more than the \(maxRows) that verify recompiles a circuit for (the cost grows with the rows: "
                + "about 50 s and 8 GB for the credit example at 10,000); pass --max-rows \(rows) to verify it")
        }
        progress("recompiling the circuit", 0)
        let (lowered, key) = try rebuild(checked, cards: cards, rowCounts: rowCounts, target: part ? .part : .whole,
                                         preset: preset, progress: progress)
        // The prover's opened values are not part of the shape a verifier keeps.
        let shape = lowered.part.map {
            PartShape(rowCounts: $0.rowCounts, models: $0.models, aggregates: $0.aggregates, bounds: $0.bounds)
        }
        var source = KeySource.recompiled
        if let cache, let fingerprint {
            do {
                try cache.store(.init(key: key, publicInputs: lowered.interface.publicInputs,
                                      publicOutputs: lowered.interface.publicOutputs, part: shape), as: fingerprint)
                source = .recompiledAndCached(cache.path(of: fingerprint))
            } catch {
                notes.append("the key is not cached: \(error)")
            }
        }
        return (key, lowered.interface, shape, source, notes)
    }

    /// A circuit rebuilt from the policy, the cards and the row counts, and its verifying key.
    static func rebuild(_ checked: PolicyFrontEnd.Checked, cards: [String: [UInt8]], rowCounts: [String: Int],
                        target: LoweringTarget, preset: SecurityPreset,
                        progress: (String, Double) -> Void) throws -> (LoweredPolicy, VerifyingKey) {
        let lowered: LoweredPolicy, optimised: CircuitIR.Program
        switch PolicyCompiler.rebuild(checked, cards: cards, rowCounts: rowCounts, target: target) {
        case .success(let built): (lowered, optimised) = built
        case .failure(let failure): throw PipelineError.rejected("the proof's circuit cannot be rebuilt: \(failure)")
        }
        progress("laying out the circuit", 0)
        do {
            return (lowered, try ConstraintSystem.layout(optimised, parameters: LayoutParameters(preset: preset)).verifyingKey)
        } catch {
            throw PipelineError.rejected("the proof's circuit cannot be laid out: \(error)")
        }
    }
}
