import Foundation
import PolicySyntax
import Testing
import ZKPolicy

/// Randomised robustness: valid policies are mutated (tokens and bytes
/// inserted, deleted, swapped, replaced) and checked. Whatever the input, the
/// checker must terminate with a verdict (exit 0: a program and no errors, or
/// exit 1: errors and no program) and every diagnostic must point into its file.
/// When a mutant still parses, formatting it must be idempotent and must not
/// change what the checker says about it.
@Suite struct MutationTests {
    /// A small deterministic generator (the seed of each batch is fixed, so failures reproduce).
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    static let seeds: [String] = {
        let files = Support.zkpFiles(in: "Policies/credit") + Support.zkpFiles(in: "Tests/ZKPolicyTests/Corpus/valid")
            + Support.zkpFiles(in: "Stdlib")
        return files.compactMap { try? Support.read($0) }
    }()

    /// Tokens worth inserting: every keyword and operator, names, and hostile literals.
    static let vocabulary: [String] = Keyword.allCases.map(\.rawValue) + [
        "(", ")", "[", "]", "{", "}", ",", ":", ".", "..", "->", "=", "+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=",
        "count", "rate", "sum", "mean", "min", "max", "all", "any", "abs", "commit", "skip", "empty", "group",
        "a", "t", "x", "applicants", "approved", "scorer", "fairness", "std",
        "0", "1", "0.5", "5%", "150%", "-1", "99999999999999999999999999", "4611686018427387904", String(repeating: "9", count: 300),
        "\"s\"", "\"", "//", "///", "%", "#", "\u{00E9}", "\n", "\t", " ",
    ]

    static let hostileBytes: [UInt8] = [0x00, 0xFF, 0xC3, 0x80, 0xED, 0xA0, 0x0A, 0x22, 0x28, 0x29, 0x7B, 0x7D, 0x25, 0x2F]

    func mutate(_ text: String, _ g: inout Generator) -> [UInt8] {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...3, using: &g) {
            let tokens = Lexer.lex(SourceFile(id: FileID(0), path: "m", bytes: bytes)).tokens.dropLast()
            switch Int.random(in: 0..<8, using: &g) {
            case 0 where !tokens.isEmpty: // delete a token
                let token = tokens.randomElement(using: &g)!
                bytes.removeSubrange(token.span.start..<token.span.end)
            case 1 where !tokens.isEmpty: // duplicate a token
                let token = tokens.randomElement(using: &g)!
                bytes.insert(contentsOf: bytes[token.span.start..<token.span.end], at: token.span.end)
            case 2 where tokens.count > 1: // swap two tokens
                let i = Int.random(in: 0..<tokens.count - 1, using: &g)
                let a = tokens[tokens.startIndex + i], b = tokens[tokens.startIndex + i + 1]
                let first = Array(bytes[a.span.start..<a.span.end]), second = Array(bytes[b.span.start..<b.span.end])
                bytes.replaceSubrange(b.span.start..<b.span.end, with: first)
                bytes.replaceSubrange(a.span.start..<a.span.end, with: second)
            case 3 where !tokens.isEmpty: // replace a token by another word
                let token = tokens.randomElement(using: &g)!
                bytes.replaceSubrange(token.span.start..<token.span.end, with: Array(Self.vocabulary.randomElement(using: &g)!.utf8))
            case 4: // insert a word between tokens
                let at = tokens.isEmpty ? 0 : tokens.randomElement(using: &g)!.span.end
                bytes.insert(contentsOf: Array((" " + Self.vocabulary.randomElement(using: &g)! + " ").utf8), at: at)
            case 5: // insert a raw byte anywhere
                bytes.insert(Self.hostileBytes.randomElement(using: &g)!, at: Int.random(in: 0...bytes.count, using: &g))
            case 6 where !bytes.isEmpty: // delete a byte range
                let start = Int.random(in: 0..<bytes.count, using: &g)
                bytes.removeSubrange(start..<min(bytes.count, start + Int.random(in: 1...40, using: &g)))
            default: // flip a bit
                if !bytes.isEmpty { bytes[Int.random(in: 0..<bytes.count, using: &g)] ^= UInt8(1) << UInt8.random(in: 0...7, using: &g) }
            }
        }
        return bytes
    }

    /// The verdict and the codes, plus checks that hold for any input.
    func checkInvariants(_ bytes: [UInt8], _ label: String) -> (Bool, [String]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let checked = PolicyFrontEnd.check(path: "mutant.zkp", bytes: bytes, options: .init())
        // exit 0 ⇔ no errors and a program (or a library module); exit 1 ⇔ errors and no program.
        #expect((checked.program != nil) == (!checked.hasErrors && !checked.isModule), "\(label): verdict and program disagree")
        for diagnostic in checked.diagnostics {
            if let span = diagnostic.span, let file = checked.sources[span.file] {
                #expect(span.start >= 0 && span.end <= file.bytes.count, "\(label): span outside its file")
            }
        }
        _ = PolicyFrontEnd.render(checked.diagnostics, sources: checked.sources, json: false)
        _ = PolicyFrontEnd.render(checked.diagnostics, sources: checked.sources, json: true)
        if let program = checked.program {
            _ = PolicyFrontEnd.dumpHIR(checked)
            #expect(PolicyDigest.hex(of: program).count == 64)
        }
        _ = text
        return (checked.hasErrors, checked.diagnostics.map(\.code.rawValue).sorted())
    }

    func runBatch(seed: UInt64, count: Int) {
        var g = Generator(state: seed)
        var clean = 0, parsed = 0
        defer {
            // The mutations must exercise every stage, or the test proves little.
            #expect(clean >= count / 50, "only \(clean) of \(count) mutants check cleanly")
            #expect(parsed >= count / 20, "only \(parsed) of \(count) mutants parse")
            #expect(clean < count / 2, "\(clean) of \(count) mutants check cleanly: mutations too weak")
        }
        for index in 0..<count {
            let original = Self.seeds[index % Self.seeds.count]
            let mutant = mutate(original, &g)
            let label = "seed \(seed) case \(index)"
            let (failed, codes) = checkInvariants(mutant, label)
            if !failed { clean += 1 }
            // Formatting a mutant that parses is idempotent and keeps its meaning.
            let (result, _) = PolicyFrontEnd.format(path: "mutant.zkp", bytes: mutant)
            if let formatted = result.text {
                parsed += 1
                let (again, _) = PolicyFrontEnd.format(path: "mutant.zkp", bytes: Array(formatted.utf8))
                #expect(again.text == formatted, "\(label): formatting is not idempotent")
                let (formattedFailed, formattedCodes) = checkInvariants(Array(formatted.utf8), label + " formatted")
                #expect(formattedFailed == failed && formattedCodes == codes, "\(label): formatting changed the diagnostics \(codes) → \(formattedCodes)")
            }
        }
    }

    /// The real binary on mutants: it exits with 0 or 1, never with a signal.
    @Test func binaryExitsWithZeroOrOne() throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var g = Generator(state: 0xA0761D6478BD642F)
        var names: [String] = []
        for index in 0..<100 {
            let name = "m\(index).zkp"
            try Data(mutate(Self.seeds[index % Self.seeds.count], &g)).write(to: folder.appendingPathComponent(name))
            names.append(name)
        }
        for batch in stride(from: 0, to: names.count, by: 25) {
            for command in [["check"], ["check", "--json"], ["fmt", "--check"], ["compile", "--emit", "hir"]] {
                for name in names[batch..<min(names.count, batch + 25)] {
                    let run = try Support.run(command + [name], in: folder)
                    #expect(run.status == 0 || run.status == 1, "\(command) \(name) exited with \(run.status)")
                }
            }
        }
    }

    @Test func mutantsTerminateWithAVerdictBatch1() { runBatch(seed: 0x9E3779B97F4A7C15, count: 1_000) }
    @Test func mutantsTerminateWithAVerdictBatch2() { runBatch(seed: 0xD1B54A32D192ED03, count: 1_000) }
    @Test func mutantsTerminateWithAVerdictBatch3() { runBatch(seed: 0x94D049BB133111EB, count: 1_000) }
}
