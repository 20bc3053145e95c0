/// How serious a diagnostic is. Only errors make `check` fail.
public enum Severity: String, Sendable, Hashable {
    case error, warning
}

/// A secondary message attached to a diagnostic: where a previous declaration
/// is, which function an error was instantiated from, what to write instead.
public struct Note: Sendable, Hashable {
    public var message: String
    /// nil for a note that points nowhere (rendered as `= note: ...`).
    public var span: SourceSpan?

    public init(_ message: String, at span: SourceSpan? = nil) {
        self.message = message
        self.span = span
    }
}

/// A mechanical edit that fixes a diagnostic: replace `span` by `replacement`
/// (an empty span inserts). Offered only when it is the single obvious fix.
public struct FixIt: Sendable, Hashable {
    public var message: String
    public var span: SourceSpan
    public var replacement: String

    public init(_ message: String, replacing span: SourceSpan, with replacement: String) {
        self.message = message
        self.span = span
        self.replacement = replacement
    }
}

/// One problem found in a policy, as a value. Producers never print; one
/// renderer (`DiagnosticRenderer`) turns a list of these into text or JSON.
public struct Diagnostic: Sendable, Hashable {
    public var code: DiagnosticCode
    public var severity: Severity
    /// One phrase, lowercase, no final period (the Swift compiler's style).
    public var message: String
    /// Where the problem is; nil only for problems with a whole file (`path`).
    public var span: SourceSpan?
    /// The file a span-less diagnostic is about (e.g. a directory given to `check`).
    public var path: String?
    public var notes: [Note]
    public var fixIts: [FixIt]

    public init(_ code: DiagnosticCode, _ message: String, at span: SourceSpan?,
                severity: Severity = .error, notes: [Note] = [], fixIts: [FixIt] = []) {
        self.code = code
        self.severity = severity
        self.message = message
        self.span = span
        self.path = nil
        self.notes = notes
        self.fixIts = fixIts
    }

    /// A diagnostic about a whole file that could not be read.
    public init(_ code: DiagnosticCode, _ message: String, path: String) {
        self.init(code, message, at: nil)
        self.path = path
    }

    public func with(note: Note) -> Diagnostic {
        var copy = self
        copy.notes.append(note)
        return copy
    }

    public func with(fixIt: FixIt) -> Diagnostic {
        var copy = self
        copy.fixIts.append(fixIt)
        return copy
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// The diagnostics ordered by file, then position, then code; stable for
    /// equal keys, so rendering is deterministic.
    public func sortedBySource() -> [Diagnostic] {
        enumerated().sorted { a, b in
            let x = a.element, y = b.element
            let kx = (x.span?.file.rawValue ?? -1, x.span?.start ?? -1)
            let ky = (y.span?.file.rawValue ?? -1, y.span?.start ?? -1)
            if kx != ky { return kx < ky }
            return a.offset < b.offset
        }.map(\.element)
    }
}

/// A diagnostic can be thrown or returned as a failure (e.g. a file that cannot be read).
extension Diagnostic: Error {}
