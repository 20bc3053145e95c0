import Field

/// A synthetic circuit of the shape the lowering will produce for "a credit
/// model over a table": every row's features go through a quantized MLP
/// (fixed point, ReLU, rescale), each score is compared with a threshold, the
/// approvals are counted, and the weights are committed with Poseidon2.
/// Used by `zkpolicy-bench circuit` and the scale tests; not a lowering.
///
/// Quantization: features are signed 12-bit at scale 2^8, weights signed 8-bit
/// at scale 2^6, biases signed 20-bit at scale 2^14; after each layer the
/// accumulator is rescaled by 2^6 (round to nearest, ties up) back to scale 2^8.
public struct SyntheticMLP: Sendable {
    /// Table rows, each scored by the model.
    public var rows: Int
    /// Layer widths, input first: [20, 64, 64, 1] is a 20-feature, two hidden
    /// layers of 64 model.
    public var widths: [Int]
    /// Whether each layer is one `matmul` over all rows (true) or one `dot`
    /// per row and unit (false, the scalar form).
    public var useMatmul: Bool

    public init(rows: Int, widths: [Int] = [20, 64, 64, 1], useMatmul: Bool = true) {
        precondition(rows >= 1 && widths.count >= 2 && widths.allSatisfy { $0 >= 1 })
        self.rows = rows
        self.widths = widths
        self.useMatmul = useMatmul
    }

    /// Weights and biases, the committed values, in the order they are declared.
    public var weightCount: Int { zip(widths, widths.dropFirst()).map { $0 * $1 + $1 }.reduce(0, +) }

    /// The circuit. Inputs: public `threshold`; private weights and biases
    /// layer by layer, the 4-element salt, then the features row by row.
    /// Outputs: the model digest (4 values) and the number of approved rows.
    public func build() throws -> Program {
        let b = CircuitBuilder(name: "synthetic MLP \(widths.map(String.init).joined(separator: "x")) over \(rows) rows")
        let threshold = try b.publicInput("threshold")
        try b.signedRangeCheck(threshold, bits: 32)
        // Weights (private), layer by layer: W (in × out, row-major), then biases.
        var weights: [[Value]] = [], biases: [[Value]] = []
        var committed: [Value] = []
        try b.withOrigin(Origin("model weights")) {
            for (l, (n, m)) in zip(widths, widths.dropFirst()).enumerated() {
                let w = try (0..<(n * m)).map { try b.privateInput("W\(l)[\($0)]") }
                let c = try (0..<m).map { try b.privateInput("b\(l)[\($0)]") }
                for v in w { try b.signedRangeCheck(v, bits: 8) }
                for v in c { try b.signedRangeCheck(v, bits: 20) }
                weights.append(w)
                biases.append(c)
                committed += w + c
            }
        }
        let salt = try (0..<Poseidon2Sponge.saltLength).map { try b.privateInput("salt[\($0)]") }
        let digest = try b.withOrigin(Origin("commit(model)")) { try b.poseidon2Commit(salt: salt, values: committed) }
        for (k, v) in digest.enumerated() { try b.publicOutput("model_digest[\(k)]", v) }

        var activations = try (0..<(rows * widths[0])).map { k in
            let x = try b.privateInput("x[\(k / widths[0])][\(k % widths[0])]")
            try b.signedRangeCheck(x, bits: 12)
            return x
        }
        for (l, (n, m)) in zip(widths, widths.dropFirst()).enumerated() {
            let last = l == widths.count - 2
            activations = try b.withOrigin(Origin("layer \(l)")) {
                let products: [Value]
                if useMatmul {
                    products = try b.matmul(activations, weights[l], rows: rows, inner: n, columns: m)
                } else {
                    products = try (0..<(rows * m)).map { e in
                        let (r, c) = (e / m, e % m)
                        return try b.dot(Array(activations[(r * n)..<(r * n + n)]), (0..<n).map { weights[l][$0 * m + c] })
                    }
                }
                return try products.enumerated().map { e, p in
                    let z = b.linear([(Int64(1), p), (Int64(1) << 8, biases[l][e % m])])
                    let scaled = try b.rescale(z, shift: 6, rounding: .nearestTiesUp)
                    return last ? scaled : try b.relu(scaled)
                }
            }
        }
        let approvals = try b.withOrigin(Origin("count approvals")) {
            try activations.map { try b.greaterOrEqual($0, threshold) }
        }
        try b.publicOutput("approved", b.linear(approvals.map { (Int64(1), $0) }))
        return b.finish()
    }

    /// Deterministic pseudo-random inputs in the quantization ranges.
    public func inputs(seed: UInt64 = 1) -> WitnessInputs {
        var rng = SplitMix64(seed: seed)
        func signed(_ bits: Int) -> Goldilocks {
            Goldilocks(signed: Int64(rng.next() % (UInt64(1) << bits)) - (Int64(1) << (bits - 1)))
        }
        var privateValues: [Goldilocks] = []
        for (n, m) in zip(widths, widths.dropFirst()) {
            privateValues += (0..<(n * m)).map { _ in signed(8) }
            privateValues += (0..<m).map { _ in signed(20) }
        }
        privateValues += (0..<Poseidon2Sponge.saltLength).map { _ in Goldilocks(rng.next()) }
        privateValues += (0..<(rows * widths[0])).map { _ in signed(12) }
        return WitnessInputs(public: [0], private: privateValues)
    }
}

extension Program {
    /// Bytes held by the instruction storage and pools (not counting string
    /// contents and table rows): what "millions of instructions" cost.
    public var storageBytes: Int {
        opcodes.count + 4 * (origins.count + operandStart.count + resultStart.count + operands.count) + 8 * constants.count
    }
}
