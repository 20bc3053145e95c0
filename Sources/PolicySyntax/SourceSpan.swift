/// A half-open byte range `start..<end` inside one file. Every token, AST node,
/// HIR node and diagnostic carries one.
public struct SourceSpan: Hashable, Sendable {
    public let file: FileID
    public let start: Int
    public let end: Int

    public init(file: FileID, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest span covering both (which must be in the same file).
    public func union(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    /// An empty span at the start of this one (where an insertion goes).
    public var startPoint: SourceSpan { SourceSpan(file: file, start: start, end: start) }
    /// An empty span at the end of this one.
    public var endPoint: SourceSpan { SourceSpan(file: file, start: end, end: end) }

    public func contains(_ other: SourceSpan) -> Bool {
        file == other.file && start <= other.start && other.end <= end
    }
}

/// A 1-based line and column (columns count Unicode scalars).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public var description: String { "\(line):\(column)" }
}
