import Field

/// What a table cell holds: an IR value (its id) or an auxiliary value the
/// layout introduces (range-check limbs, partial sums, materialised forms),
/// `Key.auxiliary(k)`. One 4-byte word, so millions of cells stay small.
struct Key: Hashable, Comparable, Sendable {
    let raw: UInt32
    static let auxiliaryFlag: UInt32 = 1 << 31
    static let none = Key(raw: .max)

    init(raw: UInt32) { self.raw = raw }
    static func value(_ id: Int) -> Key { Key(raw: UInt32(id)) }
    static func auxiliary(_ k: Int) -> Key { Key(raw: auxiliaryFlag | UInt32(k)) }

    var isAuxiliary: Bool { raw & Key.auxiliaryFlag != 0 && raw != Key.none.raw }
    var index: Int { Int(raw & ~Key.auxiliaryFlag) }
    static func < (a: Key, b: Key) -> Bool { a.raw < b.raw }
}

/// c + Σ aᵢ·kᵢ over keys (IR values held in cells, or auxiliary cells):
/// what an IR `linear`, `add`, `sub` or `const` denotes before it needs a
/// cell of its own. Terms are sorted by key with no zero coefficient.
struct LinearForm: Hashable, Sendable {
    var constant: Goldilocks
    var terms: [Term]

    struct Term: Hashable, Sendable {
        var key: Key
        var coefficient: Goldilocks
    }

    init(constant: Goldilocks = .zero, terms: [Term] = []) {
        self.constant = constant
        self.terms = terms
    }

    static func cell(_ k: Key) -> LinearForm { LinearForm(terms: [Term(key: k, coefficient: .one)]) }

    /// The key itself when the form is exactly one cell (coefficient 1, no constant).
    var singleCell: Key? {
        terms.count == 1 && terms[0].coefficient == .one && constant.isZero ? terms[0].key : nil
    }

    var isConstant: Bool { terms.isEmpty }

    /// Σ coefficientᵢ·formᵢ + constant, merged and sorted.
    static func combine(_ parts: [(Goldilocks, LinearForm)], constant: Goldilocks) -> LinearForm {
        var c = constant
        var all: [Term] = []
        for (a, f) in parts where !a.isZero {
            c += a * f.constant
            for t in f.terms { all.append(Term(key: t.key, coefficient: a * t.coefficient)) }
        }
        all.sort { $0.key < $1.key }
        var merged: [Term] = []
        merged.reserveCapacity(all.count)
        for t in all {
            if let last = merged.last, last.key == t.key {
                merged[merged.count - 1].coefficient += t.coefficient
            } else {
                merged.append(t)
            }
        }
        merged.removeAll { $0.coefficient.isZero }
        return LinearForm(constant: c, terms: merged)
    }

    /// The form's value, given the value of each key.
    @inline(__always)
    func evaluate(_ value: (Key) -> Goldilocks) -> Goldilocks {
        var acc = constant
        for t in terms { acc += t.coefficient * value(t.key) }
        return acc
    }
}
