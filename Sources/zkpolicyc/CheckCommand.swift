import ArgumentParser
import ZKPolicy

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Parse, resolve and type-check policies.",
        discussion: """
        Checks each FILE and the modules it imports (`import std.fairness`, `import "./lib.zkp"`). \
        Prints every diagnostic to standard error as `path:line:col: error[E0nnn]: message` with \
        the source line, or, with --json, one JSON document per file to standard output. Exits \
        with 0 when every file is free of errors, 1 otherwise. `zkpolicyc explain E0nnn` says \
        what a code means.
        """)

    @Argument(help: "The policy files to check.")
    var files: [String]

    @Flag(help: "Print diagnostics as JSON to standard output (one document per file).")
    var json = false

    @OptionGroup var stdlib: StandardLibraryOptions

    func run() throws {
        var failed = false
        for file in files {
            let checked = PolicyFrontEnd.check(path: file, options: stdlib.frontEnd)
            failed = failed || checked.hasErrors
            if json {
                print(PolicyFrontEnd.render(checked.diagnostics, sources: checked.sources, json: true), terminator: "")
            } else if !checked.diagnostics.isEmpty {
                printError(PolicyFrontEnd.render(checked.diagnostics, sources: checked.sources, json: false))
            }
            if !json, let program = checked.program {
                print("\(file): ok (\(program.rules.count) rule\(program.rules.count == 1 ? "" : "s"))")
            } else if !json, checked.isModule, !checked.hasErrors {
                print("\(file): ok (module)")
            }
        }
        if failed { throw ExitCode(1) }
    }
}
