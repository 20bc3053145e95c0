import PolicySyntax

/// Finds `let`s and `fn`s that refer to themselves, directly or through
/// others, before anything is inlined: such a definition is reported once
/// (at its first member in source order, with the cycle in the notes) and
/// marked so that its uses stay silent.
enum RecursionCheck {
    static func run(_ checker: Checker) {
        var functions: [ObjectIdentifier: FunctionInfo] = [:]
        var edges: [ObjectIdentifier: [(FunctionInfo, SourceSpan)]] = [:]
        var order: [FunctionInfo] = []
        for scope in checker.scopes {
            for declaration in scope.module.source.declarations {
                guard case .function(let decl) = declaration.kind,
                      case .function(let info)? = scope.members[decl.name.name],
                      info.declaration.name.span == decl.name.span else { continue }
                functions[ObjectIdentifier(info)] = info
                order.append(info)
            }
        }
        for info in order {
            var shadowed = Set((info.declaration.parameters ?? []).map(\.name.name))
            var references: [(FunctionInfo, SourceSpan)] = []
            collect(info.declaration.body, module: info.module, checker: checker, shadowed: &shadowed, into: &references)
            edges[ObjectIdentifier(info)] = references
        }
        // Depth-first search for cycles; each cycle is reported once.
        var state: [ObjectIdentifier: Int] = [:] // 1: on the stack, 2: done
        var stack: [(FunctionInfo, SourceSpan?)] = []
        var reported: Set<ObjectIdentifier> = []
        func visit(_ info: FunctionInfo, via span: SourceSpan?) {
            let id = ObjectIdentifier(info)
            if state[id] == 2 { return }
            if state[id] == 1 {
                guard let start = stack.firstIndex(where: { $0.0 === info }) else { return }
                let cycle = Array(stack[start...])
                guard !cycle.contains(where: { reported.contains(ObjectIdentifier($0.0)) }) else { return }
                var notes: [Note] = []
                let members = cycle.map(\.0) + [info]
                let spans = cycle.dropFirst().map(\.1) + [span]
                for (index, pair) in zip(members, members.dropFirst()).enumerated() {
                    notes.append(Note("`\(pair.0.qualifiedName)` uses `\(pair.1.qualifiedName)`", at: spans[index]))
                }
                let first = members.min { ($0.module, $0.declaration.name.span.start) < ($1.module, $1.declaration.name.span.start) }!
                checker.report(Diagnostic(.recursion, "`\(first.qualifiedName)` is defined in terms of itself", at: first.declaration.name.span,
                                          notes: notes + [Note("functions are inlined, so they cannot be recursive")]))
                for member in cycle { reported.insert(ObjectIdentifier(member.0)); member.0.hasErrors = true }
                return
            }
            state[id] = 1
            stack.append((info, span))
            for (target, at) in edges[id] ?? [] { visit(target, via: at) }
            stack.removeLast()
            state[id] = 2
        }
        for info in order { visit(info, via: nil) }
    }

    /// The functions an expression names (through the module scope), skipping
    /// names bound by parameters and aggregates.
    static func collect(_ expr: SyntaxExpr, module: Int, checker: Checker, shadowed: inout Set<String>,
                        into references: inout [(FunctionInfo, SourceSpan)]) {
        func recurse(_ child: SyntaxExpr) { collect(child, module: module, checker: checker, shadowed: &shadowed, into: &references) }
        switch expr.kind {
        case .name(let name):
            if !shadowed.contains(name), case .function(let info)? = checker.scopes[module].members[name] {
                references.append((info, expr.span))
            }
        case .member(let base, let member):
            if case .name(let moduleName) = base.kind, !shadowed.contains(moduleName),
               case .module(let id)? = checker.scopes[module].members[moduleName] {
                if case .function(let info)? = checker.scopes[id].members[member.name] { references.append((info, expr.span)) }
            } else {
                recurse(base)
            }
        case .literal, .error: break
        case .index(let base, let indices): recurse(base); indices.forEach(recurse)
        case .call(let callee, let arguments): recurse(callee); arguments.forEach { recurse($0.value) }
        case .unary(_, let operand): recurse(operand)
        case .binary(_, let left, let right): recurse(left); recurse(right)
        case .conditional(let a, let b, let c): recurse(a); recurse(b); recurse(c)
        case .parenthesized(let inner): recurse(inner)
        case .aggregate(let aggregate):
            recurse(aggregate.table)
            let added = shadowed.insert(aggregate.binder.name).inserted
            if let filter = aggregate.filter { recurse(filter) }
            if let group = aggregate.group { recurse(group.key) }
            if let body = aggregate.body { recurse(body) }
            if added { shadowed.remove(aggregate.binder.name) }
        case .quantifier(let quantifier):
            recurse(quantifier.table)
            let added = shadowed.insert(quantifier.binder.name).inserted
            if let filter = quantifier.filter { recurse(filter) }
            recurse(quantifier.body)
            if added { shadowed.remove(quantifier.binder.name) }
        }
    }
}
