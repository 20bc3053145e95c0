import BigNumber
import PolicySyntax

/// Where a type is written, which decides what it may be.
enum TypeContext {
    case field, modelInput, modelOutput, param, fnParameter, result

    var description: String {
        switch self {
        case .field: return "a table field"
        case .modelInput: return "a model input"
        case .modelOutput: return "a model output"
        case .param: return "a param"
        case .fnParameter: return "a function parameter"
        case .result: return "a result"
        }
    }
}

extension Checker {
    // MARK: Declarations

    func checkModel(_ decl: ModelDecl, span: SourceSpan, doc: String?) -> (ModelInfo, Model?) {
        var input: TensorType?
        var output: TensorType?
        var outputRange = Limits.defaultFixed
        if case .tensor(let dimensions, let element, let range) = decl.input.kind {
            input = resolveTensor(dimensions, element, at: decl.input.span)
            if let range {
                report(Diagnostic(.invalidRange, "a model input takes no range", at: range.span,
                                  notes: [Note("the ranges of the table fields it is applied to apply")]))
            }
        } else if case .error = decl.input.kind {
        } else {
            report(Diagnostic(.invalidTypeHere, "a model input must be a tensor, found `\(SourcePrinter.type(decl.input))`",
                              at: decl.input.span))
        }
        if case .tensor(let dimensions, let element, let range) = decl.output.kind {
            output = resolveTensor(dimensions, element, at: decl.output.span)
            if let output {
                outputRange = range.flatMap { resolveRange($0, kind: output.element) } ?? defaultRange(output.element)
                if range == nil {
                    defaultRanges["model \(decl.name.name)"] = (outputRange, "`-> \(SourcePrinter.type(decl.output)) in LO..HI` on model `\(decl.name.name)`")
                }
            }
        } else if case .error = decl.output.kind {
        } else {
            report(Diagnostic(.invalidTypeHere, "a model output must be a tensor, found `\(SourcePrinter.type(decl.output))`",
                              at: decl.output.span))
        }
        let info = ModelInfo(name: decl.name.name, span: span, input: input, output: output, outputRange: outputRange)
        guard let input, let output else { return (info, nil) }
        let model = Model(name: decl.name.name, span: span, doc: doc, format: "onnx", input: input, output: output,
                          outputRange: outputRange, visibility: decl.visibility?.visibility ?? .private)
        return (info, model)
    }

    func checkData(_ decl: DataDecl, span: SourceSpan, doc: String?) -> (TableInfo, Table?) {
        let info = TableInfo(name: decl.name.name, span: span)
        var fields: [Field] = []
        var seen: [String: SourceSpan] = [:]
        var valid = true
        if decl.fields.isEmpty {
            report(Diagnostic(.invalidTypeHere, "table `\(decl.name.name)` has no fields", at: decl.schemaSpan))
            valid = false
        }
        for field in decl.fields {
            if let previous = seen[field.name.name] {
                report(Diagnostic(.duplicateMember, "duplicate field `\(field.name.name)`", at: field.name.span,
                                  notes: [Note("first declared here", at: previous)]))
                valid = false
                continue
            }
            seen[field.name.name] = field.name.span
            let type = resolveValueType(field.type, context: .field) ?? .error
            var range: Interval?
            var fractionBits = 0
            switch type {
            case .int, .fixed:
                range = declaredRange(field.type) ?? defaultRange(type.numericKind!)
                fractionBits = type == .fixed ? Limits.fractionBits : 0
            case .tensor(let tensor):
                range = declaredRange(field.type) ?? defaultRange(tensor.element)
                fractionBits = tensor.element == .fixed ? Limits.fractionBits : 0
            default: break
            }
            if let range, declaredRange(field.type) == nil {
                defaultRanges["\(decl.name.name).\(field.name.name)"] = (range, "`\(field.name.name): \(SourcePrinter.type(field.type)) in LO..HI`")
            }
            info.fields.append(FieldInfo(name: field.name.name, span: field.span, type: type, range: range))
            guard type != .error, let columns = columns(of: field, type: type) else { valid = false; continue }
            fields.append(Field(name: field.name.name, span: field.span, doc: field.doc?.text, type: type, range: range,
                                fractionBits: fractionBits, columns: columns))
        }
        guard valid else { return (info, nil) }
        return (info, Table(name: decl.name.name, span: span, doc: doc, fields: fields,
                            visibility: decl.visibility?.visibility ?? .private))
    }

    /// The CSV columns of a field: the default naming or its `from` binding.
    func columns(of field: FieldDecl, type: ValueType) -> [String]? {
        var count = 1
        if case .tensor(let tensor) = type { count = tensor.count }
        let names: [String]
        switch field.columns?.kind {
        case nil:
            return count == 1 && !isTensor(type) ? [field.name.name] : (0..<count).map { "\(field.name.name)[\($0)]" }
        case .single(let column)?: names = [column.name]
        case .range(let first, let last)?:
            guard let expanded = ColumnRange.expand(first.name, last.name) else { return nil } // reported by the parser
            names = expanded
        case .list(let columns)?: names = columns.map(\.name)
        }
        guard names.count == count else {
            report(Diagnostic(.columnCountMismatch,
                              "field `\(field.name.name)` has \(count) element\(count == 1 ? "" : "s") but binds \(names.count) column\(names.count == 1 ? "" : "s")",
                              at: field.columns!.span))
            return nil
        }
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted {
            report(Diagnostic(.columnCountMismatch, "column `\(name)` is bound twice by field `\(field.name.name)`", at: field.columns!.span))
            return nil
        }
        return names
    }

    func isTensor(_ type: ValueType) -> Bool {
        if case .tensor = type { return true }
        return false
    }

    func checkParam(_ decl: ParamDecl, span: SourceSpan, doc: String?) -> (ParamInfo, Param?) {
        let type = resolveValueType(decl.type, context: .param) ?? .error
        var domain: Interval?
        if let kind = type.numericKind { domain = declaredRange(decl.type) ?? defaultRange(kind) }
        let info = ParamInfo(name: decl.name.name, span: span, type: type, domain: domain)
        guard type != .error, !decl.value.isError else { return (info, nil) }
        guard let (value, valueSpan) = literalValue(decl.value) else {
            report(Diagnostic(.invalidParamValue, "a parameter's value must be a literal", at: decl.value.span,
                              notes: [Note("for example `5%`, `0.5`, `100` or `true`")]))
            return (info, nil)
        }
        switch (type, value) {
        case (.bool, .bool):
            break
        case (.bool, .number), (_, .bool):
            report(Diagnostic(.invalidParamValue, "param `\(decl.name.name)` of type \(type) cannot have the value `\(SourcePrinter.literal(decl.value.literal!))`",
                              at: valueSpan))
            return (info, nil)
        case (_, .number(let number)):
            let kind = type.numericKind!
            if let problem = ParamValues.problem(with: number, kind: kind, domain: nil) {
                report(Diagnostic(.invalidParamValue, problem, at: valueSpan))
                return (info, nil)
            }
            if let domain, !domain.contains(number) {
                report(Diagnostic(.paramOutOfDomain,
                                  "\(ParamValues.show(number, kind: kind)) is outside the domain of `\(decl.name.name)`",
                                  at: valueSpan,
                                  notes: [Note("the domain is \(ParamValues.describe(domain, kind: kind))"
                                               + (declaredRange(decl.type) == nil ? " (the default for \(kind)); declare another with `\(kind) in LO..HI`" : ""))]))
                return (info, nil)
            }
        }
        return (info, Param(name: decl.name.name, span: span, doc: doc, type: type, domain: domain, value: value))
    }

    /// The value of a literal (optionally negated) and its span.
    func literalValue(_ expr: PolicySyntax.SyntaxExpr) -> (Param.Value, SourceSpan)? {
        switch expr.kind {
        case .literal(.bool(let value)): return (.bool(value), expr.span)
        case .literal(.number(let number)):
            guard let value = rational(number) else { return nil }
            return (.number(value), expr.span)
        case .unary(.negate, let inner):
            guard case .literal(.number(let number)) = inner.kind, let value = rational(number) else { return nil }
            return (.number(-value), expr.span)
        default: return nil
        }
    }

    // MARK: Types

    func defaultRange(_ kind: NumericKind) -> Interval {
        switch kind {
        case .int: return Limits.defaultInt
        case .fixed: return Limits.defaultFixed
        case .ratio: return Limits.defaultRatio
        }
    }

    /// The exact value of a number literal.
    func rational(_ literal: NumberLiteral) -> Rational? {
        guard let value = Rational(decimal: literal.digits, percent: literal.kind == .percent) else { return nil }
        return literal.negative ? -value : value
    }

    /// The `in LO..HI` of a numeric or tensor type, resolved.
    func declaredRange(_ type: TypeExpr) -> Interval? {
        switch type.kind {
        case .int(let range?): return resolveRange(range, kind: .int)
        case .fixed(let range?): return resolveRange(range, kind: .fixed)
        case .ratio(let range?): return resolveRange(range, kind: .ratio)
        case .tensor(_, let element, let range?): return resolveRange(range, kind: element == .int ? .int : .fixed)
        default: return nil
        }
    }

    func resolveRange(_ range: RangeExpr, kind: NumericKind) -> Interval? {
        guard let lower = rational(range.lower), let upper = rational(range.upper) else { return nil }
        if lower > upper {
            report(Diagnostic(.invalidRange, "empty range: \(range.lower.source) is above \(range.upper.source)", at: range.span))
            return nil
        }
        if kind == .int && !(lower.isInteger && upper.isInteger) {
            report(Diagnostic(.invalidRange, "an int range needs integer bounds", at: range.span))
            return nil
        }
        let interval = Interval(lower, upper)
        let scale = Rational(kind == .int ? .one : Limits.fixedDenominator)
        if let magnitude = interval.magnitude, !(magnitude * scale < Rational(Limits.safeBound)) {
            report(Diagnostic(.valueOutOfSafeRange, "range bound too large for the circuit", at: range.span,
                              notes: [Note(kind == .int ? "int values must stay below 2^62 in magnitude"
                                           : "fixed values are scaled by 2^16 and must stay below 2^46 in magnitude")]))
            return nil
        }
        return interval
    }

    func resolveTensor(_ dimensions: [NumberLiteral], _ element: ScalarKind?, at span: SourceSpan) -> TensorType? {
        var sizes: [Int] = []
        var total = 1
        for dimension in dimensions {
            guard let value = Int(dimension.digits), value > 0, value <= Limits.maxTensorElements else {
                report(Diagnostic(.invalidTensorShape, "tensor dimension must be between 1 and \(Limits.maxTensorElements)",
                                  at: dimension.span))
                return nil
            }
            sizes.append(value)
            total *= value
            if total > Limits.maxTensorElements {
                report(Diagnostic(.invalidTensorShape, "tensor has more than \(Limits.maxTensorElements) elements", at: span))
                return nil
            }
        }
        if sizes.count > Limits.maxTensorRank {
            report(Diagnostic(.invalidTensorShape, "tensor has more than \(Limits.maxTensorRank) dimensions", at: span))
            return nil
        }
        return TensorType(dimensions: sizes, element: element == .int ? .int : .fixed)
    }

    /// The value type written at `context`, or nil (reported) when invalid there.
    /// Tables, models and row functions are entity kinds, handled by callers.
    func resolveValueType(_ type: TypeExpr, context: TypeContext) -> ValueType? {
        func notHere(_ what: String) -> ValueType? {
            report(Diagnostic(.invalidTypeHere, "\(what) is not allowed as the type of \(context.description)", at: type.span))
            return nil
        }
        func noRange(_ range: RangeExpr?) -> Bool {
            guard let range, context == .fnParameter || context == .result else { return true }
            report(Diagnostic(.invalidRange, "ranges are declared on fields, params and model outputs, not on \(context.description)",
                              at: range.span))
            return false
        }
        switch type.kind {
        case .error:
            return nil
        case .bool:
            return context == .modelInput || context == .modelOutput ? notHere("`bool`") : .bool
        case .int(let range):
            if context == .modelInput || context == .modelOutput { return notHere("`int`") }
            if let range, resolveRange(range, kind: .int) == nil { return nil }
            return noRange(range) ? .int : nil
        case .fixed(let range):
            if context == .modelInput || context == .modelOutput { return notHere("`fixed`") }
            if let range, resolveRange(range, kind: .fixed) == nil { return nil }
            return noRange(range) ? .fixed : nil
        case .ratio(let range):
            if context == .field || context == .modelInput || context == .modelOutput { return notHere("`ratio`") }
            if let range, resolveRange(range, kind: .ratio) == nil { return nil }
            return noRange(range) ? .ratio : nil
        case .digest:
            return context == .fnParameter || context == .result ? .digest : notHere("`digest`")
        case .tensor(let dimensions, let element, let range):
            if context == .param { return notHere("a tensor") }
            guard let tensor = resolveTensor(dimensions, element, at: type.span) else { return nil }
            if let range, resolveRange(range, kind: tensor.element) == nil { return nil }
            return noRange(range) ? .tensor(tensor) : nil
        case .enumeration(let cases):
            guard let cases else {
                return context == .fnParameter || context == .result ? .enumeration(EnumType(name: "enum", cases: nil))
                    : notHere("an enum without cases")
            }
            if context != .field && context != .fnParameter && context != .result { return notHere("an enum") }
            guard !cases.isEmpty else {
                report(Diagnostic(.invalidTypeHere, "an enum needs at least one case", at: type.span))
                return nil
            }
            var seen: [String: SourceSpan] = [:]
            for item in cases {
                if let previous = seen[item.name] {
                    report(Diagnostic(.duplicateMember, "duplicate enum case `\(item.name)`", at: item.span,
                                      notes: [Note("first declared here", at: previous)]))
                    return nil
                }
                seen[item.name] = item.span
            }
            return .enumeration(EnumType(name: "enum", cases: cases.map(\.name)))
        case .perGroup(let element):
            guard context == .fnParameter || context == .result else { return notHere("a per-group value") }
            guard let elementType = resolveValueType(element, context: context) else { return nil }
            guard elementType.isNumeric else {
                report(Diagnostic(.invalidTypeHere, "per-group values are numbers (int, fixed or ratio)", at: type.span))
                return nil
            }
            return .perGroup(elementType, EnumType(name: "group", cases: nil))
        case .table:
            return notHere("`table`")
        case .model:
            return notHere("`model`")
        case .rowFunction:
            return notHere("a row function")
        }
    }
}

extension PolicySyntax.SyntaxExpr {
    /// The literal, if this is one (possibly negated).
    var literal: Literal? {
        switch kind {
        case .literal(let literal): return literal
        case .unary(.negate, let inner): return inner.literal
        default: return nil
        }
    }
}
