extension Pass {
    /// Removes range checks that other constraints already imply: of several
    /// checks on one value only the tightest (first) stays, and a check is
    /// dropped when the value's bound computed from its operands (and from
    /// lookups on it) already lies in the checked range.
    ///
    /// Soundness: the bounds used here never depend on the check being
    /// removed — they come from operands (defined earlier) and their own kept
    /// or implied facts, with no back-propagation — so by induction over the
    /// program order every removed fact is still implied by the kept ones.
    public static let rangeCheckMerging = Pass(
        name: "range-check-merging",
        summary: "keep only the tightest range check per value and drop checks implied by bounds"
    ) { source in
        let n = source.instructionCount
        // The tightest check on each value, and which instruction states it first.
        var tightest = [UInt8](repeating: UInt8.max, count: source.valueCount)
        var tightestAt = [Int32](repeating: -1, count: source.valueCount)
        var lookupFacts = [Interval](repeating: .full, count: source.valueCount)
        for i in 0..<n {
            let ops = source.operands(of: i)
            switch source.opcodes[i] {
            case .rangeCheck:
                let x = Int(ops[ops.startIndex]), bits = UInt8(ops[ops.startIndex + 1])
                if bits < tightest[x] { tightest[x] = bits; tightestAt[x] = Int32(i) }
            case .lookup:
                let table = source.tables[Int(ops[ops.startIndex])]
                for (column, j) in (ops.startIndex + 1..<ops.endIndex).enumerated() {
                    let v = Int(ops[j])
                    lookupFacts[v] = lookupFacts[v].intersection(table.columnIntervals[column]) ?? table.columnIntervals[column]
                }
            default:
                break
            }
        }
        // Forward bounds without back-propagation; remember each value's bound
        // before its own range check is applied.
        var bounds = [Interval](repeating: .full, count: source.valueCount)
        var implied = [Bool](repeating: false, count: source.valueCount)
        for i in 0..<n {
            BoundRules.forEachResultBound(source, i, bound: { bounds[$0.index] }) { v, b in
                let beforeCheck = b.intersection(lookupFacts[v.index]) ?? lookupFacts[v.index]
                let bits = Int(tightest[v.index])
                guard bits != Int(UInt8.max) else { bounds[v.index] = beforeCheck; return }
                implied[v.index] = bits >= 63 ? !beforeCheck.isFull && beforeCheck.lo >= 0 : beforeCheck.isSubset(of: .bits(bits))
                bounds[v.index] = bits >= 63 ? beforeCheck : (beforeCheck.intersection(.bits(bits)) ?? .bits(bits))
            }
        }
        let rewriter = ProgramRewriter(source, tracksBounds: false)
        for i in 0..<n {
            if source.opcodes[i] == .rangeCheck {
                let x = Int(source.operands[Int(source.operandStart[i])])
                if tightestAt[x] != Int32(i) || implied[x] { continue }
            }
            rewriter.copy(i)
        }
        return rewriter.finish()
    }
}
