import Testing
@testable import ModelGraph

/// The library behind `zkpolicyc model eval` / `model info`.
@Suite struct ModelEvaluationTests {
    @Test func csvRoundTripAndCompare() throws {
        let text = try Fixtures.text("credit_gbt.inputs.csv")
        let graph = try ModelGraph(bytes: try Fixtures.bytes("credit_gbt"))
        let evaluation = try ModelEvaluation(graph: graph, csv: text, file: "x.csv")
        let float = try evaluation.float()
        let model = try evaluation.quantize()
        let quantized = try evaluation.quantized(model)
        // Exact decimal quantization of the cells agrees with quantizing their Doubles here
        // (the cells are exact float32 values, far from rounding ties).
        let viaDoubles = try evaluation.samples.map { try IntegerEvaluator(model: model).run(real: $0).flatMap(\.scalars) }
        #expect(quantized == viaDoubles)
        let csv = evaluation.csv(quantized)
        let table = try CSVTable(parsing: csv, file: "out.csv")
        #expect(table.header == ["label", "probabilities[0]", "probabilities[1]"])
        #expect(table.rows.count == 200)
        // The printed text reads back as the same values.
        #expect(table.rows.map { $0.map { Double($0)! } } == quantized)
        let c = evaluation.compare(quantized: quantized, float: float)
        // Independent recomputation of the comparison.
        let diffs = zip(quantized, float).flatMap { zip($0, $1).map { abs($0 - $1) } }
        #expect(c.maxAbsoluteDifference == diffs.max())
        #expect(abs(c.meanAbsoluteDifference - diffs.reduce(0, +) / Double(diffs.count)) < 1e-15)
        #expect(c.decisionsDiffering == zip(quantized, float).filter { $0[0] != $1[0] }.count)
    }

    @Test func badRowsNameFileLineAndColumn() throws {
        let graph = try ModelGraph(bytes: try Fixtures.bytes("iris_linreg"))
        let short = try #require(throws: ModelError.self) { try ModelEvaluation(graph: graph, csv: "a,b,c\n1,2\n", file: "x.csv") }
        #expect(short.message == "x.csv:2: expected 3 values (the model's inputs flattened), found 2")
        let word = try #require(throws: ModelError.self) { try ModelEvaluation(graph: graph, csv: "a,b,c\n\n1,2,3\n1,two,3\n", file: "x.csv") }
        #expect(word.message == "x.csv:4:2: 'two' is not a number")
        let infinite = try #require(throws: ModelError.self) { try ModelEvaluation(graph: graph, csv: "a,b,c\n1,inf,3\n", file: "x.csv") }
        #expect(infinite.message.contains("x.csv:2:2"))
        #expect(throws: ModelError.self) { try ModelEvaluation(graph: graph, csv: "a,b,c\n", file: "x.csv") }
        #expect(throws: ModelError.self) { try ModelEvaluation(graph: graph, csv: "", file: "x.csv") }
    }

    @Test func infoNamesShapesAndOutputs() throws {
        let text = try ModelSummary(bytes: try Fixtures.bytes("credit_logreg")).render(file: "m.onnx")
        #expect(text.contains("X: tensor(float)[?, 20]  per sample: tensor[20]"))
        #expect(text.contains("output_label: tensor(int64)[?]  per sample: tensor[]  (label)"))
        #expect(text.contains("(scores, the default output)  (ZipMap dropped: its probabilities)"))
        #expect(text.contains("supported: yes"))
        // 20 offsets + 20 scales + 40 coefficients + 2 intercepts (+ ZipMap's 2 labels are ints: not counted).
        #expect(text.contains("parameters: 82"))
    }
}

/// Several inputs: CSV columns are split in input order, and both semantics agree.
@Test func severalInputsTakeTheirColumnsInOrder() throws {
    let concat = ModelBuilder.node("Concat", ["a", "b"], ["ab"], attributes: [{
        var axis = Onnx_AttributeProto(); axis.name = "axis"; axis.type = .int; axis.i = 1; return axis
    }()])
    let gemm = ModelBuilder.node("MatMul", ["ab", "W"], ["y"])
    let model = ModelBuilder.model([concat, gemm], inputs: [ModelBuilder.valueInfo("a", [nil, 2]), ModelBuilder.valueInfo("b", [nil, 3])],
                                   outputs: [ModelBuilder.valueInfo("y", [nil, 1])],
                                   initializers: [ModelBuilder.tensor("W", [5, 1], [1, 10, 100, 1000, 10000])])
    let graph = try ModelGraph(bytes: try ModelBuilder.bytes(model))
    let evaluation = try ModelEvaluation(graph: graph, csv: "a0,a1,b0,b1,b2\n1,2,3,4,5\n0.5,0,0,0,-1\n", file: "x.csv")
    #expect(evaluation.samples[0].map(\.scalars) == [[1, 2], [3, 4, 5]])
    let float = try evaluation.float()
    #expect(float == [[54321], [-9999.5]])
    let quantized = try evaluation.quantized(try evaluation.quantize())
    #expect(zip(quantized, float).allSatisfy { abs($0[0] - $1[0]) <= 1e-3 * abs($1[0]) })
}
