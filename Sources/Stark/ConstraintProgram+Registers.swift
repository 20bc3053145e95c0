/// Register allocation for `ConstraintProgram`: compiling gives every
/// subexpression its own register, which for a large circuit is thousands of
/// registers of 2·batch values — megabytes of scratch per worker, swept once
/// per batch and far larger than the caches. Reusing a register once its
/// value is dead keeps the scratch to the registers live at once.
extension ConstraintProgram.Op {
    /// The register this op defines (nil for `hornerE`, which updates its accumulator).
    var definedRegister: Int? {
        switch self {
        case let .load(dst, _, _), let .loadExt(dst, _, _), let .point(dst), let .constant(dst, _), let .constantExt(dst, _):
            dst
        case let .addBB(d, _, _), let .addBE(d, _, _), let .addEE(d, _, _),
             let .subBB(d, _, _), let .subBE(d, _, _), let .subEB(d, _, _), let .subEE(d, _, _),
             let .mulBB(d, _, _), let .mulBE(d, _, _), let .mulEE(d, _, _):
            d
        case let .negB(d, _), let .negE(d, _):
            d
        case .hornerE:
            nil
        }
    }

    /// The registers this op reads.
    var readRegisters: [Int] {
        switch self {
        case .load, .loadExt, .point, .constant, .constantExt:
            []
        case let .addBB(_, a, b), let .addBE(_, a, b), let .addEE(_, a, b),
             let .subBB(_, a, b), let .subBE(_, a, b), let .subEB(_, a, b), let .subEE(_, a, b),
             let .mulBB(_, a, b), let .mulBE(_, a, b), let .mulEE(_, a, b):
            [a, b]
        case let .negB(_, a), let .negE(_, a):
            [a]
        case let .hornerE(acc, src, alpha):
            [acc, src, alpha]
        }
    }

    /// The op with every register renamed by `f`.
    func renamed(_ f: (Int) -> Int) -> Self {
        switch self {
        case let .load(dst, column, rotation): .load(dst: f(dst), column: column, rotation: rotation)
        case let .loadExt(dst, column, rotation): .loadExt(dst: f(dst), column: column, rotation: rotation)
        case let .point(dst): .point(dst: f(dst))
        case let .constant(dst, c): .constant(dst: f(dst), c)
        case let .constantExt(dst, c): .constantExt(dst: f(dst), c)
        case let .addBB(d, a, b): .addBB(f(d), f(a), f(b))
        case let .addBE(d, a, b): .addBE(f(d), f(a), f(b))
        case let .addEE(d, a, b): .addEE(f(d), f(a), f(b))
        case let .subBB(d, a, b): .subBB(f(d), f(a), f(b))
        case let .subBE(d, a, b): .subBE(f(d), f(a), f(b))
        case let .subEB(d, a, b): .subEB(f(d), f(a), f(b))
        case let .subEE(d, a, b): .subEE(f(d), f(a), f(b))
        case let .mulBB(d, a, b): .mulBB(f(d), f(a), f(b))
        case let .mulBE(d, a, b): .mulBE(f(d), f(a), f(b))
        case let .mulEE(d, a, b): .mulEE(f(d), f(a), f(b))
        case let .negB(d, a): .negB(f(d), f(a))
        case let .negE(d, a): .negE(f(d), f(a))
        case let .hornerE(acc, src, alpha): .hornerE(f(acc), f(src), f(alpha))
        }
    }
}

extension ConstraintProgram {
    /// Renames `ops`' registers onto as few physical registers as their live
    /// ranges allow and returns how many there are. `live` registers (the
    /// outputs) stay live to the end.
    ///
    /// A defined register never shares storage with a register its op reads
    /// (the op's operands are released only after its result is placed), so
    /// no batch loop ever sees its output alias an input.
    static func allocateRegisters(_ ops: inout [Op], virtualCount: Int, live: [Int]) -> (count: Int, renamed: [Int]) {
        var lastRead = [Int](repeating: -1, count: virtualCount)
        for (t, op) in ops.enumerated() { for r in op.readRegisters { lastRead[r] = t } }
        for r in live { lastRead[r] = Int.max }
        var physical = [Int](repeating: -1, count: virtualCount)
        var free: [Int] = []
        var count = 0
        for t in ops.indices {
            let op = ops[t]
            if let d = op.definedRegister {
                // INVARIANT: compile defines each virtual register once, before its reads.
                if let reused = free.popLast() { physical[d] = reused } else { physical[d] = count; count += 1 }
                // A value nobody reads is dead at once.
                if lastRead[d] < t { free.append(physical[d]) }
            }
            for r in op.readRegisters where lastRead[r] == t {
                free.append(physical[r])
                lastRead[r] = -2  // freed once even if read twice by this op
            }
            ops[t] = op.renamed { physical[$0] }
        }
        return (count, physical)
    }
}
