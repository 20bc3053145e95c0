import Field
import Stark

/// The Freivalds check of `matmul` (Y = X·W, n×k by k×m): instead of n·k·m
/// multiplications, after the cells are committed the verifier draws σ and ρ
/// (challenge phase 1) and the region of each matmul must satisfy
///
///     Σᵢⱼ σ^i·ρ^j·Y[i][j] = Σₜ vₜ·Σᵢ σ^i·X[i][t],   vₜ = Σⱼ ρ^j·W[t][j].
///
/// If Y ≠ X·W the difference of the two sides is a nonzero polynomial of degree
/// < n + m in (σ, ρ), so it vanishes with probability < (n + m)/|F²| ≈ 2^−100
/// (Schwartz–Zippel). Each region is checked on its own (its running sum starts
/// at its first row and must be zero at its last), so errors in two matmuls
/// cannot cancel.
///
/// Four extension columns, filled after the challenges: a (powers of σ),
/// b (powers of ρ), V (vₜ) and S (the running sum). Row kinds and the
/// transitions between consecutive rows are fixed selectors, set on the row
/// the transition leaves: lane ℓ of a Y or W row has weight ρ^ℓ on top of the
/// row's b, lane ℓ of an X row σ^ℓ on top of its a.
struct FreivaldsShape: Sendable {
    enum Selector: Int, CaseIterable {
        /// The region's first row (a Y row): a = b = 1, S = its Y contribution.
        case first = 0
        /// The region's last row: S = 0.
        case last
        /// Next row continues the same row of Y: a' = a, b' = b·ρ^C.
        case yContinue
        /// Next row starts the next row of Y: a' = a·σ, b' = 1.
        case yNextRow
        /// Next row is the first W row of an inner index: b' = 1, V' = its W sum.
        case toW
        /// Next row continues the W entries: b' = b·ρ^C, V' = V + its W sum.
        case wContinue
        /// Next row is the first X row: a' = 1, V' = V.
        case toX
        /// Next row continues the X entries: a' = a·σ^C, V' = V.
        case xContinue
    }

    let C: Int
    /// The fixed column that is 1 on region rows, when the selectors share the
    /// slot coefficient columns (which region rows do not use); nil when they
    /// have columns of their own.
    let onColumn: Int?
    /// First fixed column of the selectors, in `Selector` order.
    let dataStart: Int

    static let phase = 1
    static let a = 0, b = 1, v = 2, s = 3

    private var sigma: Expression { .challenge(phase: FreivaldsShape.phase, index: 0) }
    private var rho: Expression { .challenge(phase: FreivaldsShape.phase, index: 1) }
    private func column(_ c: Int, _ rotation: Rotation = .current) -> Expression {
        .phaseColumn(FreivaldsShape.phase, c, rotation)
    }
    private func selector(_ s: Selector) -> Expression {
        let data = Expression.fixed(dataStart + s.rawValue)
        return onColumn.map { .fixed($0) * data } ?? data
    }

    private static func power(_ x: Expression, _ e: Int) -> Expression {
        e == 0 ? .one : (1 ..< e).reduce(x) { acc, _ in acc * x }
    }

    /// Σ_ℓ x^ℓ·w_ℓ over the row's cells.
    private func lanes(_ x: Expression, _ rotation: Rotation) -> Expression {
        var acc = Expression.advice(C - 1, rotation)
        for l in stride(from: C - 2, through: 0, by: -1) { acc = acc * x + .advice(l, rotation) }
        return acc
    }

    var gates: [Gate] {
        let (a, b, v, s) = (column(FreivaldsShape.a), column(FreivaldsShape.b), column(FreivaldsShape.v), column(FreivaldsShape.s))
        let (a1, b1, v1, s1) = (column(FreivaldsShape.a, .next), column(FreivaldsShape.b, .next),
                                column(FreivaldsShape.v, .next), column(FreivaldsShape.s, .next))
        let rhoC = FreivaldsShape.power(rho, C), sigmaC = FreivaldsShape.power(sigma, C)
        let wNext = lanes(rho, .next), xNext = lanes(sigma, .next)
        let toY = selector(.yContinue) + selector(.yNextRow)
        let toWRow = selector(.toW) + selector(.wContinue)
        let toXRow = selector(.toX) + selector(.xContinue)
        return [
            Gate("freivalds first row", [
                selector(.first) * (a - .one), selector(.first) * (b - .one),
                selector(.first) * (s - a * b * lanes(rho, .current)),
            ]),
            Gate("freivalds last row", selector(.last) * s),
            Gate("freivalds Y rows", [
                selector(.yContinue) * (a1 - a), selector(.yContinue) * (b1 - b * rhoC),
                selector(.yNextRow) * (a1 - a * sigma), selector(.yNextRow) * (b1 - .one),
                toY * (s1 - s - a1 * b1 * wNext),
            ]),
            Gate("freivalds W rows", [
                selector(.toW) * (b1 - .one), selector(.toW) * (v1 - wNext),
                selector(.wContinue) * (b1 - b * rhoC), selector(.wContinue) * (v1 - v - b1 * wNext),
                toWRow * (s1 - s),
            ]),
            Gate("freivalds X rows", [
                selector(.toX) * (a1 - .one), selector(.xContinue) * (a1 - a * sigmaC),
                toXRow * (v1 - v), toXRow * (s1 - s + a1 * v1 * xNext),
            ]),
        ]
    }

    /// The phase: σ and ρ, then a, b, V and S on every usable row (zero outside regions).
    var phase: ChallengePhase {
        ChallengePhase(name: "freivalds", challengeCount: 2, columnCount: 4,
                       filling: Fill(C: C, dataStart: dataStart, onColumn: onColumn))
    }

    /// The phase's columns, in either extension.
    struct Fill: PhaseFilling {
        let C: Int
        let dataStart: Int
        let onColumn: Int?

        func fill<E: ExtensionField>(_ input: PhaseInput<E>) throws -> [[E]] {
            let C = self.C, start = dataStart, on = onColumn
            let sigma = input.challenges[0][0], rho = input.challenges[0][1]
            var sigmaPowers = [E.one], rhoPowers = [E.one]
            for _ in 0 ..< C { sigmaPowers.append(sigmaPowers.last! * sigma); rhoPowers.append(rhoPowers.last! * rho) }
            let rows = input.usableRows
            func sel(_ s: Selector, _ r: Int) -> Bool {
                (on.map { !input.fixed[$0][r].isZero } ?? true) && !input.fixed[start + s.rawValue][r].isZero
            }
            func lanes(_ powers: [E], _ r: Int) -> E {
                var acc = E.zero
                for l in 0 ..< C { acc += powers[l] * input.advice[l][r] }
                return acc
            }
            var cols = [[E]](repeating: [E](repeating: .zero, count: rows), count: 4)
            var (a, b, v, s) = (E.zero, E.zero, E.zero, E.zero)
            for r in 0 ..< rows {
                if sel(.first, r) {
                    (a, b, v, s) = (.one, .one, .zero, lanes(rhoPowers, r))
                } else if r > 0 {
                    let p = r - 1
                    if sel(.yContinue, p) { b *= rhoPowers[C]; s += a * b * lanes(rhoPowers, r) }
                    else if sel(.yNextRow, p) { a *= sigma; b = .one; s += a * b * lanes(rhoPowers, r) }
                    else if sel(.toW, p) { b = .one; v = lanes(rhoPowers, r) }
                    else if sel(.wContinue, p) { b *= rhoPowers[C]; v += b * lanes(rhoPowers, r) }
                    else if sel(.toX, p) { a = .one; s -= a * v * lanes(sigmaPowers, r) }
                    else if sel(.xContinue, p) { a *= sigmaPowers[C]; s -= a * v * lanes(sigmaPowers, r) }
                    else { (a, b, v, s) = (.zero, .zero, .zero, .zero) }
                }
                cols[0][r] = a; cols[1][r] = b; cols[2][r] = v; cols[3][r] = s
            }
            return cols
        }
    }
}
