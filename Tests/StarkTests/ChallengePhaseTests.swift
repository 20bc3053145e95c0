import Testing
import Field
@testable import Stark

/// A Freivalds-style matrix check built on a caller-defined challenge phase:
/// H = X·W with W a public 3×2 matrix. For a challenge r, the phase column
/// holds h_r[i] = Σ_j H[i][j]·r^j, and two gates bind it:
///   h_r = H[i][0] + r·H[i][1]   and   h_r = Σ_k X[i][k]·v_k,  v_k = W[k][0] + r·W[k][1],
/// so H = X·W holds row by row except with probability 1/|F²| over r.
struct FreivaldsExample {
    static let W: [[Goldilocks]] = [[3, 5], [7, 11], [13, 17]]
    var circuit: Circuit
    var witness: [[Goldilocks]]

    /// h_r[i] = H[i][0] + r·H[i][1], in whichever extension the proof uses.
    struct Fill: PhaseFilling {
        func fill<E: ExtensionField>(_ input: PhaseInput<E>) throws -> [[E]] {
            let r = input.challenges[0][0]
            return [(0 ..< input.usableRows).map { i in E(input.advice[3][i]) + r * input.advice[4][i] }]
        }
    }

    init(logRows: Int, corruptRow: Int? = nil, parameters: StarkParameters = testParameters) {
        let usable = (1 << logRows) - parameters.blindingRows
        var rng = SplitMix(state: 99)
        var X = (0 ..< 3).map { _ in [Goldilocks](repeating: .zero, count: usable) }
        var H = (0 ..< 2).map { _ in [Goldilocks](repeating: .zero, count: usable) }
        for i in 0 ..< usable {
            for k in 0 ..< 3 { X[k][i] = Goldilocks.random(using: &rng) }
            for j in 0 ..< 2 { H[j][i] = (0 ..< 3).reduce(Goldilocks.zero) { $0 + X[$1][i] * Self.W[$1][j] } }
        }
        if let corruptRow { H[1][corruptRow] += .one }
        witness = X + H
        let r = Expression.challenge(phase: 1, index: 0)
        let hr = Expression.phaseColumn(1, 0)
        let v = (0 ..< 3).map { k in Expression.constant(Self.W[k][0]) + r * .constant(Self.W[k][1]) }
        let gates = [
            Gate("h_r from H", hr - (.advice(3) + r * .advice(4))),
            Gate("h_r from X·W", hr - .sum(of: (0 ..< 3).map { .advice($0) * v[$0] })),
        ]
        let phase = ChallengePhase(name: "freivalds", challengeCount: 1, columnCount: 1, filling: Fill())
        circuit = Circuit(logRows: logRows, adviceColumnCount: 5, gates: gates, phases: [phase])
    }
}

@Suite struct ChallengePhaseTests {
    @Test(arguments: [2, 3])
    func freivaldsCheckProvesAndVerifies(degree: Int) throws {
        let example = FreivaldsExample(logRows: 8, parameters: testParameters(degree: degree))
        let key = try ProvingKey(circuit: example.circuit, parameters: testParameters(degree: degree))
        let proof = try StarkProver.prove(key: key, witness: example.witness, publicInputs: [])
        try StarkVerifier.verify(key: key.verifyingKey, publicInputs: [], proof: proof)
    }

    @Test(arguments: [2, 3])
    func wrongMatrixProductIsRefusedAndRejected(degree: Int) throws {
        let example = FreivaldsExample(logRows: 8, corruptRow: 17, parameters: testParameters(degree: degree))
        let key = try ProvingKey(circuit: example.circuit, parameters: testParameters(degree: degree))
        #expect(throws: StarkError.gateNotSatisfied(gate: "h_r from X·W", constraint: 0, row: 17)) {
            try StarkProver.prove(key: key, witness: example.witness, publicInputs: [])
        }
        let forged = try proveUnchecked(key, example.witness, [])
        #expect(throws: VerificationError.outOfDomainCheckFailed) {
            try StarkVerifier.verify(key: key.verifyingKey, publicInputs: [], proof: forged)
        }
    }

    @Test func fillClosureShapeIsChecked() throws {
        var example = FreivaldsExample(logRows: 8)
        let phase = example.circuit.phases[0]
        example.circuit.phases[0] = ChallengePhase(name: phase.name, challengeCount: phase.challengeCount,
                                                   columnCount: phase.columnCount) { _ in [[.one]] }
        let key = try ProvingKey(circuit: example.circuit, parameters: testParameters)
        #expect(throws: StarkError.self) { try StarkProver.prove(key: key, witness: example.witness, publicInputs: []) }
    }

    /// A fill closure is written for the quadratic extension: it proves there,
    /// and a proof over the cubic one refuses it by name instead of misreading it.
    @Test func aQuadraticFillClosureIsRefusedOverTheCubicExtension() throws {
        for degree in [2, 3] {
            var example = FreivaldsExample(logRows: 8, parameters: testParameters(degree: degree))
            let phase = example.circuit.phases[0]
            example.circuit.phases[0] = ChallengePhase(name: phase.name, challengeCount: 1, columnCount: 1) { input in
                let r = input.challenges[0][0]
                return [(0 ..< input.usableRows).map { i in GoldilocksExt2(input.advice[3][i]) + r * input.advice[4][i] }]
            }
            let key = try ProvingKey(circuit: example.circuit, parameters: testParameters(degree: degree))
            if degree == 2 {
                let proof = try StarkProver.prove(key: key, witness: example.witness, publicInputs: [])
                try StarkVerifier.verify(key: key.verifyingKey, publicInputs: [], proof: proof)
            } else {
                #expect {
                    try StarkProver.prove(key: key, witness: example.witness, publicInputs: [])
                } throws: { error in
                    if case .phaseFillInvalid(phase: "freivalds", _)? = error as? StarkError { return true }
                    return false
                }
            }
        }
    }
}
