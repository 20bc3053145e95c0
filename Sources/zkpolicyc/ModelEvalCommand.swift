import ArgumentParser
import ModelGraph

/// `zkpolicyc model eval M.onnx --input X.csv [--float] [--compare]`
struct ModelEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Run a model on every row of a CSV file.",
        discussion: """
            X.csv has a header row, then one sample per row: the model's input tensor flattened \
            in row-major order (for several inputs, their columns in input order). The output is \
            a CSV with a header naming NAME[i] columns (NAME alone for a one-value output), then \
            per sample every output flattened in output order: a classifier's label first, then \
            its probabilities (ZipMap is dropped).

            By default the quantized semantics are used: the fixed-point integer program that \
            the circuit reproduces, with scales calibrated on the input rows themselves (or on \
            --calibration). --float uses the float reference instead. --compare prints, instead \
            of the rows, the largest and mean absolute difference between the two and how many \
            class decisions differ.
            """)

    @Argument(help: "The ONNX model file.")
    var model: String

    @Option(name: .long, help: "The CSV file of samples.")
    var input: String

    @Flag(name: .long, help: "Evaluate in the float reference instead of the quantized semantics.")
    var float = false

    @Flag(name: .long, help: "Print the difference between quantized and float outputs instead of the rows.")
    var compare = false

    @Option(name: .long, help: "A CSV file of calibration samples (default: the input rows).")
    var calibration: String?

    func validate() throws {
        if float && compare { throw ValidationError("--float and --compare cannot be combined") }
    }

    func run() throws {
        let bytes = try readFile(model)
        let graph = try reporting(model) { try ModelGraph(bytes: bytes) }
        let text = try readText(input)
        let evaluation = try reporting(input) { try ModelEvaluation(graph: graph, csv: text, file: input) }
        if float {
            print(evaluation.csv(try reporting(model) { try evaluation.float() }), terminator: "")
            return
        }
        var calibrationSamples: [[FloatTensor]]?
        if let calibration {
            let calibrationText = try readText(calibration)
            calibrationSamples = try reporting(calibration) {
                try ModelEvaluation(graph: graph, csv: calibrationText, file: calibration).samples
            }
        }
        let quantized = try reporting(model) { try evaluation.quantize(calibration: calibrationSamples) }
        let rows = try reporting(model) { try evaluation.quantized(quantized) }
        guard compare else {
            print(evaluation.csv(rows), terminator: "")
            return
        }
        let reference = try reporting(model) { try evaluation.float() }
        let c = evaluation.compare(quantized: rows, float: reference)
        print("rows: \(c.rows)")
        print("max |quantized - float|: \(c.maxAbsoluteDifference) (\(c.maxAt.column), row \(c.maxAt.row))")
        print("mean |quantized - float|: \(c.meanAbsoluteDifference)")
        print("class decisions differing: \(c.decisionsDiffering) of \(c.rows)")
        print("largest intermediate: \(quantized.report.maxBits) bits at \(quantized.report.maxBitsAt) (limit 62)")
        let scales = quantized.architecture.inputs.map { "\($0.name) 2^-\(quantized.architecture.tensors[$0.tensor].scale)" }
            + quantized.architecture.outputs.map { "\($0.name) 2^-\(quantized.architecture.tensors[$0.tensor].scale)" }
        print("scales: \(scales.joined(separator: ", "))")
    }
}
