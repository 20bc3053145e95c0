import Field
import Testing
@testable import CircuitIR

@Suite struct RangeCheckLimbsTests {
    static func circuit(bits: Int) throws -> Program {
        let b = CircuitBuilder(name: "limbs\(bits)")
        let x = try b.privateInput("x")
        try b.rangeCheckByLimbs(x, bits: bits)
        return b.finish()
    }

    @Test(arguments: [1, 5, 15, 16, 17, 31, 32, 33, 48, 50, 62, 63])
    func acceptsExactlyTheRange(bits: Int) throws {
        let p = try Self.circuit(bits: bits)
        let evaluator = Evaluator(p)
        let top = (UInt64(1) << bits) - 1
        var rng = SplitMix64(seed: UInt64(bits))
        let inside: [UInt64] = [0, 1, top, top / 2, top - 1] + (0..<10).map { _ in rng.next() & top }
        let outside: [UInt64] = [top + 1, top + 2, Goldilocks.modulus - 1, Goldilocks.modulus - top, (top &+ 1) &* 2 &+ 1]
            + (0..<10).map { _ in (rng.next() | (top + 1)) % Goldilocks.modulus }
        for x in inside {
            #expect((try? evaluator.generate(WitnessInputs(private: [Goldilocks(x)]))) != nil, "\(x) < 2^\(bits)")
        }
        for x in outside where x >= top + 1 {
            #expect((try? evaluator.generate(WitnessInputs(private: [Goldilocks(x)]))) == nil, "\(x) ≥ 2^\(bits)")
        }
    }

    @Test(arguments: [17, 32, 40, 63])
    func limbTamperingIsRejected(bits: Int) throws {
        let p = try Self.circuit(bits: bits)
        for x: UInt64 in [0, (UInt64(1) << bits) - 1, 0x1234_5678_9ABC & ((UInt64(1) << bits) - 1)] {
            let inputs = WitnessInputs(private: [Goldilocks(x)])
            Harness.expectEveryTamperingRejected(p, inputs)
            Harness.expectNoSecondWitness(p, inputs, trials: 60)
        }
    }

    @Test func usesOnlyLookupsIntoRange16() throws {
        let p = try Self.circuit(bits: 40)
        #expect(p.tables == [.range16])
        #expect(!p.opcodes.contains(.rangeCheck))
        #expect(p.opcodes.filter { $0 == .lookup }.count == 4)  // 3 limbs + the shifted top limb
    }
}
