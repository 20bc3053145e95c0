import Foundation
import Field
import Testing
@testable import CircuitIR

/// Golden tests of the textual form. Set ZKPOLICY_UPDATE_GOLDEN=1 to rewrite
/// the files under Golden/, then review the diff.
@Suite struct TextFormTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func checkGolden(_ name: String, _ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let url = goldenDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["ZKPOLICY_UPDATE_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if expected != text {
            let diff = zip(expected.split(separator: "\n", omittingEmptySubsequences: false), text.split(separator: "\n", omittingEmptySubsequences: false))
                .enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record("\(name) differs at line \((diff?.offset ?? 0) + 1):\n- \(diff?.element.0 ?? "")\n+ \(diff?.element.1 ?? "")",
                         sourceLocation: sourceLocation)
        }
    }

    /// A program touching every opcode, origins with locations, a table, a
    /// custom hint and gadgets.
    static func example() throws -> Program {
        let b = CircuitBuilder(name: "example \"policy\"")
        let rule = Origin("rule approval_gap", at: OriginLocation(file: "fair.zkp", line: 12, column: 1))
        let limit = try b.publicInput("max_gap")
        let xs = try (0..<2).map { try b.privateInput("x[\($0)]") }
        let ws = try (0..<2).map { try b.privateInput("w[\($0)]") }
        for v in xs + ws { try b.signedRangeCheck(v, bits: 8) }
        try b.rangeCheck(limit, bits: 16)
        try b.withOrigin(rule) {
            let y = try b.matmul(xs, ws, rows: 1, inner: 2, columns: 1)[0]
            let d = try b.dot(xs, ws)
            let s = b.linear([(Int64(2), y), (Int64(-1), d), (Int64(1), limit)], constant: -3)
            let (q, _) = try b.divRem(s, byConstant: 4)
            let verdict = try b.lessThan(q, limit)
            try b.publicOutput("approval_gap", verdict)
            let t = try b.table(LookupTable.function(name: "sigmoid_q2", domain: -4...4) { x in 4 * (x + 4) })
            _ = try b.lookup(t, key: b.sub(xs[0], b.mul(xs[1], b.constant(0))))
        }
        let kind = try b.registerHint(name: "salt") { _ in [Goldilocks(42)] }
        let salt = try b.hint(kind, [], results: 1)[0]
        let digest = try b.withOrigin(Origin("commit(scorer)")) { try b.poseidon2Hash([salt] + ws, domain: Poseidon2Sponge.Domain.commitment) }
        for (k, v) in digest.enumerated() { try b.publicOutput("digest[\(k)]", v) }
        return b.finish()
    }

    @Test func exampleIsStable() throws {
        let p = try Self.example()
        try Self.checkGolden("example.cir", p.text(bounds: true))
        try Self.checkGolden("example.optimised.cir", PassPipeline.optimisation.run(p).0.text(bounds: true))
    }

    @Test func compilingTwiceGivesIdenticalBytes() throws {
        let a = try Self.example(), b = try Self.example()
        #expect(a.text(bounds: true) == b.text(bounds: true))
        #expect(a.serialized() == b.serialized())
        #expect(a.contentDigest == b.contentDigest)
        let (oa, ra) = PassPipeline.optimisation.run(a), (ob, rb) = PassPipeline.optimisation.run(b)
        #expect(oa.serialized() == ob.serialized())
        #expect(ra == rb)
    }

    /// The digest is pinned in the golden file, so a change of the compiled
    /// bytes across processes (e.g. hash-order dependence) is caught.
    @Test func digestIsStableAcrossRuns() throws {
        let p = try Self.example()
        let optimised = PassPipeline.optimisation.run(p).0
        try Self.checkGolden("example.digest", "\(p.contentDigest.hex)\n\(optimised.contentDigest.hex)\n")
    }

    @Test func instructionForms() throws {
        let b = CircuitBuilder(name: "forms")
        let x = try b.privateInput("x")
        let c = b.constant(-1)
        // `linear` folds constant terms and empty combinations as it emits, so
        // these forms (which a deserialised program can still hold) go in raw.
        func raw(_ constant: Int64, _ terms: [(Int64, Value)]) {
            let ops = [b.constantIndex(Goldilocks(signed: constant))]
                + terms.flatMap { [b.constantIndex(Goldilocks(signed: $0.0)), $0.1.id] }
            _ = b.emitRaw(.linear, ops, results: 1, origin: b.currentOrigin)
        }
        raw(0, [(1, x), (-1, c), (5, x), (-7, x)])
        _ = b.linear([(Int64(-1), x)], constant: 3)
        raw(9, [])
        let p = b.finish()
        #expect(p.text(ofInstruction: 1) == "%1 = const -1")
        #expect(p.text(ofInstruction: 2) == "%2 = linear %0 - %1 + 5*%0 - 7*%0")
        #expect(p.text(ofInstruction: 3) == "%3 = linear 3 - %0")
        #expect(p.text(ofInstruction: 4) == "%4 = linear 9")
    }
}
