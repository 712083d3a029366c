import ArgumentParser
import SluiceScheduler

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a pipeline file; every error is printed with its line and column.",
        discussion: "Exits 0 when the file is valid, 2 when it is not."
    )

    @Argument(help: ArgumentHelp("The pipeline file to check.", valueName: "pipeline"))
    var file: String

    func run() throws {
        do {
            let config = try PipelineConfig.load(path: file)
            print("\(file): valid pipeline '\(config.name)'")
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
    }
}
