// The `PolicySyntax` target: source files, diagnostics, lexer, parser, AST, formatter.
