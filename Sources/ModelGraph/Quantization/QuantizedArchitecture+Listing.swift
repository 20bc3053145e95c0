extension QuantizedArchitecture {
    /// A readable listing of the program, one line per step, e.g.
    /// `t7 [1, 2] 2^-29 = dense(t6; W#2 [20, 2], b#3)`. Used by golden tests and
    /// meant for reviewing what the circuit will compute.
    public var listing: String {
        func t(_ id: QTensorID) -> String { "t\(id)" }
        func w(_ i: Int) -> String { "W#\(i) \(weights[i].shape) 2^-\(weights[i].scale) in [\(weights[i].lower), \(weights[i].upper)]" }
        func head(_ id: QTensorID) -> String {
            "\(t(id)) \(tensors[id].shape) 2^-\(tensors[id].scale) '\(tensors[id].name)'"
        }
        var lines: [String] = []
        for input in inputs { lines.append("input \(head(input.tensor))") }
        for step in steps {
            let args = step.inputs.map(t).joined(separator: ", ")
            let detail: String
            switch step.op {
            case .clamp(let lo, let hi): detail = "clamp(\(args), \(lo)...\(hi))"
            case .dense(let weight, let bias): detail = "dense(\(args); \(w(weight))\(bias.map { "; bias \(w($0))" } ?? ""))"
            case .conv(let weight, let bias, let g, let group):
                detail = "conv(\(args); \(w(weight))\(bias.map { "; bias \(w($0))" } ?? ""); stride \(g.strides) dilation \(g.dilations) pad \(g.padBegin)/\(g.padEnd) group \(group))"
            case .weight(let i): detail = "weight(\(w(i)))"
            case .addWeight(let i): detail = "addWeight(\(args); \(w(i)))"
            case .mulWeight(let i): detail = "mulWeight(\(args); \(w(i)))"
            case .lookup(let i):
                let table = tables[i]
                detail = "lookup(\(args); \(table.function) 2^-\(table.inputScale) → 2^-\(table.outputScale), domain \(table.domainStart)...\(table.domainEnd))"
            case .maxPool(let g), .sumPool(let g):
                detail = "\(IntervalAnalysis.opName(step.op))(\(args); kernel \(g.kernel) stride \(g.strides) pad \(g.padBegin)/\(g.padEnd))"
            case .divideByConstant(let d):
                detail = "divideByConstant(\(args); \(d.count <= 6 ? "\(d)" : "\(d.count) divisors in \(d.min()!)...\(d.max()!)"))"
            case .treeEnsemble(let e):
                detail = "treeEnsemble(\(args); \(e.treeCount) trees, depth \(e.depth), \(e.featureCount) features, \(e.outputCount) outputs; features \(w(e.features)); thresholds \(w(e.thresholds)); leaves \(w(e.leaves)))"
            default:
                let text = "\(step.op)"
                let parameters = text.firstIndex(of: "(").map { String(text[text.index(after: $0)...].dropLast()) }
                detail = "\(IntervalAnalysis.opName(step.op))(\(args)\(parameters.map { "; \($0)" } ?? ""))"
            }
            lines.append("\(head(step.output)) = \(detail)")
        }
        for output in outputs { lines.append("output '\(output.name)' = \(t(output.tensor))") }
        return lines.joined(separator: "\n")
    }
}
