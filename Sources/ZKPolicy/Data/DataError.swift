/// A problem with a data file, located at a line and a CSV column: rendered
/// as `applicants.csv:12:4: column `f3`: ...` (line: 1-based physical line
/// where the record starts; column: the 1-based field number in the record,
/// the convention of `zkpolicyc model eval`).
public struct DataError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    /// The 1-based CSV column, when the problem is in one.
    public let column: Int?
    public let message: String

    public init(file: String, line: Int, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        "\(file):\(line)" + (column.map { ":\($0)" } ?? "") + ": \(message)"
    }
}
