import ByteCoding

extension Statement {
    /// The deterministic encoding (proof bundle format version 1, docs/proof-format.md).
    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.string(policyName)
        w.string(policyVersion)
        w.lengthPrefixed(policyDigest)
        w.varint(UInt64(tables.count))
        for t in tables { w.string(t.name); w.varint(UInt64(t.rows)) }
        w.varint(UInt64(models.count))
        for m in models {
            w.string(m.name); w.lengthPrefixed(m.architectureCard); w.string(m.summary)
            w.string(m.maxAbsoluteError); w.string(m.meanAbsoluteError)
            w.varint(UInt64(m.differingDecisions)); w.varint(UInt64(m.comparedRows))
        }
        w.varint(UInt64(params.count))
        for p in params { w.string(p.name); w.string(p.value); w.string(p.display) }
        w.varint(UInt64(commitments.count))
        for c in commitments { w.string(c.name); w.string(c.hex) }
        w.varint(UInt64(verdicts.count))
        for v in verdicts { w.string(v.rule); w.bool(v.holds) }
        w.string(security.preset)
        w.varint(UInt64(security.conjecturedBits))
        w.varint(UInt64(security.provenUniqueDecodingBits))
        w.varint(UInt64(security.provenJohnsonBits))
        w.lengthPrefixed(verifyingKeyDigest)
        // Proof bundle format 2 only: a statement over all rows ends above.
        if !parts.isEmpty {
            w.varint(UInt64(parts.count))
            for part in parts {
                w.varint(UInt64(part.tables.count))
                for t in part.tables { w.string(t.name); w.varint(UInt64(t.rows)) }
                w.string(part.commitment)
                w.lengthPrefixed(part.verifyingKeyDigest)
            }
        }
        return w.bytes
    }

    /// Reads what `encoded()` wrote; throws on anything else.
    public init(decoding bytes: [UInt8]) throws {
        var r = ByteReader(bytes)
        policyName = try r.string("policy name")
        policyVersion = try r.string("policy version")
        policyDigest = try r.lengthPrefixed("policy digest")
        tables = try (0 ..< r.count("tables", minimumSize: 2)).map { _ in
            Table(name: try r.string("table name"), rows: try r.smallInt("row count"))
        }
        models = try (0 ..< r.count("models", minimumSize: 7)).map { _ in
            Model(name: try r.string("model name"), architectureCard: try r.lengthPrefixed("architecture card"),
                  summary: try r.string("model summary"), maxAbsoluteError: try r.string("error bound"),
                  meanAbsoluteError: try r.string("mean error"), differingDecisions: try r.smallInt("decisions"),
                  comparedRows: try r.smallInt("compared rows"))
        }
        params = try (0 ..< r.count("params", minimumSize: 3)).map { _ in
            Param(name: try r.string("param name"), value: try r.string("param value"),
                  display: try r.string("param display"))
        }
        commitments = try (0 ..< r.count("commitments", minimumSize: 2)).map { _ in
            Commitment(name: try r.string("commitment name"), hex: try r.string("commitment digest"))
        }
        verdicts = try (0 ..< r.count("verdicts", minimumSize: 2)).map { _ in
            Verdict(rule: try r.string("rule name"), holds: try r.bool("verdict"))
        }
        security = Security(preset: try r.string("security preset"), conjecturedBits: try r.smallInt("bits"),
                            provenUniqueDecodingBits: try r.smallInt("bits"), provenJohnsonBits: try r.smallInt("bits"))
        verifyingKeyDigest = try r.lengthPrefixed("verifying key digest")
        if !r.isAtEnd {
            parts = try (0 ..< r.count("parts", minimumSize: 4)).map { _ in
                Part(tables: try (0 ..< r.count("part tables", minimumSize: 2)).map { _ in
                         Table(name: try r.string("table name"), rows: try r.smallInt("row count"))
                     },
                     commitment: try r.string("part commitment"),
                     verifyingKeyDigest: try r.lengthPrefixed("part verifying key digest"))
            }
            guard parts.count >= 2 else { throw r.error("a proof in parts has at least two parts, not \(parts.count)") }
        }
        try r.expectEnd("the statement")
    }
}
