import Field

/// An auxiliary cell: a value the layout adds to the IR's, defined so that the
/// witness generator can compute it from the IR witness (in creation order:
/// definitions read only IR values and earlier auxiliary cells).
enum Auxiliary: Sendable {
    /// The value that makes its defining constraint hold: form + m·a·b
    /// (partial sums, materialised linear combinations).
    case solved(LinearForm, product: Product?)
    /// Limb `index` of the canonical integer value of `forms[form]`, `bits` wide;
    /// the top limb (`isTop`) is not masked, so an out-of-range value makes it
    /// fail its range lookup instead of silently wrapping.
    case limb(form: Int, index: Int, bits: Int, isTop: Bool)
    /// Lane `lane` of row `round` (1…30, see `PoseidonRounds.states`) of the
    /// permutation of `Layouter.poseidonInputs[block]`.
    case poseidon(block: Int, round: Int, lane: Int)
    /// (x + c)³ for lane `lane` of row `round` of that permutation and the
    /// constant c of the round applied to it (`Layouter.poseidonCubes`).
    case poseidonCube(block: Int, round: Int, lane: Int)

    struct Product: Sendable {
        var a: Key
        var b: Key
        var coefficient: Goldilocks
    }
}
