/// An SSA value of a circuit: the result of exactly one instruction.
///
/// Values are numbered densely in the order their instructions appear, so a
/// value is a 4-byte index into the witness vector, never an object.
public struct Value: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The index of this value in `Program.values` order (and in the witness).
    public let id: UInt32

    @inlinable
    public init(_ id: UInt32) { self.id = id }

    @inlinable
    public init(index: Int) { self.id = UInt32(index) }

    /// The position of this value in the witness vector.
    @inlinable public var index: Int { Int(id) }

    @inlinable
    public static func < (a: Value, b: Value) -> Bool { a.id < b.id }

    /// `%id`, as in the textual form.
    public var description: String { "%\(id)" }
}
