import ArgumentParser
import ZKPolicy

struct FmtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Rewrite policies in canonical form.",
        discussion: """
        Formats each FILE in place: four-space indentation, one table field per line, long \
        expressions broken at `and`/`or`, comments kept. Formatting is idempotent and never \
        changes the meaning (the formatter checks that the tokens are the same). A file with \
        syntax errors is left unchanged and its errors are printed. With --check, nothing is \
        written: the command lists the files that are not formatted and exits with 1 if any.
        """)

    @Argument(help: "The policy or module files to format.")
    var files: [String]

    @Flag(help: "Only check: exit with 1 if a file is not in canonical form.")
    var check = false

    @Flag(help: "Print the formatted text to standard output instead of rewriting the files.")
    var stdout = false

    func run() throws {
        var failed = false
        for file in files {
            let bytes: [UInt8]
            switch PolicyFiles.read(file) {
            case .failure(let diagnostic):
                printError(PolicyFrontEnd.render([diagnostic], sources: .init(), json: false))
                failed = true
                continue
            case .success(let read): bytes = read
            }
            let (result, sources) = PolicyFrontEnd.format(path: file, bytes: bytes)
            guard let text = result.text else {
                printError(PolicyFrontEnd.render(result.diagnostics, sources: sources, json: false))
                failed = true
                continue
            }
            if stdout {
                print(text, terminator: "")
            } else if Array(text.utf8) != bytes {
                if check {
                    printError("\(file): not formatted (run `zkpolicyc fmt \(file)`)\n")
                    failed = true
                } else {
                    do {
                        try PolicyFiles.write(text, to: file)
                    } catch {
                        printError("\(file): cannot write: \(error)\n")
                        failed = true
                    }
                }
            }
        }
        if failed { throw ExitCode(1) }
    }
}
