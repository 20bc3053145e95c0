import Field
import ModelGraph

/// `commit(model)` and `commit(table)` (DESIGN §8), computed natively here and
/// in the circuit by the lowering from the same canonical order, so that the
/// digest `zkpolicyc commit` prints is the one the proof recomputes:
///
///     digest = Poseidon2Sponge.commit(salt: salt, values: canonical values)
///
/// with a 4-element secret salt per asset.
///
/// - A model's values are the 4 elements of its architecture's digest
///   (`architectureDigest`: Poseidon2 over the architecture card, so shapes,
///   scales and bounds are bound too — the same integer weights under other
///   scales are another model), then its quantized weights: every weight
///   tensor in `QuantizedArchitecture.weights` order, each row-major, as
///   signed field elements (`QuantizedWeights.values` flattened). The card is
///   public, so the circuit takes its digest as constants.
/// - A table's values are its rows in order; within a row, the fields in
///   declaration order; within a tensor field, its elements row-major; each as
///   its canonical integer (`FieldLayout`: 0/1, the integer, the numerator at
///   2^16, the case index) read as a signed field element. The row count is
///   bound by the sponge's length lane (and is public anyway).
public enum AssetCommitment {
    /// The weights as `commit(model)` hashes them (after the architecture digest), in order.
    public static func modelValues(_ weights: QuantizedWeights) -> [Goldilocks] {
        weights.values.flatMap { $0.map { Goldilocks(signed: $0) } }
    }

    /// Poseidon2 of the architecture card's bytes, 7 bytes per element
    /// (little-endian, so every element is below p), with the byte count as
    /// the sponge's length: the prefix of `commit(model)`.
    public static func architectureDigest(_ architecture: QuantizedArchitecture) -> [Goldilocks] {
        let card = ArchitectureCard.encode(architecture)
        var elements: [Goldilocks] = [Goldilocks(UInt64(card.count))]
        elements.reserveCapacity(card.count / 7 + 2)
        var i = 0
        while i < card.count {
            var word: UInt64 = 0
            for k in 0..<min(7, card.count - i) { word |= UInt64(card[i + k]) << (8 * UInt64(k)) }
            elements.append(Goldilocks(word))
            i += 7
        }
        return Poseidon2Sponge.hash(elements).elements
    }

    /// The values `commit(table)` hashes, in order.
    public static func tableValues(_ rows: TableRows) -> [Goldilocks] {
        var values: [Goldilocks] = []
        values.reserveCapacity(rows.count * rows.fields.reduce(0) { $0 + $1.elements })
        forEachTableCell(rows: rows.count, fields: rows.fields) { r, f, e in
            values.append(Goldilocks(signed: rows.columns[f][r * rows.fields[f].elements + e]))
        }
        return values
    }

    /// The commitment to a quantized model: its architecture and weights.
    public static func commit(model: QuantizedModel, salt: [Goldilocks]) throws -> Poseidon2Digest {
        try commit(architecture: model.architecture, weights: model.weights, salt: salt)
    }

    /// The commitment to a model given by its architecture and weights.
    public static func commit(architecture: QuantizedArchitecture, weights: QuantizedWeights, salt: [Goldilocks]) throws -> Poseidon2Digest {
        try checkSalt(salt)
        return Poseidon2Sponge.commit(salt: salt, values: architectureDigest(architecture) + modelValues(weights))
    }

    /// The commitment to a table's rows.
    public static func commit(table rows: TableRows, salt: [Goldilocks]) throws -> Poseidon2Digest {
        try checkSalt(salt)
        return Poseidon2Sponge.commit(salt: salt, values: tableValues(rows))
    }

    static func checkSalt(_ salt: [Goldilocks]) throws {
        guard salt.count == Poseidon2Sponge.saltLength else {
            throw LoweringError.badInput("a commitment salt has \(Poseidon2Sponge.saltLength) field elements, not \(salt.count)")
        }
    }

    /// The canonical order of a table's cells: row, then field, then element.
    /// The one definition both the native and the in-circuit commitment follow.
    static func forEachTableCell(rows: Int, fields: [FieldLayout], _ body: (_ row: Int, _ field: Int, _ element: Int) throws -> Void) rethrows {
        for r in 0..<rows {
            for (f, field) in fields.enumerated() {
                for e in 0..<field.elements { try body(r, f, e) }
            }
        }
    }
}
