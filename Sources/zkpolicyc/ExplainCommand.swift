import ArgumentParser
import PolicySyntax

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain an error code.",
        discussion: "Prints what an error code (E0nnn, as shown by `check`) means and how to fix it. --list prints every code.")

    @Argument(help: "The code, e.g. E0300.")
    var code: String?

    @Flag(help: "List every code with its title.")
    var list = false

    func run() throws {
        if list || code == nil {
            for code in DiagnosticCode.allCases.sorted() {
                print("\(code.rawValue)  \(code.explanation.title)")
            }
            return
        }
        guard let code, let found = DiagnosticCode(code: code) else {
            printError("unknown error code `\(code ?? "")`; `zkpolicyc explain --list` lists them\n")
            throw ExitCode(1)
        }
        print("\(found.rawValue): \(found.explanation.title)\n")
        print(found.explanation.text)
    }
}
