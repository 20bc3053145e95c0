import Field
@testable import Stark

/// Small, fast parameters for tests (the soundness of the checks does not depend on them).
let testParameters = StarkParameters(logBlowup: 3, queryCount: 8, grindingBits: 2, logFoldingFactor: 2, logFinalDegree: 3)

/// The test parameters over the extension of degree 2 (`testParameters`) or 3.
func testParameters(degree: Int) -> StarkParameters {
    var p = testParameters
    p.extensionDegree = degree
    return p
}

/// A deterministic generator for reproducible random circuits.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A circuit using every gate kind: arithmetic (q_m·a·b + q_l·a + q_r·b + q_o·c + q_c),
/// a wide accumulate gate (acc' = acc + Σ x_i·w_i over 4 pairs), a boolean gate,
/// copy constraints, an 8-bit range lookup, a 2-column table lookup and a public input.
struct ExampleCircuit {
    var circuit: Circuit
    var witness: [[Goldilocks]]
    var publicInputs: [Goldilocks]

    // Advice layout.
    static let a = 0, b = 1, c = 2, acc = 3, x0 = 4, w0 = 8, bit = 12, r0 = 13, t0 = 14, t1 = 15
    static let adviceCount = 16
    // Fixed layout.
    static let qm = 0, ql = 1, qr = 2, qo = 3, qc = 4, qAcc = 5, qBool = 6, qRange = 7, qTable = 8

    init(logRows: Int, parameters: StarkParameters = testParameters, seed: UInt64 = 1) {
        var rng = SplitMix(state: seed)
        let n = 1 << logRows
        let usable = n - parameters.blindingRows
        func rand() -> Goldilocks { Goldilocks.random(using: &rng) }
        var advice = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: usable), count: Self.adviceCount)
        var fixed = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: usable), count: 9)
        // Arithmetic rows alternate multiplication and addition gates.
        for r in 0 ..< usable {
            let a = rand(), b = rand()
            advice[Self.a][r] = a
            advice[Self.b][r] = b
            if r % 2 == 0 {
                fixed[Self.qm][r] = .one; fixed[Self.qo][r] = -.one
                advice[Self.c][r] = a * b
            } else {
                fixed[Self.ql][r] = 2; fixed[Self.qr][r] = 3; fixed[Self.qo][r] = -.one; fixed[Self.qc][r] = 5
                advice[Self.c][r] = 2 * a + 3 * b + 5
            }
        }
        // Accumulator: acc[r+1] = acc[r] + Σ x_i·w_i on transition rows.
        var running = Goldilocks.zero
        for r in 0 ..< usable {
            advice[Self.acc][r] = running
            var dot = Goldilocks.zero
            for i in 0 ..< 4 {
                let x = rand(), w = rand()
                advice[Self.x0 + i][r] = x
                advice[Self.w0 + i][r] = w
                dot += x * w
            }
            if r < usable - 1 { fixed[Self.qAcc][r] = .one }
            running += dot
        }
        // Booleans, 8-bit range values, and (v, v²) pairs from a small table.
        let tableSize = min(64, usable)
        for r in 0 ..< usable {
            advice[Self.bit][r] = Goldilocks(rng.next() & 1)
            fixed[Self.qBool][r] = .one
            advice[Self.r0][r] = Goldilocks(rng.next() & 0xFF)
            fixed[Self.qRange][r] = r % 3 == 0 ? .zero : .one
            let v = Goldilocks(rng.next() % UInt64(tableSize))
            advice[Self.t0][r] = v
            advice[Self.t1][r] = v * v
            fixed[Self.qTable][r] = .one
        }
        // Copy constraints: c of row 2k equals a of row 2k+1 (so patch the witness).
        var copies: [CopyConstraint] = []
        for r in stride(from: 0, to: min(usable - 1, 40), by: 2) {
            copies.append(CopyConstraint(Cell(column: Self.c, row: r), Cell(column: Self.a, row: r + 1)))
            advice[Self.a][r + 1] = advice[Self.c][r]
            let a = advice[Self.a][r + 1], b = advice[Self.b][r + 1]
            advice[Self.c][r + 1] = 2 * a + 3 * b + 5
        }
        copies.append(CopyConstraint(Cell(column: Self.bit, row: 3), Cell(column: Self.bit, row: 7)))
        advice[Self.bit][7] = advice[Self.bit][3]

        func A(_ i: Int, _ r: Rotation) -> Expression { .advice(i, r) }
        func Q(_ i: Int) -> Expression { .fixed(i) }
        let gates = [
            Gate("arithmetic", Q(Self.qm) * A(Self.a, .current) * A(Self.b, .current) + Q(Self.ql) * A(Self.a, .current)
                 + Q(Self.qr) * A(Self.b, .current) + Q(Self.qo) * A(Self.c, .current) + Q(Self.qc)),
            Gate("accumulate", Q(Self.qAcc) * (A(Self.acc, .next) - A(Self.acc, .current)
                 - .sum(of: (0 ..< 4).map { A(Self.x0 + $0, .current) * A(Self.w0 + $0, .current) }))),
            Gate("boolean", Q(Self.qBool) * A(Self.bit, .current) * (A(Self.bit, .current) - .one)),
            Gate("first accumulator is zero", .selector(.first) * A(Self.acc, .current)),
        ]
        let squares = LookupTable(name: "squares", columns: [
            (0 ..< tableSize).map { Goldilocks(UInt64($0)) },
            (0 ..< tableSize).map { Goldilocks(UInt64($0 * $0)) },
        ])
        let lookups = [
            Lookup(name: "byte range", selector: Q(Self.qRange), inputs: [A(Self.r0, .current)], table: 0),
            Lookup(name: "square pair", selector: Q(Self.qTable), inputs: [A(Self.t0, .current), A(Self.t1, .current)], table: 1),
        ]
        let publicCells = [Cell(column: Self.c, row: 0), Cell(column: Self.acc, row: usable - 1)]
        circuit = Circuit(logRows: logRows, fixedColumns: fixed, adviceColumnCount: Self.adviceCount, gates: gates,
                          tables: [.range(bits: 8), squares], lookups: lookups, copyConstraints: copies,
                          publicInputs: publicCells)
        witness = advice
        publicInputs = publicCells.map { advice[$0.column][$0.row] }
    }
}

/// Proves with checks off (testing the verifier against a lying prover).
func proveUnchecked(_ key: ProvingKey, _ witness: [[Goldilocks]], _ publicInputs: [Goldilocks]) throws -> Proof {
    var options = ProverOptions()
    options.skipWitnessChecks = true
    return try StarkProver.prove(key: key, witness: witness, publicInputs: publicInputs, options: options)
}
