import BigNumber
import PolicySyntax

/// A model declared in the policy, as the checker sees it.
final class ModelInfo {
    let name: String
    let span: SourceSpan
    let input: TensorType?
    let output: TensorType?
    let outputRange: Interval
    init(name: String, span: SourceSpan, input: TensorType?, output: TensorType?, outputRange: Interval) {
        self.name = name; self.span = span; self.input = input; self.output = output; self.outputRange = outputRange
    }
}

/// A field of a declared table.
struct FieldInfo {
    let name: String
    let span: SourceSpan
    /// `.error` when the declared type was invalid (reported).
    let type: ValueType
    /// The value range (per element for tensors); nil for bool and enums.
    let range: Interval?
}

final class TableInfo {
    let name: String
    let span: SourceSpan
    var fields: [FieldInfo] = []
    init(name: String, span: SourceSpan) { self.name = name; self.span = span }
    func field(_ name: String) -> FieldInfo? { fields.first { $0.name == name } }
}

final class ParamInfo {
    let name: String
    let span: SourceSpan
    let type: ValueType
    let domain: Interval?
    init(name: String, span: SourceSpan, type: ValueType, domain: Interval?) {
        self.name = name; self.span = span; self.type = type; self.domain = domain
    }
}

/// A `let` or `fn` of some module.
final class FunctionInfo {
    let declaration: FunctionDecl
    let module: Int
    /// `fairness.parity_gap` for a function of an imported module, `approved` in the policy.
    let qualifiedName: String
    /// Set when the definition was checked on its own and had errors: calls
    /// then produce an error node silently instead of repeating them.
    var hasErrors = false
    init(declaration: FunctionDecl, module: Int, qualifiedName: String) {
        self.declaration = declaration; self.module = module; self.qualifiedName = qualifiedName
    }
    var isValue: Bool { declaration.parameters == nil }
    /// Every parameter has a type, so the body can be checked without a call.
    var isGeneric: Bool { declaration.parameters?.allSatisfy { $0.type != nil } ?? true }
}

/// What a top-level name of a module refers to.
enum Member {
    case model(ModelInfo)
    case table(TableInfo)
    case param(ParamInfo)
    case commitment(String)
    case function(FunctionInfo)
    case module(Int)
    case rule
}

/// The top-level names of one module.
final class ModuleScope {
    let module: LoadedModule
    var members: [String: Member] = [:]
    init(module: LoadedModule) { self.module = module }
}

/// A table an expression can range over: declared, or a `table` parameter of
/// a `fn` checked on its own (identified by a unique id).
enum TableRef {
    case concrete(TableInfo)
    case abstract(id: Int, name: String)

    var name: String {
        switch self {
        case .concrete(let table): return table.name
        case .abstract(_, let name): return name
        }
    }

    func same(as other: TableRef) -> Bool {
        switch (self, other) {
        case (.concrete(let a), .concrete(let b)): return a === b
        case (.abstract(let a, _), .abstract(let b, _)): return a == b
        default: return false
        }
    }
}

enum ModelRef {
    case concrete(ModelInfo)
    case abstract(name: String)
}

/// Something that can be called with a row: a declared function, the field
/// of a table passed by name (`by: group`), or a row-function parameter of a
/// `fn` checked on its own.
enum Callable {
    case declared(FunctionInfo)
    case field(TableInfo, FieldInfo)
    case abstract(name: String, table: TableRef, result: ValueType)
}

/// A row-function parameter (`selected: rows -> bool`) bound to its argument:
/// calls are checked against the declared table and result.
struct RowFunction {
    let name: String
    let callable: Callable
    let table: TableRef
    let result: ValueType
}

/// A row bound by an aggregate, with the aggregate nesting level it was bound at.
struct RowEntity {
    let binder: Binder
    let table: TableRef
    let level: Int
}

/// What a name in an expression refers to.
enum Entity {
    /// A value bound by an inlined call (its `.local` reference).
    case value(Expr)
    case row(RowEntity)
    case table(TableRef)
    case model(ModelRef)
    case function(Callable)
    case rowFunction(RowFunction)
    case param(ParamInfo)
    case commitment(String)
    case module(Int)
    case rule

    /// How the entity is named in messages ("table `applicants`").
    var description: String {
        switch self {
        case .value: return "a value"
        case .row(let row): return "row `\(row.binder.name)`"
        case .table(let table): return "table `\(table.name)`"
        case .model(.concrete(let model)): return "model `\(model.name)`"
        case .model(.abstract(let name)): return "model `\(name)`"
        case .function(.declared(let info)): return "function `\(info.qualifiedName)`"
        case .function(.field(_, let field)): return "field `\(field.name)`"
        case .function(.abstract(let name, _, _)): return "function `\(name)`"
        case .rowFunction(let function): return "function `\(function.name)`"
        case .param(let param): return "param `\(param.name)`"
        case .commitment(let name): return "commitment `\(name)`"
        case .module: return "a module"
        case .rule: return "a rule"
        }
    }
}

/// The lexical environment of an expression.
struct Scope {
    let module: Int
    var locals: [String: Entity] = [:]
    /// How many aggregates enclose the expression (rows bound at a lower
    /// level belong to an outer aggregate).
    var level = 0
}

/// One call being inlined (for recursion detection and for pointing
/// diagnostics at the caller).
struct Frame {
    let function: FunctionInfo?
    let name: String
    let definition: SourceSpan
    let call: SourceSpan
}
