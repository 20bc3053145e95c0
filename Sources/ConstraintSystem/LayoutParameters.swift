import Stark

/// The shape of the table a program is laid out into, and the proof parameters.
///
/// Every row has `cells` advice cells and `constraintsPerRow` constraint slots.
/// Slot k is the constraint Σⱼ aₖⱼ·wⱼ + cₖ + mₖ·w₂ₖ·w₂ₖ₊₁ = 0 over the row's
/// cells (fixed coefficients), so several IR instructions share a row; each
/// cell also carries one LogUp bus fraction (a range lookup, a write or a read
/// of a value), and the last cells of a row form a lookup slot for the
/// program's tables (see docs/constraint-system.md).
public struct LayoutParameters: Hashable, Sendable {
    /// Advice cells per row (w₀ … w_{cells−1}).
    public var cells: Int
    /// Constraint slots per row; slot k multiplies cells 2k and 2k + 1.
    public var constraintsPerRow: Int
    /// Bits per range-check limb (the range table holds every (b, v) with
    /// 1 ≤ b ≤ limbBits, v < 2^b); nil chooses the largest of 16, 15, 14, 12, 8
    /// whose table does not make the circuit larger (2^16 usable rows need a
    /// 2^18 table once the blinding rows are counted, 2^15 fit in 2^17).
    public var limbBits: Int?
    /// Whether each slot reads only a window of the row (the shared cells and
    /// its private ones, `SlotWindows`): fewer fixed columns, a little less
    /// freedom to pack.
    public var windowedSlots: Bool
    /// The STARK's parameters (blowup, queries, …).
    public var stark: StarkParameters
    /// Wider rows for large programs (nil: always `cells` × `constraintsPerRow`).
    public var wideRows: WideRows?

    /// From `instructions` IR instructions on, rows have `cells` cells and
    /// `constraintsPerRow` slots instead. The prover's work grows with rows ×
    /// columns: wide rows have about 2.7 times the columns of the default
    /// shape (33 advice and ~170 fixed instead of 13 and ~63) but pack a large
    /// program into about a third of the rows (the 1,000-applicant credit
    /// audit: 229,960 rows, 2^18, instead of 743,076, 2^20). Small programs are
    /// bound by the range table's 2^17 rows, where wide rows only add columns,
    /// so the switch depends on the size of the program alone (the verifier
    /// makes the same choice from the same program).
    public struct WideRows: Hashable, Sendable {
        public var instructions: Int
        public var cells: Int
        public var constraintsPerRow: Int

        public init(instructions: Int, cells: Int, constraintsPerRow: Int) {
            self.instructions = instructions
            self.cells = cells
            self.constraintsPerRow = constraintsPerRow
        }

        /// 32 cells and 8 slots from one million instructions on.
        public static let standard = WideRows(instructions: 1_000_000, cells: 32, constraintsPerRow: 8)
    }

    public init(cells: Int = 12, constraintsPerRow: Int = 4, limbBits: Int? = nil, windowedSlots: Bool = true,
                stark: StarkParameters = SecurityPreset.proven100.parameters, wideRows: WideRows? = .standard) {
        self.cells = cells
        self.constraintsPerRow = constraintsPerRow
        self.limbBits = limbBits
        self.windowedSlots = windowedSlots
        self.stark = stark
        self.wideRows = wideRows
    }

    /// The parameters a program of `instructions` instructions is laid out
    /// with: these, or with the wide row shape.
    public func forProgram(instructions: Int) -> LayoutParameters {
        guard let wide = wideRows, instructions >= wide.instructions else { return self }
        var p = self
        p.cells = wide.cells
        p.constraintsPerRow = wide.constraintsPerRow
        p.wideRows = nil
        return p
    }

    /// The default shape with the parameters of a security preset.
    public init(preset: SecurityPreset) {
        self.init(stark: preset.parameters)
    }

    func validate(slotWidth: Int) throws {
        let products = windowedSlots ? max(1, constraintsPerRow / 2) : constraintsPerRow
        guard (1 ... 8).contains(constraintsPerRow), (2 ... 64).contains(cells),
              cells >= 2 * products + slotWidth else {
            throw LayoutError.invalidParameters(
                "need 1…8 constraint slots and at least 2·(slots with products) + \(slotWidth) (table width) cells, up to 64; "
                + "got \(constraintsPerRow) slots and \(cells) cells")
        }
        if let b = limbBits, !(1 ... 16).contains(b) {
            throw LayoutError.invalidParameters("limb bits must be in 1…16, not \(b)")
        }
        try stark.validate()
    }
}
