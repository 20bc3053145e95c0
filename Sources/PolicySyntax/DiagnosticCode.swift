/// The stable code of every diagnostic the compiler can emit. A code never
/// changes meaning; a retired code is never reused. Every case has an entry in
/// `DiagnosticCode.explanation` (what `zkpolicyc explain` prints), and the
/// switch there is exhaustive, so a code without an explanation cannot compile.
///
/// Ranges: E00xx source and tokens, E01xx syntax, E02xx names and modules,
/// E03xx types, E04xx ranges (interval analysis).
public enum DiagnosticCode: String, CaseIterable, Sendable, Hashable, Comparable {
    // Source and tokens.
    case invalidUTF8 = "E0001"
    case unexpectedCharacter = "E0002"
    case unterminatedString = "E0003"
    case invalidNumber = "E0004"
    case literalTooLong = "E0005"
    case invalidEscape = "E0006"
    case unreadableFile = "E0010"
    case fileTooLarge = "E0011"

    // Syntax.
    case expectedToken = "E0100"
    case missingPolicyHeader = "E0101"
    case misplacedPolicyHeader = "E0102"
    case unclosedDelimiter = "E0103"
    case nestingTooDeep = "E0104"
    case expectedExpression = "E0105"
    case expectedType = "E0106"
    case missingVisibility = "E0107"
    case invalidColumnRange = "E0108"
    case chainedComparison = "E0109"
    case expectedDeclaration = "E0110"
    case misplacedImport = "E0111"
    case invalidImportPath = "E0112"
    case invalidModuleName = "E0113"

    // Names and modules.
    case unknownName = "E0200"
    case duplicateDeclaration = "E0201"
    case moduleNotFound = "E0202"
    case importCycle = "E0203"
    case unknownField = "E0204"
    case unknownModuleMember = "E0205"
    case notAllowedInModule = "E0206"
    case recursion = "E0207"
    case unknownEnumCase = "E0208"
    case duplicateMember = "E0209"
    case outerRowInNestedAggregate = "E0210"
    case missingParameterType = "E0211"
    case expansionTooLarge = "E0213"
    case notAValue = "E0214"

    // Types.
    case typeMismatch = "E0300"
    case invalidOperands = "E0301"
    case wrongArgumentCount = "E0302"
    case invalidArgumentLabel = "E0303"
    case notCallable = "E0304"
    case invalidIndex = "E0305"
    case modelInputMismatch = "E0306"
    case aggregateBody = "E0307"
    case groupKeyNotEnum = "E0308"
    case perGroupValueNotReduced = "E0309"
    case ruleNotBool = "E0310"
    case invalidParamValue = "E0311"
    case invalidCommitTarget = "E0312"
    case expectedTable = "E0313"
    case expectedRowFunction = "E0314"
    case invalidRange = "E0315"
    case invalidTensorShape = "E0316"
    case columnCountMismatch = "E0317"
    case invalidTypeHere = "E0318"
    case invalidMemberAccess = "E0319"
    case modelSignatureMismatch = "E0320"

    // Ranges.
    case valueOutOfSafeRange = "E0400"
    case constantComparison = "E0401"
    case paramOutOfDomain = "E0402"
    case invalidDivisor = "E0403"

    public static func < (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.rawValue < b.rawValue }

    /// Finds a code by its spelling (`E0300`, `e0300` or `0300`).
    public init?(code: String) {
        var text = code.uppercased()
        if !text.hasPrefix("E") { text = "E" + text }
        guard let value = DiagnosticCode(rawValue: text) else { return nil }
        self = value
    }
}
