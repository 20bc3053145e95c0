import Field

extension CircuitBuilder {
    /// The non-key columns of the row of `table` whose key columns equal
    /// `keys`: a hint followed by the lookup of the whole row. The table is
    /// functional (`LookupTable` rejects repeated keys), so the lookup admits
    /// exactly the honest outputs. A key outside the table fails at witness
    /// time with the instruction and origin named.
    ///
    /// This is how quantized activations (sigmoid, tanh, exp) are computed:
    /// ModelGraph's quantizer defines the table, e.g. with `LookupTable.function`.
    public func lookup(_ table: TableID, keys: [Value]) throws -> [Value] {
        guard table.index < program.tables.count else { throw error(.invalidOperand, "table #\(table.raw) does not exist") }
        let t = program.tables[table.index]
        guard keys.count == t.keyColumns, t.width > t.keyColumns else {
            throw error(.invalidOperand, "table \(t.name) takes \(t.keyColumns) keys and has \(t.width - t.keyColumns) outputs")
        }
        return try scope("table_lookup") {
            let outputs = try hint(.tableLookup(table), keys, results: t.width - t.keyColumns)
            try lookup(table, keys + outputs)
            return outputs
        }
    }

    /// f(x) for a two-column table (x, f(x)).
    public func lookup(_ table: TableID, key: Value) throws -> Value {
        try lookup(table, keys: [key])[0]
    }
}
