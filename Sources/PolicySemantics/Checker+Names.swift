import BigNumber
import PolicySyntax

/// Names: what a name or `module.name` refers to, unknown names, values of entities, fields.
extension Checker {
    /// Resolves `name` or `module.name` without reporting anything.
    func resolve(_ expr: SyntaxExpr, _ scope: Scope) -> Resolution {
        switch expr.kind {
        case .name(let name):
            return resolve(Identifier(name, span: expr.span), scope)
        case .parenthesized(let inner):
            return resolve(inner, scope)
        case .member(let base, let member):
            guard case .name(let baseName) = base.kind else { return .notAName }
            let resolved = resolve(Identifier(baseName, span: base.span), scope)
            // `fairness.parity_gap` without the import: the unknown name is `fairness`.
            if case .notFound(let unknown) = resolved, Checker.standardModules.contains(baseName) { return .notFound(unknown) }
            guard case .entity(.module(let id)) = resolved else { return .notAName }
            guard let found = scopes[id].members[member.name], case .function = found else {
                return .unknownMember(module: id, member)
            }
            return .entity(entity(found))
        default:
            return .notAName
        }
    }

    func resolve(_ name: Identifier, _ scope: Scope) -> Resolution {
        if let local = scope.locals[name.name] { return .entity(local) }
        if let member = scopes[scope.module].members[name.name] { return .entity(entity(member)) }
        return .notFound(name)
    }

    func entity(_ member: Member) -> Entity {
        switch member {
        case .model(let info): return .model(.concrete(info))
        case .table(let info): return .table(.concrete(info))
        case .param(let info): return .param(info)
        case .commitment(let name): return .commitment(name)
        case .function(let info): return .function(.declared(info))
        case .module(let id): return .module(id)
        case .rule: return .rule
        }
    }

    /// Every name visible in a scope (for suggestions).
    func visibleNames(_ scope: Scope) -> [String] {
        Array(scope.locals.keys) + Array(scopes[scope.module].members.keys) + Checker.builtins
    }

    static let builtins = ["abs", "min", "max", "commit"]

    static let standardModules = ["fairness", "performance", "integrity"]

    func reportUnknown(_ name: Identifier, _ scope: Scope) {
        var notes = didYouMean(name.name, among: visibleNames(scope))
        if Checker.standardModules.contains(name.name) {
            notes = [Note("import the standard module first: `import std.\(name.name)`")]
        }
        if notes.isEmpty, let (table, field) = fieldNamed(name.name, scope) {
            notes.append(Note("`\(name.name)` is a field of table `\(table)`; read it from a row, e.g. `count(a in \(table) where a.\(field) ...)`"))
        }
        report(Diagnostic(.unknownName, "unknown name `\(name.name)`", at: name.span, notes: notes))
    }

    /// A table of the scope's module with a field of this name.
    func fieldNamed(_ name: String, _ scope: Scope) -> (String, String)? {
        for member in scopes[scope.module].members.values {
            if case .table(let table) = member, table.field(name) != nil { return (table.name, name) }
        }
        return nil
    }

    func elaborateName(_ name: Identifier, _ scope: Scope, expected: ValueType?) -> Expr {
        switch resolve(name, scope) {
        case .entity(let entity):
            return value(of: entity, name: name.name, at: name.span, scope)
        case .notFound:
            if case .enumeration(let type)? = expected, let cases = type.cases {
                if let index = cases.firstIndex(of: name.name) {
                    return make(.enumCase(index, name.name), .enumeration(type), nil, name.span)
                }
                report(Diagnostic(.unknownEnumCase, "`\(name.name)` is not a case of \(type)", at: name.span,
                                  notes: didYouMean(name.name, among: cases)))
                return .error(at: name.span)
            }
            reportUnknown(name, scope)
            return .error(at: name.span)
        default:
            return .error(at: name.span)
        }
    }

    /// The value an entity denotes, or an error (reported) for entities that are not values.
    func value(of entity: Entity, name: String, at span: SourceSpan, _ scope: Scope) -> Expr {
        switch entity {
        case .value(let bound):
            return make(bound.kind, bound.type, bound.range, span)
        case .param(let param):
            let range = param.type.numericKind.map { NumericRange.input(param.domain ?? .unbounded, kind: $0, parameter: true) }
            return make(.param(param.name), param.type, range, span)
        case .commitment(let commitment):
            return make(.commitment(commitment), .digest, nil, span)
        case .function(.declared(let info)) where info.isValue:
            return elaborateGlobalValue(info, at: span)
        default:
            let hint: String
            switch entity {
            case .row(let row): hint = "a row is not a value; use one of its fields, e.g. `\(row.binder.name).FIELD`"
            case .table(let table): hint = "tables are used in aggregates, e.g. `count(a in \(table.name))`"
            case .model(let model):
                if case .concrete(let info) = model { hint = "apply the model to a tensor, e.g. `\(info.name)(a.features)`" }
                else { hint = "a model is applied to a tensor or passed to `commit`" }
            case .function: hint = "call the function with its arguments"
            case .module: hint = "use a member of the module, e.g. `\(name).NAME`"
            default: hint = "it cannot be used in an expression"
            }
            report(Diagnostic(.notAValue, "\(entity.description) is not a value", at: span, notes: [Note(hint)]))
            return .error(at: span)
        }
    }

    /// A global `let` value, inlined at its use.
    func elaborateGlobalValue(_ info: FunctionInfo, at span: SourceSpan) -> Expr {
        if info.hasErrors { return .error(at: span) }
        if frames.contains(where: { $0.function === info }) {
            reportRecursion(info, at: span)
            return .error(at: span)
        }
        let decl = info.declaration
        frames.append(Frame(function: info, name: info.qualifiedName, definition: decl.name.span, call: span))
        defer { frames.removeLast() }
        let expected = decl.resultType.flatMap { resolveValueTypeQuietly($0) }
        let body = elaborate(decl.body, Scope(module: info.module), expected: expected)
        if body.isError { return .error(at: span) }
        let call = InlinedCall(function: info.qualifiedName, definition: decl.name.span, bindings: [], body: body)
        return make(.inline(call), body.type, body.range, span)
    }

    func reportRecursion(_ info: FunctionInfo, at span: SourceSpan) {
        var notes: [Note] = []
        if let start = frames.firstIndex(where: { $0.function === info }) {
            for frame in frames[start...] { notes.append(Note("`\(frame.name)` is expanded here", at: frame.call)) }
        }
        report(Diagnostic(.recursion, "`\(info.qualifiedName)` calls itself", at: span, notes: notes))
    }

    /// A declared type, resolved without reporting (it was reported when the definition was checked).
    func resolveValueTypeQuietly(_ type: TypeExpr) -> ValueType? {
        let saved = diagnostics
        defer { diagnostics = saved }
        return resolveValueType(type, context: .result)
    }

    // MARK: Members

    func elaborateMember(_ expr: SyntaxExpr, _ scope: Scope) -> Expr {
        guard case .member(let base, let member) = expr.kind else { return .error(at: expr.span) }
        switch resolve(expr, scope) {
        case .entity(let entity):
            return value(of: entity, name: member.name, at: expr.span, scope)
        case .unknownMember(let module, let name):
            reportUnknownMember(module, name)
            return .error(at: expr.span)
        default:
            break
        }
        // A field of a row.
        if case .name(let baseName) = base.kind {
            let identifier = Identifier(baseName, span: base.span)
            switch resolve(identifier, scope) {
            case .entity(.row(let row)):
                return field(member, of: row, scope, at: expr.span)
            case .notFound:
                reportUnknown(identifier, scope)
                return .error(at: expr.span)
            default: break
            }
        }
        let baseValue = elaborate(base, scope)
        if !baseValue.isError {
            report(Diagnostic(.invalidMemberAccess, "\(describe(baseValue.type)) has no member `\(member.name)`", at: member.span,
                              notes: [Note("`.NAME` reads a field of a row or a member of an imported module")]))
        }
        return .error(at: expr.span)
    }

    func reportUnknownMember(_ module: Int, _ name: Identifier) {
        let candidates = scopes[module].members.compactMap { key, value -> String? in
            if case .function = value { return key } else { return nil }
        }
        report(Diagnostic(.unknownModuleMember, "module `\(moduleName(module))` has no member `\(name.name)`", at: name.span,
                          notes: didYouMean(name.name, among: candidates)))
    }

    /// `row.field`
    func field(_ name: Identifier, of row: RowEntity, _ scope: Scope, at span: SourceSpan) -> Expr {
        if row.level < scope.level {
            report(Diagnostic(.outerRowInNestedAggregate,
                              "row `\(row.binder.name)` of an enclosing aggregate cannot be used in a nested aggregate",
                              at: span, notes: [Note("compute the nested aggregate on its own (e.g. with `let`) and use its value")]))
            return .error(at: span)
        }
        guard case .concrete(let table) = row.table else {
            report(Diagnostic(.invalidMemberAccess, "the fields of generic table `\(row.table.name)` are not known", at: span,
                              notes: [Note("take a row function parameter (`\(row.table.name) -> bool`) and call it with the row")]))
            return .error(at: span)
        }
        guard let field = table.field(name.name) else {
            report(Diagnostic(.unknownField, "table `\(table.name)` has no field `\(name.name)`", at: name.span,
                              notes: didYouMean(name.name, among: table.fields.map(\.name))))
            return .error(at: span)
        }
        return fieldValue(field, of: row.binder, at: span)
    }

    func fieldValue(_ field: FieldInfo, of binder: Binder, at span: SourceSpan) -> Expr {
        if field.type == .error { return .error(at: span) }
        var range: NumericRange?
        if let interval = field.range {
            switch field.type {
            case .int, .fixed: range = .input(interval, kind: field.type.numericKind!, parameter: false)
            case .tensor(let tensor): range = .input(interval, kind: tensor.element, parameter: false)
            default: break
            }
        }
        return make(.field(binder, field.name), field.type, range, span)
    }
}
