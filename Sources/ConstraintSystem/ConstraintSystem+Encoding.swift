import Field
import Stark

extension ConstraintSystem {
    /// Format version of `serialized()`.
    public static let formatVersion: UInt16 = 1

    /// The constraint system as bytes (`--emit cs`): a versioned little-endian
    /// header (`ZKCS`, version, the row shape, limb bits, the STARK parameters,
    /// log₂ rows, used rows, the public-input rows), then every fixed column
    /// sparsely (count of nonzero entries, then (row u32, value u64) pairs), and
    /// last the 32-byte verifying-key digest. Deterministic: the same program and
    /// parameters give the same bytes.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = Array("ZKCS".utf8)
        func u8(_ v: Int) { out.append(UInt8(truncatingIfNeeded: v)) }
        func u16(_ v: Int) { withUnsafeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian) { out += $0 } }
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian) { out += $0 } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        u16(Int(ConstraintSystem.formatVersion))
        u8(shape.C); u8(shape.K); u8(shape.slotWidth); u8(limbBits)
        let p = parameters.stark
        u8(p.logBlowup); u16(p.queryCount); u8(p.grindingBits); u8(p.logFoldingFactor); u8(p.logFinalDegree)
        u8(circuit.logRows)
        u32(rowCount)
        u32(publicRows.count)
        for r in publicRows { u32(r) }
        u32(circuit.fixedColumns.count)
        for column in circuit.fixedColumns {
            let nonzero = column.indices.filter { !column[$0].isZero }
            u32(nonzero.count)
            for r in nonzero { u32(r); u64(column[r].value) }
        }
        out += verifyingKeyDigest.bytes
        return out
    }

    /// `--emit stats`: the layout's statistics and the verifying-key digest.
    public var statsText: String {
        stats.description + "\nverifying key: \(verifyingKeyDigest.hex)"
    }
}
