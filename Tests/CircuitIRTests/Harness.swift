import Field
import Testing
@testable import CircuitIR

/// Shared checks for gadget tests.
enum Harness {
    /// Evaluates honestly; records an issue and returns nil on failure.
    static func honest(_ p: Program, _ inputs: WitnessInputs,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Witness? {
        do {
            return try Evaluator(p).generate(inputs)
        } catch {
            Issue.record("honest witness rejected: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Every single change of any hint result — by +1, −1, +2, a large
    /// offset, negation and to zero, with all later values recomputed (what a
    /// cheating prover would do) — must make some constraint fail.
    static func expectEveryTamperingRejected(_ p: Program, _ inputs: WitnessInputs,
                                             sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let evaluator = Evaluator(p)
        var hintSlots = 0
        for i in 0..<p.instructionCount where p.opcodes[i] == .hint {
            for k in 0..<p.results(of: i).count {
                hintSlots += 1
                let changes: [(String, (Goldilocks) -> Goldilocks)] = [
                    ("+1", { $0 + 1 }), ("-1", { $0 - 1 }), ("+2", { $0 + 2 }),
                    ("+2^40", { $0 + Goldilocks(1 << 40) }), ("negate", { $0.isZero ? 5 : -$0 }),
                    ("zero", { $0.isZero ? 1 : 0 }),
                ]
                for (name, change) in changes {
                    do {
                        _ = try evaluator.generate(inputs) { j, results in
                            if j == i { results[k] = change(results[k]) }
                        }
                        Issue.record("tampering \(name) with result \(k) of `\(p.text(ofInstruction: i))` was accepted",
                                     sourceLocation: sourceLocation)
                    } catch let error as WitnessError {
                        // Only a constraint counts: a later honest hint failing would not
                        // stop a cheating prover, who supplies any advice it likes.
                        if error.kind != .constraintViolated {
                            Issue.record("tampering \(name) with `\(p.text(ofInstruction: i))` was not stopped by a constraint: \(error)",
                                         sourceLocation: sourceLocation)
                        }
                    } catch {
                        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
                    }
                }
            }
        }
        #expect(hintSlots > 0 || p.opcodes.allSatisfy { $0 != .hint }, sourceLocation: sourceLocation)
    }

    /// The random under-constraint search finds no second witness.
    static func expectNoSecondWitness(_ p: Program, _ inputs: WitnessInputs, trials: Int = 150, seed: UInt64 = 7,
                                      sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        do {
            if let finding = try UnderconstraintSearch(p).search(inputs, trials: trials, seed: seed) {
                Issue.record("under-constrained: \(finding)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("search failed: \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Whether the program accepts `inputs` with the given hint results forced.
    static func accepts(_ p: Program, _ inputs: WitnessInputs, forcing hints: [Int: [Goldilocks]]) -> Bool {
        (try? Evaluator(p).generate(inputs) { i, results in
            if let forced = hints[i] { results = forced }
        }) != nil
    }

    /// The index of the only hint instruction of `p` (fails if not exactly one).
    static func onlyHint(_ p: Program, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Int {
        let hints = (0..<p.instructionCount).filter { p.opcodes[$0] == .hint }
        #expect(hints.count == 1, sourceLocation: sourceLocation)
        return hints.first ?? -1
    }

    /// ⌊a / d⌋ computed through floating point, independent of the circuit code
    /// (exact for |a| < 2^52).
    static func floorDiv(_ a: Int64, _ d: Int64) -> Int64 { Int64((Double(a) / Double(d)).rounded(.down)) }
}

extension Goldilocks {
    init(_ n: Int) { self.init(signed: Int64(n)) }
}
