import BigNumber
import PolicySyntax

/// What a `fn`/`let` parameter accepts, from its declared type.
enum ParameterKind {
    case table
    case model
    /// `T -> R`
    case rowFunction(table: Identifier, result: TypeExpr)
    case value(TypeExpr)
    /// No type: whatever the argument is (a `let` function).
    case untyped

    init(_ type: TypeExpr?) {
        guard let type else { self = .untyped; return }
        switch type.kind {
        case .table: self = .table
        case .model: self = .model
        case .rowFunction(let table, let result): self = .rowFunction(table: table, result: result)
        default: self = .value(type)
        }
    }
}

extension Checker {
    func elaborateCall(_ callee: SyntaxExpr, _ arguments: [CallArgument], span: SourceSpan, _ scope: Scope) -> Expr {
        switch resolve(callee, scope) {
        case .entity(.model(let model)):
            return applyModel(model, arguments, span: span, scope)
        case .entity(.function(let callable)):
            return call(callable, name: calleeName(callee), arguments, span: span, scope)
        case .entity(.rowFunction(let function)):
            return callRowFunction(function, arguments, span: span, scope)
        case .entity(let other):
            report(Diagnostic(.notCallable, "\(other.description) cannot be called", at: callee.span))
            return .error(at: span)
        case .notFound(let name):
            if Checker.builtins.contains(name.name) { return builtin(name, arguments, span: span, scope) }
            if AggregateKind(rawValue: name.name) != nil {
                report(Diagnostic(.aggregateBody, "`\(name.name)` ranges over the rows of a table", at: span,
                                  notes: [Note("write it as `\(name.name)(a in TABLE ...)`")]))
                return .error(at: span)
            }
            reportUnknown(name, scope)
            return .error(at: span)
        case .unknownMember(let module, let name):
            reportUnknownMember(module, name)
            return .error(at: span)
        case .notAName:
            report(Diagnostic(.notCallable, "this expression cannot be called", at: callee.span,
                              notes: [Note("only functions, models and built-ins are called")]))
            return .error(at: span)
        }
    }

    func calleeName(_ callee: SyntaxExpr) -> String {
        switch callee.kind {
        case .name(let name): return name
        case .member(let base, let member): return calleeName(base) + "." + member.name
        default: return "function"
        }
    }

    /// Reports labels on arguments of something that takes none, and returns
    /// the arguments if their count is allowed.
    func positional(_ arguments: [CallArgument], _ name: String, count: ClosedRange<Int>, span: SourceSpan) -> [SyntaxExpr]? {
        if let labelled = arguments.first(where: { $0.label != nil }), let label = labelled.label {
            report(Diagnostic(.invalidArgumentLabel, "`\(name)` takes no argument labels", at: label.span))
            return nil
        }
        guard count.contains(arguments.count) else {
            let expected = count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound) or more"
            report(Diagnostic(.wrongArgumentCount, "`\(name)` takes \(expected) argument\(count.upperBound == 1 ? "" : "s"), not \(arguments.count)",
                              at: span))
            return nil
        }
        return arguments.map(\.value)
    }

    // MARK: Models

    func applyModel(_ model: ModelRef, _ arguments: [CallArgument], span: SourceSpan, _ scope: Scope) -> Expr {
        guard case .concrete(let info) = model else {
            report(Diagnostic(.notCallable, "a `model` parameter cannot be applied", at: span,
                              notes: [Note("take a row function instead (`rows -> bool`), or use the model with `commit`")]))
            return .error(at: span)
        }
        guard let args = positional(arguments, info.name, count: 1...1, span: span) else { return .error(at: span) }
        let input = elaborate(args[0], scope)
        guard let expected = info.input, let output = info.output, !input.isError else { return .error(at: span) }
        guard case .tensor(let tensor) = input.type, tensor.dimensions == expected.dimensions else {
            report(Diagnostic(.modelInputMismatch, "model `\(info.name)` takes a \(TensorType(dimensions: expected.dimensions, element: .fixed).description.replacingOccurrences(of: " fixed", with: "")), not \(describe(input.type))",
                              at: args[0].span, notes: [Note("declared here", at: info.span)]))
            return .error(at: span)
        }
        let range = NumericRange.input(info.outputRange, kind: output.element, parameter: false)
        return make(.applyModel(info.name, input), .tensor(output), range, span)
    }

    // MARK: Functions

    func call(_ callable: Callable, name: String, _ arguments: [CallArgument], span: SourceSpan, _ scope: Scope) -> Expr {
        switch callable {
        case .declared(let info):
            return instantiate(info, arguments, span: span, scope)
        case .field(let table, let field):
            guard let args = positional(arguments, field.name, count: 1...1, span: span),
                  let row = rowArgument(args[0], scope) else { return .error(at: span) }
            guard case .concrete(let rowTable) = row.table, rowTable === table else {
                report(Diagnostic(.expectedRowFunction, "field `\(field.name)` of table `\(table.name)` is applied to a row of `\(row.table.name)`",
                                  at: span))
                return .error(at: span)
            }
            return self.field(Identifier(field.name, span: span), of: row, scope, at: span)
        case .abstract(let functionName, let table, let result):
            guard let args = positional(arguments, functionName, count: 1...1, span: span),
                  let row = rowArgument(args[0], scope) else { return .error(at: span) }
            guard row.table.same(as: table) else {
                report(Diagnostic(.expectedRowFunction, "`\(functionName)` takes a row of `\(table.name)`, not of `\(row.table.name)`",
                                  at: args[0].span))
                return .error(at: span)
            }
            return make(.opaque, result, nil, span)
        }
    }

    /// A row passed to a row function, or nil (reported).
    func rowArgument(_ expr: SyntaxExpr, _ scope: Scope) -> RowEntity? {
        switch resolve(expr, scope) {
        case .entity(.row(let row)):
            if row.level < scope.level {
                report(Diagnostic(.outerRowInNestedAggregate,
                                  "row `\(row.binder.name)` of an enclosing aggregate cannot be used in a nested aggregate", at: expr.span))
                return nil
            }
            return row
        case .notFound(let name):
            reportUnknown(name, scope)
        default:
            report(Diagnostic(.expectedRowFunction, "a row function is applied to a row, e.g. `f(a)` inside `count(a in t ...)`",
                              at: expr.span))
        }
        return nil
    }

    /// A call of a row-function parameter: checks the row's table and the result type.
    func callRowFunction(_ function: RowFunction, _ arguments: [CallArgument], span: SourceSpan, _ scope: Scope) -> Expr {
        if case .declared = function.callable {
            guard let args = positional(arguments, function.name, count: 1...1, span: span) else { return .error(at: span) }
            if let row = rowArgument(args[0], scope), !row.table.same(as: function.table) {
                report(Diagnostic(.expectedRowFunction, "`\(function.name)` takes a row of `\(function.table.name)`, not of `\(row.table.name)`",
                                  at: args[0].span))
                return .error(at: span)
            }
        }
        let result = call(function.callable, name: function.name, arguments, span: span, scope)
        if !accepts(function.result, result) {
            report(Diagnostic(.expectedRowFunction, "`\(function.name)` must give \(describe(function.result)) for a row, but gives \(describe(result.type))",
                              at: span))
            return .error(at: span)
        }
        return result
    }

    /// Inlines a call of a `let` or `fn`: matches arguments to parameters,
    /// binds value arguments, substitutes tables, models, rows and functions,
    /// and elaborates the body in the function's module.
    func instantiate(_ info: FunctionInfo, _ arguments: [CallArgument], span: SourceSpan, _ scope: Scope) -> Expr {
        let decl = info.declaration
        guard let parameters = decl.parameters else {
            report(Diagnostic(.notCallable, "`\(info.qualifiedName)` is a value, not a function", at: span))
            return .error(at: span)
        }
        if frames.contains(where: { $0.function === info }) {
            reportRecursion(info, at: span)
            return .error(at: span)
        }
        if info.hasErrors { return .error(at: span) }
        if frames.count >= Limits.maxInstantiationDepth {
            report(Diagnostic(.expansionTooLarge, "calls nested more than \(Limits.maxInstantiationDepth) deep", at: span))
            return .error(at: span)
        }
        guard let assigned = matchArguments(arguments, to: parameters, of: info, span: span) else { return .error(at: span) }

        var locals: [String: Entity] = [:]
        var bindings: [Binding] = []
        var failed = false
        // Tables and models first: row-function parameters refer to table parameters.
        let order = parameters.indices.sorted { rank(ParameterKind(parameters[$0].type)) < rank(ParameterKind(parameters[$1].type)) }
        for index in order {
            let parameter = parameters[index]
            let argument = assigned[index]
            guard let entity = bind(argument, to: parameter, of: info, locals: locals, bindings: &bindings, scope) else {
                failed = true
                continue
            }
            locals[parameter.name.name] = entity
        }
        if failed { return .error(at: span) }
        frames.append(Frame(function: info, name: info.qualifiedName, definition: decl.name.span, call: span))
        let expected = decl.resultType.flatMap { resolveValueTypeQuietly($0) }
        var body = elaborate(decl.body, Scope(module: info.module, locals: locals, level: scope.level), expected: expected)
        if let expected, !accepts(expected, body) {
            report(Diagnostic(.typeMismatch, "`\(info.qualifiedName)` is declared as \(describe(expected)) but gives \(describe(body.type))",
                              at: decl.body.span))
            body = .error(at: span)
        }
        frames.removeLast()
        if body.isError { return .error(at: span) }
        let inlined = InlinedCall(function: info.qualifiedName, definition: decl.name.span, bindings: bindings, body: body)
        return make(.inline(inlined), body.type, body.range, span)
    }

    func rank(_ kind: ParameterKind) -> Int {
        switch kind {
        case .table, .model: return 0
        case .untyped: return 1
        case .value: return 2
        case .rowFunction: return 3
        }
    }

    /// Matches positional and labelled arguments to parameters (by position).
    func matchArguments(_ arguments: [CallArgument], to parameters: [Parameter], of info: FunctionInfo, span: SourceSpan) -> [CallArgument]? {
        var assigned = [CallArgument?](repeating: nil, count: parameters.count)
        var position = 0
        var labelled = false
        var ok = true
        for argument in arguments {
            let index: Int
            if let label = argument.label {
                labelled = true
                guard let found = parameters.firstIndex(where: { $0.callLabel == label.name }) else {
                    report(Diagnostic(.invalidArgumentLabel, "`\(info.qualifiedName)` has no parameter labelled `\(label.name)`", at: label.span,
                                      notes: [Note("its parameters are " + parameters.map { "`\($0.callLabel)`" }.joined(separator: ", "))]
                                        + didYouMean(label.name, among: parameters.map(\.callLabel))))
                    ok = false
                    continue
                }
                index = found
            } else {
                if labelled {
                    report(Diagnostic(.invalidArgumentLabel, "positional argument after a labelled one", at: argument.span))
                    return nil
                }
                guard position < parameters.count else {
                    report(Diagnostic(.wrongArgumentCount, "`\(info.qualifiedName)` takes \(parameters.count) argument\(parameters.count == 1 ? "" : "s"), not \(arguments.count)",
                                      at: argument.span, notes: [Note("declared here", at: info.declaration.name.span)]))
                    return nil
                }
                index = position
                position += 1
            }
            if assigned[index] != nil {
                report(Diagnostic(.duplicateMember, "argument `\(parameters[index].callLabel)` is given twice", at: argument.span))
                ok = false
                continue
            }
            assigned[index] = argument
        }
        let missing = parameters.indices.filter { assigned[$0] == nil }
        if ok && !missing.isEmpty {
            let names = missing.map { "`\(parameters[$0].callLabel)`" }.joined(separator: ", ")
            report(Diagnostic(.wrongArgumentCount, "missing argument\(missing.count == 1 ? "" : "s") \(names) of `\(info.qualifiedName)`",
                              at: span, notes: [Note("declared here", at: info.declaration.name.span)]))
            return nil
        }
        return ok ? assigned.map { $0! } : nil
    }

    /// The entity a parameter is bound to for one call, or nil (reported).
    func bind(_ argument: CallArgument, to parameter: Parameter, of info: FunctionInfo, locals: [String: Entity],
              bindings: inout [Binding], _ scope: Scope) -> Entity? {
        let name = parameter.name.name
        let expr = argument.value
        switch ParameterKind(parameter.type) {
        case .table:
            guard case .entity(.table(let table)) = resolve(expr, scope) else {
                report(Diagnostic(.expectedTable, "argument `\(parameter.callLabel)` of `\(info.qualifiedName)` must be a table", at: expr.span))
                return nil
            }
            return .table(table)
        case .model:
            guard case .entity(.model(let model)) = resolve(expr, scope) else {
                report(Diagnostic(.typeMismatch, "argument `\(parameter.callLabel)` of `\(info.qualifiedName)` must be a model", at: expr.span))
                return nil
            }
            return .model(model)
        case .rowFunction(let tableName, let resultType):
            guard let table = rowFunctionTable(tableName, locals: locals, module: info.module),
                  let result = resolveValueTypeQuietly(resultType) else { return nil }
            // A row-function parameter passed on by name is itself, even when the
            // table has a field of that name (`by: group` inside a library function
            // whose `group` parameter was given another field).
            if case .name = expr.kind, case .entity(.rowFunction(let function)) = resolve(expr, scope) {
                return .rowFunction(RowFunction(name: parameter.name.name, callable: function.callable, table: table, result: result))
            }
            // A bare field name of the table is the field's accessor.
            if case .name(let fieldName) = expr.kind, case .concrete(let concrete) = table, let field = concrete.field(fieldName) {
                guard Checker.accepts(result, field.type) else {
                    report(Diagnostic(.expectedRowFunction, "argument `\(parameter.callLabel)` of `\(info.qualifiedName)` must give \(describe(result)), but field `\(fieldName)` is \(describe(field.type))",
                                      at: expr.span))
                    return nil
                }
                return .rowFunction(RowFunction(name: parameter.name.name, callable: .field(concrete, field), table: table, result: result))
            }
            switch resolve(expr, scope) {
            case .entity(.function(let callable)):
                if case .declared(let function) = callable, function.declaration.parameters?.count != 1 {
                    report(Diagnostic(.expectedRowFunction, "argument `\(parameter.callLabel)` of `\(info.qualifiedName)` must be a function of one row, but `\(function.qualifiedName)` takes \(function.declaration.parameters?.count ?? 0) arguments",
                                      at: expr.span))
                    return nil
                }
                return .rowFunction(RowFunction(name: parameter.name.name, callable: callable, table: table, result: result))
            case .entity(.rowFunction(let function)):
                return .rowFunction(RowFunction(name: parameter.name.name, callable: function.callable, table: table, result: result))
            case .notFound(let unknown):
                var candidates = visibleNames(scope)
                if case .concrete(let concrete) = table { candidates = concrete.fields.map(\.name) + candidates }
                var notes = didYouMean(unknown.name, among: candidates)
                if case .concrete(let concrete) = table {
                    notes.append(Note("pass a function of one row or a field of table `\(concrete.name)`"))
                }
                report(Diagnostic(.unknownName, "unknown name `\(unknown.name)`", at: unknown.span, notes: notes))
                return nil
            default:
                report(Diagnostic(.expectedRowFunction, "argument `\(parameter.callLabel)` of `\(info.qualifiedName)` must be a function of a row of `\(table.name)` or one of its fields",
                                  at: expr.span))
                return nil
            }
        case .untyped:
            switch resolve(expr, scope) {
            case .entity(let entity):
                switch entity {
                case .row, .table, .model, .function, .rowFunction, .module: return entity
                default: break
                }
            default: break
            }
            let value = elaborate(expr, scope)
            if value.isError { return nil }
            return bindValue(value, name: name, bindings: &bindings)
        case .value(let type):
            let declared = resolveValueTypeQuietly(type)
            let value = elaborate(expr, scope, expected: declared)
            if value.isError { return nil }
            if let declared, !accepts(declared, value) {
                report(Diagnostic(.typeMismatch, "argument `\(parameter.callLabel)` of `\(info.qualifiedName)` must be \(describe(declared)), not \(describe(value.type))",
                                  at: expr.span, notes: [Note("declared here", at: parameter.span)]))
                return nil
            }
            return bindValue(value, name: name, bindings: &bindings)
        }
    }

    func bindValue(_ value: Expr, name: String, bindings: inout [Binding]) -> Entity {
        // Constants and references need no binding: substitute them.
        switch value.kind {
        case .number, .bool, .param, .commitment, .local:
            return .value(value)
        default:
            let id = freshID()
            bindings.append(Binding(id: id, name: name, value: value))
            return .value(Expr(.local(id: id, name: name), type: value.type, range: value.range, span: value.span))
        }
    }

    /// The table a row-function parameter's type names: a table parameter or a declared table.
    func rowFunctionTable(_ name: Identifier, locals: [String: Entity], module: Int) -> TableRef? {
        if case .table(let table)? = locals[name.name] { return table }
        if case .table(let table)? = scopes[module].members[name.name] { return .concrete(table) }
        return nil
    }
}
