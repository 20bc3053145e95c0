/// The syntax tree of one file, exactly as written (no names resolved, no
/// types). Every node carries its span. Parse errors leave `.error` nodes so
/// that later stages can skip them without cascading diagnostics.
public struct SourceModule: Sendable {
    public let file: SourceFile
    public var declarations: [Declaration]
    /// Every comment of the file, in source order (doc comments included).
    public var comments: [Comment]

    public init(file: SourceFile, declarations: [Declaration], comments: [Comment]) {
        self.file = file
        self.declarations = declarations
        self.comments = comments
    }

    /// The `policy` header, if the file has one.
    public var header: PolicyHeader? {
        for declaration in declarations {
            if case .policy(let header) = declaration.kind { return header }
        }
        return nil
    }

    public var imports: [ImportDecl] {
        declarations.compactMap { if case .import(let decl) = $0.kind { return decl } else { return nil } }
    }
}

/// A name as written, with its place.
public struct Identifier: Hashable, Sendable {
    public let name: String
    public let span: SourceSpan
    public init(_ name: String, span: SourceSpan) { self.name = name; self.span = span }
}

/// A `///` comment block: one entry per line, text after `///` (one leading
/// space removed).
public struct DocComment: Hashable, Sendable {
    public let lines: [String]
    public let span: SourceSpan
    public var text: String { lines.joined(separator: "\n") }
}

public struct StringLiteral: Hashable, Sendable {
    public let value: String
    public let span: SourceSpan
}

/// A number as written: digits (with `_` removed), whether it had a decimal
/// point or a `%`, and whether a `-` preceded it (only in ranges).
public struct NumberLiteral: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case integer, decimal, percent }
    public let kind: Kind
    /// The spelling in the source, e.g. `1_000`, `0.05`, `5` (for `5%`), with no sign.
    public let spelling: String
    public let negative: Bool
    public let span: SourceSpan

    public init(kind: Kind, spelling: String, negative: Bool, span: SourceSpan) {
        self.kind = kind
        self.spelling = spelling
        self.negative = negative
        self.span = span
    }

    /// The digits without separators, with the decimal point (`0.05`, `12`).
    public var digits: String { spelling.filter { $0 != "_" } }

    /// The literal as written (`-12.5%`).
    public var source: String { (negative ? "-" : "") + spelling + (kind == .percent ? "%" : "") }
}

public struct Declaration: Sendable {
    public var kind: DeclarationKind
    public var doc: DocComment?
    /// From the first keyword to the end of the declaration (doc comment excluded).
    public var span: SourceSpan

    public init(kind: DeclarationKind, doc: DocComment?, span: SourceSpan) {
        self.kind = kind
        self.doc = doc
        self.span = span
    }

    /// The declared name, if any.
    public var name: Identifier? {
        switch kind {
        case .policy, .import, .error: return nil
        case .model(let d): return d.name
        case .data(let d): return d.name
        case .param(let d): return d.name
        case .commitment(let d): return d.name
        case .function(let d): return d.name
        case .rule(let d): return d.name
        }
    }
}

public enum DeclarationKind: Sendable {
    case policy(PolicyHeader)
    case `import`(ImportDecl)
    case model(ModelDecl)
    case data(DataDecl)
    case param(ParamDecl)
    case commitment(CommitmentDecl)
    /// `let` (a value or a small function) or `fn` (a typed, reusable function).
    case function(FunctionDecl)
    case rule(RuleDecl)
    /// A declaration too broken to keep.
    case error
}

/// `policy "name" version "x.y"`
public struct PolicyHeader: Sendable {
    public let name: StringLiteral?
    public let version: StringLiteral?
    public let span: SourceSpan
}

/// `import std.fairness`, `import "./lib/x.zkp" as x`
public struct ImportDecl: Sendable {
    public enum Target: Sendable {
        /// `std.fairness` → ["std", "fairness"]
        case standard([Identifier])
        /// `"./lib/x.zkp"`
        case file(StringLiteral)
    }
    public let target: Target?
    public let alias: Identifier?
    public let span: SourceSpan

    /// The name the module is referred to by (alias, last path component, or file stem).
    public var moduleName: String? {
        if let alias { return alias.name }
        switch target {
        case .standard(let parts): return parts.last?.name
        case .file(let path):
            var name = Substring(path.value.split(separator: "/").last ?? "")
            if name.hasSuffix(".zkp") { name = name.dropLast(4) }
            return String(name)
        case nil: return nil
        }
    }
}

public enum Visibility: String, Sendable, Hashable {
    case `public`, `private`, committed
}

public struct VisibilityClause: Sendable, Hashable {
    public let visibility: Visibility
    public let span: SourceSpan
}

/// `model scorer: onnx tensor[20] -> tensor[2] in 0..1 private`
public struct ModelDecl: Sendable {
    public let name: Identifier
    public let input: TypeExpr
    public let output: TypeExpr
    public let visibility: VisibilityClause?
}

/// `data applicants: table { ... } private`
public struct DataDecl: Sendable {
    public let name: Identifier
    public let fields: [FieldDecl]
    public let visibility: VisibilityClause?
    /// The `table { ... }` part.
    public let schemaSpan: SourceSpan
}

/// `features: tensor[20] fixed from f0..f19`
public struct FieldDecl: Sendable {
    public let doc: DocComment?
    public let name: Identifier
    public let type: TypeExpr
    public let columns: ColumnBinding?
    public let span: SourceSpan
}

/// Which CSV columns a field reads (DESIGN §8).
public struct ColumnBinding: Sendable {
    public enum Kind: Sendable {
        /// `from "credit amount"` or `from age`
        case single(ColumnName)
        /// `from f0..f19`: the first and last column, same prefix, increasing numbers
        case range(ColumnName, ColumnName)
        /// `from [age, income, "credit amount"]`
        case list([ColumnName])
    }
    public let kind: Kind
    public let span: SourceSpan
}

public struct ColumnName: Sendable, Hashable {
    public let name: String
    /// Written as a string literal (kept so the formatter can reproduce it).
    public let quoted: Bool
    public let span: SourceSpan
}

/// `param max_gap: ratio = 5%`
public struct ParamDecl: Sendable {
    public let name: Identifier
    public let type: TypeExpr
    public let value: SyntaxExpr
}

/// `commitment scorer_digest`
public struct CommitmentDecl: Sendable {
    public let name: Identifier
}

/// `let x = e`, `let f(a) = e`, `fn f(p: T) -> U = e`.
public struct FunctionDecl: Sendable {
    /// `fn` (parameters must be typed; checked on its own) rather than `let`.
    public let isFn: Bool
    public let name: Identifier
    /// nil for a value (`let x = e`); an empty list for `f()`.
    public let parameters: [Parameter]?
    /// `-> T` of a function, or `: T` of a value.
    public let resultType: TypeExpr?
    public let body: SyntaxExpr
}

/// `rows: table`, `by group: rows -> enum`, or untyped `a`.
public struct Parameter: Sendable {
    /// The argument label when it differs from the name (`by` in `by group: ...`).
    public let label: Identifier?
    public let name: Identifier
    public let type: TypeExpr?
    public let span: SourceSpan

    /// The label callers write: the explicit label, else the name.
    public var callLabel: String { label?.name ?? name.name }
}

/// `rule four_fifths: ...`
public struct RuleDecl: Sendable {
    public let name: Identifier
    public let body: SyntaxExpr
}
