import Foundation
import Testing
import Field
@testable import Stark

@Suite struct PortableMathTests {
    /// Against the C library (which may differ in the last place, hence the tolerance).
    @Test func log2AgreesWithLibm() {
        var rng = SplitMix(state: 11)
        for _ in 0 ..< 5000 {
            let exponent = Double(Int(rng.next() % 400) - 200)
            let x = (1 + Double(rng.next() >> 11) / Double(1 << 53)) * Foundation.exp2(exponent)
            #expect(abs(PortableMath.log2(x) - Foundation.log2(x)) < 1e-12)
        }
        for k in -60 ... 60 { #expect(PortableMath.log2(Foundation.exp2(Double(k))) == Double(k)) }
        #expect(abs(PortableMath.log2(0.5625) - Foundation.log2(0.5625)) < 1e-14)
    }

    @Test func exp2AgreesWithLibm() {
        var rng = SplitMix(state: 12)
        for _ in 0 ..< 5000 {
            let x = (Double(rng.next() >> 11) / Double(1 << 53) - 0.5) * 400
            let expected = Foundation.exp2(x)
            #expect(abs(PortableMath.exp2(x) - expected) <= expected * 1e-13)
        }
        for k in -100 ... 100 { #expect(PortableMath.exp2(Double(k)) == Foundation.exp2(Double(k))) }
        #expect(PortableMath.exp2(-2000) == 0)
    }
}

@Suite struct SecurityEstimateTests {
    /// A shape whose field terms are negligible except the ones a test inflates.
    static let small = SecurityEstimate.Shape(rows: 1 << 10, constraintCount: 1, maxConstraintDegree: 2 << 10,
                                              batchedPolynomials: 4, logUpFractions: 1)
    static let manyQueries = StarkParameters(logBlowup: 3, queryCount: 200, grindingBits: 0)

    @Test func queryTermsFollowTheFormulas() {
        // With a tiny table the field terms vanish and the query terms decide.
        let p = StarkParameters(logBlowup: 3, queryCount: 20, grindingBits: 8)
        let e = SecurityEstimate.compute(p, shape: Self.small)
        #expect(e.conjectured == 20 * 3 + 8)
        #expect(e.provenUniqueDecoding == Int((-20 * Foundation.log2(0.5625) + 8).rounded(.down)))
        var more = p
        more.queryCount += 10
        #expect(SecurityEstimate.compute(more, shape: Self.small).provenJohnson > e.provenJohnson)
    }

    /// LogUp: N = fractions·n fractions with denominators of degree W in γ give
    /// N·(W + 2)/|F|; here 2^30·2^10·4 = 2^42, so 2^(42 − 128) dominates: 85 bits
    /// (the other terms push the sum just above 2^−86).
    @Test func logUpTermGrowsWithFractionsAndTupleWidth() {
        var shape = Self.small
        shape.logUpFractions = 1 << 30
        shape.logUpTupleDegree = 2
        #expect(SecurityEstimate.compute(Self.manyQueries, shape: shape).provenUniqueDecoding == 85)
        shape.logUpTupleDegree = 6  // (6 + 2)·2^40 = 2^43
        #expect(SecurityEstimate.compute(Self.manyQueries, shape: shape).provenUniqueDecoding == 84)
        // Johnson: the term is multiplied by the list size, so it is lower still.
        #expect(SecurityEstimate.compute(Self.manyQueries, shape: shape).provenJohnson < 84)
    }

    /// Caller phases: declared degree d per row adds d·n/|F|: 2^60·2^10 = 2^70, 57 bits.
    @Test func challengePhasesContributeTheirDeclaredDegree() throws {
        var shape = Self.small
        #expect(SecurityEstimate.compute(Self.manyQueries, shape: shape).provenUniqueDecoding > 100)
        shape.challengePhaseDegree = 1 << 60
        #expect(SecurityEstimate.compute(Self.manyQueries, shape: shape).provenUniqueDecoding == 57)

        // Through a real key: the Freivalds phase with a huge declared degree.
        let p = SecurityPreset.proven100.parameters
        var example = FreivaldsExample(logRows: 11)
        let honest = try ProvingKey(circuit: example.circuit, parameters: p).verifyingKey.security
        example.circuit.phases[0].challengeDegree = 1 << 50
        let declared = try ProvingKey(circuit: example.circuit, parameters: p).verifyingKey.security
        #expect(honest.provenUniqueDecoding >= 100)
        #expect(declared.provenUniqueDecoding < 128 - 50 - 11 + 1)
    }

    /// The key's LogUp tuple degree is the widest compressed tuple: the example
    /// circuit looks up pairs and copies (value, id) pairs, so 2.
    @Test func keysMeasureTheWidestLogUpTuple() throws {
        let key = try ProvingKey(circuit: ExampleCircuit(logRows: 9).circuit, parameters: testParameters)
        #expect(key.layout.logUpTupleDegree == 2)
        var wide = ExampleCircuit(logRows: 9).circuit
        wide.tables.append(LookupTable(name: "triples", columns: [[1], [2], [3], [4], [5]]))
        let wideKey = try ProvingKey(circuit: wide, parameters: testParameters)
        #expect(wideKey.layout.logUpTupleDegree == 5)
    }
}

@Suite struct SecurityPresetTests {
    /// The shape of a real circuit (the example: gates of degree 3, copies, two
    /// lookups, public inputs) at 2^12 rows, scaled to `logRows` rows.
    static func shape(_ preset: SecurityPreset, logRows: Int) throws -> SecurityEstimate.Shape {
        let p = preset.parameters
        let key = try ProvingKey(circuit: ExampleCircuit(logRows: 12, parameters: p).circuit, parameters: p)
        var shape = ProvingKey.securityShape(key.layout, phases: [])
        #expect(SecurityEstimate.compute(p, shape: shape) == key.verifyingKey.security)
        let degree = (shape.maxConstraintDegree + shape.rows - 1) / shape.rows  // in columns, rounded up
        shape.rows = 1 << logRows
        shape.maxConstraintDegree = degree * shape.rows
        return shape
    }

    @Test(arguments: [16, 18, 20])
    func presetsReachTheirNames(logRows: Int) throws {
        for preset in SecurityPreset.allCases {
            let estimate = SecurityEstimate.compute(preset.parameters, shape: try Self.shape(preset, logRows: logRows))
            #expect(preset.bits(of: estimate) <= estimate.conjectured)
            #expect(estimate.provenJohnson <= estimate.conjectured)
            switch preset {
            case .conjectured100:
                #expect(preset.isReached(by: estimate))
                #expect(estimate.provenUniqueDecoding < 50)  // 28 queries prove little
            case .proven100:
                #expect(preset.isReached(by: estimate), "proven-100 at 2^\(logRows): \(estimate)")
                #expect(estimate.conjectured >= estimate.provenUniqueDecoding)
            case .proven128:
                // Over the cubic extension (docs/security.md §5): 128 proven bits.
                #expect(preset.parameters.extensionDegree == 3)
                #expect(preset.isReached(by: estimate), "proven-128 at 2^\(logRows): \(estimate)")
                #expect(estimate.conjectured >= 128 && estimate.provenJohnson >= 120)
            }
        }
    }

    /// Over the cubic extension the field terms no longer cap the proven
    /// bits: proven-128's parameters reach 128 (the query and hash terms).
    @Test(arguments: [16, 18, 20])
    func theCubicExtensionLiftsTheFieldCap(logRows: Int) throws {
        var p = SecurityPreset.proven128.parameters
        let shape = try Self.shape(.proven128, logRows: logRows)
        let cubic = SecurityEstimate.compute(p, shape: shape)
        p.extensionDegree = 2
        let quadratic = SecurityEstimate.compute(p, shape: shape)
        print("proven-128 at 2^\(logRows): quadratic \(quadratic), cubic \(cubic)")
        #expect(cubic.provenUniqueDecoding >= 128 && cubic.conjectured >= 128, "\(cubic)")
        #expect(cubic.provenUniqueDecoding > quadratic.provenUniqueDecoding + 20)
        #expect(cubic.provenJohnson > quadratic.provenJohnson)
        // The zero-knowledge margins grow with the degree (4 more rows, 2 more mask degree per degree).
        #expect(p.blindingRows + 4 == SecurityPreset.proven128.parameters.blindingRows)
        #expect(p.quotientMaskDegree + 2 == SecurityPreset.proven128.parameters.quotientMaskDegree)
    }

    /// Degrees 2 and 3 are the extensions there are: a key for another is
    /// refused, not built wrong.
    @Test func onlyTheQuadraticAndCubicExtensionsExist() throws {
        let example = ExampleCircuit(logRows: 9)
        for degree in [0, 1, 4, 6] {
            var p = testParameters
            p.extensionDegree = degree
            #expect(throws: StarkError.self) { try p.validate() }
            #expect(throws: StarkError.self) { try ProvingKey(circuit: example.circuit, parameters: p) }
        }
        try testParameters(degree: 3).validate()
    }

    @Test func largeTablesFallBelowProven100() throws {
        let estimate = SecurityEstimate.compute(SecurityPreset.proven100.parameters,
                                                shape: try Self.shape(.proven100, logRows: 23))
        #expect(!SecurityPreset.proven100.isReached(by: estimate))
    }
}
