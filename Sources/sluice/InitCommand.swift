import ArgumentParser
import Foundation
import SluiceScheduler

/// `sluice init [DIR]`: a new data folder, ready for `sluice run`.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a data folder: Inbox/, Outbox/ and Pipelines/default.yml.",
        discussion: """
            Pipelines/default.yml is written from the default pipeline built into sluice, for you to edit. \
            An existing pipeline file is never overwritten; existing Inbox/ and Outbox/ folders are kept.
            """
    )

    @Argument(help: ArgumentHelp("The folder to set up (created if needed).", valueName: "dir"))
    var directory: String = "."

    func run() throws {
        let fileManager = FileManager.default
        let base = URL(fileURLWithPath: directory)
        let pipeline = base.appendingPathComponent(PipelineSource.defaultPath)
        if fileManager.fileExists(atPath: pipeline.path) {
            printError("sluice: \(pipeline.path) already exists; not overwriting it (edit it, or remove it and run init again)")
            throw ExitCode(2)
        }
        do {
            for folder in ["Inbox", "Outbox", "Pipelines"] {
                try fileManager.createDirectory(at: base.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            try Data(BuiltInPipeline.defaultYAML.utf8).write(to: pipeline, options: .withoutOverwriting)
        } catch {
            printError("sluice: cannot set up \(directory): \(error.localizedDescription)")
            throw ExitCode(3)
        }
        let cd = directory == "." ? "" : "cd \(directory) && "
        print("""
            Created \(directory == "." ? "" : directory + "/")Inbox/, Outbox/ and \(PipelineSource.defaultPath).
            Put releases (zip, tar.gz, gz, XML or HTML files) in Inbox/, then run:

                \(cd)sluice run
            """)
    }
}
