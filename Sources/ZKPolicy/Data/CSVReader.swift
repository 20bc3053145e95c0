import Foundation

/// A streaming CSV reader (RFC 4180): records are read from a file in 64 KiB
/// chunks and handed to the caller one at a time in a reused buffer, so a file
/// of any length is read in constant memory.
///
/// - Fields are separated by `,`, records by LF or CRLF; blank lines are skipped.
/// - A field may be quoted with `"`; inside, `""` is a quote and commas and
///   line breaks are literal. Spaces around a quoted field are ignored;
///   unquoted fields are trimmed of spaces and tabs.
/// - A UTF-8 byte-order mark at the start is skipped.
/// - A quote inside an unquoted field, text after a closing quote, an
///   unterminated quoted field, or a field longer than `maxFieldBytes` is a
///   `DataError` with the line and column.
public struct CSVReader {
    /// One record: the bytes of its fields, back to back. Valid only during the callback.
    public struct Record {
        public fileprivate(set) var bytes: [UInt8] = []
        /// `ends[i]` is the end of field i in `bytes` (field i starts at `ends[i - 1]`, or 0).
        public fileprivate(set) var ends: [Int] = []
        /// The physical line where the record starts (1-based).
        public fileprivate(set) var line = 0

        public var count: Int { ends.count }

        /// Field i's bytes.
        public func field(_ i: Int) -> ArraySlice<UInt8> {
            bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]]
        }

        /// Field i as text (invalid UTF-8 replaced).
        public func text(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }
    }

    public static let maxFieldBytes = 1 << 20
    public static let chunkBytes = 1 << 16

    let file: String
    private var source: Source

    private enum Source {
        case handle(FileHandle)
        case bytes([UInt8])
    }

    /// Reads a file (nothing is read until `forEachRecord`).
    public init(path: String, displayName: String? = nil) throws {
        file = displayName ?? path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError(file: file, line: 1, message: "cannot read the file")
        }
        source = .handle(handle)
    }

    /// Reads bytes in memory (tests, small inputs).
    public init(bytes: [UInt8], file: String) {
        self.file = file
        source = .bytes(bytes)
    }

    private enum State { case fieldStart, unquoted, quoted, afterQuote, afterClosing }

    /// Calls `body` with every non-blank record, in order. `body` may throw to stop.
    public mutating func forEachRecord(_ body: (Record) throws -> Void) throws {
        var record = Record()
        record.line = 1
        var state = State.fieldStart
        var line = 1
        var fieldLength = 0
        var trailingSpaces = 0
        var quotedField = false
        var anyQuoted = false

        func fail(_ message: String) -> DataError {
            DataError(file: file, line: record.line, column: record.ends.count + 1, message: message)
        }
        func endField() {
            if !quotedField && trailingSpaces > 0 { record.bytes.removeLast(trailingSpaces) }
            record.ends.append(record.bytes.count)
            anyQuoted = anyQuoted || quotedField
            fieldLength = 0
            trailingSpaces = 0
            quotedField = false
            state = .fieldStart
        }
        func endRecord() throws {
            endField()
            let blank = record.ends.count == 1 && record.bytes.isEmpty && !anyQuoted
            if !blank { try body(record) }
            record.bytes.removeAll(keepingCapacity: true)
            record.ends.removeAll(keepingCapacity: true)
            anyQuoted = false
            line += 1
            record.line = line
        }
        func append(_ byte: UInt8) throws {
            fieldLength += 1
            guard fieldLength <= CSVReader.maxFieldBytes else { throw fail("a field longer than \(CSVReader.maxFieldBytes) bytes") }
            record.bytes.append(byte)
        }
        /// One byte; CR was already folded into LF outside quoted fields.
        func process(_ c: UInt8) throws {
            switch state {
            case .fieldStart:
                switch c {
                case 0x2C: endField()
                case 0x0A: try endRecord()
                case 0x20, 0x09: break
                case 0x22: state = .quoted; quotedField = true
                default: try append(c); state = .unquoted
                }
            case .unquoted:
                switch c {
                case 0x2C: endField()
                case 0x0A: try endRecord()
                case 0x22: throw fail("a quote inside an unquoted field (quote the whole field and double the quotes in it)")
                case 0x20, 0x09: try append(c); trailingSpaces += 1
                default: try append(c); trailingSpaces = 0
                }
            case .quoted:
                if c == 0x22 {
                    state = .afterQuote
                } else {
                    if c == 0x0A { line += 1 }
                    try append(c)
                }
            case .afterQuote, .afterClosing:
                switch c {
                case 0x22 where state == .afterQuote: try append(c); state = .quoted
                case 0x2C: endField()
                case 0x0A: try endRecord()
                case 0x20, 0x09: state = .afterClosing
                default: throw fail("text after the closing quote of a field")
                }
            }
        }

        var pendingCR = false
        var atStart = true
        var consumed = false
        while true {
            var chunk: [UInt8]
            switch source {
            case .bytes(let all):
                chunk = consumed ? [] : all
                consumed = true
            case .handle(let handle):
                do { chunk = [UInt8](try handle.read(upToCount: CSVReader.chunkBytes) ?? Data()) } catch {
                    throw DataError(file: file, line: line, message: "cannot read the file: \(error.localizedDescription)")
                }
            }
            if chunk.isEmpty { break }
            var i = 0
            if atStart {
                atStart = false
                if chunk.count >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF { i = 3 }
            }
            while i < chunk.count {
                let c = chunk[i]
                i += 1
                if pendingCR {
                    pendingCR = false
                    if c != 0x0A { try process(0x0A) }   // a lone CR ends a line too
                }
                if c == 0x0D && state != .quoted {
                    pendingCR = true
                    continue
                }
                try process(c)
            }
        }
        if pendingCR { try process(0x0A) }
        if state == .quoted { throw fail("a quoted field is not closed") }
        if state == .fieldStart && record.ends.isEmpty && record.bytes.isEmpty && !quotedField { return }
        try endRecord()
    }
}
