import ByteCoding
import Field

/// The blocks a fixed column is kept in (the format is in `FixedColumns`'s
/// documentation): writing one, and reading one back run by run.
extension FixedColumns {
    /// Block tags: a column as runs, or as its words (a column whose runs
    /// would take more bytes than its words: random coefficients on most rows).
    static let runsTag: UInt8 = 0, wordsTag: UInt8 = 1

    /// One column's block: its runs, unless they would take more bytes than
    /// its words (then decoding each run's 9- or 10-byte value would also
    /// cost more than reading the words).
    static func encodeColumn(_ column: UnsafeBufferPointer<Goldilocks>) -> [UInt8] {
        var runs = ByteCoding.ByteWriter(), runCount = 0, end = 0, i = 0
        while i < column.count {
            let v = column[i]
            if v.isZero { i += 1; continue }
            var j = i + 1
            while j < column.count && column[j] == v { j += 1 }
            runs.varint(UInt64(i - end))
            runs.varint(UInt64(j - i))
            runs.signedVarint(v.nearestSigned)
            runCount += 1
            end = j
            i = j
        }
        var block = ByteCoding.ByteWriter()
        if runs.bytes.count > 8 * column.count {
            block.u8(wordsTag)
            for v in column { block.u64(v.value) }
        } else {
            block.u8(runsTag)
            block.varint(UInt64(runCount))
            block.raw(runs.bytes)
        }
        return block.bytes
    }

    /// Calls `body(row, value)` for each nonzero word of a words block; false
    /// unless it is one (n canonical words after the tag).
    @inline(__always)
    static func forEachWord(in block: UnsafeBufferPointer<UInt8>, rows: Int,
                            _ body: (_ row: Int, _ value: Goldilocks) -> Void) -> Bool {
        guard block.first == wordsTag, block.count == 1 + 8 * rows else { return false }
        let words = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(block)[1...])
        for i in 0 ..< rows {
            let v = UInt64(littleEndian: words.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
            if v == 0 { continue }
            guard v < Goldilocks.modulus else { return false }
            body(i, Goldilocks(canonical: v))
        }
        return true
    }

    /// Calls `body(start, length, value)` for each run of nonzero values of a
    /// block, in order (each nonzero word of a words block is a run of one);
    /// false (after calling it for the runs before) unless the block is
    /// exactly what `encodeColumn` writes for a column of `rows` rows, up to
    /// how a value's rows are split into runs.
    @inline(__always)
    static func forEachRun(in block: UnsafeBufferPointer<UInt8>, rows: Int,
                           _ body: (_ start: Int, _ length: Int, _ value: Goldilocks) -> Void) -> Bool {
        guard let tag = block.first else { return false }
        if tag == wordsTag { return forEachWord(in: block, rows: rows) { body($0, 1, $1) } }
        guard tag == runsTag else { return false }
        var offset = 1
        do throws(Varint.Failure) {
            let n = try Varint.decode(block, at: &offset)
            var end: UInt64 = 0
            for _ in 0 ..< n {
                let start = end &+ (try Varint.decode(block, at: &offset))
                let length = try Varint.decode(block, at: &offset)
                guard start >= end, length > 0, start <= UInt64(rows), length <= UInt64(rows) - start,
                      let value = Goldilocks(nearestSigned: try Varint.decodeSigned(block, at: &offset)), !value.isZero else {
                    return false
                }
                body(Int(start), Int(length), value)
                end = start + length
            }
        } catch {
            return false
        }
        return offset == block.count
    }

    /// Every column written out row by row (for tests); nil if a block is malformed.
    func dense() -> [[Goldilocks]]? {
        var columns: [[Goldilocks]] = []
        for block in blocks {
            var column = [Goldilocks](repeating: .zero, count: rows)
            let ok = storage.withUnsafeBufferPointer { all in
                FixedColumns.forEachRun(in: UnsafeBufferPointer(rebasing: all[block]), rows: rows) { start, length, value in
                    for i in start ..< start + length { column[i] = value }
                }
            }
            guard ok else { return nil }
            columns.append(column)
        }
        return columns
    }
}
