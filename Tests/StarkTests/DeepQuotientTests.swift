import Testing
import Field
@testable import Stark

/// The DEEP composition's division by a linear factor (`ProverRun.quotient` and `addQuotient`):
/// synthetic division gives (P(X) − P(y))/(X − y), and a wrong P(y) leaves a
/// remainder that the honest prover refuses.
@Suite struct DeepQuotientTests {
    static func check<E: ExtensionField>(_: E.Type, n: Int) throws {
        var rng = SplitMix(state: UInt64(1000 * E.degree + n))
        let p = (0 ..< E.degree).map { _ in (0 ..< n).map { _ in Goldilocks.random(using: &rng) } }
        let before = (0 ..< E.degree).map { _ in (0 ..< n).map { _ in Goldilocks.random(using: &rng) } }
        let y = E.random(using: &rng)
        let pCoefficients = (0 ..< n).map { i in E(generating: { p[$0][i] }) }
        let value = Polynomial.evaluate(pCoefficients, at: y)
        var f = before
        try ProverRun<E>.addQuotient(ProverRun<E>.quotient(of: p, by: y, value: value), into: &f, exact: true)
        // f − before is the quotient q, of degree < n − 1: q(x)·(x − y) = P(x) − P(y).
        let q = (0 ..< n).map { i in E(generating: { f[$0][i] - before[$0][i] }) }
        #expect(q[n - 1].isZero)
        for _ in 0 ..< 5 {
            let x = E.random(using: &rng)
            #expect(Polynomial.evaluate(q, at: x) * (x - y) == Polynomial.evaluate(pCoefficients, at: x) - value,
                    "degree \(E.degree), n \(n)")
        }
        // A wrong value at y is a remainder: refused when exact, tolerated (a
        // cheating prover's proof, for the verifier to reject) when not.
        var g = before
        #expect(throws: StarkError.self) {
            try ProverRun<E>.addQuotient(ProverRun<E>.quotient(of: p, by: y, value: value + .one), into: &g, exact: true)
        }
        var h = before
        try ProverRun<E>.addQuotient(ProverRun<E>.quotient(of: p, by: y, value: value + .one), into: &h, exact: false)
        #expect(h == f)  // the quotient does not depend on the value, only the remainder does
    }

    @Test(arguments: [2, 3, 64, 1024])
    func syntheticDivisionIsTheQuotient(n: Int) throws {
        try Self.check(GoldilocksExt2.self, n: n)
        try Self.check(GoldilocksExt3.self, n: n)
    }
}
