import Testing
import Field
@testable import Stark

/// The quotient's regrouping of slot-style terms: the regrouped combination
/// equals the original one row by row, and fixed columns that only regrouped
/// terms read are the ones reported unread.
@Suite struct FixedRegroupingTests {
    static let n = 64, fixedCount = 16, adviceCount = 6

    /// A plain evaluation at row r (base-field leaves; no phases).
    static func value(_ e: Expression, _ fixed: [[Goldilocks]], _ advice: [[Goldilocks]], row r: Int) -> Goldilocks {
        switch e {
        case let .constant(c): return c
        case let .column(.fixed(i), rotation): return fixed[i][(r + rotation.rawValue) % n]
        case let .column(.advice(i), rotation): return advice[i][(r + rotation.rawValue) % n]
        case let .sum(a, b): return value(a, fixed, advice, row: r) + value(b, fixed, advice, row: r)
        case let .difference(a, b): return value(a, fixed, advice, row: r) - value(b, fixed, advice, row: r)
        case let .product(a, b): return value(a, fixed, advice, row: r) * value(b, fixed, advice, row: r)
        case let .negation(a): return -value(a, fixed, advice, row: r)
        default: fatalError("not generated")
        }
    }

    static func constraints() -> [Expression] {
        var cs: [Expression] = []
        // Four slots with selector 0: a constant, a product (kept), shared cells 0 and 1, a private cell.
        for k in 0 ..< 4 {
            var e = Expression.fixed(1 + k) + .fixed(13) * .advice(2 * (k % 2)) * .advice(2 * (k % 2) + 1)
            e = e + .fixed(5 + k) * .advice(0) + .fixed(9 + k % 2) * .advice(1) + .fixed(11) * .advice(2 + k)
            cs.append(.fixed(0) * e)
        }
        // Not slot-shaped, and reading fixed 2 (a regrouped constant above): fixed 2 stays extended.
        cs.append(.advice(0) * .advice(1) - .fixed(2))
        // Selector 12 with a term read at the next row (not regrouped) and two regroupable ones.
        cs.append(.fixed(12) * (.fixed(14, .next) * .advice(3) + .fixed(15) * .advice(4) + .fixed(3) * .advice(4)))
        // Only regroupable terms: the constraint itself becomes 0.
        cs.append(.fixed(12) * (.fixed(14) * .advice(5) + .fixed(15) * .advice(5)))
        return cs
    }

    @Test(arguments: 0 ..< 4)
    func regroupedCombinationIsTheSame(seed: UInt64) {
        var rng = SplitMix(state: 40 + seed)
        let n = Self.n
        // Random values with zeros sprinkled in (the combination skips zero coefficients).
        func column() -> [Goldilocks] { (0 ..< n).map { _ in rng.next() % 5 == 0 ? .zero : Goldilocks.random(using: &rng) } }
        let fixed = (0 ..< Self.fixedCount).map { _ in column() }
        let advice = (0 ..< Self.adviceCount).map { _ in column() }
        let alpha = GoldilocksExt2(Goldilocks.random(using: &rng), Goldilocks.random(using: &rng))
        let cs = Self.constraints()
        let m = cs.count
        let regrouping = FixedRegrouping(cs, fixedCount: Self.fixedCount)
        #expect(regrouping.groups.count == 5)  // slots: constant, cell 0, cell 1; selector 12: cell 4, cell 5
        #expect(regrouping.remaining[6] == .constant(.zero))
        // Read only by regrouped terms: the slot constants other than fixed 2, the cell-0 and cell-1 coefficients, fixed 15.
        let unread = (0 ..< Self.fixedCount).filter { !regrouping.fixedStillRead[$0] }
        #expect(unread == [1, 3, 4, 5, 6, 7, 8, 9, 10, 15])
        #expect(regrouping.fixedStillRead[2] && regrouping.fixedStillRead[11] && regrouping.fixedStillRead[14])
        let combined = regrouping.combinedColumns(fixed: fixed, alpha: alpha, constraintCount: m, rows: n)
        #expect(regrouping.regroupedExpression { .phaseColumn(-1, $0) } != nil)
        var mismatches = 0
        for r in 0 ..< n {
            var original = GoldilocksExt2.zero, rest = GoldilocksExt2.zero
            for i in 0 ..< m {
                original = original * alpha + GoldilocksExt2(Self.value(cs[i], fixed, advice, row: r), .zero)
                rest = rest * alpha + GoldilocksExt2(Self.value(regrouping.remaining[i], fixed, advice, row: r), .zero)
            }
            // The regrouped part, with A_g read from the combined columns.
            var extra = GoldilocksExt2.zero
            for (g, group) in regrouping.groups.enumerated() {
                let a = GoldilocksExt2(combined[2 * g][r], combined[2 * g + 1][r])
                let w = group.advice.map { advice[$0][r] } ?? .one
                extra = extra + a * GoldilocksExt2(fixed[group.selector][r] * w, .zero)
            }
            if rest + extra != original { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}
