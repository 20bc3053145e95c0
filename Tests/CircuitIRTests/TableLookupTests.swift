import Foundation
import Field
import Testing
@testable import CircuitIR

@Suite struct TableLookupTests {
    /// Quantized activations the way a quantizer would define them: input
    /// x ∈ −128…127 at scale 2^4, output at scale 2^8, rounded to nearest.
    static func sigmoid(_ x: Int64) -> Int64 { Int64((256 / (1 + exp(-Double(x) / 16))).rounded()) }
    static func tanh(_ x: Int64) -> Int64 { Int64((256 * Foundation.tanh(Double(x) / 16)).rounded()) }
    static func expNonPositive(_ x: Int64) -> Int64 { Int64((256 * exp(Double(x) / 16)).rounded()) }

    static func circuit() throws -> (Program, [String]) {
        let b = CircuitBuilder(name: "activations")
        let x = try b.privateInput("x")
        let tables = [
            try LookupTable.function(name: "sigmoid_q4_q8", domain: -128...127, sigmoid),
            try LookupTable.function(name: "tanh_q4_q8", domain: -128...127, tanh),
            try LookupTable.function(name: "exp_q4_q8", domain: -128...0, expNonPositive),
        ]
        for t in tables {
            try b.withOrigin(Origin(t.name)) {
                try b.publicOutput(t.name, b.lookup(b.table(t), key: x))
            }
        }
        return (b.finish(), tables.map(\.name))
    }

    @Test func computesTheTabulatedFunctions() throws {
        let (p, _) = try Self.circuit()
        for x: Int64 in [-128, -100, -17, -1, 0] {
            let w = try #require(Harness.honest(p, WitnessInputs(private: [Goldilocks(signed: x)])))
            let expected = [Self.sigmoid(x), Self.tanh(x), Self.expNonPositive(x)].map { Goldilocks(signed: $0) }
            #expect(w.publicOutputs == expected)
            Harness.expectEveryTamperingRejected(p, WitnessInputs(private: [Goldilocks(signed: x)]))
        }
        // Bounds come from the table columns.
        let bounds = BoundAnalysis(p)
        let outputs = (0..<p.instructionCount).filter { p.opcodes[$0] == .publicOutput }
            .map { Value(p.operands(of: $0).last!) }
        #expect(bounds[outputs[0]] == Interval(Self.sigmoid(-128), Self.sigmoid(127)))
    }

    @Test func keysOutsideTheTableFailWithTheirOrigin() throws {
        let (p, _) = try Self.circuit()
        // 1 is in the sigmoid and tanh tables but not in exp's (x ≤ 0).
        #expect { try Evaluator(p).generate(WitnessInputs(private: [1])) } throws: { error in
            guard let e = error as? WitnessError else { return false }
            return e.kind == .hintFailed && e.origin == "table_lookup, in exp_q4_q8" && e.message.contains("no row")
        }
    }

    @Test func forgedOutputsAreRejectedEvenWithAForgedHint() throws {
        // A cheating prover who replaces the hint by a wrong row value is caught by the lookup.
        let (p, _) = try Self.circuit()
        let hint = (0..<p.instructionCount).first { p.opcodes[$0] == .hint }!
        #expect(!Harness.accepts(p, WitnessInputs(private: [0]), forcing: [hint: [Goldilocks(129)]]))
        #expect(Harness.accepts(p, WitnessInputs(private: [0]), forcing: [hint: [Goldilocks(128)]]))
    }

    @Test func nonFunctionalTablesAreRejected() {
        #expect(throws: CircuitError.self) {
            try LookupTable(name: "bad", columnNames: ["x", "y"], rows: [1, 2, 1, 3])
        }
        #expect(throws: CircuitError.self) {
            try LookupTable(name: "ragged", columnNames: ["x", "y"], rows: [1, 2, 3])
        }
        // Two keys is fine when the pair is unique.
        #expect(throws: Never.self) {
            try LookupTable(name: "pairs", columnNames: ["a", "b", "y"], keyColumns: 2, rows: [1, 2, 3, 1, 3, 4])
        }
    }

    @Test func tablesAreDeduplicatedByNameAndContent() throws {
        let b = CircuitBuilder(name: "t")
        let t = try LookupTable.function(name: "sq", domain: 0...3) { $0 * $0 }
        let u = try LookupTable.function(name: "sq", domain: 0...4) { $0 * $0 }
        #expect(try b.table(t) == b.table(t))
        #expect(throws: CircuitError.self) { try b.table(u) }
    }
}
