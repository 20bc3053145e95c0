import BigNumber
import PolicySyntax


/// What a name-like expression (`x`, `module.x`) refers to.
enum Resolution {
    case entity(Entity)
    case notFound(Identifier)
    case unknownMember(module: Int, Identifier)
    /// Not a name or `module.name`.
    case notAName
}

extension Checker {
    /// Creates a node, counting it against the expansion budget.
    func make(_ kind: ExprKind, _ type: ValueType, _ range: NumericRange?, _ span: SourceSpan) -> Expr {
        nodes += 1
        if nodes > Limits.maxNodes && !reportedExpansion {
            reportedExpansion = true
            report(Diagnostic(.expansionTooLarge, "the policy has more than \(Limits.maxNodes) expression nodes after inlining",
                              at: span, notes: [Note("functions that call other functions many times multiply in size")]))
        }
        return Expr(kind, type: type, range: range, span: span)
    }

    /// Type-checks an expression and builds its HIR. `expected` is used only
    /// to read a bare name as a case of an expected enum.
    func elaborate(_ expr: SyntaxExpr, _ scope: Scope, expected: ValueType? = nil) -> Expr {
        if reportedExpansion { return .error(at: expr.span) }
        depth += 1
        defer { depth -= 1 }
        if depth > Limits.maxDepth {
            reportedExpansion = true
            report(Diagnostic(.expansionTooLarge, "expressions nested more than \(Limits.maxDepth) levels deep after inlining",
                              at: expr.span, notes: [Note("functions whose bodies call other functions deep inside nested expressions add up")]))
            return .error(at: expr.span)
        }
        return elaborateKind(expr, scope, expected: expected)
    }

    func elaborateKind(_ expr: SyntaxExpr, _ scope: Scope, expected: ValueType?) -> Expr {
        switch expr.kind {
        case .error:
            return .error(at: expr.span)
        case .literal(.bool(let value)):
            return make(.bool(value), .bool, nil, expr.span)
        case .literal(.number(let literal)):
            return elaborateNumber(literal)
        case .parenthesized(let inner):
            return elaborate(inner, scope, expected: expected)
        case .name(let name):
            return elaborateName(Identifier(name, span: expr.span), scope, expected: expected)
        case .member:
            return elaborateMember(expr, scope)
        case .index(let base, let indices):
            return elaborateIndex(base, indices, span: expr.span, scope)
        case .call(let callee, let arguments):
            return elaborateCall(callee, arguments, span: expr.span, scope)
        case .unary(let op, let operand):
            return elaborateUnary(op, operand, span: expr.span, scope)
        case .binary(let op, let left, let right):
            return elaborateBinary(op, left, right, span: expr.span, scope)
        case .conditional(let condition, let then, let otherwise):
            return elaborateConditional(condition, then, otherwise, span: expr.span, scope, expected: expected)
        case .aggregate(let aggregate):
            return elaborateAggregate(aggregate, span: expr.span, scope)
        case .quantifier(let quantifier):
            return elaborateQuantifier(quantifier, span: expr.span, scope)
        }
    }

    func elaborateNumber(_ literal: NumberLiteral) -> Expr {
        guard let value = rational(literal) else { return .error(at: literal.span) }
        let kind: NumericKind = literal.kind == .integer ? .int : (literal.kind == .decimal ? .fixed : .ratio)
        let range = NumericRange.constant(value)
        if !Limits.isSafe(range.numerator) || !Limits.isSafe(range.denominator) {
            report(Diagnostic(.valueOutOfSafeRange, "number too large for the circuit", at: literal.span,
                              notes: [Note("numbers, and the numerator and denominator of decimals, must stay below 2^62 in magnitude")]))
            return .error(at: literal.span)
        }
        return make(.number(value), kind.type, range, literal.span)
    }

    // MARK: Indexing and conditionals

    func elaborateIndex(_ base: SyntaxExpr, _ indices: [SyntaxExpr], span: SourceSpan, _ scope: Scope) -> Expr {
        let tensorExpr = elaborate(base, scope)
        if tensorExpr.isError { return .error(at: span) }
        guard case .tensor(let tensor) = tensorExpr.type else {
            report(Diagnostic(.invalidIndex, "only tensors can be indexed, not \(describe(tensorExpr.type))", at: span))
            return .error(at: span)
        }
        guard !indices.isEmpty, indices.count <= tensor.dimensions.count else {
            report(Diagnostic(.invalidIndex, "\(describe(tensorExpr.type)) takes 1 to \(tensor.dimensions.count) indices, not \(indices.count)",
                              at: span))
            return .error(at: span)
        }
        var values: [Int] = []
        for (position, index) in indices.enumerated() {
            let indexExpr = elaborate(index, scope)
            if indexExpr.isError { return .error(at: span) }
            guard case .number(let number) = indexExpr.kind, number.isInteger, let value = number.numerator.asInt else {
                report(Diagnostic(.invalidIndex, "a tensor index must be a constant integer", at: index.span))
                return .error(at: span)
            }
            let size = tensor.dimensions[position]
            guard (0..<size).contains(value) else {
                report(Diagnostic(.invalidIndex, "index \(value) is out of range for a dimension of size \(size)", at: index.span,
                                  notes: [Note("indices start at 0; the last one is \(size - 1)")]))
                return .error(at: span)
            }
            values.append(value)
        }
        let rest = Array(tensor.dimensions.dropFirst(values.count))
        let type: ValueType = rest.isEmpty ? tensor.element.type : .tensor(TensorType(dimensions: rest, element: tensor.element))
        return make(.index(tensorExpr, values), type, tensorExpr.range, span)
    }

    func elaborateConditional(_ condition: SyntaxExpr, _ then: SyntaxExpr, _ otherwise: SyntaxExpr,
                              span: SourceSpan, _ scope: Scope, expected: ValueType?) -> Expr {
        let test = elaborate(condition, scope, expected: .bool)
        let a = elaborate(then, scope, expected: expected)
        let b = elaborate(otherwise, scope, expected: expected ?? a.type)
        if !test.isError && test.type != .bool {
            report(Diagnostic(.typeMismatch, "the condition of `if` must be a bool, not \(describe(test.type))", at: condition.span))
            return .error(at: span)
        }
        if test.isError || a.isError || b.isError { return .error(at: span) }
        if let ka = a.type.numericKind, let kb = b.type.numericKind {
            var range: NumericRange?
            if let ra = a.range, let rb = b.range { range = RangeRules.select(ra, rb).range }
            return make(.conditional(test, a, b), max(ka, kb).type, range, span)
        }
        guard accepts(a.type, b) && accepts(b.type, a), !isPerGroupOrTensor(a.type) else {
            report(Diagnostic(.typeMismatch, "the branches of `if` have different types: \(describe(a.type)) and \(describe(b.type))",
                              at: span))
            return .error(at: span)
        }
        return make(.conditional(test, a, b), a.type, nil, span)
    }

    func isPerGroupOrTensor(_ type: ValueType) -> Bool {
        switch type {
        case .perGroup, .tensor: return true
        default: return false
        }
    }

    /// Whether a place declared with type `declared` accepts the value:
    /// numbers widen int → fixed → ratio (a constant fits any numeric type
    /// it is exactly, e.g. `2` an int, `50%` a fixed), enums without cases
    /// and per-group values over "some enum" accept any enum.
    func accepts(_ declared: ValueType, _ value: Expr) -> Bool {
        if value.isError || declared == .error { return true }
        if let wanted = declared.numericKind, let actual = value.type.numericKind {
            if case .number(let number) = value.kind { return wanted != .int || number.isInteger }
            return actual <= wanted
        }
        return Checker.accepts(declared, value.type)
    }

    static func accepts(_ declared: ValueType, _ actual: ValueType) -> Bool {
        switch (declared, actual) {
        case (.error, _), (_, .error): return true
        case (.int, .int), (.fixed, .int), (.fixed, .fixed), (.ratio, .int), (.ratio, .fixed), (.ratio, .ratio): return true
        case (.enumeration(let d), .enumeration(let a)): return d.cases == nil || d.cases == a.cases
        case (.perGroup(let de, let dg), .perGroup(let ae, let ag)):
            return accepts(de, ae) && (dg.cases == nil || dg.cases == ag.cases)
        case (.tensor(let d), .tensor(let a)): return d.dimensions == a.dimensions && a.element <= d.element
        default: return declared == actual
        }
    }

    /// Checks a body against a declared result type.
    func checkDeclaredResult(_ body: Expr, _ declared: ValueType, _ info: FunctionInfo) -> Expr {
        guard accepts(declared, body) else {
            report(Diagnostic(.typeMismatch, "`\(info.qualifiedName)` is declared as \(describe(declared)) but its definition is \(describe(body.type))",
                              at: info.declaration.body.span,
                              notes: info.declaration.resultType.map { [Note("declared here", at: $0.span)] } ?? []))
            return .error(at: body.span)
        }
        return body
    }
}
