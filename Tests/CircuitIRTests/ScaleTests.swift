import Field
import Testing
@testable import CircuitIR

/// The synthetic MLP workload at a size the debug test run can afford.
@Suite struct ScaleTests {
    @Test func matmulAndScalarFormsAgree() throws {
        let matmul = SyntheticMLP(rows: 6, widths: [5, 4, 3, 1], useMatmul: true)
        let scalar = SyntheticMLP(rows: 6, widths: [5, 4, 3, 1], useMatmul: false)
        let p = try matmul.build(), q = try scalar.build()
        let inputs = matmul.inputs(seed: 3)
        let a = try Evaluator(p).generate(inputs), b = try Evaluator(q).generate(inputs)
        #expect(a.publicOutputs == b.publicOutputs)
        // The matmul form stores far fewer operands.
        #expect(p.operands.count < q.operands.count)
        // Optimised and lowered, the outcome is unchanged.
        let lowered = PassPipeline(PassPipeline.optimisation.passes + [.expandMatmul, .expandRangeChecks]).run(p).0
        #expect(try Evaluator(lowered).generate(inputs).publicOutputs == a.publicOutputs)
    }

    /// The model's arithmetic, recomputed in plain Swift integers, matches the circuit.
    @Test func matchesAnIntegerReferenceModel() throws {
        let mlp = SyntheticMLP(rows: 8, widths: [20, 64, 64, 1])
        let p = try mlp.build()
        let inputs = mlp.inputs(seed: 9)
        let out = try Evaluator(p).generate(inputs).publicOutputs
        var values = inputs.privateValues.map(\.signedValue)[...]
        var layers: [([Int64], [Int64])] = []
        for (n, m) in zip(mlp.widths, mlp.widths.dropFirst()) {
            let w = Array(values.prefix(n * m)); values = values.dropFirst(n * m)
            let c = Array(values.prefix(m)); values = values.dropFirst(m)
            layers.append((w, c))
        }
        values = values.dropFirst(Poseidon2Sponge.saltLength)
        var approved = 0
        for r in 0..<mlp.rows {
            var a = Array(values.dropFirst(r * mlp.widths[0]).prefix(mlp.widths[0]))
            for (l, (w, c)) in layers.enumerated() {
                let m = c.count
                a = (0..<m).map { j in
                    let z = (0..<a.count).map { a[$0] * w[$0 * m + j] }.reduce(0, +) + c[j] * 256
                    let scaled = Int64((Double(z) / 64 + 0.5).rounded(.down))
                    return l == layers.count - 1 ? scaled : Swift.max(scaled, 0)
                }
            }
            if a[0] >= 0 { approved += 1 }
        }
        #expect(out.last == Goldilocks(UInt64(approved)))
        let weights = Array(inputs.privateValues.prefix(mlp.weightCount))
        let salt = Array(inputs.privateValues.dropFirst(mlp.weightCount).prefix(4))
        #expect(Array(out.prefix(4)) == Poseidon2Sponge.commit(salt: salt, values: weights).elements)
    }

    @Test func hundredRowsBuildOptimiseAndEvaluate() throws {
        let mlp = SyntheticMLP(rows: 100, widths: [20, 16, 16, 1])
        let p = try mlp.build()
        let (q, reports) = PassPipeline.optimisation.run(p)
        let inputs = mlp.inputs()
        #expect(try Evaluator(q).generate(inputs).publicOutputs == Evaluator(p).generate(inputs).publicOutputs)
        #expect(reports.count == 6)
        #expect(q.instructionCount < p.instructionCount)
    }
}
