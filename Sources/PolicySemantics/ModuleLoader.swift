import PolicySyntax

/// One loaded and parsed module.
public struct LoadedModule: Sendable {
    public let id: Int
    public let key: String
    public let source: SourceModule
    /// The policy itself (has the header, may declare models, data, rules).
    public let isRoot: Bool
    /// The modules it imports, by the name it refers to them with.
    public let imports: [ResolvedImport]
}

public struct ResolvedImport: Sendable {
    public let declaration: ImportDecl
    public let name: String
    /// nil when the import failed (already reported).
    public let module: Int?
}

/// The policy and every module it imports (transitively), parsed, in
/// first-import order (the policy first).
public struct ModuleGraph: Sendable {
    public let modules: [LoadedModule]
    public let sources: SourceMap
    /// Lexer, parser and import diagnostics of every module.
    public let diagnostics: [Diagnostic]
    /// The file checked is a library module (only `fn`, `let` and `import`,
    /// no header), not a policy: it is checked, but yields no program.
    public let rootIsModule: Bool

    public var root: LoadedModule { modules[0] }
}

/// Loads a policy and its imports through a `ModuleProvider`: parses each
/// module once, reports missing modules and import cycles at the import, and
/// checks what each module may contain.
public struct ModuleLoader {
    /// The most modules one policy may load.
    public static let maxModules = 256

    var provider: any ModuleProvider
    var sources: SourceMap
    var modules: [LoadedModule?] = []
    var byKey: [String: Int] = [:]
    /// Keys of the modules being loaded (the import chain), for cycle detection.
    var inProgress: [String] = []
    var diagnostics: [Diagnostic] = []
    var rootIsModule = false

    /// Loads `root` and everything it imports. `sources` receives every file
    /// (pass a map that already holds files to keep their ids).
    public static func load(root: ModuleSource, provider: any ModuleProvider, sources: SourceMap = SourceMap()) -> ModuleGraph {
        var loader = ModuleLoader(provider: provider, sources: sources)
        _ = loader.load(root, isRoot: true)
        return ModuleGraph(modules: loader.modules.map { $0! }, sources: loader.sources, diagnostics: loader.diagnostics,
                           rootIsModule: loader.rootIsModule)
    }

    mutating func load(_ source: ModuleSource, isRoot: Bool) -> Int {
        let id = modules.count
        byKey[source.key] = id
        modules.append(nil)
        inProgress.append(source.key)
        defer { inProgress.removeLast() }

        let file = sources.add(path: source.displayPath, bytes: source.bytes)
        let parsed = Parser.parse(file)
        diagnostics += parsed.diagnostics
        checkContents(parsed.module, isRoot: isRoot)

        var imports: [ResolvedImport] = []
        var names: [String: ImportDecl] = [:]
        for declaration in parsed.module.declarations {
            guard case .import(let decl) = declaration.kind, let target = decl.target else { continue }
            if case .file(let path) = target, !Self.isValidFileImport(path.value) {
                diagnostics.append(Diagnostic(.invalidImportPath, "an imported file is a relative path ending in `.zkp`",
                                              at: path.span))
                continue
            }
            guard let name = moduleName(decl) else { continue }
            if let previous = names[name] {
                diagnostics.append(Diagnostic(.duplicateDeclaration, "module name `\(name)` is imported twice", at: decl.span,
                                              notes: [Note("first imported here", at: previous.span)]))
                continue
            }
            names[name] = decl
            imports.append(ResolvedImport(declaration: decl, name: name, module: resolve(target, decl, from: source)))
        }
        modules[id] = LoadedModule(id: id, key: source.key, source: parsed.module, isRoot: isRoot, imports: imports)
        return id
    }

    /// The name a module is referred to by, or nil (reported) when it is not a valid name.
    mutating func moduleName(_ decl: ImportDecl) -> String? {
        guard let name = decl.moduleName else { return nil }
        guard SourcePrinter.isPlainName(name) else {
            diagnostics.append(Diagnostic(.invalidModuleName, "`\(name)` is not a valid module name", at: decl.span,
                                          notes: [Note("name the module with `as`, e.g. `as \(Self.suggestedName(name))`")]))
            return nil
        }
        return name
    }

    static func isValidFileImport(_ path: String) -> Bool {
        path.hasSuffix(".zkp") && !path.hasPrefix("/") && !path.contains("\\")
    }

    static func suggestedName(_ text: String) -> String {
        var name = String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        if name.first?.isNumber ?? true { name = "m_" + name }
        return name
    }

    mutating func resolve(_ target: ImportDecl.Target, _ decl: ImportDecl, from importer: ModuleSource) -> Int? {
        let found: ModuleSource
        switch target {
        case .standard(let parts):
            guard parts.count == 2, parts[0].name == "std" else {
                diagnostics.append(Diagnostic(.invalidImportPath, "standard modules are imported as `std.NAME`", at: decl.span,
                                              notes: [Note("files are imported by a quoted relative path: import \"./lib.zkp\"")]))
                return nil
            }
            guard let module = provider.standardModule(named: parts[1].name) else {
                diagnostics.append(Diagnostic(.moduleNotFound, "no standard module `std.\(parts[1].name)`", at: decl.span,
                                              notes: [Note("the standard modules are std.fairness, std.performance and std.integrity")]))
                return nil
            }
            found = module
        case .file(let path):
            switch provider.file(path.value, importedFrom: importer) {
            case .success(let module): found = module
            case .failure(let error):
                diagnostics.append(Diagnostic(.moduleNotFound, "cannot import `\(path.value)`: \(error.message)", at: path.span))
                return nil
            }
        }
        if let cycleStart = inProgress.firstIndex(of: found.key) {
            var notes: [Note] = []
            let chain = Array(inProgress[cycleStart...]) + [found.key]
            for (from, to) in zip(chain, chain.dropFirst()) {
                notes.append(Note("`\(from)` imports `\(to)`"))
            }
            diagnostics.append(Diagnostic(.importCycle, "import cycle: `\(found.key)` imports itself through this import",
                                          at: decl.span, notes: notes))
            return nil
        }
        if let existing = byKey[found.key] { return existing }
        guard modules.count < Self.maxModules else {
            diagnostics.append(Diagnostic(.expansionTooLarge, "a policy may load at most \(Self.maxModules) modules", at: decl.span))
            return nil
        }
        return load(found, isRoot: false)
    }

    /// A policy needs its header; a library module must not have one, nor
    /// models, data, params, commitments or rules. A file checked on its own
    /// without a header that declares only functions and imports is a module.
    mutating func checkContents(_ module: SourceModule, isRoot: Bool) {
        if isRoot {
            let libraryOnly = module.declarations.allSatisfy { declaration in
                switch declaration.kind {
                case .function, .import, .error: return true
                default: return false
                }
            }
            if module.header == nil && libraryOnly && !module.declarations.isEmpty {
                rootIsModule = true
                return
            }
            if module.header == nil {
                let start = module.declarations.first?.span.startPoint ?? SourceSpan(file: module.file.id, start: 0, end: 0)
                diagnostics.append(Diagnostic(.missingPolicyHeader, "a policy file must start with its header", at: start,
                                              notes: [Note("for example: policy \"Fair lending\" version \"1.0\"")],
                                              fixIts: [FixIt("add a header", replacing: start, with: "policy \"NAME\" version \"1.0\"\n")]))
            }
            return
        }
        for declaration in module.declarations {
            let what: String
            switch declaration.kind {
            case .policy:
                diagnostics.append(Diagnostic(.misplacedPolicyHeader, "an imported module cannot have a policy header",
                                              at: declaration.span, notes: [Note("only the policy that is checked or proved has a header")]))
                continue
            case .model: what = "a model"
            case .data: what = "a data table"
            case .param: what = "a param"
            case .commitment: what = "a commitment"
            case .rule: what = "a rule"
            case .import, .function, .error: continue
            }
            diagnostics.append(Diagnostic(.notAllowedInModule, "an imported module cannot declare \(what)", at: declaration.span,
                                          notes: [Note("modules declare `fn` and `let`; the policy passes its models and tables as arguments")]))
        }
    }
}
