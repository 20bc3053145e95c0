import Field

/// Where a `ConstraintProgram` reads its columns: a set of base-field columns
/// evaluated on `blocks` cosets of the table's subgroup, each block `n` values
/// in natural order (value j of block k is at k·n + j, at the point
/// blockShifts[k]·ω_n^j). The table itself is one block with shift 1; the LDE
/// is `blowup` blocks. `.next` reads j + 1 (mod n) in the same block.
struct EvaluationDomain {
    var columns: [UnsafePointer<Goldilocks>]
    var n: Int
    var blockShifts: [Goldilocks]
    /// ω_n^j for j < n.
    var omegaPowers: UnsafePointer<Goldilocks>
    /// Columns holding only the block being evaluated (n values) rather than
    /// every block (B·n values): read without the block's offset.
    /// (Indexed by column; columns past its end hold every block.)
    var singleBlock: [Bool] = []

    /// Where column c's values on `block` start.
    @inline(__always)
    func start(_ c: Int, block: Int) -> UnsafePointer<Goldilocks> {
        c < singleBlock.count && singleBlock[c] ? columns[c] : columns[c] + block * n
    }
}

/// Expressions compiled to a register program that evaluates a batch of rows at
/// a time: each instruction runs a tight loop over the batch, so dispatch is
/// paid once per instruction and batch rather than per row, and base-field
/// values stay in the base field until they meet a challenge.
///
/// Generic over the extension E the challenges live in: an extension register
/// holds E.degree component arrays of `batch` values each.
struct ConstraintProgram<E: ExtensionField> {
    enum Op {
        case load(dst: Int, column: Int, rotation: Int)
        case loadExt(dst: Int, column: Int, rotation: Int)
        case point(dst: Int)
        case constant(dst: Int, Goldilocks)
        case constantExt(dst: Int, E)
        case addBB(Int, Int, Int), addBE(Int, Int, Int), addEE(Int, Int, Int)
        case subBB(Int, Int, Int), subBE(Int, Int, Int), subEB(Int, Int, Int), subEE(Int, Int, Int)
        case mulBB(Int, Int, Int), mulBE(Int, Int, Int), mulEE(Int, Int, Int)
        case negB(Int, Int), negE(Int, Int)
        case hornerE(Int, Int, Int)  // dst = dst·α + src, α a constant ext register
    }

    static var batch: Int { 256 }
    /// The arithmetic loops' implementation (tests compare both).
    var kernel: FieldKernel = .best
    private(set) var ops: [Op] = []
    private(set) var isExt: [Bool] = []
    /// Registers after allocation (`allocateRegisters`): what the scratch holds.
    private(set) var registerCount = 0
    /// Registers holding each output (always extension-valued).
    private(set) var outputs: [Int] = []
    private var memo: [Expression: Int] = [:]
    private let columnIndex: (ColumnRef) -> (index: Int, isExt: Bool)
    private let instanceIndex: (Int) -> Int
    private let challenges: [[E]]

    /// Compiles `expressions` as separate outputs.
    init(expressions: [Expression], columnIndex: @escaping (ColumnRef) -> (index: Int, isExt: Bool),
         instanceIndex: @escaping (Int) -> Int, challenges: [[E]]) {
        self.columnIndex = columnIndex
        self.instanceIndex = instanceIndex
        self.challenges = challenges
        for e in expressions { outputs.append(toExt(compile(e))) }
        allocate()
    }

    /// Compiles the single output Σ α^(m−1−i)·expressions[i] (Horner order, as
    /// the verifier), plus `plus` if given (added after the sum, unweighted).
    init(combining expressions: [Expression], alpha: E, plus: Expression? = nil,
         columnIndex: @escaping (ColumnRef) -> (index: Int, isExt: Bool),
         instanceIndex: @escaping (Int) -> Int, challenges: [[E]]) {
        self.columnIndex = columnIndex
        self.instanceIndex = instanceIndex
        self.challenges = challenges
        let alphaRegister = newRegister(ext: true)
        ops.append(.constantExt(dst: alphaRegister, alpha))
        let acc = newRegister(ext: true)
        ops.append(.constantExt(dst: acc, .zero))
        for e in expressions {
            let r = compile(e)
            let term = toExt(r)
            ops.append(.hornerE(acc, term, alphaRegister))
        }
        if let plus {
            let extra = toExt(compile(plus))
            let total = newRegister(ext: true)
            ops.append(.addEE(total, acc, extra))
            outputs = [total]
        } else {
            outputs = [acc]
        }
        allocate()
    }

    /// The base columns the program loads (an extension load reads E.degree).
    var loadedColumns: Set<Int> {
        var columns = Set<Int>()
        for op in ops {
            switch op {
            case let .load(_, column, _): columns.insert(column)
            case let .loadExt(_, column, _): for k in 0 ..< E.degree { columns.insert(column + k) }
            default: break
            }
        }
        return columns
    }

    private mutating func allocate() {
        let (count, renamed) = Self.allocateRegisters(&ops, virtualCount: isExt.count, live: outputs)
        registerCount = count
        outputs = outputs.map { renamed[$0] }
        memo = [:]
    }

    private mutating func newRegister(ext: Bool) -> Int {
        isExt.append(ext)
        return isExt.count - 1
    }

    private mutating func toExt(_ r: Int) -> Int {
        if isExt[r] { return r }
        let zero = newRegister(ext: true)
        ops.append(.constantExt(dst: zero, .zero))
        let d = newRegister(ext: true)
        ops.append(.addBE(d, r, zero))
        return d
    }

    private mutating func compile(_ e: Expression) -> Int {
        if let r = memo[e] { return r }
        let r: Int
        switch e {
        case let .constant(c):
            r = newRegister(ext: false); ops.append(.constant(dst: r, c))
        case let .column(c, rotation):
            let (index, ext) = columnIndex(c)
            r = newRegister(ext: ext)
            ops.append(ext ? .loadExt(dst: r, column: index, rotation: rotation.rawValue)
                           : .load(dst: r, column: index, rotation: rotation.rawValue))
        case let .challenge(p, i):
            r = newRegister(ext: true); ops.append(.constantExt(dst: r, challenges[p - 1][i]))
        case .selector:
            preconditionFailure("selectors are resolved by CircuitLayout")
        case let .instance(k):
            r = newRegister(ext: false); ops.append(.load(dst: r, column: instanceIndex(k), rotation: 0))
        case .x:
            r = newRegister(ext: false); ops.append(.point(dst: r))
        case let .sum(a, b):
            let (ra, rb) = (compile(a), compile(b))
            switch (isExt[ra], isExt[rb]) {
            case (false, false): r = newRegister(ext: false); ops.append(.addBB(r, ra, rb))
            case (false, true): r = newRegister(ext: true); ops.append(.addBE(r, ra, rb))
            case (true, false): r = newRegister(ext: true); ops.append(.addBE(r, rb, ra))
            case (true, true): r = newRegister(ext: true); ops.append(.addEE(r, ra, rb))
            }
        case let .difference(a, b):
            let (ra, rb) = (compile(a), compile(b))
            switch (isExt[ra], isExt[rb]) {
            case (false, false): r = newRegister(ext: false); ops.append(.subBB(r, ra, rb))
            case (false, true): r = newRegister(ext: true); ops.append(.subBE(r, ra, rb))
            case (true, false): r = newRegister(ext: true); ops.append(.subEB(r, ra, rb))
            case (true, true): r = newRegister(ext: true); ops.append(.subEE(r, ra, rb))
            }
        case let .product(a, b):
            let (ra, rb) = (compile(a), compile(b))
            switch (isExt[ra], isExt[rb]) {
            case (false, false): r = newRegister(ext: false); ops.append(.mulBB(r, ra, rb))
            case (false, true): r = newRegister(ext: true); ops.append(.mulBE(r, ra, rb))
            case (true, false): r = newRegister(ext: true); ops.append(.mulBE(r, rb, ra))
            case (true, true): r = newRegister(ext: true); ops.append(.mulEE(r, ra, rb))
            }
        case let .negation(a):
            let ra = compile(a)
            r = newRegister(ext: isExt[ra])
            ops.append(isExt[ra] ? .negE(r, ra) : .negB(r, ra))
        }
        memo[e] = r
        return r
    }

    /// Scratch memory for one worker: every register gets E.degree·batch
    /// slots (coefficient k of an extension register at k·batch).
    func makeScratch() -> UnsafeMutablePointer<Goldilocks> {
        let size = max(1, registerCount) * E.degree * ConstraintProgram.batch
        let p = UnsafeMutablePointer<Goldilocks>.allocate(capacity: size)
        p.initialize(repeating: .zero, count: size)
        return p
    }

    /// Where output k's values lie in a batch's scratch: coefficient j of row
    /// i at `output(k, in:)[j·batch + i]` (a base output is extension-valued
    /// too, its upper coefficients zero).
    @inline(__always)
    func output(_ k: Int, in scratch: UnsafeMutablePointer<Goldilocks>) -> UnsafeMutablePointer<Goldilocks> {
        scratch + outputs[k] * E.degree * ConstraintProgram.batch
    }

    /// `output(k, in: scratch)` as an offset from `scratch`.
    func outputOffset(_ k: Int) -> Int { outputs[k] * E.degree * ConstraintProgram.batch }

    /// Runs the program over a table of n rows (one block, shift 1), batch by
    /// batch, handing each batch's scratch to `visit(start, count, scratch)`.
    func forEachBatch(columns: [UnsafePointer<Goldilocks>], rows n: Int,
                      _ visit: (Int, Int, UnsafeMutablePointer<Goldilocks>) -> Void) {
        forEachBatch(columns: columns, rows: n, parts: 1) { _, start, count, scratch in visit(start, count, scratch) }
    }

    /// The same, the table cut into `parts` contiguous runs of batches run in
    /// parallel (in order within a part): `visit(part, start, count, scratch)`
    /// may write state owned by its batch or by its part.
    func forEachBatch(columns: [UnsafePointer<Goldilocks>], rows n: Int, parts: Int,
                      _ visit: (Int, Int, Int, UnsafeMutablePointer<Goldilocks>) -> Void) {
        var omegaPowers = [Goldilocks](repeating: .one, count: n)
        let w = Goldilocks.rootOfUnity(logOrder: n.trailingZeroBitCount)
        for i in 1 ..< max(1, n) { omegaPowers[i] = omegaPowers[i - 1] * w }
        let batches = (n + ConstraintProgram.batch - 1) / ConstraintProgram.batch
        let perPart = (batches + parts - 1) / max(1, parts)
        omegaPowers.withUnsafeBufferPointer { op in
            let d = EvaluationDomain(columns: columns, n: n, blockShifts: [.one], omegaPowers: op.baseAddress!)
            Parallel.forEach(parts) { part in
                let first = min(batches, part * perPart), last = min(batches, first + perPart)
                guard first < last else { return }
                let scratch = makeScratch()
                defer { scratch.deallocate() }
                for b in first ..< last {
                    let start = b * ConstraintProgram.batch
                    let count = min(ConstraintProgram.batch, n - start)
                    run(d, block: 0, start: start, count: count, scratch: scratch)
                    visit(part, start, count, scratch)
                }
            }
        }
    }

    /// Evaluates rows `start ..< start + count` (count ≤ batch) of block `block`.
    /// Output o's values are then at `output(o, in: scratch)`.
    func run(_ d: EvaluationDomain, block: Int, start: Int, count: Int, scratch s: UnsafeMutablePointer<Goldilocks>) {
        let B = ConstraintProgram.batch
        let mask = d.n - 1
        let D = E.degree
        @inline(__always) func reg(_ r: Int) -> UnsafeMutablePointer<Goldilocks> { s + r * D * B }
        let k = kernel
        for op in ops {
            switch op {
            case let .load(dst, column, rotation):
                let src = d.start(column, block: block)
                let out = reg(dst)
                if start + count + rotation <= d.n {
                    let from = src + start + rotation
                    for i in 0 ..< count { out[i] = from[i] }
                } else {
                    for i in 0 ..< count { out[i] = src[(start + i + rotation) & mask] }
                }
            case let .loadExt(dst, column, rotation):
                let out = reg(dst)
                for k in 0 ..< D {
                    let src = d.start(column + k, block: block), o = out + k * B
                    for i in 0 ..< count { o[i] = src[(start + i + rotation) & mask] }
                }
            case let .point(dst):
                let out = reg(dst)
                let shift = d.blockShifts[block]
                for i in 0 ..< count { out[i] = shift * d.omegaPowers[start + i] }
            case let .constant(dst, c):
                let out = reg(dst)
                for i in 0 ..< count { out[i] = c }
            case let .constantExt(dst, c):
                let out = reg(dst)
                for k in 0 ..< D {
                    let v = c.coefficient(k), o = out + k * B
                    for i in 0 ..< count { o[i] = v }
                }
            case let .addBB(dst, a, b):
                BatchArithmetic.add(reg(dst), reg(a), reg(b), count: count, kernel: k)
            case let .addBE(dst, a, b):
                let o = reg(dst), y = reg(b)
                BatchArithmetic.add(o, reg(a), y, count: count, kernel: k)
                (o + B).update(from: y + B, count: (D - 1) * B)
            case let .addEE(dst, a, b):
                for j in 0 ..< D { BatchArithmetic.add(reg(dst) + j * B, reg(a) + j * B, reg(b) + j * B, count: count, kernel: k) }
            case let .subBB(dst, a, b):
                BatchArithmetic.subtract(reg(dst), reg(a), reg(b), count: count, kernel: k)
            case let .subBE(dst, a, b):
                let o = reg(dst), y = reg(b)
                BatchArithmetic.subtract(o, reg(a), y, count: count, kernel: k)
                for j in 1 ..< D { BatchArithmetic.negate(o + j * B, y + j * B, count: count, kernel: k) }
            case let .subEB(dst, a, b):
                let o = reg(dst), x = reg(a)
                BatchArithmetic.subtract(o, x, reg(b), count: count, kernel: k)
                (o + B).update(from: x + B, count: (D - 1) * B)
            case let .subEE(dst, a, b):
                for j in 0 ..< D {
                    BatchArithmetic.subtract(reg(dst) + j * B, reg(a) + j * B, reg(b) + j * B, count: count, kernel: k)
                }
            case let .mulBB(dst, a, b):
                BatchArithmetic.multiply(reg(dst), reg(a), reg(b), count: count, kernel: k)
            case let .mulBE(dst, a, b):
                let o = reg(dst), x = reg(a), y = reg(b)
                // The upper coefficients first: x is intact even if o == x.
                for j in stride(from: D - 1, through: 0, by: -1) {
                    BatchArithmetic.multiply(o + j * B, x, y + j * B, count: count, kernel: k)
                }
            case let .mulEE(dst, a, b):
                let o = reg(dst), x = reg(a), y = reg(b)
                E.multiplyBatch(o, x, y, stride: B, count: count, kernel: k)
            case let .negB(dst, a):
                BatchArithmetic.negate(reg(dst), reg(a), count: count, kernel: k)
            case let .negE(dst, a):
                for j in 0 ..< D { BatchArithmetic.negate(reg(dst) + j * B, reg(a) + j * B, count: count, kernel: k) }
            case let .hornerE(acc, src, alpha):
                let o = reg(acc), x = reg(src)
                E.hornerBatch(o, x, alpha: E(reg(alpha), stride: B), stride: B, count: count, kernel: k)
            }
        }
    }
}
