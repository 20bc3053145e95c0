import BigNumber
import Dispatch
import PolicySyntax

/// Evaluates a checked program on concrete data with exact rational
/// arithmetic: the reference semantics of the HIR. The prover evaluates a
/// policy first and stops on a violated rule; tests compare the standard
/// library with Fairlearn through it.
///
/// Data values are used as given: rounding `fixed` inputs to multiples of
/// 2^-16 is the data loader's job.
public struct Evaluator {
    let program: Program
    let inputs: EvaluationInputs
    /// The current row of each binder.
    var rows: [Int: [String: RuntimeValue]] = [:]
    /// Values bound by inlined calls.
    var locals: [Int: RuntimeValue] = [:]
    /// The rule being evaluated (named in errors).
    var rule = ""
    /// Tables of at least this many rows are aggregated in runs side by
    /// side (0: never). The input closures are then called from several
    /// threads at once.
    var parallelRows = 512

    public init(program: Program, inputs: EvaluationInputs) {
        self.program = program
        self.inputs = inputs
    }

    /// The verdict of every rule, in order; a rule that cannot be evaluated
    /// (an empty group, a division by zero) gives its error.
    public mutating func verdicts() -> [(rule: String, result: Result<Bool, EvaluationError>)] {
        program.rules.map { rule in
            self.rule = rule.name
            do {
                guard case .bool(let holds) = try value(rule.body) else { throw failure("rule is not a bool", rule.body) }
                return (rule.name, .success(holds))
            } catch let error as EvaluationError {
                return (rule.name, .failure(error))
            } catch {
                return (rule.name, .failure(EvaluationError(message: "\(error)", span: span(rule.body))))
            }
        }
    }

    func span(_ expr: Expr) -> SourceSpanValue {
        SourceSpanValue(file: expr.span.file.rawValue, start: expr.span.start, end: expr.span.end)
    }

    func failure(_ message: String, _ expr: Expr) -> EvaluationError {
        EvaluationError(message: (rule.isEmpty ? "" : "rule `\(rule)`: ") + message, span: span(expr))
    }

    func number(_ value: RuntimeValue, _ expr: Expr) throws -> Rational {
        guard case .number(let number) = value else { throw failure("expected a number, found \(value)", expr) }
        return number
    }

    func truth(_ value: RuntimeValue, _ expr: Expr) throws -> Bool {
        guard case .bool(let flag) = value else { throw failure("expected a bool, found \(value)", expr) }
        return flag
    }

    /// The value of an expression in the current rows and bindings.
    public mutating func value(_ expr: Expr) throws -> RuntimeValue {
        switch expr.kind {
        case .bool(let flag): return .bool(flag)
        case .number(let number): return .number(number)
        case .param(let name):
            let value = inputs.params[name] ?? program.param(named: name)?.value
            switch value {
            case .bool(let flag)?: return .bool(flag)
            case .number(let number)?: return .number(number)
            case nil: throw failure("no value for param `\(name)`", expr)
            }
        case .commitment(let name):
            guard let digest = inputs.commitments[name] else { throw failure("no value for commitment `\(name)`", expr) }
            return .digest(digest)
        case .commit(let asset): return .digest(inputs.commit(asset))
        case .local(let id, let name):
            guard let bound = locals[id] else { throw failure("unbound `\(name)`", expr) }
            return bound
        case .inline(let call):
            for binding in call.bindings { locals[binding.id] = try value(binding.value) }
            return try value(call.body)
        case .field(let binder, let name):
            guard let row = rows[binder.id], let field = row[name] else {
                throw failure("row of `\(binder.table)` has no value for `\(name)`", expr)
            }
            return field
        case .enumCase(let index, _): return .enumCase(index)
        case .index(let base, let indices):
            guard case .tensor(let elements) = try value(base), case .tensor(let type) = base.type else {
                throw failure("indexing a non-tensor", expr)
            }
            var offset = 0
            for (position, index) in indices.enumerated() {
                offset += index * type.dimensions[(position + 1)...].reduce(1, *)
            }
            let size = type.dimensions[indices.count...].reduce(1, *)
            guard offset + size <= elements.count else { throw failure("tensor has too few elements", expr) }
            return indices.count == type.dimensions.count ? .number(elements[offset]) : .tensor(Array(elements[offset..<offset + size]))
        case .applyModel(let model, let input):
            guard case .tensor(let elements) = try value(input) else { throw failure("model input is not a tensor", expr) }
            return .tensor(inputs.model(model, elements))
        case .negate(let x): return .number(-(try number(value(x), x)))
        case .not(let x): return .bool(!(try truth(value(x), x)))
        case .absolute(let x): return .number(try number(value(x), x).magnitude)
        case .arithmetic(let op, let a, let b):
            let x = try number(value(a), a), y = try number(value(b), b)
            switch op {
            case .add: return .number(x + y)
            case .subtract: return .number(x - y)
            case .multiply: return .number(x * y)
            case .divide:
                guard let quotient = x.divided(by: y) else { throw failure("division by zero", b) }
                return .number(quotient)
            }
        case .and(let a, let b): return .bool(try truth(value(a), a) && truth(value(b), b))
        case .or(let a, let b): return .bool(try truth(value(a), a) || truth(value(b), b))
        case .compare(let op, let a, let b, _):
            let x = try value(a), y = try value(b)
            if case .number(let p) = x, case .number(let q) = y {
                switch op {
                case .equal: return .bool(p == q)
                case .notEqual: return .bool(p != q)
                case .less: return .bool(p < q)
                case .lessEqual: return .bool(p <= q)
                case .greater: return .bool(p > q)
                case .greaterEqual: return .bool(p >= q)
                }
            }
            switch op {
            case .equal: return .bool(x == y)
            case .notEqual: return .bool(x != y)
            default: throw failure("ordering of non-numbers", expr)
            }
        case .extremum(let which, let values):
            let numbers = try values.map { try number(value($0), $0) }
            return .number(which == .min ? numbers.min()! : numbers.max()!)
        case .conditional(let test, let a, let b):
            return try truth(value(test), test) ? value(a) : value(b)
        case .aggregate(let aggregate):
            return try evaluate(aggregate, expr)
        case .reduce(let which, let perGroup):
            guard case .perGroup(let values) = try value(perGroup) else { throw failure("not a per-group value", expr) }
            let present = values.compactMap { $0 }
            guard !present.isEmpty else { throw failure("no group has rows", expr) }
            return .number(which == .min ? present.min()! : present.max()!)
        case .opaque, .error:
            throw failure("the program has errors", expr)
        }
    }

    /// One pass over the rows: the per-group count, count of true bodies,
    /// sum, minimum and maximum, then the function's value per group.
    ///
    /// A large table's rows are split into runs evaluated side by side
    /// (`parallelRows`), each by a copy of this evaluator; their tallies are
    /// exact (counts, rational sums, minima, maxima), so merging them gives
    /// the same value as one pass. An error is the one the first failing row
    /// gives, as in one pass: the runs before it finished without one.
    mutating func evaluate(_ aggregate: Aggregate, _ expr: Expr) throws -> RuntimeValue {
        guard let table = inputs.tables[aggregate.table] else { throw failure("no rows for table `\(aggregate.table)`", expr) }
        let groupCount = aggregate.grouping?.groups.cases?.count ?? 1
        var tally = AggregateTally(groups: groupCount)
        if table.count >= parallelRows && parallelRows > 0 {
            let runs = max(1, min(16, table.count / max(1, parallelRows / 2)))
            var tallies = [Result<AggregateTally, Error>](repeating: .success(tally), count: runs)
            let template = self
            tallies.withUnsafeMutableBufferPointer { out in
                DispatchQueue.concurrentPerform(iterations: runs) { r in
                    // Nested aggregates of a run stay in its thread.
                    var evaluator = template
                    evaluator.parallelRows = 0
                    var partial = AggregateTally(groups: groupCount)
                    let rows = table[r * table.count / runs ..< (r + 1) * table.count / runs]
                    out[r] = Result { try evaluator.tally(aggregate, rows, groups: groupCount, into: &partial); return partial }
                }
            }
            for result in tallies { tally.merge(try result.get()) }
        } else {
            try self.tally(aggregate, table[...], groups: groupCount, into: &tally)
        }
        switch aggregate.function {
        case .all: return .bool(tally.all)
        case .any: return .bool(tally.any)
        default: break
        }
        var results: [Rational?] = []
        for group in 0..<groupCount {
            if tally.count[group] == 0 {
                if aggregate.grouping?.empty == .skip { results.append(nil); continue }
                switch aggregate.function {
                case .count, .sum:
                    results.append(.zero)
                    continue
                default:
                    if let grouping = aggregate.grouping, let cases = grouping.groups.cases {
                        throw failure("group `\(cases[group])` has no rows in this `\(aggregate.function.rawValue)`", expr)
                    }
                    throw failure("`\(aggregate.function.rawValue)` over no rows", expr)
                }
            }
            switch aggregate.function {
            case .count: results.append(Rational(tally.count[group]))
            case .rate: results.append(Rational(BigInt(tally.trues[group]), BigInt(tally.count[group])))
            case .sum: results.append(tally.sums[group])
            case .mean: results.append(tally.sums[group].divided(by: Rational(tally.count[group])))
            case .min: results.append(tally.lows[group])
            case .max: results.append(tally.highs[group])
            case .all, .any: break
            }
        }
        return aggregate.grouping == nil ? .number(results[0]!) : .perGroup(results)
    }
}
