import ArgumentParser
import Foundation
import SluiceScheduler

/// The `sluice` command line.
@main
struct Sluice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Turn bulk government releases into searchable JSON records.",
        discussion: """
            Drop releases (zip, tar, tar.gz, gz, or loose XML/HTML files) into an Inbox folder and run \
            `sluice run`. Every XML and HTML document becomes one JSON record in Outbox/records/, with the \
            agencies, dates, programs and counts found in it. Unchanged releases are not processed twice.

            Start with: sluice init DIR (a new data folder), then sluice run (processes Inbox/ into \
            Outbox/) and sluice status. With no --pipeline, commands use ./Pipelines/default.yml when it \
            exists, otherwise the default pipeline built into sluice.

            Exit status: 0 all documents done or skipped; 1 some items failed or were quarantined; \
            2 bad usage or a bad pipeline file; 3 the run could not proceed (ledger unavailable, or another \
            run holds the Outbox).
            """,
        version: BuildInfo.versionText,
        subcommands: [
            RunCommand.self, WorkerCommand.self, StatusCommand.self, RerunCommand.self, InspectCommand.self,
            ValidateCommand.self, ExportCommand.self, SearchCommand.self, InitCommand.self, PipelineCommand.self,
            ChildWorkerCommand.self,
        ],
        defaultSubcommand: nil
    )

    static func main() {
        // `sluice _child`, process isolation's worker (a run starts one per parse worker), goes straight to its
        // server: the command-line parser's reflection over every command was a sixth of a child's start.
        if CommandLine.arguments.dropFirst().elementsEqual(["_child"]) { ChildWorkerCommand.serve() }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            // Usage errors exit 2, as DESIGN.md's exit statuses say (swift-argument-parser uses 64).
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Paths shared by the commands that work on an Outbox.
struct OutboxOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The output store: records/, runs/ and the ledger.", valueName: "dir"))
    var outbox: String = "Outbox"
}

/// The `--pipeline` option of the commands that process documents.
struct PipelineOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The pipeline file (default: Pipelines/default.yml when it exists, otherwise the built-in default pipeline).",
        valueName: "file"))
    var pipeline: String?

    /// The pipeline the command uses.
    var source: PipelineSource { PipelineSource.resolve(pipeline) }
}

/// Reads a command's pipeline: a bad file prints its issues and exits 2.
func loadPipeline(_ source: PipelineSource) throws -> PipelineConfig {
    do {
        return try PipelineConfig.load(source)
    } catch {
        printError("\(error)")
        throw ExitCode(2)
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
