/// Turns one ONNX node into an `Operation`, or explains why it cannot.
///
/// `constant` looks up inputs whose values are known when the graph is
/// built (initializers, Constant nodes and everything folded from them); the
/// operators whose semantics depend on a constant operand (Reshape's shape,
/// Squeeze's axes in opset 13) need it here.
struct OperatorParser {
    var opsets: [String: Int64]
    var constant: (String) -> FloatTensor?

    /// Names of every operator `parse` accepts, by domain, for `model info`.
    static let supported: [String: Set<String>] = [
        "": ["Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softmax",
             "ArgMax", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Concat", "Identity", "Cast", "Constant",
             "Gather", "Shape", "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization",
             "Dropout"],
        "ai.onnx.ml": ["Normalizer", "Scaler", "OneHotEncoder", "LinearClassifier", "LinearRegressor",
                       "TreeEnsembleClassifier", "TreeEnsembleRegressor", "ZipMap", "ArrayFeatureExtractor"],
    ]

    /// The result of parsing: an operation, or a constant the node defines outright.
    enum Parsed {
        case operation(Operation)
        case constant(FloatTensor)
    }

    func parse(_ node: ONNXNode, reference: NodeReference) throws -> Parsed {
        let a = Attributes(node: reference, values: node.attributes)
        guard let known = Self.supported[node.domain] else {
            throw ModelError.node(reference, .unsupported, "operator domain '\(node.domain)' is not supported")
        }
        guard known.contains(node.opType) else {
            throw ModelError.node(reference, .unsupported,
                                  "operator \(node.domain.isEmpty ? "" : node.domain + ".")\(node.opType) is not supported")
        }
        let opset = opsets[node.domain] ?? 1
        func input(_ i: Int) -> String? { i < node.inputs.count && !node.inputs[i].isEmpty ? node.inputs[i] : nil }
        func requireInputs(_ range: ClosedRange<Int>) throws {
            let present = node.inputs.count
            guard range.contains(present) else {
                throw a.error("has \(present) inputs; \(range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)–\(range.upperBound)") expected")
            }
            for i in 0..<range.lowerBound where input(i) == nil { throw a.error("input \(i) is missing") }
        }
        func constantInts(_ i: Int, _ what: String) throws -> [Int64] {
            guard let name = input(i), let t = constant(name) else {
                throw a.unsupported("its \(what) (input \(i)) must be a constant")
            }
            guard t.scalars.allSatisfy({ $0.rounded() == $0 && $0.magnitude < 1e15 }) else {
                throw a.error("its \(what) must hold integers")
            }
            return t.scalars.map { Int64($0) }
        }
        func axes(_ values: [Int64]) -> [Int] { values.map { Int(clamping: $0) } }

        switch node.opType {
        case "Gemm":
            try requireInputs(2...3)
            return .operation(.gemm(alpha: try a.float("alpha", default: 1), beta: try a.float("beta", default: 1),
                                    transA: try a.int("transA", default: 0) != 0,
                                    transB: try a.int("transB", default: 0) != 0))
        case "MatMul": try requireInputs(2...2); return .operation(.matMul)
        case "Add": try requireInputs(2...2); return .operation(.add)
        case "Sub": try requireInputs(2...2); return .operation(.sub)
        case "Mul": try requireInputs(2...2); return .operation(.mul)
        case "Div": try requireInputs(2...2); return .operation(.div)
        case "Relu": try requireInputs(1...1); return .operation(.relu)
        case "LeakyRelu": try requireInputs(1...1); return .operation(.leakyRelu(alpha: try a.float("alpha", default: 0.01)))
        case "Sigmoid": try requireInputs(1...1); return .operation(.sigmoid)
        case "Tanh": try requireInputs(1...1); return .operation(.tanh)
        case "Softmax":
            try requireInputs(1...1)
            let legacy = opset < 13
            return .operation(.softmax(axis: Int(clamping: try a.int("axis", default: legacy ? 1 : -1)), legacy: legacy))
        case "ArgMax":
            try requireInputs(1...1)
            return .operation(.argMax(axis: Int(clamping: try a.int("axis", default: 0)),
                                      keepDims: try a.int("keepdims", default: 1) != 0,
                                      selectLast: try a.int("select_last_index", default: 0) != 0))
        case "Flatten":
            try requireInputs(1...1)
            return .operation(.flatten(axis: Int(clamping: try a.int("axis", default: 1))))
        case "Reshape":
            if opset < 5 { throw a.unsupported("Reshape before opset 5 is not supported") }
            try requireInputs(2...2)
            return .operation(.reshape(shape: try constantInts(1, "shape"),
                                       allowZero: try a.int("allowzero", default: 0) != 0))
        case "Squeeze":
            if opset >= 13 {
                try requireInputs(1...2)
                return .operation(.squeeze(axes: input(1) == nil ? nil : axes(try constantInts(1, "axes"))))
            }
            try requireInputs(1...1)
            return .operation(.squeeze(axes: a.has("axes") ? axes(try a.ints("axes")) : nil))
        case "Unsqueeze":
            if opset >= 13 {
                try requireInputs(2...2)
                return .operation(.unsqueeze(axes: axes(try constantInts(1, "axes"))))
            }
            try requireInputs(1...1)
            return .operation(.unsqueeze(axes: axes(try a.ints("axes"))))
        case "Concat":
            guard !node.inputs.isEmpty, node.inputs.allSatisfy({ !$0.isEmpty }) else { throw a.error("needs inputs") }
            return .operation(.concat(axis: Int(clamping: try a.int("axis"))))
        case "Identity", "ZipMap":
            // ZipMap only wraps probabilities into maps keyed by label: dropped.
            try requireInputs(1...1)
            return .operation(.identity)
        case "Dropout":
            // Inference mode: the identity (a training_mode input set to true is refused).
            try requireInputs(1...3)
            if let name = input(2) {
                guard let t = constant(name), t.scalars.allSatisfy({ $0 == 0 }) else {
                    throw a.unsupported("Dropout in training mode is not supported")
                }
            }
            guard node.outputs.count <= 1 || node.outputs[1...].allSatisfy(\.isEmpty) else {
                throw a.unsupported("Dropout's mask output is not supported")
            }
            return .operation(.identity)
        case "Cast":
            try requireInputs(1...1)
            let to = try a.int("to")
            guard let type = ElementType(rawValue: Int32(clamping: to)), type != .string else {
                throw a.unsupported("Cast to type \(to) is not supported")
            }
            return .operation(.cast(to: type))
        case "Constant":
            try requireInputs(0...0)
            if let t = try a.optionalTensor("value") {
                guard let d = t.doubles else { throw a.unsupported("only numeric constants are supported") }
                return .constant(FloatTensor(shape: t.shape, scalars: d))
            }
            if a.has("value_float") { return .constant(FloatTensor(shape: [], scalars: [try a.float("value_float")])) }
            if a.has("value_floats") {
                let v = try a.floats("value_floats")
                return .constant(FloatTensor(shape: [v.count], scalars: v))
            }
            if a.has("value_int") { return .constant(FloatTensor(shape: [], scalars: [Double(try a.int("value_int"))])) }
            if a.has("value_ints") {
                let v = try a.ints("value_ints")
                return .constant(FloatTensor(shape: [v.count], scalars: v.map(Double.init)))
            }
            throw a.unsupported("this kind of Constant value is not supported")
        case "Gather":
            try requireInputs(2...2)
            return .operation(.gather(axis: Int(clamping: try a.int("axis", default: 0))))
        case "Shape":
            try requireInputs(1...1)
            let end = a.has("end") ? Int(clamping: try a.int("end")) : nil
            return .operation(.shape(start: Int(clamping: try a.int("start", default: 0)), end: end))
        case "Conv":
            try requireInputs(2...3)
            return .operation(.conv(try convGeometry(a)))
        case "MaxPool":
            try requireInputs(1...1)
            guard try a.int("storage_order", default: 0) == 0 else { throw a.unsupported("storage_order 1 is not supported") }
            guard node.outputs.count <= 1 || node.outputs[1...].allSatisfy(\.isEmpty) else {
                throw a.unsupported("MaxPool's Indices output is not supported")
            }
            guard try a.sizes("dilations", default: [1, 1]).allSatisfy({ $0 == 1 }) else {
                throw a.unsupported("dilated pooling is not supported")
            }
            return .operation(.maxPool(try poolGeometry(a)))
        case "AveragePool":
            try requireInputs(1...1)
            guard try a.sizes("dilations", default: [1, 1]).allSatisfy({ $0 == 1 }) else {
                throw a.unsupported("dilated pooling is not supported")
            }
            return .operation(.averagePool(try poolGeometry(a),
                                           countIncludePad: try a.int("count_include_pad", default: 0) != 0))
        case "GlobalAveragePool":
            try requireInputs(1...1)
            return .operation(.globalAveragePool)
        case "BatchNormalization":
            try requireInputs(5...5)
            guard try a.int("training_mode", default: 0) == 0, node.outputs.count <= 1 || node.outputs[1...].allSatisfy(\.isEmpty) else {
                throw a.unsupported("BatchNormalization in training mode is not supported")
            }
            return .operation(.batchNormalization(epsilon: try a.float("epsilon", default: 1e-5)))
        case "ArrayFeatureExtractor":
            try requireInputs(2...2)
            return .operation(.arrayFeatureExtractor)
        case "Scaler":
            try requireInputs(1...1)
            return .operation(.scaler(offset: try a.floats("offset", default: []), scale: try a.floats("scale", default: [])))
        case "Normalizer":
            try requireInputs(1...1)
            let name = try a.string("norm", default: "MAX")
            guard let norm = Operation.Norm(rawValue: name) else { throw a.error("unknown norm \(name)") }
            return .operation(.normalizer(norm))
        case "OneHotEncoder":
            try requireInputs(1...1)
            if a.has("cats_strings") { throw a.unsupported("string categories are not supported (integer-coded categories are)") }
            let cats = try a.ints("cats_int64s")
            guard !cats.isEmpty else { throw a.error("no categories") }
            return .operation(.oneHotEncoder(categories: cats, zeros: try a.int("zeros", default: 1) != 0))
        case "LinearClassifier", "LinearRegressor":
            try requireInputs(1...1)
            return .operation(try linear(a, classifier: node.opType == "LinearClassifier"))
        case "TreeEnsembleClassifier", "TreeEnsembleRegressor":
            try requireInputs(1...1)
            return .operation(.treeEnsemble(try TreeEnsemble(attributes: a, classifier: node.opType == "TreeEnsembleClassifier")))
        default:
            throw ModelError.node(reference, .unsupported, "operator \(node.opType) is not supported")
        }
    }

    private func convGeometry(_ a: Attributes) throws -> ConvGeometry {
        let autoPad = try a.string("auto_pad", default: "NOTSET")
        guard ["NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"].contains(autoPad) else { throw a.error("unknown auto_pad \(autoPad)") }
        let kernel = try a.sizes("kernel_shape", default: [], minimum: 1)
        guard kernel.isEmpty || kernel.count == 2 else { throw a.unsupported("only 2-D convolutions are supported") }
        let strides = try a.sizes("strides", default: [1, 1], minimum: 1)
        let dilations = try a.sizes("dilations", default: [1, 1], minimum: 1)
        let pads = try a.sizes("pads", default: [0, 0, 0, 0])
        let group = Int(try a.int("group", default: 1))
        guard strides.count == 2, dilations.count == 2, pads.count == 4 else {
            throw a.unsupported("only 2-D convolutions are supported")
        }
        guard group >= 1, group <= 1 << 16 else { throw a.error("group is \(group)") }
        return ConvGeometry(kernel: kernel, strides: strides, dilations: dilations, pads: pads, group: group, autoPad: autoPad)
    }

    private func poolGeometry(_ a: Attributes) throws -> PoolGeometry {
        let autoPad = try a.string("auto_pad", default: "NOTSET")
        guard ["NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"].contains(autoPad) else { throw a.error("unknown auto_pad \(autoPad)") }
        let kernel = try a.sizes("kernel_shape", minimum: 1)
        guard kernel.count == 2 else { throw a.unsupported("only 2-D pooling is supported") }
        let strides = try a.sizes("strides", default: [1, 1], minimum: 1)
        let pads = try a.sizes("pads", default: [0, 0, 0, 0])
        guard strides.count == 2, pads.count == 4 else { throw a.unsupported("only 2-D pooling is supported") }
        guard pads[0] < kernel[0], pads[2] < kernel[0], pads[1] < kernel[1], pads[3] < kernel[1] else {
            throw a.error("padding must be smaller than the kernel")
        }
        return PoolGeometry(kernel: kernel, strides: strides, pads: pads,
                            ceilMode: try a.int("ceil_mode", default: 0) != 0, autoPad: autoPad)
    }

    private func linear(_ a: Attributes, classifier: Bool) throws -> Operation {
        let coefficients = try a.floats("coefficients")
        let intercepts = try a.floats("intercepts", default: [])
        let post = try a.string("post_transform", default: "NONE")
        guard let transform = PostTransform(rawValue: post) else { throw a.error("unknown post_transform \(post)") }
        if classifier {
            if a.has("classlabels_strings") {
                throw a.unsupported("string class labels are not supported; export the model with integer labels")
            }
            let labels = try a.ints("classlabels_ints")
            let targets = intercepts.count
            guard targets >= 1, !labels.isEmpty, coefficients.count % targets == 0 else {
                throw a.error("coefficients (\(coefficients.count)), intercepts (\(targets)) and labels (\(labels.count)) do not fit")
            }
            guard targets == 1 ? labels.count == 2 : labels.count == targets else {
                throw a.unsupported("\(targets) score columns for \(labels.count) labels is not supported")
            }
            guard targets > 1 || [.none, .logistic].contains(transform) else {
                throw a.unsupported("post_transform \(post) with one score column is not supported")
            }
            guard [.none, .logistic, .softmax].contains(transform) else {
                throw a.unsupported("post_transform \(post) is not supported")
            }
            return .linearClassifier(LinearModel(coefficients: coefficients, intercepts: intercepts, targets: targets,
                                                 postTransform: transform, classLabels: labels))
        }
        let targets = Int(try a.int("targets", default: 1))
        guard targets >= 1, targets <= 1 << 16, coefficients.count % targets == 0,
              intercepts.isEmpty || intercepts.count == targets else {
            throw a.error("coefficients (\(coefficients.count)) and intercepts (\(intercepts.count)) do not fit \(targets) targets")
        }
        guard transform == .none else { throw a.unsupported("post_transform \(post) is not supported for a regressor") }
        return .linearRegressor(LinearModel(coefficients: coefficients, intercepts: intercepts, targets: targets,
                                            postTransform: transform, classLabels: []))
    }
}
