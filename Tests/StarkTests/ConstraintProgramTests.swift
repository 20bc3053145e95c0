import Testing
import Field
@testable import Stark

/// The batch evaluator against a plain recursive evaluation of the same
/// expressions, on random expression DAGs whose subexpressions are shared
/// (so that register reuse meets values read long after they were made).
@Suite struct ConstraintProgramTests {
    /// Columns: 3 fixed and 3 advice (base field), 2 phase columns (extension:
    /// e base columns each, one per coefficient), all of n rows.
    struct Table<E: ExtensionField> {
        let n: Int
        var base: [[Goldilocks]]  // fixed 0..<3, advice 3..<6, then each phase column's e coefficients
        let challenges: [[E]]

        func index(_ c: ColumnRef) -> (index: Int, isExt: Bool) {
            switch c {
            case let .fixed(i): (i, false)
            case let .advice(i): (3 + i, false)
            case let .phase(_, column): (6 + E.degree * column, true)
            }
        }

        /// The reference: the expression at row `row` (x = ω^row).
        func value(_ e: Expression, row: Int) -> E {
            switch e {
            case let .constant(c): return E(c)
            case let .column(c, rotation):
                let (i, ext) = index(c)
                let r = (row + rotation.rawValue) % n
                return ext ? E(generating: { base[i + $0][r] }) : E(base[i][r])
            case let .challenge(p, i): return challenges[p - 1][i]
            case .x: return E(Goldilocks.rootOfUnity(logOrder: n.trailingZeroBitCount).power(UInt64(row)))
            case let .sum(a, b): return value(a, row: row) + value(b, row: row)
            case let .difference(a, b): return value(a, row: row) - value(b, row: row)
            case let .product(a, b): return value(a, row: row) * value(b, row: row)
            case let .negation(a): return .zero - value(a, row: row)
            case .selector, .instance: fatalError("not generated")
            }
        }
    }

    /// Random expressions built from a pool of earlier ones, so that
    /// subexpressions repeat (the program computes each once and must keep
    /// it until its last use). Tree sizes stay bounded: hashing and the
    /// reference evaluation walk the tree, not the DAG.
    static func randomExpressions(count: Int, nodes: Int, rng: inout SplitMix) -> [Expression] {
        var pool: [(Expression, size: Int)] = [(.x, 1), (.constant(.zero), 1), (.constant(-Goldilocks.one), 1),
                                               (.challenge(phase: 1, index: 0), 1)]
        for i in 0 ..< 3 { pool.append((.fixed(i), 1)); pool.append((.advice(i, i == 1 ? .next : .current), 1)) }
        pool.append((.phaseColumn(1, 0), 1)); pool.append((.phaseColumn(1, 1, .next), 1))
        pool.append((.constant(Goldilocks.random(using: &rng)), 1))
        while pool.count < nodes {
            // Mostly recent nodes (long chains), sometimes old ones (long live ranges).
            func pick() -> (Expression, size: Int) {
                rng.next() % 4 == 0 ? pool[Int(rng.next() % UInt64(pool.count))]
                                    : pool[pool.count - 1 - Int(rng.next() % UInt64(min(8, pool.count)))]
            }
            let (a, b) = (pick(), pick())
            switch rng.next() % 4 {
            case 0 where a.size + b.size < 400: pool.append((a.0 + b.0, a.size + b.size + 1))
            case 1 where a.size + b.size < 400: pool.append((a.0 - b.0, a.size + b.size + 1))
            case 2 where a.size + b.size < 400: pool.append((a.0 * b.0, a.size + b.size + 1))
            case 3 where a.size < 400: pool.append((-a.0, a.size + 1))
            default: continue
            }
        }
        return (0 ..< count).map { _ in pool[pool.count - 1 - Int(rng.next() % UInt64(min(40, pool.count)))].0 }
    }

    @Test(arguments: 0 ..< 12)
    func batchEvaluationMatchesTheExpressions(seed: UInt64) {
        for kernel in FieldKernel.allCases where kernel.isAvailable {
            Self.check(GoldilocksExt2.self, seed: seed, kernel: kernel)
            Self.check(GoldilocksExt3.self, seed: seed, kernel: kernel)
        }
    }

    static func check<E: ExtensionField>(_: E.Type, seed: UInt64, kernel: FieldKernel) {
        var rng = SplitMix(state: 1000 + seed)
        let n = 1 << (3 + Int(seed % 7))  // 8 … 512: partial and several batches
        var table = Table(n: n, base: (0 ..< 6 + 2 * E.degree).map { _ in (0 ..< n).map { _ in Goldilocks.random(using: &rng) } },
                          challenges: [[E.random(using: &rng)]])
        // Edge values in some cells.
        table.base[0][0] = .zero; table.base[3][n - 1] = -Goldilocks.one; table.base[6][1] = Goldilocks(1 << 32)
        let expressions = Self.randomExpressions(count: 6, nodes: 60 + Int(seed) * 40, rng: &rng)
        var program = ConstraintProgram(expressions: expressions, columnIndex: { table.index($0) },
                                        instanceIndex: { _ in fatalError("no instances") },
                                        challenges: table.challenges)
        program.kernel = kernel
        var mismatches = 0
        withPointers(table.base) { columns in
            program.forEachBatch(columns: columns, rows: n) { start, count, scratch in
                for (o, e) in expressions.enumerated() {
                    let r = program.output(o, in: scratch)
                    for t in 0 ..< count where E(r + t, stride: ConstraintProgram<E>.batch) != table.value(e, row: start + t) {
                        mismatches += 1
                    }
                }
            }
        }
        #expect(mismatches == 0, "degree \(E.degree), \(kernel)")
    }

    /// A long chain needs few registers once dead values are reused.
    @Test func registersAreReused() {
        var e: Expression = .advice(0)
        for i in 0 ..< 500 { e = e * .advice(1) + .constant(Goldilocks(UInt64(i + 2))) }
        let program = ConstraintProgram<GoldilocksExt2>(expressions: [e], columnIndex: { c in
            if case let .advice(i) = c { (i, false) } else { (0, false) }
        }, instanceIndex: { $0 }, challenges: [])
        #expect(program.ops.count > 1000)
        #expect(program.registerCount <= 8)
    }
}
