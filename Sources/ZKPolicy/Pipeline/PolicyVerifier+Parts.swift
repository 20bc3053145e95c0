import CircuitIR
import ConstraintSystem
import Dispatch
import Field
import PolicySemantics
import Stark

// Verifying a proof in parts (docs/circuit.md §10): every part's proof
// against its circuit with its published commitment as the output, then the
// combining proof with all of them as inputs. Parts of equal row counts
// share one circuit, rebuilt once or read from the key cache with its
// shape; the combining circuit (small) is always rebuilt.
extension PolicyVerifier {
    /// Checks every proof of a bundle in parts; returns the seconds spent
    /// rebuilding keys and checking proofs, or throws `rejected`.
    static func verifyInParts(_ bundle: ProofBundle, proof: Proof, checked: PolicyFrontEnd.Checked,
                              program: PolicySemantics.Program, preset: SecurityPreset, cards: [String: [UInt8]],
                              rowCounts: [String: Int], data: PolicyWitnessData, cache: VerifierKeyCache?,
                              maxRows: Int, progress: (String, Double) -> Void) throws
        -> (key: Double, check: Double, source: KeySource, notes: [String]) {
        let statement = bundle.statement
        let parts = statement.parts
        let tables = program.tables.map(\.name)
        var partRows: [[String: Int]] = []
        for (p, part) in parts.enumerated() {
            guard part.tables.map(\.name) == tables else {
                throw PipelineError.rejected("part \(p + 1) of the proof lists other tables than the policy's")
            }
            partRows.append(Dictionary(part.tables.map { ($0.name, $0.rows) }, uniquingKeysWith: { a, _ in a }))
        }
        for table in tables where partRows.reduce(0, { $0 + $1[table]! }) != rowCounts[table] {
            throw PipelineError.rejected("the parts' rows of \(table) do not add up to the \(rowCounts[table]!) rows the proof states")
        }
        var partProofs: [Proof] = []
        for (p, bytes) in bundle.partProofs.enumerated() {
            do { partProofs.append(try Proof(decoding: bytes)) } catch {
                throw PipelineError.rejected("part \(p + 1): \(error)")
            }
        }
        let policyDigest = statement.policyDigest
        var keySeconds = 0.0, checkSeconds = 0.0
        var estimates: [SecurityEstimate] = []

        var circuit: (rows: [String: Int], key: VerifyingKey, interface: PolicyInterface, shape: PartShape)?
        var shapes: [PartShape] = []
        var source: KeySource?
        var notes: [String] = []
        for (p, part) in parts.enumerated() {
            let label = "part \(p + 1) of \(parts.count)"
            if circuit?.rows != partRows[p] {
                let start = DispatchTime.now()
                let built = try verifierCircuit(checked, program: program, policyDigest: policyDigest, preset: preset,
                                                cards: cards, rowCounts: partRows[p], part: true, cache: cache, maxRows: maxRows,
                                                progress: { progress("\(label): \($0)", $1) })
                circuit = (partRows[p], built.key, built.interface, built.shape!)
                source = source ?? built.source
                notes += built.notes
                keySeconds += PolicyProver.seconds(since: start)
            }
            let (_, key, interface, shape) = circuit!
            guard key.digest.bytes == part.verifyingKeyDigest else {
                throw PipelineError.rejected("\(label) was made for another circuit (verifying key \(ProofDescription.hex(part.verifyingKeyDigest)), "
                    + "the policy and the proof's architecture give \(key.digest.hex))")
            }
            guard let commitment = Poseidon2Digest(hex: part.commitment) else {
                throw PipelineError.rejected("\(label) states no commitment")
            }
            estimates.append(key.security)
            let inputs = try statementValues(interface, data, statement: statement, partCommitment: commitment)
            progress("\(label): checking the proof", 0)
            checkSeconds += try check(partProofs[p], key: key, publicInputs: inputs,
                                      context: ProofBundle.partTranscriptContext(policyDigest: policyDigest, index: p,
                                                                                 count: parts.count),
                                      rejecting: "\(label): ")
            shapes.append(shape)
        }
        circuit = nil

        let start = DispatchTime.now()
        progress("combining the parts: recompiling the circuit", 0)
        let (lowered, key) = try rebuild(checked, cards: cards, rowCounts: rowCounts, target: .combine(shapes), preset: preset,
                                         progress: { progress("combining the parts: \($0)", $1) })
        keySeconds += PolicyProver.seconds(since: start)
        guard key.digest.bytes == statement.verifyingKeyDigest else {
            throw PipelineError.rejected("the combining proof was made for another circuit (verifying key \(ProofDescription.hex(statement.verifyingKeyDigest)), "
                + "the policy and the proof's architecture give \(key.digest.hex))")
        }
        let weakest = Statement.Security(preset: statement.security.preset, weakestOf: estimates + [key.security])
        guard weakest == statement.security else {
            throw PipelineError.rejected("the proof overstates its security (\(statement.security)), its keys give \(weakest)")
        }
        var combined = data
        combined.partCommitments = parts.compactMap { Poseidon2Digest(hex: $0.commitment) }
        let inputs = try statementValues(lowered.interface, combined, statement: statement)
        progress("combining the parts: checking the proof", 0)
        checkSeconds += try check(proof, key: key, publicInputs: inputs, context: ProofBundle.transcriptContext(for: statement),
                                  rejecting: "the combining proof: ")
        return (keySeconds, checkSeconds, source ?? .recompiled, notes)
    }
}
