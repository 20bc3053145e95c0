import Field
import Testing
@testable import CircuitIR

@Suite struct BuilderTests {
    static func kind(_ body: () throws -> Void) -> CircuitError.Kind? {
        do {
            try body()
            return nil
        } catch let e as CircuitError {
            return e.kind
        } catch {
            return nil
        }
    }

    @Test func malformedInstructionsAreRefused() throws {
        let b = CircuitBuilder(name: "bad")
        let x = try b.privateInput("x")
        #expect(Self.kind { _ = try b.privateInput("x") } == .duplicateName)
        try b.publicOutput("y", x)
        #expect(Self.kind { try b.publicOutput("y", x) } == .duplicateName)
        #expect(Self.kind { _ = try b.hint(.divRem, [x], results: 2) } == .invalidOperand)
        #expect(Self.kind { _ = try b.hint(.limbs(count: 5), [x], results: 5) } == .invalidOperand)
        #expect(Self.kind { _ = try b.hint(.custom(0), [x], results: 1) } == .invalidOperand)
        #expect(Self.kind { _ = try b.hint(.tableLookup(TableID(raw: 3)), [x], results: 1) } == .invalidOperand)
        #expect(Self.kind { _ = try b.hint(.lessThan, [x, Value(99)], results: 1) } == .invalidOperand)
        #expect(Self.kind { try b.rangeCheck(x, bits: 0) } == .invalidBitWidth)
        #expect(Self.kind { try b.rangeCheck(x, bits: 64) } == .invalidBitWidth)
        #expect(Self.kind { try b.signedRangeCheck(x, bits: 63) } == .invalidBitWidth)
        #expect(Self.kind { _ = try b.dot([x], []) } == .invalidOperand)
        #expect(Self.kind { _ = try b.matmul([x, x], [x], rows: 1, inner: 2, columns: 1) } == .invalidOperand)
        #expect(Self.kind { _ = try b.poseidon2([x]) } == .invalidOperand)
        let t = try b.table(.range16)
        #expect(Self.kind { try b.lookup(t, [x, x]) } == .invalidOperand)
        #expect(Self.kind { _ = try b.lookup(t, keys: [x]) } == .invalidOperand)  // no output column
        #expect(Self.kind { _ = try b.argmax([]) } == .invalidOperand)
        #expect(Self.kind { _ = try b.table(LookupTable.function(name: "range16", domain: 0...3) { $0 }) } == .duplicateName)
        #expect(Self.kind { _ = try b.rescale(x, shift: 63, rounding: .floor) } == .invalidBitWidth)
        // Nothing malformed was emitted.
        try b.finish().validate()
    }

    @Test func constantsAreSharedAndShortcutsFold() throws {
        let b = CircuitBuilder(name: "constants")
        #expect(b.constant(5) == b.constant(Goldilocks(5)))
        #expect(b.constant(-1) == b.constant(-Goldilocks.one))
        #expect(b.constantValue(of: try b.lessThan(b.constant(2), b.constant(3))) == .one)
        #expect(b.constantValue(of: try b.isZero(b.constant(0))) == .one)
        let (q, r) = try b.divRem(b.constant(-7), byConstant: 2)
        #expect(b.constantValue(of: q) == Goldilocks(signed: -4) && b.constantValue(of: r) == .one)
        #expect(!b.program.opcodes.contains(.hint))
    }

    @Test func originsNestAndIntern() throws {
        let b = CircuitBuilder(name: "origins")
        let rule = Origin("rule r", at: OriginLocation(file: "f.zkp", line: 1, column: 2))
        try b.withOrigin(rule) {
            try b.scope("inner") { _ = try b.privateInput("x") }
            try b.scope("inner") { _ = try b.privateInput("y") }
        }
        let p = b.finish()
        #expect(p.origins[0] == p.origins[1])
        #expect(p.originTable.describe(p.origins[0]) == "inner, in rule r at f.zkp:1:2")
        #expect(p.originTable.count == 2)
    }
}
