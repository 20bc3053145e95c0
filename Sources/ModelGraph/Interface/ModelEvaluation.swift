/// `zkpolicyc model eval` as a library: evaluate a CSV of samples in the
/// float reference or the quantized (circuit) semantics, or compare the two.
public struct ModelEvaluation: Sendable {
    public let graph: ModelGraph
    public let samples: [[FloatTensor]]
    /// The decimal text of every cell, when the samples came from a CSV: the
    /// quantized evaluation quantizes these exactly (`FixedPoint.quantize(decimal:scale:)`),
    /// as the witness generator does with exact decimal data.
    let cells: [[Substring]]?

    /// Evaluates already-parsed samples (one tensor per graph input each).
    public init(graph: ModelGraph, samples: [[FloatTensor]]) {
        self.graph = graph
        self.samples = samples
        cells = nil
    }

    /// Parses the samples of an input CSV for `graph` (errors name file, line and column).
    public init(graph: ModelGraph, csv text: String, file: String) throws {
        self.graph = graph
        let table = try CSVTable(parsing: text, file: file)
        samples = try ModelCSV.floatInputs(table, graph: graph, file: file)
        cells = table.rows
        guard !samples.isEmpty else { throw ModelError(.input, "\(file): no data rows") }
    }

    /// One row of flattened outputs per sample, in the float reference.
    public func float() throws -> [[Double]] {
        let evaluator = FloatEvaluator(graph: graph)
        return try samples.map { try evaluator.run($0).flatMap(\.scalars) }
    }

    /// Quantizes the model, calibrating on `calibration` (default: the samples themselves).
    public func quantize(calibration: [[FloatTensor]]? = nil, options: QuantizationOptions = QuantizationOptions()) throws -> QuantizedModel {
        try Quantizer(options: options).quantize(graph, calibration: calibration ?? samples)
    }

    /// One row of flattened outputs per sample, in the quantized semantics (as real values).
    public func quantized(_ model: QuantizedModel) throws -> [[Double]] {
        let evaluator = IntegerEvaluator(model: model)
        guard let cells else { return try samples.map { try evaluator.run(real: $0).flatMap(\.scalars) } }
        let a = model.architecture
        return try cells.map { row in
            var start = 0
            let inputs = try a.inputs.map { input -> IntTensor in
                let spec = a.tensors[input.tensor]
                defer { start += spec.count }
                return IntTensor(shape: spec.shape, scalars: try row[start ..< start + spec.count].map { cell in
                    guard let q = FixedPoint.quantize(decimal: cell, scale: spec.scale), q.magnitude < UInt64(FixedPoint.inputLimit) else {
                        throw ModelError(.input, "value '\(cell)' of input '\(input.name)' does not fit at scale 2^\(spec.scale)")
                    }
                    return q
                })
            }
            return evaluator.dequantize(try evaluator.run(inputs)).flatMap(\.scalars)
        }
    }

    /// The output CSV: header and rows.
    public func csv(_ rows: [[Double]]) -> String {
        ([ModelCSV.outputHeader(graph).joined(separator: ",")] + rows.map { $0.map(ModelCSV.format).joined(separator: ",") })
            .joined(separator: "\n") + "\n"
    }

    /// Differences between the quantized and the float outputs.
    public struct Comparison: Sendable {
        public var rows: Int
        public var maxAbsoluteDifference: Double
        /// Where the maximum occurs: column name and 1-based data row.
        public var maxAt: (column: String, row: Int)
        public var meanAbsoluteDifference: Double
        /// Rows whose class decision differs (label column, else argmax of the scores).
        public var decisionsDiffering: Int
    }

    public func compare(quantized q: [[Double]], float f: [[Double]]) -> Comparison {
        let header = ModelCSV.outputHeader(graph)
        var maxDiff = 0.0, at = (header.first ?? "", 1), sum = 0.0, n = 0, differing = 0
        let signature = graph.signature
        let offsets = graph.outputs.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        for (r, (a, b)) in zip(q, f).enumerated() {
            for (c, (x, y)) in zip(a, b).enumerated() {
                let d = abs(x - y)
                sum += d
                n += 1
                if d > maxDiff { maxDiff = d; at = (header[c], r + 1) }
            }
            func decision(_ row: [Double]) -> Int {
                if let l = signature.labelOutput { return Int(row[offsets[l]]) }
                let s = signature.scoresOutput
                let slice = row[offsets[s] ..< offsets[s + 1]]
                return slice.indices.max { slice[$0] < slice[$1] || (slice[$0] == slice[$1] && $0 > $1) } ?? 0
            }
            if decision(a) != decision(b) { differing += 1 }
        }
        return Comparison(rows: q.count, maxAbsoluteDifference: maxDiff, maxAt: at,
                          meanAbsoluteDifference: n == 0 ? 0 : sum / Double(n), decisionsDiffering: differing)
    }
}
