/// Counts that describe a program's size, for `--emit stats` and pass reports.
public struct ProgramStats: Sendable, Equatable, CustomStringConvertible {
    public let instructions: Int
    public let values: Int
    /// Operand slots (the flat storage's size).
    public let operands: Int
    /// Instructions by opcode, indexed by `Opcode.rawValue`.
    private let counts: [Int]
    /// Σ bits over range checks.
    public let rangeCheckBits: Int
    /// Multiplications a scalar layout would need for the `dot` and `matmul` instructions.
    public let multiplyAccumulates: Int

    public init(_ p: Program) {
        var counts = [Int](repeating: 0, count: Opcode.allCases.count)
        var bits = 0, macs = 0
        for i in 0..<p.instructionCount {
            let opcode = p.opcodes[i]
            counts[Int(opcode.rawValue)] += 1
            let ops = p.operands(of: i)
            switch opcode {
            case .rangeCheck: bits += Int(ops[ops.startIndex + 1])
            case .dot: macs += ops.count / 2
            case .matmul: macs += Int(ops[ops.startIndex]) * Int(ops[ops.startIndex + 1]) * Int(ops[ops.startIndex + 2])
            default: break
            }
        }
        instructions = p.instructionCount
        values = p.valueCount
        operands = p.operands.count
        self.counts = counts
        rangeCheckBits = bits
        multiplyAccumulates = macs
    }

    /// How many instructions have this opcode.
    public subscript(opcode: Opcode) -> Int { counts[Int(opcode.rawValue)] }

    /// assert_eq + range_check + lookup.
    public var constraints: Int { self[.assertEqual] + self[.rangeCheck] + self[.lookup] }

    /// Multi-line, `name: count` per opcode present, in opcode order.
    public var description: String {
        var lines = ["instructions: \(instructions)", "values: \(values)", "operands: \(operands)",
                     "constraints: \(constraints)"]
        for opcode in Opcode.allCases where self[opcode] > 0 { lines.append("  \(opcode): \(self[opcode])") }
        if rangeCheckBits > 0 { lines.append("range-checked bits: \(rangeCheckBits)") }
        if multiplyAccumulates > 0 { lines.append("multiply-accumulates in dot/matmul: \(multiplyAccumulates)") }
        return lines.joined(separator: "\n")
    }
}
