import Field
import Testing
@testable import CircuitIR

@Suite struct Poseidon2Tests {
    /// Known-answer vector of the Poseidon2 authors' reference implementation:
    /// HorizenLabs/poseidon2, plain_implementations/src/poseidon2/poseidon2.rs,
    /// test `poseidon2_tests_goldilocks::kats` (commit 055bde3): the permutation
    /// of (0, 1, …, 11) with POSEIDON2_GOLDILOCKS_12_PARAMS.
    @Test func referenceKnownAnswer() {
        let input = (0..<12).map { Goldilocks(UInt64($0)) }
        let expected: [Goldilocks] = [
            0x01ea_ef96_bdf1_c0c1, 0x1f0d_2cc5_25b2_540c, 0x6282_c1df_e1e0_358d, 0xe780_d721_f698_e1e6,
            0x280c_0b6f_753d_833b, 0x1b94_2dd5_0231_56ab, 0x43f0_df3f_cccb_8398, 0xe8e8_1905_8548_9025,
            0x56bd_bf72_f77a_da22, 0x7911_c32b_f9dc_d705, 0xec46_7926_508f_be67, 0x6a50_450d_df85_a6ed,
        ]
        #expect(Poseidon2.permutation(input) == expected)
    }

    /// The layer matrices match their definitions: M_E = circ(2·M₄, M₄, M₄),
    /// M_I = 𝟙𝟙ᵀ + diag(μ).
    @Test func linearLayersMatchTheirDefinitions() {
        for i in 0..<12 {
            for j in 0..<12 {
                let m4 = Goldilocks(Poseidon2.m4[i % 4][j % 4])
                #expect(Poseidon2.externalMatrix[i][j] == (i / 4 == j / 4 ? m4 + m4 : m4))
                let diagonal = i == j ? Poseidon2.internalDiagonalMinusOne[i] : .zero
                #expect(Poseidon2.internalMatrix[i][j] == .one + diagonal)
            }
        }
    }

    @Test func digestHexRoundTrips() {
        let d = Poseidon2Sponge.hash([1, 2, 3])
        #expect(d.hex.count == 64)
        #expect(Poseidon2Digest(hex: d.hex) == d)
        #expect(Poseidon2Digest(hex: "0x" + d.hex) == d)
        #expect(Poseidon2Digest(hex: String(d.hex.dropLast())) == nil)
        #expect(Poseidon2Digest(hex: String(repeating: "f", count: 64)) == nil)  // not canonical
    }
}
