import BigNumber
import PolicySyntax

/// Checking a `fn` (or a `let` with typed parameters) on its own, before any call.
extension Checker {
    /// Checks a function whose parameters all have types, with unknowns for
    /// its parameters (abstract tables, models and row functions, opaque values).
    func checkGeneric(_ info: FunctionInfo) {
        let decl = info.declaration
        var locals: [String: Entity] = [:]
        var seen: [String: SourceSpan] = [:]
        var labels: [String: SourceSpan] = [:]
        let parameters = decl.parameters ?? []
        for parameter in parameters {
            if let previous = seen[parameter.name.name] {
                report(Diagnostic(.duplicateMember, "duplicate parameter `\(parameter.name.name)`", at: parameter.name.span,
                                  notes: [Note("first declared here", at: previous)]))
            }
            seen[parameter.name.name] = parameter.name.span
            if let previous = labels[parameter.callLabel], parameter.label != nil {
                report(Diagnostic(.duplicateMember, "duplicate argument label `\(parameter.callLabel)`", at: parameter.span,
                                  notes: [Note("first used here", at: previous)]))
            }
            labels[parameter.callLabel] = parameter.span
        }
        let order = parameters.indices.sorted { rank(ParameterKind(parameters[$0].type)) < rank(ParameterKind(parameters[$1].type)) }
        for index in order {
            let parameter = parameters[index]
            let name = parameter.name.name
            switch ParameterKind(parameter.type) {
            case .table: locals[name] = .table(.abstract(id: freshID(), name: name))
            case .model: locals[name] = .model(.abstract(name: name))
            case .untyped:
                // Reported (E0211); the parameter stays known so its uses are not reported as unknown.
                locals[name] = .value(Expr(.error, type: .error, span: parameter.name.span))
            case .value(let type):
                let valueType = resolveValueType(type, context: .fnParameter) ?? .error
                locals[name] = .value(Expr(valueType == .error ? .error : .opaque, type: valueType, range: nil, span: parameter.name.span))
            case .rowFunction(let tableName, let resultType):
                guard let table = rowFunctionTable(tableName, locals: locals, module: info.module) else {
                    report(Diagnostic(.expectedTable, "`\(tableName.name)` is not a table parameter of `\(decl.name.name)`", at: tableName.span,
                                      notes: [Note("a row function's type names the table whose rows it takes, e.g. `selected: rows -> bool` with `rows: table`")]))
                    continue
                }
                guard let result = resolveValueType(resultType, context: .result) else { continue }
                switch result {
                case .bool, .int, .fixed, .ratio, .enumeration: break
                default:
                    report(Diagnostic(.invalidTypeHere, "a row function gives a bool, a number or an enum, not \(describe(result))",
                                      at: resultType.span))
                    continue
                }
                let callable = Callable.abstract(name: name, table: table, result: result)
                locals[name] = .rowFunction(RowFunction(name: name, callable: callable, table: table, result: result))
            }
        }
        let expected = decl.resultType.flatMap { resolveValueType($0, context: .result) }
        let saved = generic
        generic = true
        frames.append(Frame(function: info, name: info.qualifiedName, definition: decl.name.span, call: decl.name.span))
        let body = elaborate(decl.body, Scope(module: info.module, locals: locals, level: 0), expected: expected)
        frames.removeLast()
        generic = saved
        if let expected { _ = checkDeclaredResult(body, expected, info) }
    }
}
