import BigNumber
import PolicySyntax

/// The last pass over each rule's HIR: every integer the reference lowering
/// computes (docs/language.md, "Numbers in the circuit") must stay within
/// ±2^62 so that nothing wraps modulo the field prime. Runs on the final HIR,
/// after comparisons were distributed over `min`/`max`, so that it checks
/// exactly what the circuit will compute. Problems inside an inlined function
/// of another module are reported at the call in the policy file.
struct SafetyCheck {
    let checker: Checker

    func check(_ rule: Expr) {
        walk(rule, call: nil)
    }

    /// `call`: the innermost inlined call written in the policy file, with
    /// the function's name. Children are checked first; a node whose subtree
    /// already overflowed is not reported again. Returns whether anything was reported.
    @discardableResult
    func walk(_ expr: Expr, call: (SourceSpan, String)?) -> Bool {
        var call = call
        if case .inline(let inlined) = expr.kind, expr.span.file == checker.rootFile { call = (expr.span, inlined.function) }
        var reported = false
        for child in expr.children { reported = walk(child, call: call) || reported }
        if reported { return true }
        switch expr.kind {
        case .negate(let x):
            return problems(x.range.map { RangeRules.negate($0).problems }, expr, call)
        case .absolute(let x):
            return problems(x.range.map { RangeRules.absolute($0).problems }, expr, call)
        case .arithmetic(let op, let a, let b):
            guard let ra = a.range, let rb = b.range else { return false }
            switch op {
            case .add: return problems(RangeRules.add(ra, rb, subtract: false).problems, expr, call)
            case .subtract: return problems(RangeRules.add(ra, rb, subtract: true).problems, expr, call)
            case .multiply: return problems(RangeRules.multiply(ra, rb).problems, expr, call)
            case .divide: return problems(RangeRules.divide(ra, rb)?.problems, expr, call)
            }
        case .compare(_, let a, let b, .numeric):
            guard let ra = a.range, let rb = b.range else { return false }
            return problems(RangeRules.compare(ra, rb), expr, call)
        case .extremum(_, let values):
            var current = values.first?.range
            var found: [RangeProblem] = []
            for value in values.dropFirst() {
                guard let range = current, let next = value.range else { current = nil; continue }
                let result = RangeRules.choice(range, next, value: range.value.hull(next.value))
                found += result.problems
                current = result.range
            }
            return problems(found, expr, call)
        case .conditional(_, let a, let b):
            guard let ra = a.range, let rb = b.range else { return false }
            return problems(RangeRules.select(ra, rb).problems, expr, call)
        case .aggregate(let aggregate):
            guard let body = aggregate.body?.range else { return false }
            if aggregate.function == .sum { return problems(RangeRules.sum(body).problems, expr, call) }
            if aggregate.function == .mean { return problems(RangeRules.mean(body).problems, expr, call) }
            return false
        case .reduce(_, let perGroup):
            // Finding the largest group compares the groups' values with each other.
            guard let range = perGroup.range else { return false }
            return problems(RangeRules.compare(range, range), expr, call)
        default:
            return false
        }
    }

    func problems(_ found: [RangeProblem]?, _ expr: Expr, _ call: (SourceSpan, String)?) -> Bool {
        guard let found, !found.isEmpty else { return false }
        let sorted = Array(Set(found)).sorted { $0.what < $1.what }
        let hints = boundHints(expr)
        if expr.span.file == checker.rootFile || call == nil {
            checker.reportRangeProblems(sorted, at: expr.span, hints: hints)
        } else if let (site, function) = call {
            checker.reportRangeProblems(sorted, at: site, extraNotes: [Note("in `\(function)`, at this computation", at: expr.span)],
                                        hints: hints)
        }
        return true
    }

    /// What to bound: the inputs the expression reads that have a default
    /// range (fields and model outputs declared without `in LO..HI`).
    func boundHints(_ expr: Expr) -> [Note] {
        var seen: Set<String> = []
        var notes: [Note] = []
        var stack = [expr]
        var visited = 0
        while let next = stack.popLast(), visited < 10_000 {
            visited += 1
            var key: String?
            switch next.kind {
            case .field(let binder, let name): key = "\(binder.table).\(name)"
            case .applyModel(let model, _): key = "model \(model)"
            default: break
            }
            if let key, seen.insert(key).inserted, let (range, syntax) = checker.defaultRanges[key] {
                notes.append(Note("`\(key.hasPrefix("model ") ? key : key)` has the default range \(range); declare the values it can take, e.g. \(syntax)"))
            }
            stack += next.children
        }
        return notes.sorted { $0.message < $1.message }
    }
}

extension Expr {
    /// The direct sub-expressions (for passes that walk the tree).
    public var children: [Expr] {
        switch kind {
        case .bool, .number, .param, .commitment, .commit, .local, .field, .enumCase, .opaque, .error:
            return []
        case .inline(let call): return call.bindings.map(\.value) + [call.body]
        case .index(let base, _): return [base]
        case .applyModel(_, let input): return [input]
        case .negate(let x), .not(let x), .absolute(let x): return [x]
        case .arithmetic(_, let a, let b), .and(let a, let b), .or(let a, let b), .compare(_, let a, let b, _): return [a, b]
        case .extremum(_, let values): return values
        case .conditional(let a, let b, let c): return [a, b, c]
        case .aggregate(let aggregate):
            return [aggregate.filter, aggregate.grouping?.key, aggregate.body].compactMap { $0 }
        case .reduce(_, let value): return [value]
        }
    }
}
