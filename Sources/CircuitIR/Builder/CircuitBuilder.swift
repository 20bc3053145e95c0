import Field

/// Builds a `Program` instruction by instruction: the API the lowering and
/// the gadgets use.
///
/// The builder tracks a proven bound (`Interval`) for every value as it goes —
/// from constants, arithmetic, range checks and lookups seen so far — so that
/// gadgets can refuse inputs that might wrap modulo p, or range-check them
/// first. It also keeps a current origin, which every instruction records.
///
/// Not thread-safe: one builder per lowering.
public final class CircuitBuilder {
    /// The program so far.
    public private(set) var program: Program
    /// Proven bound of each value so far (`bound(of:)`).
    private var bounds: [Interval] = []
    /// The instruction defining each value.
    private var definer: [UInt32] = []
    private var constantValues: [Goldilocks: Value] = [:]
    /// The inverse of `constantValues`, for `constantValue(of:)` when bounds are not tracked.
    private var constantOfValue: [UInt32: Goldilocks] = [:]
    private var constantPool: [Goldilocks: UInt32] = [:]
    private var stringPool: [String: UInt32] = [:]
    private var inputNames: Set<String> = []
    private var outputNames: Set<String> = []
    private var tableByName: [String: TableID] = [:]
    private var customHintByName: [String: Int] = [:]
    /// The origin new instructions record.
    public internal(set) var currentOrigin: OriginID = .none
    /// Whether bounds are tracked (`bound(of:)`, `isBoolean`, `constantValue`
    /// and the gadgets that read them work only then). Passes that only copy,
    /// merge or drop instructions turn it off: recomputing every value's
    /// interval per pass was most of a pass's time.
    let tracksBounds: Bool

    public init(name: String) {
        program = Program(name: name)
        tracksBounds = true
    }

    /// A builder whose program starts with no instructions but with all the
    /// pools (constants, names, tables, hints, origins) of `source`, so that
    /// a pass can copy source instructions without renumbering pool entries.
    init(adoptingPoolsOf source: Program, tracksBounds: Bool) {
        self.tracksBounds = tracksBounds
        program = Program(name: source.name)
        program.adoptPools(of: source)
        for (k, c) in source.constants.enumerated() where constantPool[c] == nil { constantPool[c] = UInt32(k) }
        for (k, s) in source.strings.enumerated() where stringPool[s] == nil { stringPool[s] = UInt32(k) }
        for (k, t) in source.tables.enumerated() where tableByName[t.name] == nil { tableByName[t.name] = TableID(raw: UInt32(k)) }
        for (k, h) in source.customHints.enumerated() where customHintByName[h.name] == nil { customHintByName[h.name] = k }
        program.reserve(instructions: source.instructionCount, operands: source.operands.count)
        if tracksBounds {
            bounds.reserveCapacity(source.valueCount)
            definer.reserveCapacity(source.valueCount)
        }
    }

    /// Appends an instruction whose operands are already in the new
    /// program's numbering, with the given origin. For passes only: no checks.
    func emitRaw(_ opcode: Opcode, _ operands: [UInt32], results: Int, origin: OriginID) -> Value {
        let saved = currentOrigin
        currentOrigin = origin
        defer { currentOrigin = saved }
        if opcode == .constant, results == 1 {
            return constant(program.constants[Int(operands[0])])
        }
        return emit(opcode, operands, results: results)
    }

    /// The pool index of a constant (adding it if new), for passes that
    /// build operand lists by hand.
    func constantIndex(_ c: Goldilocks) -> UInt32 { poolIndex(c) }

    /// The finished program.
    public func finish() -> Program { program }

    // Reads of the program under construction that touch one stored array
    // each: calling `program`'s computed members through this class would
    // copy (retain and release) every array of the program per call.

    /// How many instructions the program has so far.
    var instructionCount: Int { program.opcodes.count }

    /// The first result of instruction j.
    func firstResult(of j: Int) -> Value { Value(program.resultStart[j]) }

    /// Whether instruction j has this opcode and these operands.
    func instruction(_ j: Int, is opcode: Opcode, _ ops: [UInt32]) -> Bool {
        guard program.opcodes[j] == opcode else { return false }
        let start = Int(program.operandStart[j]), end = Int(program.operandStart[j + 1])
        guard end - start == ops.count else { return false }
        for k in 0..<ops.count where program.operands[start + k] != ops[k] { return false }
        return true
    }

    // MARK: Origins

    /// Runs `body` with `origin` (nested in the current one) as the origin of
    /// every instruction it emits.
    public func withOrigin<T>(_ origin: Origin, _ body: () throws -> T) rethrows -> T {
        let saved = currentOrigin
        currentOrigin = program.internOrigin(origin, parent: saved)
        defer { currentOrigin = saved }
        return try body()
    }

    /// Shorthand for a gadget's label: `withOrigin(Origin(label))`.
    public func scope<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        try withOrigin(Origin(label), body)
    }

    /// The current origin chain in words, for error messages.
    public var currentOriginDescription: String { program.originTable.describe(currentOrigin) }

    /// An error located at the current origin.
    public func error(_ kind: CircuitError.Kind, _ message: String) -> CircuitError {
        CircuitError(kind, message, origin: currentOriginDescription)
    }

    // MARK: Bounds

    /// The proven bound of `v`: every satisfying witness gives v a signed
    /// value inside it.
    public func bound(of v: Value) -> Interval {
        precondition(tracksBounds, "bound(of:) on a builder that does not track bounds")
        return bounds[v.index]
    }

    /// Whether v is proven to be 0 or 1.
    public func isBoolean(_ v: Value) -> Bool { bound(of: v).isSubset(of: Interval(0, 1)) }

    /// Whether v is the result of a `const` instruction, and which constant.
    public func constantValue(of v: Value) -> Goldilocks? {
        guard tracksBounds else { return constantOfValue[v.id] }
        let b = bounds[v.index]
        guard b.lo == b.hi else { return nil }
        return program.opcodes[Int(definer[v.index])] == .constant ? Goldilocks(signed: b.lo) : nil
    }

    private func refine(_ v: Value, _ interval: Interval) {
        // An empty intersection means the constraints cannot all hold; any bound is then sound.
        bounds[v.index] = bounds[v.index].intersection(interval) ?? interval
    }

    // MARK: Emitting

    private func emit(_ opcode: Opcode, _ operands: [UInt32], results: Int) -> Value {
        let first = program.append(opcode, operands, results: results, origin: currentOrigin)
        let i = program.opcodes.count - 1
        guard tracksBounds else { return Value(first) }
        if results > 0 {
            BoundRules.forEachResultBound(opcode, operands, first: Value(first), constants: program.constants,
                                          bound: { bounds[$0.index] }) { _, b in
                // INVARIANT: results are emitted in order, so each is the next new value.
                bounds.append(b)
                definer.append(UInt32(i))
            }
        } else if opcode == .rangeCheck || opcode == .lookup {
            // The only instructions without results that refine bounds; asking
            // only for them saves copying the program's arrays for every other.
            BoundRules.forEachRefinement(inPlace: &program, i, definer: { Int(definer[$0.index]) }) {
                refine($0, $1)
            }
        }
        return Value(first)
    }

    private func poolIndex(_ c: Goldilocks) -> UInt32 {
        if let k = constantPool[c] { return k }
        let k = program.addConstant(c)
        constantPool[c] = k
        return k
    }

    private func stringIndex(_ s: String) -> UInt32 {
        if let k = stringPool[s] { return k }
        let k = program.addString(s)
        stringPool[s] = k
        return k
    }

    private func checkOperands(_ values: [Value]) throws {
        let defined = program.resultStart[program.resultStart.count - 1]
        for v in values where v.id >= defined {
            throw error(.invalidOperand, "\(v) is not defined")
        }
    }

    // MARK: Constants and interface

    /// The constant c (one value per distinct constant).
    public func constant(_ c: Goldilocks) -> Value {
        if let v = constantValues[c] { return v }
        let v = emit(.constant, [poolIndex(c)], results: 1)
        constantValues[c] = v
        constantOfValue[v.id] = c
        return v
    }

    /// The constant with signed value n (integer literals pick this one).
    public func constant(_ n: Int) -> Value { constant(Goldilocks(signed: Int64(n))) }

    /// The next public input (its position is its declaration order).
    public func publicInput(_ name: String) throws -> Value {
        guard inputNames.insert(name).inserted else { throw error(.duplicateName, "input \"\(name)\" is declared twice") }
        return emit(.publicInput, [stringIndex(name)], results: 1)
    }

    /// The next private input (witness), unconstrained.
    public func privateInput(_ name: String) throws -> Value {
        guard inputNames.insert(name).inserted else { throw error(.duplicateName, "input \"\(name)\" is declared twice") }
        return emit(.privateInput, [stringIndex(name)], results: 1)
    }

    /// A private input range-checked to 0 ≤ x < 2^bits.
    public func privateInput(_ name: String, bits: Int) throws -> Value {
        let x = try privateInput(name)
        try rangeCheck(x, bits: bits)
        return x
    }

    /// Reveals v to the verifier under `name`.
    public func publicOutput(_ name: String, _ v: Value) throws {
        try checkOperands([v])
        guard outputNames.insert(name).inserted else { throw error(.duplicateName, "output \"\(name)\" is declared twice") }
        _ = emit(.publicOutput, [stringIndex(name), v.id], results: 0)
    }

    // MARK: Arithmetic

    /// a + b in the field (see `checkedAdd` for the integer sum).
    public func add(_ a: Value, _ b: Value) -> Value { emit(.add, [a.id, b.id], results: 1) }
    /// a − b in the field (see `checkedSub`).
    public func sub(_ a: Value, _ b: Value) -> Value { emit(.sub, [a.id, b.id], results: 1) }
    /// a · b in the field (see `checkedMul`).
    public func mul(_ a: Value, _ b: Value) -> Value { emit(.mul, [a.id, b.id], results: 1) }

    /// c₀ + Σ cᵢ·xᵢ.
    ///
    /// Terms with a zero coefficient are left out and terms on constants are
    /// added to c₀ (no terms left: the constant c₀), so that the optimiser's
    /// constant folding does not have to rebuild the program to find them.
    public func linear(_ terms: [(Goldilocks, Value)], constant c0: Goldilocks = .zero) -> Value {
        var c = c0, kept = 0
        for (k, x) in terms where !k.isZero {
            if let v = constantValue(of: x) { c += k * v } else { kept += 1 }
        }
        if kept == 0 { return constant(c) }
        var ops: [UInt32] = [poolIndex(c)]
        ops.reserveCapacity(1 + 2 * kept)
        for (k, x) in terms where !k.isZero && constantValue(of: x) == nil {
            ops.append(poolIndex(k))
            ops.append(x.id)
        }
        return emit(.linear, ops, results: 1)
    }

    /// c₀ + Σ cᵢ·xᵢ with signed integer coefficients.
    public func linear(_ terms: [(Int64, Value)], constant c0: Int64 = 0) -> Value {
        linear(terms.map { (Goldilocks(signed: $0.0), $0.1) }, constant: Goldilocks(signed: c0))
    }

    /// −x.
    public func negate(_ x: Value) -> Value { linear([(Int64(-1), x)]) }

    /// Σ aᵢ·bᵢ.
    public func dot(_ a: [Value], _ b: [Value]) throws -> Value {
        guard a.count == b.count, !a.isEmpty else {
            throw error(.invalidOperand, "dot product of lengths \(a.count) and \(b.count)")
        }
        try checkOperands(a + b)
        var ops: [UInt32] = []
        ops.reserveCapacity(2 * a.count)
        for (x, y) in zip(a, b) {
            ops.append(x.id)
            ops.append(y.id)
        }
        return emit(.dot, ops, results: 1)
    }

    /// X·W for X of `rows × inner` and W of `inner × columns` values, both
    /// row-major; the result is `rows × columns`, row-major.
    public func matmul(_ x: [Value], _ w: [Value], rows: Int, inner: Int, columns: Int) throws -> [Value] {
        guard rows > 0, inner > 0, columns > 0, x.count == rows * inner, w.count == inner * columns else {
            throw error(.invalidOperand, "matmul of \(x.count) and \(w.count) values as \(rows)×\(inner) · \(inner)×\(columns)")
        }
        try checkOperands(x + w)
        let first = emit(.matmul, [UInt32(rows), UInt32(inner), UInt32(columns)] + x.map(\.id) + w.map(\.id),
                         results: rows * columns)
        return (0..<(rows * columns)).map { Value(first.id + UInt32($0)) }
    }

    /// The Poseidon2 permutation of a 12-lane state.
    public func poseidon2(_ state: [Value]) throws -> [Value] {
        guard state.count == Poseidon2.width else {
            throw error(.invalidOperand, "Poseidon2 takes \(Poseidon2.width) lanes, not \(state.count)")
        }
        try checkOperands(state)
        let first = emit(.poseidon2, state.map(\.id), results: Poseidon2.width)
        return (0..<Poseidon2.width).map { Value(first.id + UInt32($0)) }
    }

    // MARK: Hints

    /// Advice computed at witness time. The caller must constrain the results.
    public func hint(_ kind: HintKind, _ inputs: [Value], results: Int) throws -> [Value] {
        try checkOperands(inputs)
        if let problem = kind.shapeError(inputs: inputs.count, results: results, tables: program.tables,
                                         customHints: program.customHints.count) {
            throw error(.invalidOperand, problem)
        }
        let (tag, parameter) = kind.encoded
        let first = emit(.hint, [tag, parameter, UInt32(results)] + inputs.map(\.id), results: results)
        return (0..<results).map { Value(first.id + UInt32($0)) }
    }

    /// Registers a custom hint closure under a unique name.
    public func registerHint(name: String, _ compute: @escaping HintFunction) throws -> HintKind {
        guard customHintByName[name] == nil else { throw error(.duplicateName, "hint \"\(name)\" is registered twice") }
        let index = program.addCustomHint(CustomHint(name: name, compute: compute))
        customHintByName[name] = index
        return .custom(index)
    }

    // MARK: Tables

    /// Adds a table, or returns the existing one of that name if identical.
    public func table(_ table: LookupTable) throws -> TableID {
        guard table.name != LookupTable.range16.name || table == .range16 else {
            throw error(.duplicateName, "the table name \"\(table.name)\" is reserved for the 16-bit range table")
        }
        if let id = tableByName[table.name] {
            guard program.tables[id.index] == table else {
                throw error(.duplicateName, "two different tables are named \"\(table.name)\"")
            }
            return id
        }
        let id = program.addTable(table)
        tableByName[table.name] = id
        return id
    }

    // MARK: Constraints

    /// Constraint a = b.
    public func assertEqual(_ a: Value, _ b: Value) {
        _ = emit(.assertEqual, [a.id, b.id], results: 0)
    }

    /// Constraint 0 ≤ x < 2^bits, for 1 ≤ bits ≤ 63 (so the check never
    /// admits a wrapped value: 2^63 < p).
    public func rangeCheck(_ x: Value, bits: Int) throws {
        try checkOperands([x])
        guard (1...63).contains(bits) else { throw error(.invalidBitWidth, "range check to \(bits) bits (1…63 allowed)") }
        _ = emit(.rangeCheck, [x.id, UInt32(bits)], results: 0)
    }

    /// Range-checks x to `bits` unless its bound already proves 0 ≤ x < 2^bits.
    public func rangeCheckIfNeeded(_ x: Value, bits: Int) throws {
        if bits <= 62, bound(of: x).isSubset(of: .bits(bits)) { return }
        try rangeCheck(x, bits: bits)
    }

    /// Constraint −2^(bits−1) ≤ x < 2^(bits−1), as a range check of
    /// x + 2^(bits−1) to `bits` bits (the builder back-propagates the bound to x).
    public func signedRangeCheck(_ x: Value, bits: Int) throws {
        guard (1...62).contains(bits) else { throw error(.invalidBitWidth, "signed range check to \(bits) bits (1…62 allowed)") }
        let half = Int64(1) << (bits - 1)
        if bound(of: x).isSubset(of: Interval(-half, half - 1)) { return }
        try rangeCheck(linear([(Int64(1), x)], constant: half), bits: bits)
    }

    /// Constraint x ∈ {0, 1} (unless already proven).
    public func assertBoolean(_ x: Value) throws { try rangeCheckIfNeeded(x, bits: 1) }

    /// Constraint (x₁ … x_w) is a row of the table.
    public func lookup(_ table: TableID, _ tuple: [Value]) throws {
        try checkOperands(tuple)
        guard table.index < program.tables.count else { throw error(.invalidOperand, "table #\(table.raw) does not exist") }
        let width = program.tables[table.index].width
        guard tuple.count == width else {
            throw error(.invalidOperand, "lookup of \(tuple.count) values into \(program.tables[table.index].name) of width \(width)")
        }
        _ = emit(.lookup, [table.raw] + tuple.map(\.id), results: 0)
    }
}
