import ArgumentParser
import ZKPolicy

/// Options shared by the commands that check a policy.
struct StandardLibraryOptions: ParsableArguments {
    @Option(name: .customLong("stdlib"), help: ArgumentHelp(
        "Read `import std.NAME` from DIR/NAME.zkp instead of the standard library built into zkpolicyc.",
        valueName: "DIR"))
    var directory: String?

    var frontEnd: PolicyFrontEnd.Options { PolicyFrontEnd.Options(standardLibraryDirectory: directory) }
}

/// Writes to standard error.
func printError(_ text: String) {
    var stream = StandardError()
    print(text, terminator: "", to: &stream)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileOutput.standardError(string)
    }
}
