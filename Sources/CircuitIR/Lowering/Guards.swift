/// The conditions under which the HIR evaluator evaluates an expression:
/// the `where` filter of the enclosing aggregate (for its body and grouping
/// key), the left operand of `and` (true) or `or` (false) for the right one,
/// the condition of an `if` for each branch. A check that makes the
/// evaluator fail (a zero divisor, an empty group) is only constrained where
/// its guard holds, so that the circuit accepts exactly the data on which the
/// evaluator gives a verdict.
///
/// A guard is a conjunction of conditions, interned as a number (0: always).
/// Its value — a boolean per row, or one for all — is computed only when a
/// guarded check needs it.
struct Guards {
    /// The guard that always holds.
    static let always = 0

    struct Key: Hashable {
        var parent: Int
        /// The graph node of the condition.
        var condition: Int
        /// The guard holds when the condition is false.
        var negated: Bool
    }

    private(set) var keys: [Key?] = [nil]
    private var index: [Key: Int] = [:]
    /// Values computed so far.
    var values: [Int: Lowered] = [:]

    /// The guard `g and condition` (or `g and not condition`).
    mutating func conjoin(_ g: Int, _ condition: Int, negated: Bool) -> Int {
        let key = Key(parent: g, condition: condition, negated: negated)
        if let id = index[key] { return id }
        keys.append(key)
        index[key] = keys.count - 1
        return keys.count - 1
    }
}
