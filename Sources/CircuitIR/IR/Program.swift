import Field

/// A circuit: a straight-line SSA program over the Goldilocks field.
///
/// Stored as a structure of arrays so that millions of instructions cost a few
/// bytes each: one opcode byte, an origin id, and offsets into one flat operand
/// array and into the value numbering. No object per instruction. Values are
/// numbered in instruction order, so an operand always names an earlier value
/// (`validate()` checks it) and the witness is a flat vector.
public struct Program: Sendable {
    /// A name for the circuit (the policy or the test).
    public var name: String

    /// The opcode of each instruction.
    public internal(set) var opcodes: [Opcode] = []
    /// `operandStart[i] ..< operandStart[i + 1]` are instruction i's operands.
    public internal(set) var operandStart: [UInt32] = [0]
    /// All operands, in instruction order; their layout is given per `Opcode`.
    public internal(set) var operands: [UInt32] = []
    /// `resultStart[i] ..< resultStart[i + 1]` are the ids of instruction i's results.
    public internal(set) var resultStart: [UInt32] = [0]
    /// The origin of each instruction, in `originTable`.
    public internal(set) var origins: [OriginID] = []

    /// Constant pool (operands marked "k").
    public internal(set) var constants: [Goldilocks] = []
    /// String pool (operands marked "s"): input and output names.
    public internal(set) var strings: [String] = []
    /// Lookup tables, by `TableID`.
    public internal(set) var tables: [LookupTable] = []
    /// Custom hint closures, by `HintKind.custom` index.
    public internal(set) var customHints: [CustomHint] = []
    public internal(set) var originTable = OriginTable()

    public init(name: String) { self.name = name }

    // MARK: Shape

    public var instructionCount: Int { opcodes.count }
    public var valueCount: Int { Int(resultStart[resultStart.count - 1]) }

    /// Instruction i's operands.
    @inlinable
    public func operands(of i: Int) -> ArraySlice<UInt32> {
        operands[Int(operandStart[i])..<Int(operandStart[i + 1])]
    }

    /// The ids of instruction i's results.
    @inlinable
    public func results(of i: Int) -> Range<Int> {
        Int(resultStart[i])..<Int(resultStart[i + 1])
    }

    /// The first (often only) result of instruction i.
    @inlinable
    public func result(of i: Int) -> Value { Value(resultStart[i]) }

    /// A read-only view of instruction i.
    public func instruction(_ i: Int) -> Instruction {
        Instruction(index: i, opcode: opcodes[i], operands: operands(of: i), results: results(of: i), origin: origins[i])
    }

    /// The index of the instruction that defines each value.
    public func definingInstructions() -> [UInt32] {
        var result = [UInt32](repeating: 0, count: valueCount)
        for i in 0..<instructionCount {
            for v in results(of: i) { result[v] = UInt32(i) }
        }
        return result
    }

    /// How many operand slots use each value.
    public func useCounts() -> [UInt32] {
        var counts = [UInt32](repeating: 0, count: valueCount)
        for i in 0..<instructionCount {
            forEachValueOperand(of: i) { counts[$0.index] += 1 }
        }
        return counts
    }

    /// The positions, within an instruction's operands, that hold value ids.
    @inlinable
    public static func valueOperandPositions(_ opcode: Opcode, operandCount n: Int) -> StrideTo<Int> {
        switch opcode {
        case .constant, .publicInput, .privateInput: stride(from: 0, to: 0, by: 1)
        case .add, .sub, .mul, .dot, .poseidon2, .assertEqual: stride(from: 0, to: n, by: 1)
        case .linear: stride(from: 2, to: n, by: 2)
        case .hint, .matmul: stride(from: 3, to: n, by: 1)
        case .rangeCheck: stride(from: 0, to: min(n, 1), by: 1)
        case .lookup: stride(from: 1, to: n, by: 1)
        case .publicOutput: stride(from: 1, to: min(n, 2), by: 1)
        }
    }

    /// Calls `body` with every value operand of instruction i, in order.
    @inlinable
    public func forEachValueOperand(of i: Int, _ body: (Value) -> Void) {
        let start = Int(operandStart[i])
        let n = Int(operandStart[i + 1]) - start
        for position in Program.valueOperandPositions(opcodes[i], operandCount: n) {
            body(Value(operands[start + position]))
        }
    }

    // MARK: Interface

    /// The names of the public inputs, in declaration (= position) order.
    public var publicInputNames: [String] { names(of: .publicInput) }
    /// The names of the private inputs, in declaration order.
    public var privateInputNames: [String] { names(of: .privateInput) }
    /// The names of the public outputs, in order.
    public var publicOutputNames: [String] { names(of: .publicOutput) }

    private func names(of opcode: Opcode) -> [String] {
        (0..<instructionCount).filter { opcodes[$0] == opcode }.map { strings[Int(operands[Int(operandStart[$0])])] }
    }

    // MARK: Appending (used by the builder and by passes)

    /// Appends an instruction and returns the id of its first result.
    ///
    /// INVARIANT: callers pass operands in the layout of `opcode` and the
    /// matching result count; `validate()` re-checks both.
    @discardableResult
    mutating func append(_ opcode: Opcode, _ ops: some Collection<UInt32>, results: Int, origin: OriginID) -> UInt32 {
        let first = resultStart[resultStart.count - 1]
        opcodes.append(opcode)
        operands.append(contentsOf: ops)
        operandStart.append(UInt32(operands.count))
        resultStart.append(first + UInt32(results))
        origins.append(origin)
        return first
    }

    /// Reserves room for about `instructions` more instructions.
    mutating func reserve(instructions: Int, operands extra: Int) {
        opcodes.reserveCapacity(opcodes.count + instructions)
        operandStart.reserveCapacity(operandStart.count + instructions)
        resultStart.reserveCapacity(resultStart.count + instructions)
        origins.reserveCapacity(origins.count + instructions)
        operands.reserveCapacity(operands.count + extra)
    }

    /// Copies the pools (constants, strings, tables, hints, origins) of
    /// another program, so that its instructions can be copied with their
    /// pool indices unchanged.
    mutating func adoptPools(of other: Program) {
        constants = other.constants
        strings = other.strings
        tables = other.tables
        customHints = other.customHints
        originTable = other.originTable
    }

    mutating func addConstant(_ c: Goldilocks) -> UInt32 {
        constants.append(c)
        return UInt32(constants.count - 1)
    }

    mutating func addString(_ s: String) -> UInt32 {
        strings.append(s)
        return UInt32(strings.count - 1)
    }

    mutating func addTable(_ t: LookupTable) -> TableID {
        tables.append(t)
        return TableID(raw: UInt32(tables.count - 1))
    }

    mutating func addCustomHint(_ h: CustomHint) -> Int {
        customHints.append(h)
        return customHints.count - 1
    }

    mutating func internOrigin(_ o: Origin, parent: OriginID) -> OriginID {
        originTable.intern(o, parent: parent)
    }
}

/// A read-only view of one instruction of a `Program`.
public struct Instruction: Sendable {
    public let index: Int
    public let opcode: Opcode
    /// Raw operands; see `Opcode` for their layout.
    public let operands: ArraySlice<UInt32>
    /// The ids of the values it defines.
    public let results: Range<Int>
    public let origin: OriginID

    /// Raw operand j (0-based, relative to this instruction).
    public subscript(j: Int) -> UInt32 { operands[operands.startIndex + j] }

    /// The value operand at position j.
    public func value(_ j: Int) -> Value { Value(self[j]) }

    /// All value operands, in order.
    public var valueOperands: [Value] {
        Program.valueOperandPositions(opcode, operandCount: operands.count).map { value($0) }
    }

    /// The result values.
    public var resultValues: [Value] { results.map { Value(index: $0) } }

    /// For `.hint`: what it computes.
    public var hintKind: HintKind? {
        opcode == .hint ? HintKind(tag: self[0], parameter: self[1]) : nil
    }
}
