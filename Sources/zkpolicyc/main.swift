import ArgumentParser
struct Zkpolicyc: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "zkpolicyc", abstract: "Compile compliance policies and prove them in zero knowledge.", subcommands: [ModelCommand.self])
}
Zkpolicyc.main()
