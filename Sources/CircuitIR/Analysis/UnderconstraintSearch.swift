import Field

/// Looks for a second witness of a small circuit: an assignment that
/// satisfies every constraint with the same public *and* private inputs as an
/// honest one but differs from it. Every gadget in CircuitIR is designed to
/// have a unique witness, so any finding is an under-constrained gadget —
/// typically a hint whose result is not fully pinned.
///
/// Search: each trial perturbs one or two hint results (by ±1, ±2, a random
/// small or full-field offset, or to the negation or 0), lets every later
/// value follow, and then "re-solves": while the first failing constraint is
/// an `assert_eq` whose difference is an affine function of some other hint
/// result (probed by nudging it), it sets that result to cancel the
/// difference. If everything then holds, the alternative witness is
/// reported. It is a random search, not a proof; the per-gadget arguments are
/// in docs/circuit.md and in the gadget tests.
public struct UnderconstraintSearch {
    /// A second witness.
    public struct Finding: Sendable, CustomStringConvertible {
        /// The honest witness.
        public let honest: [Goldilocks]
        /// Another assignment that satisfies every constraint for the same inputs.
        public let alternative: [Goldilocks]
        /// The values where they differ.
        public let differing: [Value]
        /// The hint results that were set, as (instruction, result index, value).
        public let perturbations: [(instruction: Int, result: Int, value: Goldilocks)]

        public var description: String {
            let diffs = differing.prefix(6).map { "\($0): \(honest[$0.index].signedValue) → \(alternative[$0.index].signedValue)" }
            return "second witness differing at \(differing.count) values (\(diffs.joined(separator: ", ")))"
        }
    }

    public let program: Program
    private let evaluator: Evaluator
    /// Every hint result, as (instruction, index within its results).
    private let slots: [(instruction: Int, result: Int)]

    public init(_ program: Program) {
        self.program = program
        evaluator = Evaluator(program)
        var slots: [(Int, Int)] = []
        for i in 0..<program.instructionCount where program.opcodes[i] == .hint {
            for k in 0..<program.results(of: i).count { slots.append((i, k)) }
        }
        self.slots = slots
    }

    /// Runs `trials` random trials on `inputs` (which must have an honest
    /// witness); returns the first second witness found, or nil.
    public func search(_ inputs: WitnessInputs, trials: Int = 200, seed: UInt64 = 1) throws -> Finding? {
        let honest = try evaluator.generate(inputs).values
        guard !slots.isEmpty else { return nil }
        var rng = SplitMix64(seed: seed)
        for _ in 0..<trials {
            let count = rng.next() % 3 == 0 ? 2 : 1
            var fixed: [Int: Goldilocks] = [:]  // slot index → value
            for _ in 0..<count {
                let s = Int(rng.next() % UInt64(slots.count))
                let current = honest[program.results(of: slots[s].instruction).lowerBound + slots[s].result]
                fixed[s] = perturb(current, &rng)
            }
            if let finding = try resolve(inputs, honest: honest, fixed: fixed) { return finding }
        }
        return nil
    }

    /// Evaluates with the slots in `fixed` forced, re-solving assert_eq
    /// failures through other slots a few times.
    private func resolve(_ inputs: WitnessInputs, honest: [Goldilocks], fixed: [Int: Goldilocks]) throws -> Finding? {
        var fixed = fixed
        for _ in 0..<6 {
            let run = try evaluate(inputs, fixed, honest: honest)
            guard let failure = run.failure else {
                let differing = (0..<program.valueCount).filter { run.values[$0] != honest[$0] }.map { Value(index: $0) }
                guard !differing.isEmpty else { return nil }
                let perturbations = fixed.keys.sorted().map { (slots[$0].instruction, slots[$0].result, fixed[$0]!) }
                return Finding(honest: honest, alternative: run.values, differing: differing, perturbations: perturbations)
            }
            guard failure.kind == .constraintViolated, let i = failure.instruction,
                  program.opcodes[i] == .assertEqual else { return nil }
            let difference = self.difference(i, run.values)
            // Find a free slot on which the difference depends affinely, and cancel it.
            var repaired = false
            for s in slots.indices where fixed[s] == nil {
                let slotValue = run.values[program.results(of: slots[s].instruction).lowerBound + slots[s].result]
                var probe = fixed
                probe[s] = slotValue + .one
                let probed = try evaluate(inputs, probe, honest: honest)
                guard probed.failure?.instruction ?? Int.max >= i else { continue }
                let slope = self.difference(i, probed.values) - difference
                guard !slope.isZero else { continue }
                // Check affinity with a second probe before trusting the slope.
                probe[s] = slotValue + .one + .one
                let second = try evaluate(inputs, probe, honest: honest)
                guard second.failure?.instruction ?? Int.max >= i,
                      self.difference(i, second.values) - difference == slope + slope else { continue }
                fixed[s] = slotValue - difference * slope.inverse
                repaired = true
                break
            }
            if !repaired { return nil }
        }
        return nil
    }

    /// Evaluates with the slots in `fixed` forced; a hint that cannot run on
    /// the perturbed values keeps its honest results (the cheater chooses advice freely).
    private func evaluate(_ inputs: WitnessInputs, _ fixed: [Int: Goldilocks], honest: [Goldilocks]) throws -> Evaluator.Run {
        var byInstruction: [Int: [(Int, Goldilocks)]] = [:]
        for (s, v) in fixed { byInstruction[slots[s].instruction, default: []].append((slots[s].result, v)) }
        return try evaluator.execute(inputs, overridingHints: { i, results in
            for (k, v) in byInstruction[i] ?? [] { results[k] = v }
        }, fallback: honest)
    }

    private func difference(_ i: Int, _ values: [Goldilocks]) -> Goldilocks {
        let ops = program.operands(of: i)
        return values[Int(ops[ops.startIndex])] - values[Int(ops[ops.startIndex + 1])]
    }

    private func perturb(_ x: Goldilocks, _ rng: inout SplitMix64) -> Goldilocks {
        switch rng.next() % 8 {
        case 0: return x + .one
        case 1: return x - .one
        case 2: return x + Goldilocks(2)
        case 3: return x - Goldilocks(2)
        case 4: return x + Goldilocks(rng.next() % 1000 + 1)
        case 5: return -x == x ? x + .one : -x
        case 6: return x.isZero ? .one : .zero
        default:
            let r = Goldilocks(rng.next())
            return r == x ? x + .one : r
        }
    }
}

/// A small deterministic generator (SplitMix64, Steele et al. 2014), so that
/// searches and property tests are reproducible from a seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension UnderconstraintSearch {
    /// Hint instructions none of whose results reach any constraint, through
    /// any chain of instructions: their advice is certainly free, whatever the
    /// inputs. A cheap static companion to the random search (a hint that does
    /// reach a constraint may still be under-constrained; one that does not
    /// always is).
    public static func hintsReachingNoConstraint(_ program: Program) -> [Int] {
        var reaches = [Bool](repeating: false, count: program.valueCount)
        // Backward: an operand reaches a constraint if it is one's operand, or
        // an operand of an instruction whose result reaches one.
        for i in stride(from: program.instructionCount - 1, through: 0, by: -1) {
            let feeds = program.opcodes[i].isConstraint || program.results(of: i).contains { reaches[$0] }
            if feeds { program.forEachValueOperand(of: i) { reaches[$0.index] = true } }
        }
        return (0..<program.instructionCount).filter { i in
            program.opcodes[i] == .hint && !program.results(of: i).contains { reaches[$0] }
        }
    }
}
