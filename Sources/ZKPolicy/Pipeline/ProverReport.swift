import ByteCoding

/// What the prover says about the run that made a proof. Informational only:
/// it is not part of the proven statement (timings are known only after proving).
public struct ProverReport: Hashable, Sendable {
    /// The zkpolicyc version that made the proof.
    public var toolVersion: String
    /// Wall time of proving (STARK prover only), in milliseconds.
    public var proveMilliseconds: Int
    /// Wall time of the whole `prove` run, in milliseconds.
    public var totalMilliseconds: Int
    /// The STARK table's shape.
    public var traceRows: Int
    public var traceColumns: Int

    public init(toolVersion: String, proveMilliseconds: Int, totalMilliseconds: Int, traceRows: Int, traceColumns: Int) {
        self.toolVersion = toolVersion
        self.proveMilliseconds = proveMilliseconds
        self.totalMilliseconds = totalMilliseconds
        self.traceRows = traceRows
        self.traceColumns = traceColumns
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.string(toolVersion)
        w.varint(UInt64(proveMilliseconds))
        w.varint(UInt64(totalMilliseconds))
        w.varint(UInt64(traceRows))
        w.varint(UInt64(traceColumns))
        return w.bytes
    }

    public init(decoding bytes: [UInt8]) throws {
        var r = ByteReader(bytes)
        toolVersion = try r.string("tool version")
        proveMilliseconds = try r.smallInt("prove time")
        totalMilliseconds = try r.smallInt("total time")
        traceRows = try r.smallInt("trace rows")
        traceColumns = try r.smallInt("trace columns")
        try r.expectEnd("the prover report")
    }
}
