import Field
import Testing
@testable import CircuitIR

@Suite struct SerializationTests {
    @Test func roundTripsExactly() throws {
        let p = try TextFormTests.example()
        let bytes = p.serialized()
        let q = try Program(serialized: bytes, hints: ["salt": { _ in [42] }])
        #expect(q.serialized() == bytes)
        #expect(q.text(bounds: true) == p.text(bounds: true))
        let inputs = WitnessInputs(public: [100], private: [1, 2, 3, 4])
        #expect(try Evaluator(q).generate(inputs) == Evaluator(p).generate(inputs))
    }

    @Test func missingHintsAreReported() throws {
        let bytes = try TextFormTests.example().serialized()
        #expect { try Program(serialized: bytes) } throws: { ($0 as? CircuitError)?.kind == .malformed }
    }

    /// Truncations and byte flips give an error (or, rarely, another valid
    /// program), never a crash.
    @Test func malformedInputIsRejectedWithoutCrashing() throws {
        let bytes = RandomProgram.make(seed: 3).serialized()
        for length in stride(from: 0, to: bytes.count, by: Swift.max(1, bytes.count / 300)) {
            #expect(throws: CircuitError.self) { try Program(serialized: Array(bytes.prefix(length))) }
        }
        var rng = SplitMix64(seed: 1)
        var rejected = 0
        for trial in 0..<3000 {
            var corrupt = bytes
            for _ in 0..<(1 + trial % 3) {
                let k = Int(rng.next() % UInt64(bytes.count))
                corrupt[k] = trial % 2 == 0 ? corrupt[k] ^ UInt8(1 << (rng.next() % 8)) : UInt8(truncatingIfNeeded: rng.next())
            }
            do {
                let p = try Program(serialized: corrupt)
                // Whatever loads must be usable without crashing.
                _ = p.text(bounds: true)
                _ = try? Evaluator(p).generate(RandomProgram.inputs(seed: UInt64(trial)))
            } catch {
                rejected += 1
            }
        }
        #expect(rejected > 1000)
        #expect(throws: CircuitError.self) { try Program(serialized: bytes + [0]) }
    }

    @Test func validationCatchesUseBeforeDefinition() throws {
        var p = RandomProgram.make(seed: 4)
        try p.validate()
        // Point an operand of the first add at a later value.
        let i = try #require((0..<p.instructionCount).first { p.opcodes[$0] == .add })
        p.operands[Int(p.operandStart[i])] = UInt32(p.valueCount - 1)
        #expect { try p.validate() } throws: { ($0 as? CircuitError)?.message.contains("not defined before its use") ?? false }
    }
}
