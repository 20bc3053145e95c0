import Field
import PolicySemantics

// The two circuits of a policy whose rows are split into parts
// (`LoweringTarget`): a part publishes a salted commitment to its
// aggregates' reductions; the combining circuit opens every part's
// commitment, combines the reductions and lowers the rules on them.
extension PolicyLowering {
    /// The aggregate nodes of the graph, in node order: the order in which
    /// both circuits of a split policy list the reductions.
    var aggregateNodes: [Int] {
        (0..<graph.nodes.count).filter {
            if case .aggregate = graph[$0].op { return true }
            return false
        }
    }

    /// Refuses what a split cannot prove: a commitment to a table covers all
    /// of its rows, so no part can compute it.
    func checkSplittable() throws {
        for table in hir.tables where hashedAssets.contains(.table(table.name)) {
            throw LoweringError.unsupported("the policy commits to table `\(table.name)`, which covers all of its rows: its rows cannot be split into parts",
                                            at: locate(table.span))
        }
    }

    /// A part circuit: the inputs of the part's rows, then every aggregate's
    /// reductions, committed with a fresh salt as the only output.
    func runPart() throws -> LoweredPolicy {
        try declareInputs()
        let salt = try b.withOrigin(Origin("salt of the part")) {
            try (0..<Poseidon2Sponge.saltLength).map { try b.privateInput("part.salt[\($0)]") }
        }
        interface.privateInputs.append(.partSalt)
        var opened: [Value] = []
        var models: [String] = []
        for case .model(let name) in hashedAssets {
            opened += try digest(.model(name))
            models.append(name)
        }
        var aggregates: [PartShape.Aggregate] = []
        var reductions: [Value] = []
        for id in aggregateNodes {
            let node = graph[id]
            guard case .aggregate(let a) = node.op else { continue }
            let r = try b.withOrigin(origin(node)) {
                try located(node.span) { () throws -> Reductions in
                    let rows = try aggregateRows(a, node, Guards.always)
                    let counts = try groupCounts(rows.filter, rows.indicators, rows: rows.rows)
                    return try self.reductions(a, node, rows, counts: counts)
                }
            }
            aggregates.append(PartShape.Aggregate(node: id, counts: r.counts.count, values: r.values.count, scale: r.scale))
            reductions += r.counts + r.values
        }
        let bounds = reductions.map { b.bound(of: $0) }
        opened += Swift.zip(reductions, bounds).filter { $1.lo != $1.hi }.map(\.0)
        try b.withOrigin(Origin("commitment of the part")) {
            let commitment = try partCommitment(salt: salt, values: opened)
            for (k, v) in commitment.enumerated() { try b.publicOutput("part.commitment[\(k)]", v) }
        }
        interface.publicOutputs.append(.partCommitment)
        let shape = PartShape(rowCounts: rowCounts, models: models, aggregates: aggregates, bounds: bounds,
                              openedValues: salt + opened)
        return LoweredPolicy(program: b.finish(), interface: interface, part: shape)
    }

    /// The combining circuit's inputs: every part's published commitment
    /// (public) and its opening (private), checked; then the combined
    /// reductions of every aggregate, which `aggregate` reads.
    func openParts(_ parts: [PartShape]) throws {
        guard let first = parts.first else { throw LoweringError.mismatch("no parts to combine") }
        guard first.aggregates.map(\.node) == aggregateNodes else {
            throw LoweringError.mismatch("the parts were compiled from another policy: their aggregates differ")
        }
        // A part without rows of an aggregate's table cannot know the scale
        // of its values (it has none: its reductions are constants 0); the
        // scale is that of the parts with rows, which must agree.
        func sameReductions(_ x: PartShape.Aggregate, _ y: PartShape.Aggregate) -> Bool {
            x.node == y.node && x.counts == y.counts && x.values == y.values
        }
        for part in parts {
            guard part.aggregates.count == first.aggregates.count,
                  Swift.zip(part.aggregates, first.aggregates).allSatisfy(sameReductions), part.models == first.models,
                  part.bounds.count == first.bounds.count,
                  part.bounds.count == part.aggregates.reduce(0, { $0 + $1.counts + $1.values }),
                  part.openedValues.isEmpty || part.openedValues.count == part.openingCount else {
                throw LoweringError.mismatch("the parts have different shapes")
            }
        }
        var scales: [Int64] = []
        for (j, shape) in first.aggregates.enumerated() {
            guard case .aggregate(let a) = graph[shape.node].op else { throw LoweringError.mismatch("aggregate \(shape.node) is not one") }
            let withRows = Set(parts.filter { ($0.rowCounts[a.table] ?? 0) > 0 }.map { $0.aggregates[j].scale })
            guard withRows.count <= 1 else { throw LoweringError.mismatch("the parts have different shapes") }
            scales.append(withRows.first ?? shape.scale)
        }
        for table in hir.tables {
            let total = parts.reduce(0) { $0 + ($1.rowCounts[table.name] ?? 0) }
            guard total == rowCounts[table.name] else {
                throw LoweringError.mismatch("the parts have \(total) rows of `\(table.name)`; the policy is compiled for \(rowCounts[table.name] ?? 0)")
            }
        }
        let published = try parts.indices.map { p in
            defer { interface.publicInputs.append(.part(p)) }
            return try b.withOrigin(Origin("commitment of part \(p)")) {
                try (0..<Poseidon2Sponge.digestLength).map { try b.publicInput("part[\(p)].commitment[\($0)]") }
            }
        }
        var partDigests: [[[Value]]] = []
        var partReductions: [[Value]] = []
        for (p, shape) in parts.enumerated() {
            try b.withOrigin(Origin("opening of part \(p)")) {
                let salt = try (0..<Poseidon2Sponge.saltLength).map { try b.privateInput("part[\(p)].salt[\($0)]") }
                let digests = try shape.models.map { m in
                    try (0..<Poseidon2Sponge.digestLength).map { try b.privateInput("part[\(p)].commit(\(m))[\($0)]") }
                }
                var reductions: [Value] = []
                var opened = digests.flatMap { $0 }
                for (i, bound) in shape.bounds.enumerated() {
                    if bound.lo == bound.hi {
                        reductions.append(b.constant(Goldilocks(signed: bound.lo)))
                        continue
                    }
                    let v = try b.privateInput("part[\(p)].reduction[\(i)]")
                    try b.checkDomain(v, lower: bound.lo, upper: bound.hi)
                    reductions.append(v)
                    opened.append(v)
                }
                let commitment = try partCommitment(salt: salt, values: opened)
                for (x, y) in Swift.zip(commitment, published[p]) { b.assertEqual(x, y) }
                // Every part applied the same models.
                if let base = partDigests.first {
                    for (x, y) in Swift.zip(digests.flatMap { $0 }, base.flatMap { $0 }) { b.assertEqual(x, y) }
                }
                partDigests.append(digests)
                partReductions.append(reductions)
            }
            interface.privateInputs.append(.partOpening(p))
        }
        for (m, name) in first.models.enumerated() { digests[.model(name)] = partDigests[0][m] }

        try b.withOrigin(Origin("combining the parts")) {
            var offset = 0
            for (j, shape) in first.aggregates.enumerated() {
                let node = graph[shape.node]
                guard case .aggregate(let a) = node.op else { throw LoweringError.mismatch("aggregate \(shape.node) is not one") }
                let across = { (i: Int) in partReductions.map { $0[offset + i] } }
                let counts = try (0..<shape.counts).map { try sum(across($0)) }
                var values: [Value] = []
                for i in 0..<shape.values {
                    switch a.function {
                    case .min, .max:
                        // The extreme of the parts' extremes, among the parts
                        // that have rows of the group.
                        values.append(try combinedExtreme(a.function == .max ? .max : .min, across(shape.counts + i),
                                                          counts: across(i), total: counts[i]))
                    default:
                        values.append(try sum(across(shape.counts + i)))
                    }
                }
                combined[shape.node] = Reductions(counts: counts, values: values, scale: scales[j])
                offset += shape.counts + shape.values
            }
        }
    }

    /// A part's commitment: the Poseidon2 sponge over salt ++ values under
    /// its own domain tag `zkp.part` (so it is never an asset's commitment).
    func partCommitment(salt: [Value], values: [Value]) throws -> [Value] {
        try b.scope("part commitment") { try b.poseidon2Hash(salt + values, domain: Poseidon2Sponge.Domain.part) }
    }

    /// The extreme over parts: each part's extreme counts where the part has
    /// rows (its count is not 0).
    func combinedExtreme(_ which: Extremum, _ extremes: [Value], counts: [Value], total: Value) throws -> Value {
        let mask = try counts.map { try b.not(b.isZero($0)) }
        return try maskedExtremum(which, extremes, mask: mask, hasRows: b.not(b.isZero(total)))
    }

    /// Σ of values, a constant when every one is.
    func sum(_ values: [Value]) throws -> Value {
        let constants = values.compactMap { b.constantValue(of: $0)?.signedValue }
        if constants.count == values.count {
            var total: Int64 = 0
            for c in constants {
                let (s, overflow) = total.addingReportingOverflow(c)
                guard !overflow, abs(s) <= Goldilocks.halfModulus else { throw b.error(.mayWrap, "a sum of the parts' constants overflows") }
                total = s
            }
            return b.constant(Goldilocks(signed: total))
        }
        return b.sum(values)
    }

    /// An aggregate's reductions over all parts.
    func combinedReductions(_ id: Int) throws -> Reductions {
        guard let reductions = combined[id] else {
            throw LoweringError.mismatch("an aggregate the parts did not reduce", at: locate(graph[id].span))
        }
        return reductions
    }
}
