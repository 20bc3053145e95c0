import Field

extension CircuitBuilder {
    /// Σ aᵢ·bᵢ as one `dot` instruction (the layout's wide accumulate gate),
    /// refusing if the sum may wrap modulo p given the operands' bounds.
    public func dotProduct(_ a: [Value], _ b: [Value]) throws -> Value {
        try scope("dot_product") { try requireBounded(try dot(a, b), "the dot product") }
    }
}
