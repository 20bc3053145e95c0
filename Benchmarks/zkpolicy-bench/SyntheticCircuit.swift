import Field
import Stark

/// A random table of a given shape that uses every gate kind, copy constraints
/// and lookups, for benchmarking the prover.
///
/// Advice columns: 0 a, 1 b, 2 c (arithmetic gate q_m·a·b + q_l·a + q_r·b + q_o·c + q_c),
/// 3 acc (wide accumulate gate acc' = acc + a·b + Σ x_i·w_i over the pairs of
/// columns 8 ..< C), 4 a boolean, 5 a 16-bit value (range lookup), 6 and 7 a pair
/// (v, v²) looked up in a two-column table. Copy constraints tie c of even rows
/// to a of the following row on the first quarter of the table.
struct SyntheticCircuit {
    let circuit: Circuit
    let witness: [[Goldilocks]]
    let publicInputs: [Goldilocks]

    init(logRows: Int, columns: Int, parameters: StarkParameters) {
        precondition(columns >= 8 && columns % 2 == 0, "columns must be even and at least 8")
        let n = 1 << logRows
        let usable = n - parameters.blindingRows
        var rng = SystemRandomNumberGenerator()
        func rand() -> Goldilocks { Goldilocks.random(using: &rng) }
        var advice = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: usable), count: columns)
        var fixed = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: usable), count: 9)
        let (qm, ql, qr, qo, qc, qAcc, qBool, qRange, qTable) = (0, 1, 2, 3, 4, 5, 6, 7, 8)
        let rangeBits = min(16, (usable).bitWidth - usable.leadingZeroBitCount - 1)
        let squares = 256
        let copyRows = usable / 4
        var running = Goldilocks.zero
        for r in 0 ..< usable {
            var a = rand()
            let b = rand()
            if r % 2 == 1 && r - 1 < copyRows { a = advice[2][r - 1] }  // copied from c of the row above
            advice[0][r] = a
            advice[1][r] = b
            if r % 2 == 0 {
                fixed[qm][r] = .one; fixed[qo][r] = -.one
                advice[2][r] = a * b
            } else {
                fixed[ql][r] = 2; fixed[qr][r] = 3; fixed[qo][r] = -.one; fixed[qc][r] = 5
                advice[2][r] = 2 * a + 3 * b + 5
            }
            advice[3][r] = running
            var dot = a * b
            for i in stride(from: 8, to: columns, by: 2) {
                let x = rand(), w = rand()
                advice[i][r] = x
                advice[i + 1][r] = w
                dot += x * w
            }
            if r < usable - 1 { fixed[qAcc][r] = .one }
            running += dot
            advice[4][r] = Goldilocks(rng.next() & 1)
            fixed[qBool][r] = .one
            advice[5][r] = Goldilocks(rng.next() & ((1 << rangeBits) - 1))
            fixed[qRange][r] = .one
            let v = Goldilocks(rng.next() % UInt64(squares))
            advice[6][r] = v
            advice[7][r] = v * v
            fixed[qTable][r] = .one
        }
        var copies: [CopyConstraint] = []
        for r in stride(from: 0, to: copyRows, by: 2) where r + 1 < usable {
            copies.append(CopyConstraint(Cell(column: 2, row: r), Cell(column: 0, row: r + 1)))
        }
        func A(_ i: Int, _ rotation: Rotation = .current) -> Expression { .advice(i, rotation) }
        func Q(_ i: Int) -> Expression { .fixed(i) }
        var dotTerms = [A(0) * A(1)]
        for i in stride(from: 8, to: columns, by: 2) { dotTerms.append(A(i) * A(i + 1)) }
        let gates = [
            Gate("arithmetic", Q(qm) * A(0) * A(1) + Q(ql) * A(0) + Q(qr) * A(1) + Q(qo) * A(2) + Q(qc)),
            Gate("accumulate", Q(qAcc) * (A(3, .next) - A(3) - .sum(of: dotTerms))),
            Gate("boolean", Q(qBool) * A(4) * (A(4) - .one)),
            Gate("accumulator starts at zero", .selector(.first) * A(3)),
        ]
        let tables = [
            LookupTable.range(bits: rangeBits),
            LookupTable(name: "squares", columns: [(0 ..< squares).map { Goldilocks(UInt64($0)) },
                                                   (0 ..< squares).map { Goldilocks(UInt64($0 * $0)) }]),
        ]
        let lookups = [
            Lookup(name: "range", selector: Q(qRange), inputs: [A(5)], table: 0),
            Lookup(name: "square", selector: Q(qTable), inputs: [A(6), A(7)], table: 1),
        ]
        let publicCells = [Cell(column: 3, row: usable - 1)]
        circuit = Circuit(logRows: logRows, fixedColumns: fixed, adviceColumnCount: columns, gates: gates,
                          tables: tables, lookups: lookups, copyConstraints: copies, publicInputs: publicCells)
        witness = advice
        publicInputs = publicCells.map { advice[$0.column][$0.row] }
    }
}
