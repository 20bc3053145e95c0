import BigNumber
import PolicySyntax

/// The result of checking a policy: the HIR program when there are no
/// errors, and every diagnostic of every stage (sorted by place).
public struct CheckResult: Sendable {
    /// nil when there are errors, or when the file is a library module.
    public let program: Program?
    /// Every diagnostic of loading, parsing and checking, sorted by place.
    public let diagnostics: [Diagnostic]
    /// Every file loaded, for rendering diagnostics and spans.
    public let sources: SourceMap
    /// The loaded modules.
    public let graph: ModuleGraph

    /// The file checked is a library module rather than a policy.
    public var isModule: Bool { graph.rootIsModule }
}

/// Resolves names, checks types, computes ranges and builds the HIR.
///
/// Declarations are checked first (models, tables, params, commitments),
/// then every `fn` (and every `let` whose parameters all have types) is
/// checked on its own with its parameters as unknowns, then every rule is
/// elaborated, inlining the functions it calls with their actual arguments
/// (which is when ranges become known and are checked).
public final class Checker {
    let graph: ModuleGraph
    var scopes: [ModuleScope] = []
    var diagnostics: [Diagnostic] = []
    var nextID = 0
    var frames: [Frame] = []
    /// Global `let` values being elaborated (for cycles through values).
    var valueStack: [ObjectIdentifier] = []
    /// Checking a `fn` on its own: parameters are unknowns, ranges are not known.
    var generic = false
    var nodes = 0
    var reportedExpansion = false
    /// The current nesting of `elaborate` (bounded by `Limits.maxDepth`).
    var depth = 0
    /// Numeric inputs declared without a range (`table.field`, or a model's
    /// output), with the default range they got: named by E0400 notes.
    var defaultRanges: [String: (Interval, String)] = [:]

    var rootFile: FileID { graph.root.source.file.id }

    init(graph: ModuleGraph) {
        self.graph = graph
    }

    /// Checks a loaded policy (see `ModuleLoader`).
    public static func check(_ graph: ModuleGraph) -> CheckResult {
        let checker = Checker(graph: graph)
        let program = checker.run()
        var all = graph.diagnostics + checker.diagnostics
        all = Checker.deduplicate(all).sortedBySource()
        return CheckResult(program: all.hasErrors ? nil : program, diagnostics: all, sources: graph.sources, graph: graph)
    }

    /// Loads and checks a policy in one step.
    public static func check(root: ModuleSource, provider: any ModuleProvider) -> CheckResult {
        check(ModuleLoader.load(root: root, provider: provider))
    }

    static func deduplicate(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen: Set<String> = []
        return diagnostics.filter { diagnostic in
            let key = "\(diagnostic.code.rawValue)|\(diagnostic.span.map { "\($0.file.rawValue):\($0.start):\($0.end)" } ?? diagnostic.path ?? "")|\(diagnostic.message)"
            return seen.insert(key).inserted
        }
    }

    func freshID() -> Int {
        nextID += 1
        return nextID
    }

    func run() -> Program? {
        scopes = graph.modules.map { ModuleScope(module: $0) }
        var declarations = DeclarationsBuilder()
        for module in graph.modules { collectMembers(module, into: &declarations) }
        RecursionCheck.run(self)
        checkDefinitions()
        let rules = checkRules()
        return buildProgram(declarations, rules: rules)
    }

    /// The HIR declarations of the policy, built while collecting members.
    struct DeclarationsBuilder {
        var models: [Model] = []
        var tables: [Table] = []
        var params: [Param] = []
        var commitments: [Commitment] = []
    }

    /// Enters every declaration of a module into its scope, reporting duplicates.
    func collectMembers(_ module: LoadedModule, into builder: inout DeclarationsBuilder) {
        let scope = scopes[module.id]
        var spans: [String: SourceSpan] = [:]
        for resolved in module.imports {
            spans[resolved.name] = resolved.declaration.span
            if let id = resolved.module { scope.members[resolved.name] = .module(id) }
        }
        for declaration in module.source.declarations {
            guard let name = declaration.name else { continue }
            if !module.isRoot {
                guard case .function = declaration.kind else { continue } // reported by the loader
            }
            if let previous = spans[name.name] {
                report(Diagnostic(.duplicateDeclaration, "`\(name.name)` is declared twice", at: name.span,
                                  notes: [Note("first declared here", at: previous)]))
                continue
            }
            spans[name.name] = name.span
            let doc = declaration.doc?.text
            switch declaration.kind {
            case .model(let decl):
                let (info, model) = checkModel(decl, span: declaration.span, doc: doc)
                scope.members[name.name] = .model(info)
                if let model { builder.models.append(model) }
            case .data(let decl):
                let (info, table) = checkData(decl, span: declaration.span, doc: doc)
                scope.members[name.name] = .table(info)
                if let table { builder.tables.append(table) }
            case .param(let decl):
                let (info, param) = checkParam(decl, span: declaration.span, doc: doc)
                scope.members[name.name] = .param(info)
                if let param { builder.params.append(param) }
            case .commitment(let decl):
                scope.members[name.name] = .commitment(decl.name.name)
                builder.commitments.append(Commitment(name: decl.name.name, span: declaration.span, doc: doc))
            case .function(let decl):
                let qualified = module.isRoot && !graph.rootIsModule ? decl.name.name : (moduleName(module.id) + "." + decl.name.name)
                scope.members[name.name] = .function(FunctionInfo(declaration: decl, module: module.id, qualifiedName: qualified))
            case .rule:
                scope.members[name.name] = .rule
            case .policy, .import, .error:
                break
            }
        }
    }

    /// The name a module is known by (`fairness` for std.fairness, the file stem otherwise).
    func moduleName(_ id: Int) -> String {
        let key = graph.modules[id].key
        if key.hasPrefix("std.") { return String(key.dropFirst(4)) }
        var name = Substring(key.split(separator: "/").last ?? Substring(key))
        if name.hasSuffix(".zkp") { name = name.dropLast(4) }
        return String(name)
    }

    /// Checks each `fn`, each `let` value and each `let` function with typed
    /// parameters on its own, once.
    func checkDefinitions() {
        for scope in scopes {
            for declaration in scope.module.source.declarations {
                guard case .function(let decl) = declaration.kind,
                      case .function(let info)? = scope.members[decl.name.name],
                      info.declaration.name.span == decl.name.span else { continue }
                checkDefinition(info)
            }
        }
    }

    func checkDefinition(_ info: FunctionInfo) {
        let before = diagnostics.filter { $0.severity == .error }.count
        let decl = info.declaration
        if info.isValue {
            let expected = decl.resultType.flatMap { resolveValueType($0, context: .result) }
            var body = elaborate(decl.body, Scope(module: info.module), expected: expected)
            if let expected { body = checkDeclaredResult(body, expected, info) }
        } else if decl.isFn || info.isGeneric {
            if decl.isFn {
                for parameter in decl.parameters ?? [] where parameter.type == nil {
                    report(Diagnostic(.missingParameterType, "parameter `\(parameter.name.name)` of fn `\(decl.name.name)` needs a type",
                                      at: parameter.name.span, notes: [Note("use `let` for a function checked only where it is used")]))
                }
            }
            checkGeneric(info)
        }
        if diagnostics.filter({ $0.severity == .error }).count > before { info.hasErrors = true }
    }

    /// Checks the rules and returns them in source order.
    func checkRules() -> [Rule] {
        var rules: [Rule] = []
        for declaration in graph.root.source.declarations {
            guard case .rule(let decl) = declaration.kind else { continue }
            let body = elaborate(decl.body, Scope(module: 0), expected: .bool)
            if !body.isError { SafetyCheck(checker: self).check(body) }
            if !body.isError && body.type != .bool {
                report(Diagnostic(.ruleNotBool, "a rule must be a bool condition, but this is \(describe(body.type))",
                                  at: decl.body.span, notes: [Note("compare it with a threshold, e.g. `>= 80%`")]))
            }
            rules.append(Rule(name: decl.name.name, span: declaration.span, doc: declaration.doc?.text, body: body))
        }
        return rules
    }

    func buildProgram(_ builder: DeclarationsBuilder, rules: [Rule]) -> Program? {
        guard let header = graph.root.source.header, let name = header.name, let version = header.version else { return nil }
        var doc: String?
        for declaration in graph.root.source.declarations {
            if case .policy = declaration.kind { doc = declaration.doc?.text }
        }
        let sources = graph.modules.map { module in
            CanonicalSource(key: module.isRoot ? "policy" : module.key, text: Formatter.format(module.source))
        }
        return Program(name: name.value, version: version.value, span: header.span, doc: doc,
                       models: builder.models, tables: builder.tables, params: builder.params,
                       commitments: builder.commitments, rules: rules, sources: sources)
    }
}
