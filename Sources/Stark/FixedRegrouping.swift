import Field

/// A prover-side rewrite of the quotient's combination Σᵢ α^(m−1−i)·Cᵢ that
/// extends fewer fixed columns.
///
/// Constraints of the shape s·(… + a·w + …) — a fixed selector s times a sum
/// whose terms include fixed coefficients a times an advice cell w (or a fixed
/// coefficient alone) — are common: a table with several constraint slots per
/// row has one such constraint per slot, all with the same selector and
/// reading the same shared cells. The combination is linear in the
/// coefficient columns, so the terms with the same (s, w) regroup as
///
///     Σᵢ α^(m−1−i)·s·aᵢ·w = s·A·w,   A = Σᵢ α^(m−1−i)·aᵢ,
///
/// where A is one extension-valued column computed on the table's rows after
/// α is drawn. Interpolation and extension are linear, so A's extension is
/// exactly that combination of the aᵢ's extensions: the quotient is the same
/// polynomial, evaluated from one extension column (two base columns)
/// instead of one base column per term. Coefficient columns then read by no
/// other constraint need no extension at all. The verifier is unchanged.
struct FixedRegrouping {
    /// One regrouped column: Σ weight·fixed(column) over `terms`, read as
    /// selector·A·advice (or selector·A when `advice` is nil).
    struct Group {
        let selector: Int
        let advice: Int?
        /// (fixed column, index of the constraint whose weight it takes).
        var terms: [(column: Int, constraint: Int)]
    }

    let groups: [Group]
    /// The constraints without their regrouped terms (same order, so the same
    /// Horner weights; a constraint left with no term is the constant 0).
    let remaining: [Expression]
    /// Fixed columns some remaining constraint reads (the others need no extension).
    let fixedStillRead: [Bool]

    /// Regroups `constraints` over `fixedCount` fixed columns. Groups of a
    /// single term stay in their constraint (an extension column for one base
    /// column would cost more).
    init(_ constraints: [Expression], fixedCount: Int) {
        struct Key: Hashable { let selector: Int; let advice: Int? }
        var found: [Key: [(column: Int, constraint: Int)]] = [:]
        var order: [Key] = []
        // Per constraint: (selector, its terms, for each term its key if it is regroupable).
        var parsed: [(selector: Int, terms: [Expression], keys: [Key?])?] = []
        for (i, e) in constraints.enumerated() {
            guard case let .product(.column(.fixed(s), .current), inner) = e else { parsed.append(nil); continue }
            let terms = FixedRegrouping.summands(inner)
            var keys: [Key?] = []
            for t in terms {
                var key: Key?
                var column = 0
                switch t {
                case let .column(.fixed(a), .current):
                    key = Key(selector: s, advice: nil); column = a
                case let .product(.column(.fixed(a), .current), .column(.advice(w), .current)):
                    key = Key(selector: s, advice: w); column = a
                default:
                    key = nil
                }
                if let key {
                    if found[key] == nil { order.append(key) }
                    found[key, default: []].append((column, i))
                }
                keys.append(key)
            }
            parsed.append((s, terms, keys))
        }
        let kept = Set(order.filter { found[$0]!.count >= 2 })
        groups = order.filter { kept.contains($0) }.map { Group(selector: $0.selector, advice: $0.advice, terms: found[$0]!) }
        var remaining: [Expression] = []
        for (i, e) in constraints.enumerated() {
            guard let p = parsed[i] else { remaining.append(e); continue }
            let rest = zip(p.terms, p.keys).filter { $0.1.map { !kept.contains($0) } ?? true }.map(\.0)
            if rest.count == p.terms.count {
                remaining.append(e)
            } else if rest.isEmpty {
                remaining.append(.constant(.zero))
            } else {
                remaining.append(.fixed(p.selector) * Expression.sum(of: rest))
            }
        }
        self.remaining = remaining
        var read = [Bool](repeating: false, count: fixedCount)
        for e in remaining {
            e.forEachNode { node in
                if case let .column(.fixed(c), _) = node, c < fixedCount { read[c] = true }
            }
        }
        // The selectors of the regrouped terms are read by the regrouped part.
        for g in groups where g.selector < fixedCount { read[g.selector] = true }
        fixedStillRead = read
    }

    /// The terms of a tree of sums, left to right.
    static func summands(_ e: Expression) -> [Expression] {
        if case let .sum(a, b) = e { return summands(a) + summands(b) }
        return [e]
    }

    /// Σ_groups selector·A_g·advice (or selector·A_g), reading A_g as
    /// `column(g)`: the part of the combination the groups carry.
    func regroupedExpression(column: (Int) -> Expression) -> Expression? {
        guard !groups.isEmpty else { return nil }
        return Expression.sum(of: groups.enumerated().map { g, group in
            let a = column(g)
            return .fixed(group.selector) * (group.advice.map { a * .advice($0) } ?? a)
        })
    }

    /// The values of every A_g on the table's n rows: Σ α^(m−1−i)·fixed(column),
    /// as E.degree base columns per group (its coefficients).
    func combinedColumns<E: ExtensionField>(fixed: [[Goldilocks]], alpha: E, constraintCount m: Int, rows n: Int) -> [[Goldilocks]] {
        var powers = [E](repeating: .one, count: max(1, m))
        for i in stride(from: m - 2, through: 0, by: -1) { powers[i] = powers[i + 1] * alpha }  // powers[i] = α^(m−1−i)
        let D = E.degree
        var out = [[Goldilocks]](repeating: [Goldilocks](repeating: .zero, count: n), count: D * groups.count)
        withMutablePointers(&out) { columns in
            Parallel.forEach(groups.count) { g in
                for (column, constraint) in groups[g].terms {
                    let w = powers[constraint]
                    fixed[column].withUnsafeBufferPointer { f in
                        for k in 0 ..< D {
                            let wk = w.coefficient(k), out = columns[D * g + k]
                            for r in 0 ..< n where !f[r].isZero { out[r] += wk * f[r] }
                        }
                    }
                }
            }
        }
        return out
    }
}
