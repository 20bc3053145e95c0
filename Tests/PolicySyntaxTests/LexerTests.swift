import Testing
@testable import PolicySyntax

@Suite struct LexerTests {
    func kinds(_ text: String) -> [TokenKind] {
        Lexer.lex(Support.file(text)).tokens.map(\.kind)
    }

    @Test func tokensOfADeclaration() {
        let lexed = Lexer.lex(Support.file("rule r: rate(a in t where a.ok) >= 80% // note\n"))
        #expect(lexed.diagnostics.isEmpty)
        #expect(lexed.tokens.map(\.kind) == [
            .keyword(.rule), .identifier, .colon, .identifier, .leftParen, .identifier, .keyword(.in), .identifier,
            .keyword(.where), .identifier, .dot, .identifier, .rightParen, .greaterEqual, .percent, .endOfFile,
        ])
        #expect(lexed.tokens[14].text == "80")
        #expect(lexed.comments.map(\.text) == ["// note"])
        #expect(lexed.comments[0].startsLine == false)
    }

    @Test func numbersRangesAndPercentages() {
        #expect(kinds("18..120") == [.integer, .dotDot, .integer, .endOfFile])
        #expect(kinds("0.5..1.5") == [.decimal, .dotDot, .decimal, .endOfFile])
        #expect(kinds("12.5% 1_000") == [.percent, .integer, .endOfFile])
        let lexed = Lexer.lex(Support.file("1_000 0.05"))
        #expect(lexed.tokens.map(\.text) == ["1_000", "0.05", ""])
    }

    @Test func malformedNumbersAreOneDiagnosticEach() {
        for text in ["5.", "1e5", "12abc", "1__0", "1_", "1.2.3"] {
            let lexed = Lexer.lex(Support.file(text))
            #expect(lexed.diagnostics.map(\.code) == [.invalidNumber], "\(text)")
            #expect(lexed.tokens.first?.kind == .invalid, "\(text)")
        }
    }

    @Test func hugeNumberLiteral() {
        let lexed = Lexer.lex(Support.file(String(repeating: "9", count: 5000)))
        #expect(lexed.diagnostics.map(\.code) == [.literalTooLong])
    }

    @Test func stringsAndEscapes() {
        let lexed = Lexer.lex(Support.file(#""a \"b\" \\ c""#))
        #expect(lexed.diagnostics.isEmpty)
        #expect(lexed.tokens[0].kind == .string)
        #expect(lexed.tokens[0].text == #"a "b" \ c"#)
        #expect(Lexer.lex(Support.file("\"open\nrule")).diagnostics.map(\.code) == [.unterminatedString])
        #expect(Lexer.lex(Support.file(#""bad \q""#)).diagnostics.map(\.code) == [.invalidEscape])
    }

    @Test func invalidUTF8IsReportedWhereItIs() {
        var bytes = Array("rule r: x".utf8)
        bytes.insert(0xFF, at: 5)
        bytes.append(contentsOf: [0x20, 0xC3]) // truncated sequence at the end
        let file = SourceFile(id: FileID(0), path: "t.zkp", bytes: bytes)
        let lexed = Lexer.lex(file)
        #expect(lexed.diagnostics.map(\.code) == [.invalidUTF8, .invalidUTF8])
        #expect(file.location(of: lexed.diagnostics[0].span!.start) == SourceLocation(line: 1, column: 6))
    }

    @Test func invalidUTF8InsideCommentsAndStrings() {
        let bytes: [UInt8] = Array("// ok ".utf8) + [0xC0, 0xAF] + Array("\n\"a".utf8) + [0xED, 0xA0, 0x80] + Array("\"".utf8)
        let lexed = Lexer.lex(SourceFile(id: FileID(0), path: "t.zkp", bytes: bytes))
        // An overlong `/` and an encoded surrogate are both invalid.
        #expect(lexed.diagnostics.map(\.code) == [.invalidUTF8, .invalidUTF8])
    }

    @Test func nonASCIILettersAreUnexpected() {
        let lexed = Lexer.lex(Support.file("let é = 1"))
        #expect(lexed.diagnostics.map(\.code) == [.unexpectedCharacter])
        #expect(lexed.diagnostics[0].message.contains("é"))
    }

    @Test func docCommentsAreMarked() {
        let lexed = Lexer.lex(Support.file("/// doc\n//// not doc\n// plain\n"))
        #expect(lexed.comments.map(\.isDoc) == [true, false, false])
        #expect(lexed.comments.allSatisfy { $0.startsLine })
    }

    @Test func keywordsAreReservedAndContextualWordsAreNot() {
        #expect(kinds("policy count rate all skip") == [.keyword(.policy), .identifier, .identifier, .identifier, .identifier, .endOfFile])
        for keyword in Keyword.allCases {
            #expect(kinds(keyword.rawValue) == [.keyword(keyword), .endOfFile])
        }
    }

    @Test func columnsCountScalars() {
        let file = Support.file("// é\nab")
        // `é` is two bytes but one column; offset 5 is the newline.
        #expect(file.location(of: 5) == SourceLocation(line: 1, column: 5))
        #expect(file.location(of: 6) == SourceLocation(line: 2, column: 1))
        #expect(file.lineCount == 2)
    }
}
