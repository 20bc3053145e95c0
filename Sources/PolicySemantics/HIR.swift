import BigNumber
import PolicySyntax

/// A checked policy: the contract between the language front end and the
/// circuit. Every name is resolved, every function and `let` is inlined (or
/// bound explicitly by `ExprKind.inline`), every expression is typed and every
/// numeric expression carries its exact range. Produced only when the policy
/// has no errors.
public struct Program: Sendable {
    /// From `policy "NAME" version "VERSION"`.
    public let name: String
    public let version: String
    /// The header's span (its file is the policy file).
    public let span: SourceSpan
    /// The doc comment of the header.
    public let doc: String?
    /// The models, in source order.
    public let models: [Model]
    /// The data tables, in source order.
    public let tables: [Table]
    /// Public parameters, in source order.
    public let params: [Param]
    /// Published commitments (public digests), in source order.
    public let commitments: [Commitment]
    /// The rules, in source order: the statements the proof establishes.
    public let rules: [Rule]
    /// The canonical (formatted) text of the policy and of every module it
    /// imports, the policy first, then modules in first-import order. The
    /// policy digest is a hash of these (computed by ZKPolicy).
    public let sources: [CanonicalSource]

    public func model(named name: String) -> Model? { models.first { $0.name == name } }
    public func table(named name: String) -> Table? { tables.first { $0.name == name } }
    public func param(named name: String) -> Param? { params.first { $0.name == name } }
}

/// One module's canonical text for the policy digest.
public struct CanonicalSource: Sendable, Hashable {
    /// `policy` for the policy itself, `std.fairness` for a standard module,
    /// or the path of an imported file relative to the policy's folder.
    public let key: String
    /// The formatted source (`Formatter.format`), so that whitespace and
    /// layout do not change the digest but every comment and token does.
    public let text: String
}

/// `model NAME: onnx INPUT -> OUTPUT VISIBILITY`
public struct Model: Sendable {
    public let name: String
    public let span: SourceSpan
    public let doc: String?
    /// Always "onnx" for now.
    public let format: String
    /// The declared input tensor; a later stage checks it against the ONNX graph.
    public let input: TensorType
    /// The declared output tensor (for a classifier, the class probabilities).
    public let output: TensorType
    /// Declared bounds of every output element (default: the `fixed` default range).
    public let outputRange: Interval
    public let visibility: Visibility
}

/// `data NAME: table { ... } VISIBILITY`
public struct Table: Sendable {
    public let name: String
    public let span: SourceSpan
    public let doc: String?
    public let fields: [Field]
    public let visibility: Visibility

    public func field(named name: String) -> Field? { fields.first { $0.name == name } }
}

/// One field of a table and the CSV columns it reads.
public struct Field: Sendable {
    public let name: String
    public let span: SourceSpan
    public let doc: String?
    /// bool, int, fixed, an enum, or a tensor of int/fixed.
    public let type: ValueType
    /// Bounds of the value (of each element for a tensor); nil for bool and enums.
    /// Every input value is range-checked against these when proving.
    public let range: Interval?
    /// Fraction bits of a fixed-point field or tensor (values are rounded to
    /// multiples of 2^-fractionBits when read); 0 otherwise.
    public let fractionBits: Int
    /// The CSV columns, in element order (one for a scalar field). An enum
    /// column holds the case name; a bool column `true`/`false`/`1`/`0`.
    public let columns: [String]
}

/// `param NAME: TYPE [in DOMAIN] = VALUE` — public, overridable at prove time.
public struct Param: Sendable {
    public enum Value: Sendable, Hashable {
        case bool(Bool)
        case number(Rational)
    }
    public let name: String
    public let span: SourceSpan
    public let doc: String?
    /// bool, int, fixed or ratio.
    public let type: ValueType
    /// The values an override may take (nil for bool). Numbers must also be
    /// multiples of 10^-4 (integers for `int`).
    public let domain: Interval?
    /// The declared value.
    public let value: Value

    /// Checks an override (`--param name=value`), returning the value or a message.
    public func validate(override text: String) -> Result<Value, ParamOverrideError> {
        ParamValues.parse(text, type: type, domain: domain).map { $0 }
    }
}

public struct ParamOverrideError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// `commitment NAME` — a digest published before the audit.
public struct Commitment: Sendable {
    public let name: String
    public let span: SourceSpan
    public let doc: String?
}

/// `rule NAME: EXPR` — a statement the proof establishes (a bool expression).
public struct Rule: Sendable {
    public let name: String
    public let span: SourceSpan
    public let doc: String?
    public let body: Expr
}
