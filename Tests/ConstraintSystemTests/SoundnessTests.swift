import CircuitIR
import Field
import Testing
@testable import ConstraintSystem
@testable import Stark

/// Every kind of cell and constraint: a tampered witness is refused by the
/// honest prover's checks, and a proof forced past them is rejected.
@Suite struct SoundnessTests {
    static let laid: Laid = {
        let (program, inputs) = try! everyKindProgram()
        return try! Laid(program, inputs)
    }()

    /// Tampers one advice cell, then requires refusal and rejection.
    func expectRefusedAndRejected(_ laid: Laid, _ change: (inout [[Goldilocks]]) -> Void,
                                  publicInputs: [Goldilocks]? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var advice = laid.advice
        change(&advice)
        let inputs = publicInputs ?? laid.publicInputs
        #expect(throws: StarkError.self, sourceLocation: sourceLocation) {
            try StarkProver.prove(key: laid.cs.provingKey, witness: advice, publicInputs: inputs)
        }
        let forged = try laid.forge(advice, inputs)
        #expect(throws: VerificationError.self, sourceLocation: sourceLocation) { try laid.verify(forged, inputs) }
    }

    @Test(arguments: [1, 2, 3])
    func tamperedCellOfEachRoleIsRejected(role: UInt8) throws {
        let laid = Self.laid
        let cells = laid.cells { r, j in laid.role(r, j) == role }
        #expect(cells.count >= 3)
        for (r, j) in [cells[0], cells[cells.count / 2], cells[cells.count - 1]] {
            try expectRefusedAndRejected(laid) { $0[j][r] += .one }
        }
    }

    @Test func productResultIsBound() throws {
        let laid = Self.laid
        // A row whose slot 0 multiplies: its other cells are checked against the product.
        let r = try #require((0 ..< laid.cs.rowCount).first { !laid.cs.coefficients[laid.cs.windows.product(0)!][$0].isZero })
        for j in [0, 1] { try expectRefusedAndRejected(laid) { $0[j][r] += .one } }
    }

    @Test func outOfRangeLimbWithConsistentRecombinationIsRejected() throws {
        let laid = Self.laid
        let C = laid.cs.shape.C, L = laid.cs.limbBits
        // Two full-width limbs of one range check: move 2^L from the high one to the low one.
        for r in 0 ..< laid.cs.rowCount {
            let limbs = (0 ..< C).filter { laid.role(r, $0) == 3 && Int(laid.cs.cellBits[r * C + $0]) == L }
            guard limbs.count >= 2, !laid.advice[limbs[1]][r].isZero else { continue }
            // The recombination holds (x = l0 + 2^L·l1), only the lookup of l0 fails.
            try expectRefusedAndRejected(laid) {
                $0[limbs[0]][r] += Goldilocks(UInt64(1) << UInt64(L))
                $0[limbs[1]][r] -= .one
            }
            return
        }
        Issue.record("no range check with two nonzero full limbs")
    }

    @Test func tableLookupIsBound() throws {
        let laid = Self.laid
        let C = laid.cs.shape.C, w = laid.cs.shape.slotWidth
        let r = try #require((0 ..< laid.cs.rowCount).first { !laid.cs.slotKey[$0].isZero })
        for j in C - w ..< C { try expectRefusedAndRejected(laid) { $0[j][r] += .one } }
    }

    @Test func multiplicitiesAreBound() throws {
        let laid = Self.laid
        let C = laid.cs.shape.C
        let r = try #require(laid.advice[C].firstIndex { !$0.isZero })
        try expectRefusedAndRejected(laid) { $0[C][r] += .one }
        try expectRefusedAndRejected(laid) { $0[C][r] -= .one; $0[C][r + 1] += .one }
    }

    @Test func publicInputCellsAreBound() throws {
        let laid = Self.laid
        for r in laid.cs.publicRows {
            try expectRefusedAndRejected(laid) { $0[0][r] += .one }
        }
        // Claiming a wrong output with a consistent cell: the output is a read of
        // the value's home, so the bus refuses it.
        let last = laid.cs.publicRows.last!
        var inputs = laid.publicInputs
        inputs[inputs.count - 1] += .one
        try expectRefusedAndRejected(laid, { $0[0][last] += .one }, publicInputs: inputs)
    }

    /// x·y = 7q + r with 9-bit inputs; outputs q and r + x (every cell of its layout matters).
    static func smallProgram() throws -> Program {
        let b = CircuitBuilder(name: "small")
        let x = try b.privateInput("x", bits: 9)
        let y = try b.privateInput("y", bits: 9)
        let (q, r) = try b.divRem(b.mul(x, y), byConstant: 7)
        try b.publicOutput("q", q)
        try b.publicOutput("r", b.add(r, x))
        return b.finish()
    }

    @Test func everyFilledCellMatters() throws {
        // Changing any filled cell of the small program breaks the proof: no cell is free.
        let laid = try Laid(SoundnessTests.smallProgram(), WitnessInputs(private: [300, 411]))
        for (r, j) in laid.cells(where: { laid.role($0, $1) != 0 }) {
            var advice = laid.advice
            advice[j][r] += .one
            #expect(throws: StarkError.self, "cell (\(r), \(j))") {
                try StarkProver.prove(key: laid.cs.provingKey, witness: advice, publicInputs: laid.publicInputs)
            }
        }
    }
}

@Suite struct LimbOnHomeTests {
    /// x is range-checked where it is placed (its home cell carries the lookup);
    /// the output row then reads x, which moves the lookup to a new limb cell.
    @Test func relocatedLookupStillBindsTheRange() throws {
        let b = CircuitBuilder(name: "relocation")
        let x = try b.privateInput("x")
        let y = try b.privateInput("y")
        try b.rangeCheck(x, bits: 8)
        let xy = b.mul(x, y)
        try b.publicOutput("xy", xy)
        try b.publicOutput("x", x)
        let laid = try Laid(b.finish(), WitnessInputs(private: [200, 7]))
        try laid.verify(try laid.prove())
        let C = laid.cs.shape.C
        let xCells = laid.cells { laid.cs.cellKeys[$0 * C + $1] == .value(x.index) }
        #expect(xCells.contains { laid.role($0.row, $0.column) == 1 } && xCells.contains { laid.role($0.row, $0.column) == 2 })
        // The moved lookup: a limb cell equal to x.
        let limbs = laid.cells { laid.role($0, $1) == 3 && laid.cs.cellKeys[$0 * C + $1].isAuxiliary }
        #expect(limbs.count == 1)
        // x = 300 everywhere, x·y = 2100 everywhere: only the range lookup objects.
        var advice = laid.advice
        var publicInputs = laid.publicInputs
        for (r, j) in xCells + limbs { advice[j][r] = 300 }
        for (r, j) in laid.cells(where: { laid.cs.cellKeys[$0 * C + $1] == .value(xy.index) }) { advice[j][r] = 2100 }
        publicInputs = [2100, 300]
        // Without the range check the tampered witness would be fine.
        #expect(throws: StarkError.busUnbalanced(term: "cell \(limbs[0].column)", row: limbs[0].row, values: [8, 300])) {
            try StarkProver.prove(key: laid.cs.provingKey, witness: advice, publicInputs: publicInputs)
        }
        #expect(throws: VerificationError.self) { try laid.verify(try laid.forge(advice, publicInputs), publicInputs) }
    }
}

/// The wide row shape (`LayoutParameters.WideRows.standard`, 32 cells and 8
/// slots) keeps every cell bound: tampered cells of each role, and any filled
/// cell of a small program, are refused and (forced) rejected.
@Suite struct WideRowSoundnessTests {
    static let wide = LayoutParameters(cells: LayoutParameters.WideRows.standard.cells,
                                       constraintsPerRow: LayoutParameters.WideRows.standard.constraintsPerRow,
                                       stark: testStark)
    static let laid: Laid = {
        let (program, inputs) = try! everyKindProgram()
        return try! Laid(program, inputs, parameters: wide)
    }()

    @Test(arguments: [1, 2, 3])
    func tamperedCellOfEachRoleIsRejected(role: UInt8) throws {
        let laid = Self.laid
        #expect(laid.cs.shape.C == 32 && laid.cs.shape.K == 8)
        let cells = laid.cells { r, j in laid.role(r, j) == role }
        #expect(cells.count >= 3)
        for (r, j) in [cells[0], cells[cells.count / 2], cells[cells.count - 1]] {
            try SoundnessTests().expectRefusedAndRejected(laid) { $0[j][r] += .one }
        }
    }

    @Test func everyFilledCellMatters() throws {
        let laid = try Laid(SoundnessTests.smallProgram(), WitnessInputs(private: [300, 411]), parameters: Self.wide)
        try laid.verify(try laid.prove())
        for (r, j) in laid.cells(where: { laid.role($0, $1) != 0 }) {
            var advice = laid.advice
            advice[j][r] += .one
            #expect(throws: StarkError.self, "cell (\(r), \(j))") {
                try StarkProver.prove(key: laid.cs.provingKey, witness: advice, publicInputs: laid.publicInputs)
            }
        }
    }

    /// Wide rows hold the S-box cubes beside the Poseidon2 state: a wrong cube
    /// (full round, lanes 0 and 11; partial round, lane 0) is refused and
    /// rejected, and the round gate has degree 4, so no constraint of the
    /// circuit exceeds degree 5 (the quotient needs 4 blocks, not 8).
    @Test func poseidonCubesAreBound() throws {
        let laid = Self.laid
        let shape = laid.cs.shape
        #expect(shape.poseidonCubes)
        let full = laid.cs.circuit.fixedColumns[shape.poseidonStart + 1]
        let partial = laid.cs.circuit.fixedColumns[shape.poseidonStart + 2]
        let r = try #require(full.firstIndex(of: .one))
        let q = try #require(partial.firstIndex(of: .one))
        for (row, lane) in [(r, 0), (r, 11), (q, 0)] {
            try SoundnessTests().expectRefusedAndRejected(laid) { $0[Poseidon2.width + lane][row] += .one }
        }
        let n = 1 << laid.cs.circuit.logRows
        #expect(laid.cs.provingKey.layout.maxDegree <= 5 * n)
    }

    /// The switch to wide rows depends on the instruction count only.
    @Test func largeProgramsGetWideRows() {
        let p = LayoutParameters(stark: testStark)
        #expect(p.forProgram(instructions: 999_999).cells == 12)
        let wide = p.forProgram(instructions: 1_000_000)
        #expect(wide.cells == 32 && wide.constraintsPerRow == 8 && wide.wideRows == nil)
        var never = p
        never.wideRows = nil
        #expect(never.forProgram(instructions: 5_000_000).cells == 12)
    }
}
