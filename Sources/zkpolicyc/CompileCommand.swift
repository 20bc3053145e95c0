import ArgumentParser
import Foundation
import ConstraintSystem
import ZKPolicy

/// The compiler stages `compile --emit` can print.
enum EmitStage: String, ExpressibleByArgument, CaseIterable {
    case ast, hir, cir, cs, stats
}

struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile a policy and print a stage of the compiler.",
        discussion: """
        --emit ast prints the syntax tree of the policy file; --emit hir prints the checked \
        program: declarations, and each rule with every function inlined, every node typed and \
        every number's exact range, followed by the policy digest.

        --emit cir and --emit stats compile the policy with its models into the circuit: \
        --model gives each model's ONNX file (NAME=PATH, or PATH for the policy's models in \
        order), --data each table's CSV file (likewise), --rows the number of rows the circuit \
        is compiled for (NAME=N, or N for every table; default: the rows of the data). A model \
        is quantized with scales calibrated on the data the policy applies it to (or on \
        --calibration NAME=FILE, a CSV of model inputs). --emit cir prints the optimised circuit \
        in textual form; --emit stats its statement, instruction counts per kind before and \
        after optimisation, what each pass removed, and the layout's size measures. --emit cs \
        lays the circuit out into the STARK prover's table for --security (default proven-100, \
        as for prove) and writes the serialised constraint system (binary, docs/constraint-system.md: \
        shape, parameters, fixed columns, verifying-key digest; best with -o FILE); its layout \
        statistics and verifying-key digest go to standard error. The same policy, models and \
        rows give the same bytes.

        Diagnostics and errors go to standard error; the exit code is 1 on errors.
        """)

    @Argument(help: "The policy file.")
    var file: String

    @Option(help: "The stage to print: \(EmitStage.allCases.map(\.rawValue).joined(separator: ", ")).")
    var emit: EmitStage

    @OptionGroup var assets: AssetOptions

    @Option(name: .customLong("rows"), help: ArgumentHelp("The row count the circuit is compiled for (repeatable).", valueName: "[NAME=]N"))
    var rows: [String] = []

    @Option(name: .customLong("calibration"), help: ArgumentHelp("A model's calibration samples (repeatable).", valueName: "NAME=PATH"))
    var calibration: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the output to FILE (atomically) instead of standard output.", valueName: "FILE"))
    var output: String?

    @Option(help: "Security preset of --emit cs: conjectured-100, proven-100 or proven-128.")
    var security: SecurityPreset = .proven100

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
            try write(dump)
        case .hir:
            let checked = PolicyFrontEnd.check(path: file, options: stdlib.frontEnd)
            if !checked.diagnostics.isEmpty { printError(PolicyFrontEnd.render(checked.diagnostics, sources: checked.sources, json: false)) }
            guard let dump = PolicyFrontEnd.dumpHIR(checked) else { throw ExitCode(1) }
            try write(dump)
        case .cir, .stats, .cs:
            let compiled: CompiledPolicy
            switch PolicyCompiler.compile(try request()) {
            case .failure(let failure):
                printError(failure.description.hasSuffix("\n") ? failure.description : failure.description + "\n")
                throw ExitCode(1)
            case .success(let value): compiled = value
            }
            let warnings = compiled.checked.diagnostics
            if !warnings.isEmpty { printError(PolicyFrontEnd.render(warnings, sources: compiled.checked.sources, json: false)) }
            if emit == .cs {
                let cs: ConstraintSystem
                do { cs = try ConstraintSystem.layout(compiled.optimised, parameters: LayoutParameters(preset: security)) } catch {
                    printError("error: the circuit cannot be laid out: \(error)\n")
                    throw ExitCode(1)
                }
                printError(cs.statsText + "\n")
                try write(bytes: cs.serialized())
                return
            }
            try write(emit == .cir ? compiled.optimised.text() : CompileStatistics.text(compiled))
        }
    }

    /// The compile request from the options (`NAME=VALUE` or a bare value).
    func request() throws -> CompileRequest {
        var request = CompileRequest(policy: file, frontEnd: stdlib.frontEnd)
        assets.apply(to: &request)
        let split = AssetOptions.split
        for option in rows {
            let (name, value) = split(option)
            guard let n = Int(value), n >= 0 else { throw ValidationError("--rows takes a non-negative integer, not `\(value)`") }
            if let name { request.rows[name] = n } else { request.allRows = n }
        }
        for option in calibration {
            let (name, path) = split(option)
            guard let name else { throw ValidationError("--calibration takes NAME=PATH (the model's name in the policy)") }
            request.calibration[name] = path
        }
        return request
    }

    /// Prints `text`, or writes it to `--output` atomically (temporary file, then rename).
    func write(_ text: String) throws {
        guard output != nil else {
            print(text, terminator: "")
            return
        }
        try write(bytes: Array(text.utf8))
    }

    /// Writes bytes to `--output` atomically, or to standard output.
    func write(bytes: [UInt8]) throws {
        guard let output else {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            printError("error: \(output): cannot write the file: \(error.localizedDescription)\n")
            throw ExitCode(1)
        }
    }
}
