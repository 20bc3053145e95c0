import Field

/// How proven bounds (`Interval`) flow through instructions. Shared by the
/// builder, which tracks bounds as it goes, and by `BoundAnalysis`, which
/// recomputes them for a finished program.
enum BoundRules {
    /// Calls `emit` with each result of instruction i and the bound that
    /// follows from its operands' bounds alone.
    @inline(__always)
    static func forEachResultBound(_ p: Program, _ i: Int, bound: (Value) -> Interval,
                                   _ emit: (Value, Interval) -> Void) {
        forEachResultBound(p.opcodes[i], p.operands(of: i), first: p.result(of: i), constants: p.constants,
                           bound: bound, emit)
    }

    /// The same for an instruction given by its parts (so that the builder
    /// need not copy its program for every instruction).
    @inline(__always)
    static func forEachResultBound<C: RandomAccessCollection<UInt32>>(
        _ opcode: Opcode, _ ops: C, first: Value, constants: [Goldilocks],
        bound: (Value) -> Interval, _ emit: (Value, Interval) -> Void
    ) where C.Index == Int {
        let o = ops.startIndex
        switch opcode {
        case .constant:
            emit(first, .constant(constants[Int(ops[o])]))
        case .publicInput, .privateInput:
            emit(first, .full)
        case .add:
            emit(first, bound(Value(ops[o])) + bound(Value(ops[o + 1])))
        case .sub:
            emit(first, bound(Value(ops[o])) - bound(Value(ops[o + 1])))
        case .mul:
            emit(first, bound(Value(ops[o])) * bound(Value(ops[o + 1])))
        case .linear:
            var acc = Interval.constant(constants[Int(ops[o])])
            var j = o + 1
            while j < ops.endIndex, !acc.isFull {
                acc = acc + bound(Value(ops[j + 1])).scaled(by: constants[Int(ops[j])])
                j += 2
            }
            emit(first, acc)
        case .dot:
            var acc = Interval(0, 0)
            var j = o
            while j < ops.endIndex, !acc.isFull {
                acc = acc + bound(Value(ops[j])) * bound(Value(ops[j + 1]))
                j += 2
            }
            emit(first, acc)
        case .hint:
            for k in 0..<Int(ops[o + 2]) { emit(Value(first.id + UInt32(k)), .full) }
        case .poseidon2:
            for k in 0..<Poseidon2.width { emit(Value(first.id + UInt32(k)), .full) }
        case .matmul:
            let n = Int(ops[o]), k = Int(ops[o + 1]), m = Int(ops[o + 2])
            let x = o + 3, w = x + n * k
            for r in 0..<n {
                for c in 0..<m {
                    var acc = Interval(0, 0)
                    for t in 0..<k where !acc.isFull {
                        acc = acc + bound(Value(ops[x + r * k + t])) * bound(Value(ops[w + t * m + c]))
                    }
                    emit(Value(first.id + UInt32(r * m + c)), acc)
                }
            }
        case .assertEqual, .rangeCheck, .lookup, .publicOutput:
            break
        }
    }

    /// Calls `emit` with each fact a constraint instruction proves about a
    /// value: a range check bounds its operand (and, through `y = x + c` or
    /// `y = c − x`, the x it was computed from); a lookup bounds each operand by
    /// its table column. `definer` gives a value's defining instruction.
    @inline(__always)
    static func forEachRefinement(_ p: Program, _ i: Int, definer: (Value) -> Int,
                                  _ emit: (Value, Interval) -> Void) {
        let ops = p.operands(of: i)
        let o = ops.startIndex
        switch p.opcodes[i] {
        case .rangeCheck:
            let bits = Int(ops[o + 1])
            guard bits <= 62 else { return }
            let x = Value(ops[o])
            let range = Interval.bits(bits)
            emit(x, range)
            // Back-propagate through x = c + s·y with s = ±1 and a constant c.
            if let (y, c, s) = unitAffineSource(p, definer(x), definer: definer) {
                let shifted = range - .constant(c)  // = s·y
                emit(y, s == 1 ? shifted : -shifted)
            }
        case .lookup:
            let table = p.tables[Int(ops[o])]
            for (column, j) in (o + 1..<ops.endIndex).enumerated() {
                emit(Value(ops[j]), table.columnIntervals[column])
            }
        default:
            break
        }
    }

    /// The same, for a program stored in a class (the builder): taking it
    /// `inout` lends it without a copy, where passing it by value would retain
    /// and release every array of the program for each range check.
    @inline(__always)
    static func forEachRefinement(inPlace p: inout Program, _ i: Int, definer: (Value) -> Int,
                                  _ emit: (Value, Interval) -> Void) {
        forEachRefinement(p, i, definer: definer, emit)
    }

    /// If instruction d computes c + s·y for a value y, a constant c and s = ±1,
    /// returns (y, c, s).
    static func unitAffineSource(_ p: Program, _ d: Int, definer: (Value) -> Int) -> (Value, Goldilocks, Int)? {
        let ops = p.operands(of: d)
        let o = ops.startIndex
        func constantValue(_ v: UInt32) -> Goldilocks? {
            let def = definer(Value(v))
            return p.opcodes[def] == .constant ? p.constants[Int(p.operands[Int(p.operandStart[def])])] : nil
        }
        switch p.opcodes[d] {
        case .linear where ops.count == 3:
            let coefficient = p.constants[Int(ops[o + 1])]
            let c = p.constants[Int(ops[o])]
            if coefficient == .one { return (Value(ops[o + 2]), c, 1) }
            if coefficient == -Goldilocks.one { return (Value(ops[o + 2]), c, -1) }
            return nil
        case .add:
            if let c = constantValue(ops[o + 1]) { return (Value(ops[o]), c, 1) }
            if let c = constantValue(ops[o]) { return (Value(ops[o + 1]), c, 1) }
            return nil
        case .sub:
            if let c = constantValue(ops[o + 1]) { return (Value(ops[o]), -c, 1) }
            if let c = constantValue(ops[o]) { return (Value(ops[o + 1]), c, -1) }
            return nil
        default:
            return nil
        }
    }
}

extension Program {
    /// The instruction defining value v, by binary search over `resultStart`
    /// (for occasional queries; bulk users call `definingInstructions()`).
    func definingInstruction(ofResult v: Int) -> Int {
        var lo = 0, hi = instructionCount - 1
        // INVARIANT: resultStart is non-decreasing and v < valueCount.
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(resultStart[mid]) <= v { lo = mid } else { hi = mid - 1 }
        }
        // Skip instructions without results that share the same start.
        while Int(resultStart[lo + 1]) <= v { lo += 1 }
        return lo
    }
}
