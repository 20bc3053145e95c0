// Poseidon2 parameters for the Goldilocks field, state width 12.
//
// Source: HorizenLabs, "poseidon2" reference implementation (the authors of the
// Poseidon2 paper, ePrint 2023/323), file
// plain_implementations/src/poseidon2/poseidon2_instance_goldilocks.rs at commit
// bb476b9c (POSEIDON2_GOLDILOCKS_12_PARAMS: t = 12, d = 7, R_F = 8, R_P = 22;
// MAT_DIAG12_M_1 and RC12). The numbers are published parameters, transcribed
// once by a throw-away script; the known-answer vector that checks them is in
// Tests/CircuitIRTests/Poseidon2Tests.swift.

import Field

extension Poseidon2 {
    /// Round constants of the 8 full rounds: the first 4 rows are added before
    /// the partial rounds, the last 4 after them. Row r, lane i.
    public static let externalRoundConstants: [[Goldilocks]] = [
        [
            0x13dc_f33a_ba21_4f46, 0x30b3_b654_a1da_6d83, 0x1fc6_34ad_a615_9b56,
            0x9374_5996_4dc0_3466, 0xedd2_ef2c_a794_9924, 0xede9_affd_e0e2_2f68,
            0x8515_b9d6_bac9_282d, 0x6b5c_07b4_e9e9_00d8, 0x1ec6_6368_838c_8a08,
            0x9042_367d_80d1_fbab, 0x4002_8356_4a3c_3799, 0x4a00_be04_66bc_a75e,
        ],
        [
            0x7913_beee_58e3_817f, 0xf545_e885_3223_7d90, 0x22f8_cb87_3604_2005,
            0x6f04_990e_247a_2623, 0xfe22_e87b_a37c_38cd, 0xd20e_32c8_5ffe_2815,
            0x1172_2767_4048_fe73, 0x4e9f_b7ea_98a6_b145, 0xe086_6c23_2b8a_f08b,
            0x00bb_c779_1688_4964, 0x7031_c0fb_990d_7116, 0x240a_9e87_cf35_108f,
        ],
        [
            0x2e63_63a5_a122_44b3, 0x5e1c_3787_d1b5_011c, 0x4132_660e_2a19_6e8b,
            0x3a01_3b64_8d3d_4327, 0xf798_39f4_9888_ea43, 0xfe85_658e_bafe_1439,
            0xb688_9825_a142_40bd, 0x5784_5360_5541_382b, 0x4508_cda8_f6b6_3ce9,
            0x9c3e_f358_4868_4c91, 0x0812_bde2_3c87_178c, 0xfe49_638f_7f72_2c14,
        ],
        [
            0x8e3f_688c_e885_cbf5, 0xb8e1_10ac_f746_a87d, 0xb4b2_e897_3a6d_abef,
            0x9e71_4c5d_a3d4_62ec, 0x6438_f903_3d3d_0c15, 0x2431_2f7c_f1a2_7199,
            0x23f8_43bb_47ac_bf71, 0x9183_f11a_34be_9f01, 0x8390_62fb_b9d4_5dbf,
            0x24b5_6e7e_6c2e_43fa, 0xe168_3da6_1c96_2a72, 0xa95c_6397_1a19_bfa7,
        ],
        [
            0xc68b_e7c9_4882_a24d, 0xaf99_6d5d_5cda_edd9, 0x9717_f025_e7da_f6a5,
            0x6436_679e_6e72_16f4, 0x8a22_3d99_047a_f267, 0xbb51_2e35_a133_ba9a,
            0xfbbf_4409_7671_aa03, 0xf040_58eb_f681_1e61, 0x5cca_8470_3fac_7ffb,
            0x9b55_c794_5de6_469f, 0x8e05_bf09_808e_934f, 0x2ea9_00de_8763_07d7,
        ],
        [
            0x7748_fff2_b38d_fb89, 0x6b99_a676_dd3b_5d81, 0xac4b_b7c6_27cf_7c13,
            0xadb6_ebe5_e9e2_f5ba, 0x2d33_378c_afa2_4ae3, 0x1e5b_7380_7543_f8c2,
            0x0920_8814_bfeb_b10f, 0x782e_64b6_bb5b_93dd, 0xadd5_a48e_ac90_b50f,
            0xadd4_c54c_736e_a4b1, 0xd58d_bb86_ed81_7fd8, 0x6d5e_d1a5_33f3_4ddd,
        ],
        [
            0x2868_6aa3_e36b_7cb9, 0x591a_bd34_7668_9f36, 0x047d_7666_78f1_3875,
            0xa2a1_1112_625f_5b49, 0x21fd_10a3_f830_4958, 0xf9b4_0711_443b_0280,
            0xd269_7eb8_b2bd_e88e, 0x3493_790b_5173_1b3f, 0x11ca_f9dd_7376_4023,
            0x7acf_b8f7_2878_164e, 0x744e_c4db_23ce_fc26, 0x1e00_e58f_422c_6340,
        ],
        [
            0x21dd_28d9_06a6_2dda, 0xf32a_46ab_5f46_5b5f, 0xbfce_1320_1f3f_7e6b,
            0xf30d_2e7a_db53_04e2, 0xecdf_4ee4_abad_48e9, 0xf94e_8218_2d39_5019,
            0x4ee5_2e37_44d8_87c5, 0xa134_1c7c_ac00_83b2, 0x2302_fb26_c30c_834a,
            0xaea3_c587_273b_f7d3, 0xf798_e249_6182_3ec7, 0x962d_eba3_e9a2_cd94,
        ],
    ]

    /// Round constants of the 22 partial rounds, added to lane 0 only.
    public static let internalRoundConstants: [Goldilocks] = [
        0x4adf_842a_a75d_4316, 0xf8fb_b871_aa4a_b4eb, 0x68e8_5b6e_b2dd_6aeb,
        0x07a0_b06b_2d27_0380, 0xd94e_0228_bd28_2de4, 0x8bdd_91d3_250c_5278,
        0x209c_68b8_8bba_778f, 0xb5e1_8cda_b77f_3877, 0xb296_a3e8_08da_93fa,
        0x8370_ecbd_a11a_327e, 0x3f90_7528_3775_dad8, 0xb780_95bb_23c6_aa84,
        0x3f36_b9fe_72ad_4e5f, 0x69bc_9678_0b10_b553, 0x3f1d_341f_2eb7_b881,
        0x4e93_9e98_1583_8818, 0xda36_6b3a_e2a3_1604, 0xbc89_db1e_7287_d509,
        0x6102_f411_f9ef_5659, 0x5872_5c5e_7ac1_f0ab, 0x0df5_856c_7988_83e7,
        0xf7bb_62a8_da4c_961b,
    ]

    /// The diagonal of the internal matrix minus one: M_I = 𝟙·𝟙ᵀ + diag(μ),
    /// so (M_I·x)_i = μ_i·x_i + Σ_j x_j.
    public static let internalDiagonalMinusOne: [Goldilocks] = [
        0xc3b6_c08e_23ba_9300, 0xd84b_5de9_4a32_4fb6, 0x0d0c_371c_5b35_b84f,
        0x7964_f570_e718_8037, 0x5daf_18bb_d996_604b, 0x6743_bc47_b959_5257,
        0x5528_b936_2c59_bb70, 0xac45_e25b_7127_b68b, 0xa207_7d7d_fbb6_06b5,
        0xf3fa_ac6f_aee3_78ae, 0x0c63_88b5_1545_e883, 0xd27d_bb69_4491_7b60,
    ]
}
