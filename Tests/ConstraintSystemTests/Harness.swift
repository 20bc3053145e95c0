import CircuitIR
import Field
@testable import ConstraintSystem
@testable import Stark

/// Small, fast proof parameters: the layout's soundness does not depend on them.
let testStark = StarkParameters(logBlowup: 3, queryCount: 8, grindingBits: 2, logFoldingFactor: 2, logFinalDegree: 3)
let testLayout = LayoutParameters(stark: testStark)

/// A program laid out, with an honest witness and the proof's public inputs.
struct Laid {
    let program: Program
    let cs: ConstraintSystem
    let irWitness: Witness
    var advice: [[Goldilocks]]
    var publicInputs: [Goldilocks]

    init(_ program: Program, _ inputs: WitnessInputs, parameters: LayoutParameters = testLayout) throws {
        self.program = program
        cs = try ConstraintSystem.layout(program, parameters: parameters)
        irWitness = try Evaluator(program).generate(inputs)
        (advice, publicInputs) = try cs.assign(irWitness)
    }

    func prove() throws -> Proof {
        try StarkProver.prove(key: cs.provingKey, witness: advice, publicInputs: publicInputs)
    }

    /// A proof made without the honest prover's checks (a cheating prover).
    func forge(_ advice: [[Goldilocks]], _ publicInputs: [Goldilocks]) throws -> Proof {
        var options = ProverOptions()
        options.skipWitnessChecks = true
        return try StarkProver.prove(key: cs.provingKey, witness: advice, publicInputs: publicInputs, options: options)
    }

    func verify(_ proof: Proof, _ publicInputs: [Goldilocks]? = nil) throws {
        try StarkVerifier.verify(key: cs.verifyingKey, publicInputs: publicInputs ?? self.publicInputs, proof: proof)
    }

    /// Cells of column-major advice where `predicate(row, column)` holds, filled ones first.
    func cells(where predicate: (Int, Int) -> Bool) -> [(row: Int, column: Int)] {
        var found: [(Int, Int)] = []
        for r in 0 ..< cs.rowCount {
            for j in 0 ..< cs.shape.C where predicate(r, j) { found.append((r, j)) }
        }
        return found
    }

    func role(_ r: Int, _ j: Int) -> UInt8 { cs.cellRoles[r * cs.shape.C + j] }
}

/// A program with every instruction kind: inputs and outputs, constants,
/// add/sub/mul/linear/dot, hints (division, comparison), range checks of
/// several widths, a named-table lookup, Poseidon2, matmul and assert_eq.
func everyKindProgram() throws -> (Program, WitnessInputs) {
    let b = CircuitBuilder(name: "every kind")
    let p = try b.publicInput("p")
    try b.rangeCheck(p, bits: 10)
    let x = try b.privateInput("x", bits: 12)
    let y = try b.privateInput("y", bits: 20)
    let z = try b.privateInput("z", bits: 8)
    let sum = b.add(x, y), difference = b.sub(y, x)
    let product = b.mul(sum, difference)
    let affine = b.linear([(Int64(3), x), (Int64(-2), z), (Int64(5), p)], constant: 7)
    let d = try b.dot([x, y, z], [z, p, x])
    let (q, r) = try b.divRem(affine, byConstant: 13)
    let lt = try b.lessThan(x, z)
    let square = try b.table(LookupTable.function(name: "square", domain: 0 ... 255) { $0 * $0 })
    let zz = try b.lookup(square, key: z)
    try b.rangeCheck(b.linear([(Int64(1), zz)], constant: 1), bits: 17)
    let digest = try b.poseidon2([x, y, z, p, q, r, lt, zz, d, product, affine, b.constant(9)])
    let m = try b.matmul([x, y, z, p], [z, p, x, y, q, r], rows: 2, inner: 2, columns: 3)
    b.assertEqual(b.add(q, q), b.linear([(Int64(2), q)]))
    try b.rangeCheck(r, bits: 4)
    try b.publicOutput("digest0", digest[0])
    try b.publicOutput("m5", m[5])
    try b.publicOutput("lt", lt)
    try b.publicOutput("p again", p)
    try b.publicOutput("sum", b.add(m[0], m[1]))
    return (b.finish(), WitnessInputs(public: [700], private: [3001, 999_999, 200]))
}
