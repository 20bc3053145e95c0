import BigNumber
import CircuitIR
import Foundation
import ModelGraph
import PolicySemantics
import Testing
@testable import ZKPolicy

/// The CSV data loader: binding columns by name, exact values, every error
/// with its file, line and column, and streaming.
@Suite struct DataLoaderTests {
    static let policy = """
    policy "data" version "1"
    data people: table {
        features: tensor[3] fixed in -10..10 from f0..f2,
        group: enum { female, male, other },
        repaid: bool,
        age: int in 18..100 from "age in years",
        income: fixed in 0..100000,
        scores: tensor[2] int,
    } private
    rule r: count(a in people) >= 1
    """

    static let table: PolicySemantics.Table = {
        PolicyFrontEnd.check(text: policy).program!.table(named: "people")!
    }()

    static let header = "f0,f1,f2,group,repaid,age in years,income,scores[0],scores[1]"

    static func load(_ text: String, file: String = "people.csv") throws -> TableRows {
        try TableLoader.load(bytes: Array(text.utf8), file: file, table: table)
    }

    /// The error loading `text` gives, rendered (`file:line:column: message`).
    static func failure(_ text: String) -> String? {
        do {
            _ = try load(text)
            return nil
        } catch let error as DataError {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func readsRowsBoundByColumnName() throws {
        let rows = try Self.load("""
        extra,\(Self.header),"more, extra"
        x,1.5,-2,0.25,male,true,30,1000.5,7,-8,"a ""quoted"" cell"
        y,0,0,10,other,0,100,0,0,0,"line
        break"
        z,-10,3e-1,1e1,female,FALSE,18,99999.99999,2147483647,-2147483648,
        """)
        #expect(rows.count == 3)
        let one: Int64 = 1 << 16
        #expect(Array(rows.values(row: 0, field: 0)) == [one + one / 2, -2 * one, one / 4])
        #expect(Array(rows.values(row: 0, field: 1)) == [1])
        #expect(Array(rows.values(row: 1, field: 1)) == [2])
        #expect(Array(rows.values(row: 2, field: 2)) == [0])
        #expect(Array(rows.values(row: 0, field: 3)) == [30])
        #expect(Array(rows.values(row: 2, field: 0)) == [-10 * one, FixedPoint.quantize(decimal: "0.3", scale: 16)!, 10 * one])
        #expect(Array(rows.values(row: 2, field: 4)) == [FixedPoint.quantize(decimal: "99999.99999", scale: 16)!])
        #expect(Array(rows.values(row: 2, field: 5)) == [2_147_483_647, -2_147_483_648])
        // The HIR evaluator's representation.
        let runtime = rows.runtimeRows()
        #expect(runtime[0]["group"] == .enumCase(1))
        #expect(runtime[0]["repaid"] == .bool(true))
        #expect(runtime[0]["features"] == .tensor([Rational(3, 2).self, Rational(-2), Rational(BigInt(1), BigInt(4))]))
    }

    @Test func acceptsCRLFByteOrderMarkBlankLinesAndSpaces() throws {
        let text = "\u{FEFF}" + Self.header + "\r\n\r\n 1 , 2 ,3 , male , 1 , 40 , 5 , 1 , 2 \r\n\n\"4\",5,6,female,true,50,6,3,4"
        let rows = try Self.load(text)
        #expect(rows.count == 2)
        #expect(Array(rows.values(row: 1, field: 0)) == [4 << 16, 5 << 16, 6 << 16])
    }

    /// Decimals are rounded to 2^-16 exactly (half up), the same as
    /// ModelGraph's GMP-based `FixedPoint.quantize(decimal:)`, on the fast
    /// Int64 path and the slow one (exponents, many digits).
    @Test func decimalsRoundExactly() throws {
        var rng = SystemRandomNumberGenerator()
        var cases = ["0.00000762939453125", "-0.00000762939453125", "0.0000076293945312", "-0.0000228881835937",
                     "9.99999999999999999999", "-9.999999999999999999999999", "1e-5", "-2.5E-5", "0.000007629394531250000001",
                     "3.0000152587890625", "-3.0000152587890625", "7.", "+4.5", "-0"]
        for _ in 0..<400 {
            let whole = Int.random(in: -9...9, using: &rng)
            let digits = (0..<Int.random(in: 1...20, using: &rng)).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
            cases.append((whole == 0 && Bool.random(using: &rng) ? "-" : "") + "\(whole).\(digits)")
        }
        for text in cases {
            let layout = FieldLayout(name: "x", kind: .fixed(fractionBits: 16), elements: 1, lower: -(20 << 16), upper: 20 << 16, columns: ["x"])
            let ours = try TableLoader.parse(ArraySlice(Array(text.utf8)), layout)
            #expect(ours == FixedPoint.quantize(decimal: Substring(text), scale: 16), "\(text)")
        }
    }

    @Test func everyErrorNamesFileLineAndColumn() {
        let h = Self.header
        let good = "1,2,3,male,true,40,5,1,2"
        let cases: [(String, String)] = [
            ("", "people.csv:1: empty file (a header row naming the columns is expected)"),
            ("\n\n", "people.csv:1: empty file (a header row naming the columns is expected)"),
            ("f0,f1,group,repaid,age in years,income,scores[0],scores[1]\n", "people.csv:1: missing column `f2` (field `features` of table `people`)"),
            ("\(h),age in years\n\(good),3", "people.csv:1:10: column `age in years` appears twice in the header"),
            ("\(h)\n\(good)\n1,2,3,male,true,40,5,1", "people.csv:3:9: this row has 8 values; the header has 9 columns"),
            ("\(h)\n\(good),9", "people.csv:2:10: this row has 10 values; the header has 9 columns"),
            ("\(h)\n1,2,3,male,,40,5,1,2", "people.csv:2:5: column `repaid`: empty value for `people.repaid`"),
            ("\(h)\n1,2,3,male,yes,40,5,1,2", "people.csv:2:5: column `repaid`: `yes` is not a bool (true, false, 1 or 0)"),
            ("\(h)\n1,2,3,man,true,40,5,1,2", "people.csv:2:4: column `group`: `man` is not a case of group (female, male, other)"),
            ("\(h)\n1,2,3,male,true,40.5,5,1,2", "people.csv:2:6: column `age in years`: `40.5` is not an integer"),
            ("\(h)\n1,2,3,male,true,17,5,1,2", "people.csv:2:6: column `age in years`: 17 is outside the declared range [18, 100] of `people.age`"),
            ("\(h)\n1,2,3,male,true,40,5,1,99999999999999999999", "people.csv:2:9: column `scores[1]`: 99999999999999999999 is outside the declared range [-2^31, 2147483647] of `people.scores`"),
            ("\(h)\n1,2x,3,male,true,40,5,1,2", "people.csv:2:2: column `f1`: `2x` is not a decimal number"),
            ("\(h)\n1,2,3,male,true,40,-0.0000001,1,2", nil ?? "-"),
            ("\(h)\n1,2,3,\"male,true,40,5,1,2", "people.csv:2:4: a quoted field is not closed"),
            ("\(h)\n1,2,3,ma\"le,true,40,5,1,2", "people.csv:2:4: a quote inside an unquoted field (quote the whole field and double the quotes in it)"),
            ("\(h)\n1,2,3,\"male\"x,true,40,5,1,2", "people.csv:2:4: text after the closing quote of a field"),
            ("\(h)\n\(good)\n\n\n1,2,3,male,true,40,5,1,zz", "people.csv:5:9: column `scores[1]`: `zz` is not an integer"),
        ]
        for (text, expected) in cases where expected != "-" {
            #expect(Self.failure(text) == expected, "\(text.debugDescription)")
        }
        // -0.0000001 rounds to 0, inside 0..100000: accepted.
        #expect(Self.failure("\(h)\n1,2,3,male,true,40,-0.0000001,1,2") == nil)
        // A rounding that leaves the range: 10.000007 is 10 + 0.46/2^16, which rounds to 10 + 1/2^16.
        #expect(Self.failure("\(h)\n1,2,10.000008,male,true,40,5,1,2") == "people.csv:2:3: column `f2`: 10.000008 is outside the declared range [-10, 10] of `people.features`")
        #expect(Self.failure("\(h)\n1,2,10.000007,male,true,40,5,1,2") == nil)
        // Only a header: no rows, not an error.
        #expect((try? Self.load(h + "\n"))?.count == 0)
    }

    @Test func quotedFieldLinesAreCountedForLaterErrors() {
        let text = "\(Self.header),note\n1,2,3,male,true,40,\"5\",1,2,\"a\n\nnote\"\n1,2,3,male,true,40,5,1,bad,"
        // The quoted field spans lines 2 to 4: the bad row is on line 5.
        #expect(Self.failure(text) == "people.csv:5:9: column `scores[1]`: `bad` is not an integer")
    }

    @Test func missingFileIsAnError() {
        #expect(throws: DataError.self) { try TableLoader.load(path: "/nonexistent/people.csv", table: Self.table) }
    }

    /// A generated file read from disk in 64 KiB chunks: every row arrives,
    /// in order, whatever the chunk boundaries cut through.
    @Test func streamsAFileInChunks() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zkpolicy-stream-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        let rows = 30_000
        var text = Self.header + "\n"
        for r in 0..<rows {
            text += "\(r % 10).5,\"-\(r % 7)\",0.125,\(["female", "male", "other"][r % 3]),\(r % 2 == 0),\(18 + r % 80),\(r),\(r),\(-r)\r\n"
        }
        try Data(text.utf8).write(to: url)
        let loaded = try TableLoader.load(path: url.path, table: Self.table, displayName: "stream.csv")
        #expect(loaded.count == rows)
        for r in [0, 1, 4095, 4096, 12_345, rows - 1] {
            #expect(Array(loaded.values(row: r, field: 0)) == [Int64(r % 10) << 16 + (1 << 15), -(Int64(r % 7) << 16), 1 << 13])
            #expect(Array(loaded.values(row: r, field: 5)) == [Int64(r), Int64(-r)])
            #expect(Array(loaded.values(row: r, field: 4)) == [Int64(r) << 16])
        }
    }

    /// 10^6 rows (about 60 MB of CSV) stream with memory bounded by the parsed
    /// rows. Run with ZKPOLICY_LARGE_DATA=1 (it takes a while in a debug
    /// build); docs/circuit.md records a measurement.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ZKPOLICY_LARGE_DATA"] != nil))
    func millionRows() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zkpolicy-million-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: Data((Self.header + "\n").utf8))
        let rows = 1_000_000
        var chunk = ""
        for r in 0..<rows {
            chunk += "\(r % 10).5,-\(r % 7),0.125,\(["female", "male", "other"][r % 3]),\(r % 2 == 0),\(18 + r % 80),\(r % 100000),\(r),\(-r)\n"
            if r % 10_000 == 9_999 { try handle.write(contentsOf: Data(chunk.utf8)); chunk = "" }
        }
        try handle.close()
        let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        let before = Self.maxResidentKiB()
        let started = Date()
        let loaded = try TableLoader.load(path: url.path, table: Self.table)
        let seconds = Date().timeIntervalSince(started)
        #expect(loaded.count == rows)
        print("MILLION: \(rows) rows, \(size / 1_000_000) MB of CSV loaded in \(String(format: "%.1f", seconds)) s; max RSS \(before / 1024) MiB before, \(Self.maxResidentKiB() / 1024) MiB after; the rows take \(rows * 10 * 8 / 1_000_000) MB")
    }

    static func maxResidentKiB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss
    }
}
