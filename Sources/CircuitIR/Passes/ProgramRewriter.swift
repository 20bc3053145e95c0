/// Copies a program instruction by instruction into a new one, renumbering
/// values: the skeleton of every pass. A pass decides per source instruction
/// whether to copy it, drop it, replace its results by existing values
/// (`alias`), or emit something else through `builder`.
final class ProgramRewriter {
    let source: Program
    let builder: CircuitBuilder
    /// Source value id → new value id; `unmapped` until defined.
    private(set) var map: [UInt32]
    static let unmapped = UInt32.max

    /// `tracksBounds`: whether the pass reads bounds (`constantValue`, or
    /// gadgets that check their inputs' ranges); off, copying is much cheaper.
    init(_ source: Program, tracksBounds: Bool = true) {
        self.source = source
        builder = CircuitBuilder(adoptingPoolsOf: source, tracksBounds: tracksBounds)
        map = [UInt32](repeating: ProgramRewriter.unmapped, count: source.valueCount)
    }

    /// The new value standing for source value v.
    ///
    /// INVARIANT: passes only map values before their uses (SSA order), so an
    /// operand is always mapped by the time an instruction using it is copied.
    @inline(__always)
    func mapped(_ v: Value) -> Value { Value(map[v.index]) }

    func alias(_ old: Value, to new: Value) { map[old.index] = new.id }

    /// Source instruction i's operands with value ids renumbered.
    func mappedOperands(_ i: Int) -> [UInt32] {
        var ops = Array(source.operands(of: i))
        for position in Program.valueOperandPositions(source.opcodes[i], operandCount: ops.count) {
            ops[position] = map[Int(ops[position])]
        }
        return ops
    }

    /// Source instruction i's operands with value ids renumbered, into
    /// `ops` (replacing its contents; reusing its storage).
    func mappedOperands(_ i: Int, into ops: inout [UInt32]) {
        ops.removeAll(keepingCapacity: true)
        // Index by index: appending the slice `source.operands(of: i)` costs
        // a retain and release of the whole operand array per instruction.
        for k in Int(source.operandStart[i]) ..< Int(source.operandStart[i + 1]) { ops.append(source.operands[k]) }
        for position in Program.valueOperandPositions(source.opcodes[i], operandCount: ops.count) {
            ops[position] = map[Int(ops[position])]
        }
    }

    /// Copies instruction i unchanged (up to renumbering) and maps its results.
    @discardableResult
    func copy(_ i: Int) -> Value {
        mappedOperands(i, into: &scratch)
        return emit(i, source.opcodes[i], scratch)
    }

    /// Whether instruction j of the new program has this opcode and these operands.
    func emitted(_ j: Int, is opcode: Opcode, _ ops: [UInt32]) -> Bool {
        builder.instruction(j, is: opcode, ops)
    }

    /// Reused by `copy` for the renumbered operands (no allocation per instruction).
    private var scratch: [UInt32] = []

    /// Emits `opcode` with `operands` (new numbering) in place of source
    /// instruction i, with i's origin and result count, and maps i's results.
    @discardableResult
    func emit(_ i: Int, _ opcode: Opcode, _ operands: [UInt32]) -> Value {
        let results = source.results(of: i)
        let first = builder.emitRaw(opcode, operands, results: results.count, origin: source.origins[i])
        for (k, v) in results.enumerated() { map[v] = first.id + UInt32(k) }
        return first
    }

    /// Runs `body` with source instruction i's origin as the builder's origin.
    func withOrigin<T>(of i: Int, _ body: () throws -> T) rethrows -> T {
        let saved = builder.currentOrigin
        builder.currentOrigin = source.origins[i]
        defer { builder.currentOrigin = saved }
        return try body()
    }

    func finish() -> Program { builder.finish() }
}
