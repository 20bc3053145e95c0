import CircuitIR
import Field

/// Forms, cells and the atoms of linear, product, range-check and lookup
/// instructions (docs/constraint-system.md §3).
extension Layouter {

    func form(_ v: Value) -> LinearForm {
        formOf[v.index] ?? LinearForm.cell(.value(v.index))
    }

    /// Records the form of a linear result, materialising it when it is too long
    /// to substitute into one constraint.
    func setForm(_ r: Int, _ f: LinearForm) throws {
        if f.terms.count > span - 2 {
            try emitLinear(f, defining: .value(r))
        } else {
            formOf[r] = f
        }
    }

    /// A key holding v's value in a cell: v itself, or the cell its form is.
    func cellKey(_ v: Value) throws -> Key {
        let f = form(v)
        if let k = f.singleCell { return k }
        // Materialise: v gets a home defined by f − v = 0.
        try emitLinear(f, defining: .value(v.index))
        formOf[v.index] = nil
        return .value(v.index)
    }

    /// Constraint f = 0 (or f − defined = 0 defining a new cell), chained through
    /// partial sums when it has more terms than a row has cells.
    func emitLinear(_ f: LinearForm, defining: Key? = nil) throws {
        var f = f
        let room = span - (defining == nil ? 0 : 1)
        while f.terms.count > room {
            // s = c + first C − 1 terms; then f = s + the rest.
            let chunk = LinearForm(constant: f.constant, terms: Array(f.terms.prefix(span - 1)))
            let s = newAuxiliary(.solved(chunk, product: nil))
            var atom = Atom()
            atom.terms = chunk.terms.map { ($0.key, $0.coefficient) } + [(s, -.one)]
            atom.constant = chunk.constant
            atom.defines = [(s, 1, 0)]
            try place(atom)
            f = LinearForm(constant: .zero, terms: [LinearForm.Term(key: s, coefficient: .one)] + f.terms.dropFirst(span - 1))
        }
        var atom = Atom()
        atom.terms = f.terms.map { ($0.key, $0.coefficient) }
        atom.constant = f.constant
        if let d = defining {
            atom.terms.append((d, -.one))
            atom.defines = [(d, 1, 0)]
        }
        try place(atom)
    }

    /// result = Σ aᵢ·bᵢ, one product per constraint, chained by partial sums.
    func emitProducts(_ pairs: [(Value, Value)], result: Key) throws {
        var previous: Key?
        for (n, (a, b)) in pairs.enumerated() {
            var fa = form(a), fb = form(b)
            if fa.terms.count > 1 { fa = .cell(try cellKey(a)) }
            if fb.terms.count > 1 { fb = .cell(try cellKey(b)) }
            // (ca·ka + da)(cb·kb + db) with at most one term each.
            var atom = Atom()
            var linear: [(Goldilocks, LinearForm)] = []
            if let ta = fa.terms.first, let tb = fb.terms.first {
                atom.product = (ta.key, tb.key, ta.coefficient * tb.coefficient)
                linear.append((fb.constant, .cell(ta.key).scaled(ta.coefficient)))
                linear.append((fa.constant, .cell(tb.key).scaled(tb.coefficient)))
            } else {
                linear.append((fb.constant, fa.constantFree))
                linear.append((fa.constant, fb.constantFree))
            }
            if let previous { linear.append((.one, .cell(previous))) }
            let rest = LinearForm.combine(linear, constant: fa.constant * fb.constant)
            let target = n == pairs.count - 1 ? result
                : newAuxiliary(.solved(rest, product: atom.product.map { .init(a: $0.0, b: $0.1, coefficient: $0.2) }))
            atom.terms = rest.terms.map { ($0.key, $0.coefficient) } + [(target, -.one)]
            atom.constant = rest.constant
            atom.defines = [(target, 1, 0)]
            try place(atom)
            previous = target
        }
    }

    /// Records that value k's home cell carries its range lookup.
    func setLimbHome(_ k: Key, bits: Int) {
        limbHomeBits[k.index] = UInt8(bits)
        limbHomeInstruction[k.index] = currentInstruction
    }

    /// 0 ≤ f < 2^bits: limb cells with range lookups, and f = Σ 2^(L·i)·limbᵢ.
    func emitRangeCheck(_ f0: LinearForm, bits: Int, value: Value) throws {
        let n = (bits + L - 1) / L
        // One limb of a value in a cell of this row, or not placed yet: its home
        // cell carries the lookup itself.
        if n == 1, let k = f0.singleCell, !k.isAuxiliary, limbHomeInstruction[k.index] < 0, valueReads[k.index] == 0 {
            if pending[k.index] {
                try place(Atom(defines: [(k, 3, UInt8(bits))], isConstraint: false))
                pending[k.index] = false
                setLimbHome(k, bits: bits)
                return
            }
            if let l = row.local(k), row.roles[l] == 1 {
                row.roles[l] = 3
                row.bits[l] = UInt8(bits)
                setLimbHome(k, bits: bits)
                return
            }
        }
        var f = f0
        if f.terms.count + n > span { f = .cell(try cellKey(value)) }
        forms.append(f)
        let formIndex = forms.count - 1
        var atom = Atom()
        atom.terms = f.terms.map { ($0.key, $0.coefficient) }
        atom.constant = f.constant
        for i in 0 ..< n {
            let isTop = i == n - 1
            let limbBits = isTop ? bits - L * (n - 1) : L
            let limb = newAuxiliary(.limb(form: formIndex, index: i, bits: L, isTop: isTop))
            atom.terms.append((limb, -Goldilocks(UInt64(1) << UInt64(L * i))))
            atom.defines.append((limb, 3, UInt8(limbBits)))
        }
        try place(atom)
    }

    func emitLookup(table t: Int, _ tuple: [Value]) throws {
        let table = program.tables[t]
        if case .range(let bits) = table.contents {
            try emitRangeCheck(form(tuple[0]), bits: bits, value: tuple[0])
            return
        }
        guard table.width <= slotWidth else {
            throw LayoutError.unsupported("table \(table.name) is \(table.width) columns wide")
        }
        let key: Goldilocks
        if let k = namedTableKey[t] { key = k } else {
            key = Goldilocks(Layouter.tableKeyBase + UInt64(namedTables.count))
            namedTableKey[t] = key
            namedTables.append(t)
        }
        let keys = try tuple.map { try cellKey($0) }
        try place(Atom(isConstraint: false, slot: (key, keys)))
    }
}
