/// A place in a source file, as the lowering reports it. CircuitIR does not
/// interpret it; it only carries it to error messages and the textual form.
public struct OriginLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the format of compiler diagnostics.
    public var description: String { "\(file):\(line):\(column)" }
}

/// Where an instruction came from: a label (a rule, a gadget, a model layer)
/// and optionally a source location. Opaque to the IR.
public struct Origin: Hashable, Sendable, CustomStringConvertible {
    public var label: String
    public var location: OriginLocation?

    public init(_ label: String, at location: OriginLocation? = nil) {
        self.label = label
        self.location = location
    }

    public var description: String {
        location.map { "\(label) at \($0)" } ?? label
    }
}

/// The index of an entry in a program's `OriginTable`; `.none` (0) means "no
/// origin recorded".
public struct OriginID: Hashable, Comparable, Sendable {
    public let raw: UInt32
    public init(raw: UInt32) { self.raw = raw }
    public static let none = OriginID(raw: 0)
    public static func < (a: OriginID, b: OriginID) -> Bool { a.raw < b.raw }
}

/// Interned origins. Each entry is an origin nested in a parent entry — a
/// gadget's internal instructions point to "divRem" nested in "rule r1 at
/// policy.zkp:3:1" — so millions of instructions share a handful of entries.
public struct OriginTable: Sendable, Equatable {
    public struct Entry: Hashable, Sendable {
        public var origin: Origin
        public var parent: OriginID
    }

    /// Entry 0 is the placeholder for `.none`.
    public private(set) var entries: [Entry] = [Entry(origin: Origin(""), parent: .none)]
    private var index: [Entry: OriginID] = [:]

    public init() {}

    /// The number of real entries (excluding `.none`).
    public var count: Int { entries.count - 1 }

    /// The id of `origin` nested in `parent`, adding it if new.
    public mutating func intern(_ origin: Origin, parent: OriginID) -> OriginID {
        let entry = Entry(origin: origin, parent: parent)
        if let id = index[entry] { return id }
        let id = OriginID(raw: UInt32(entries.count))
        entries.append(entry)
        index[entry] = id
        return id
    }

    public subscript(id: OriginID) -> Entry { entries[Int(id.raw)] }

    /// The chain of origins from `id` outwards, innermost first.
    public func chain(_ id: OriginID) -> [Origin] {
        var result: [Origin] = []
        var current = id
        // INVARIANT: a parent is always interned before its children, so the
        // chain strictly decreases and terminates.
        while current != .none {
            let entry = self[current]
            result.append(entry.origin)
            current = entry.parent
        }
        return result
    }

    /// "divRem, in rule r1 at policy.zkp:3:1" — or "no origin".
    public func describe(_ id: OriginID) -> String {
        let chain = chain(id)
        return chain.isEmpty ? "no origin" : chain.map(\.description).joined(separator: ", in ")
    }

    public static func == (a: OriginTable, b: OriginTable) -> Bool { a.entries == b.entries }
}
