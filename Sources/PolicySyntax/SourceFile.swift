/// Identifies one file inside a `SourceMap`. Spans carry it so that a
/// diagnostic raised in an imported module still names the right file.
public struct FileID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: FileID, b: FileID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "#\(rawValue)" }
}

/// One source text, kept as raw bytes so that invalid UTF-8 can be reported
/// at its exact place instead of being replaced before the lexer sees it.
public struct SourceFile: Sendable {
    public let id: FileID
    /// The name diagnostics print (as the user gave it, or `std/fairness.zkp`).
    public let path: String
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line; `lineStarts[0] == 0`.
    public let lineStarts: [Int]

    public init(id: FileID, path: String, bytes: [UInt8]) {
        self.id = id
        self.path = path
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        lineStarts = starts
    }

    public init(id: FileID, path: String, text: String) {
        self.init(id: id, path: path, bytes: Array(text.utf8))
    }

    /// The 0-based line holding `offset` (an offset equal to the length is on the last line).
    public func lineIndex(of offset: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// 1-based line and column of a byte offset. Columns count Unicode scalars
    /// (an invalid byte counts as one), as editors do.
    public func location(of offset: Int) -> SourceLocation {
        let clamped = max(0, min(offset, bytes.count))
        let line = lineIndex(of: clamped)
        let column = UTF8Scalars.count(bytes[lineStarts[line]..<clamped]) + 1
        return SourceLocation(line: line + 1, column: column)
    }

    /// The bytes of a 0-based line, without its line terminator.
    public func lineBytes(_ index: Int) -> ArraySlice<UInt8> {
        let start = lineStarts[index]
        var end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : bytes.count
        if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return bytes[start..<max(start, end)]
    }

    /// The text of a 0-based line, invalid bytes shown as U+FFFD.
    public func lineText(_ index: Int) -> String {
        String(decoding: lineBytes(index), as: UTF8.self)
    }

    /// The text covered by a span, invalid bytes shown as U+FFFD.
    public func text(of span: SourceSpan) -> String {
        let start = max(0, min(span.start, bytes.count))
        let end = max(start, min(span.end, bytes.count))
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The number of lines (a final line without a newline counts).
    public var lineCount: Int { lineStarts.count }
}

/// A set of source files addressed by `FileID`; what a renderer needs to
/// print any span. Files are added in load order, so ids are dense.
public struct SourceMap: Sendable {
    public private(set) var files: [SourceFile] = []

    public init() {}

    /// Adds a file and returns it with its new id.
    @discardableResult
    public mutating func add(path: String, bytes: [UInt8]) -> SourceFile {
        let file = SourceFile(id: FileID(files.count), path: path, bytes: bytes)
        files.append(file)
        return file
    }

    @discardableResult
    public mutating func add(path: String, text: String) -> SourceFile {
        add(path: path, bytes: Array(text.utf8))
    }

    public subscript(id: FileID) -> SourceFile? {
        files.indices.contains(id.rawValue) ? files[id.rawValue] : nil
    }

    /// `path:line:col` of the start of a span.
    public func describe(_ span: SourceSpan) -> String {
        guard let file = self[span.file] else { return "?" }
        let location = file.location(of: span.start)
        return "\(file.path):\(location.line):\(location.column)"
    }
}

/// Counting Unicode scalars in possibly invalid UTF-8.
enum UTF8Scalars {
    /// The number of scalars, counting each byte of an invalid sequence as one.
    static func count(_ bytes: ArraySlice<UInt8>) -> Int {
        // Fast path: ASCII runs count one per byte.
        let ascii = bytes.withUnsafeBufferPointer { buffer -> Int? in
            for byte in buffer where byte >= 0x80 { return nil }
            return buffer.count
        }
        if let ascii { return ascii }
        var count = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            index += max(1, validSequenceLength(bytes, at: index) ?? 1)
            count += 1
        }
        return count
    }

    /// The length of the valid UTF-8 sequence starting at `index`, or nil when
    /// the bytes there are not valid UTF-8 (overlong forms and surrogates included).
    static func validSequenceLength(_ bytes: ArraySlice<UInt8>, at index: Int) -> Int? {
        let first = bytes[index]
        if first < 0x80 { return 1 }
        let length: Int
        let minimum: UInt32
        var scalar: UInt32
        switch first {
        case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(first & 0x1F)
        case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(first & 0x0F)
        case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(first & 0x07)
        default: return nil
        }
        guard index + length <= bytes.endIndex else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            scalar = scalar << 6 | UInt32(byte & 0x3F)
        }
        guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return nil }
        return length
    }
}
