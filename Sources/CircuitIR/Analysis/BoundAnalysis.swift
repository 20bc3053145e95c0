/// Proven bounds for every value of a finished program.
///
/// First every constraint contributes its facts (range checks and lookups,
/// with range checks back-propagated through `x = c ± y`); then one forward
/// pass computes each result's bound from its operands' and intersects it
/// with those facts. Facts hold in every satisfying witness regardless of
/// where the constraint sits in the program, so the order of the two passes
/// is sound, and the result is at least as tight as what the builder tracked.
public struct BoundAnalysis: Sendable {
    /// The bound of each value, by value id.
    public let bounds: [Interval]

    public init(_ program: Program) {
        let definers = program.definingInstructions()
        var facts = [Interval](repeating: .full, count: program.valueCount)
        for i in 0..<program.instructionCount where program.opcodes[i].isConstraint {
            BoundRules.forEachRefinement(program, i, definer: { Int(definers[$0.index]) }) { v, interval in
                facts[v.index] = facts[v.index].intersection(interval) ?? interval
            }
        }
        var bounds = [Interval](repeating: .full, count: program.valueCount)
        for i in 0..<program.instructionCount {
            BoundRules.forEachResultBound(program, i, bound: { bounds[$0.index] }) { v, b in
                bounds[v.index] = b.intersection(facts[v.index]) ?? facts[v.index]
            }
        }
        self.bounds = bounds
    }

    public subscript(v: Value) -> Interval { bounds[v.index] }
}
