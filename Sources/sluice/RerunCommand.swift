public import ArgumentParser
import Foundation
import SluiceCore
import SluiceScheduler

struct RerunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerun",
        abstract: "Re-run failed items, or one stage and the stages after it, without redoing the rest.",
        discussion: """
            The release is read again from the Inbox (it must still have the bytes the ledger knows: \
            a changed release is a new run, `sluice run`), and only the chosen members go through the \
            stage re-run and the ones after it; the other members keep their records. The ledger rows \
            of the earlier stages are left as they are. `--stage write` re-runs extract too. Examples:

              sluice rerun --failed
              sluice rerun --stage extract --release 2013-FOIASetFull.zip --dry-run
              sluice rerun --stage parse --media-type text/html
            """
    )

    @Flag(help: "Re-run every failed or quarantined item from the stage where it failed.")
    var failed = false

    @Option(help: ArgumentHelp("Re-run this stage (unpack, parse, extract, write) and the ones after it.", valueName: "stage"))
    var stage: Stage?

    @Option(help: ArgumentHelp("Only this release (its name as `sluice status` shows it).", valueName: "name"))
    var release: String?

    @Option(name: .customLong("media-type"), help: ArgumentHelp("Only documents of this media type (application/xml, text/html).", valueName: "type"))
    var mediaType: String?

    @Flag(name: .customLong("dry-run"), help: "List what would be re-run, and change nothing.")
    var dryRun = false

    @OptionGroup var pipeline: PipelineOption

    @Option(help: ArgumentHelp("Folder of releases (for releases that must be unpacked again).", valueName: "dir"))
    var inbox: String = "Inbox"

    @OptionGroup var outbox: OutboxOptions

    @OptionGroup var ledger: LedgerOption

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if failed == (stage != nil) {
            throw ValidationError("give either --failed or --stage STAGE")
        }
    }

    func run() throws {
        let config = try loadPipeline(pipeline.source)
        let logger = logging.bootstrap(config: config)
        let request = RerunRequest(failedOnly: failed, stage: stage, release: release, mediaType: mediaType)
        let rerun = Rerun(options: RunOptions(inbox: inbox, outbox: outbox.outbox, config: config, child: .sluice,
                                              ledger: ledger.location), logger: logger)
        do {
            if dryRun {
                let plan = try rerun.plan(request)
                if plan.isEmpty { print("Nothing to re-run.") }
                for name in plan.wholeReleases { print("release \(name): unpack again, then every stage") }
                for entry in plan.entries { print("\(entry.release) :: \(entry.member): from \(entry.from)") }
                return
            }
            let report = try rerun.execute(request)
            if !(logging.quiet || config.quiet) { print(RunSummary.text(report)) }
            if report.exitCode != 0 { throw ExitCode(report.exitCode) }
        } catch let error as RunError {
            printError("sluice: \(error)")
            throw ExitCode(3)
        }
    }
}

extension Stage: ExpressibleByArgument {}
