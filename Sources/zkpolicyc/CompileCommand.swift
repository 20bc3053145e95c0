import ArgumentParser
import ZKPolicy

/// The compiler stages `compile --emit` can print.
enum EmitStage: String, ExpressibleByArgument, CaseIterable {
    case ast, hir
}

struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile a policy and print a stage of the compiler.",
        discussion: """
        --emit ast prints the syntax tree of the policy file; --emit hir prints the checked \
        program: declarations, and each rule with every function inlined, every node typed and \
        every number's exact range, followed by the policy digest. Diagnostics go to standard \
        error; the exit code is 1 on errors.
        """)

    @Argument(help: "The policy file.")
    var file: String

    @Option(help: "The stage to print: \(EmitStage.allCases.map(\.rawValue).joined(separator: ", ")).")
    var emit: EmitStage

    @OptionGroup var stdlib: StandardLibraryOptions

    func run() throws {
        switch emit {
        case .ast:
            let bytes: [UInt8]
            switch PolicyFiles.read(file) {
            case .failure(let diagnostic):
                printError(PolicyFrontEnd.render([diagnostic], sources: .init(), json: false))
                throw ExitCode(1)
            case .success(let read): bytes = read
            }
            let (dump, diagnostics, sources) = PolicyFrontEnd.dumpAST(path: file, bytes: bytes)
            if !diagnostics.isEmpty { printError(PolicyFrontEnd.render(diagnostics, sources: sources, json: false)) }
            guard let dump else { throw ExitCode(1) }
            print(dump, terminator: "")
        case .hir:
            let checked = PolicyFrontEnd.check(path: file, options: stdlib.frontEnd)
            if !checked.diagnostics.isEmpty { printError(PolicyFrontEnd.render(checked.diagnostics, sources: checked.sources, json: false)) }
            guard let dump = PolicyFrontEnd.dumpHIR(checked) else { throw ExitCode(1) }
            print(dump, terminator: "")
        }
    }
}
