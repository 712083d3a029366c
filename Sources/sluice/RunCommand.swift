import ArgumentParser
import Foundation
import Logging
import SluiceExport
import SluiceScheduler

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Process the releases in the Inbox into records in the Outbox.",
        discussion: """
            Only new or changed releases are processed; a release removed from the Inbox has its records \
            deleted and listed in OUTBOX/deletions/. Records go to OUTBOX/records/<release>.ndjson, a summary \
            of the run to OUTBOX/runs/<run id>.json. With no options: Inbox/ into Outbox/ with \
            Pipelines/default.yml, or the built-in default pipeline when there is none (the run manifest's \
            pipeline_source says which). With output.postgres in the pipeline, the run ends by applying what \
            it changed to that PostgreSQL search database (exit 3 when it cannot, the records written all the same).
            """
    )

    @OptionGroup var pipeline: PipelineOption

    @Option(help: ArgumentHelp("Folder of releases to process.", valueName: "dir"))
    var inbox: String = "Inbox"

    @OptionGroup var outbox: OutboxOptions

    @OptionGroup var workers: WorkersOption

    @OptionGroup var ledger: LedgerOption

    @Flag(name: .customLong("enqueue-only"),
          help: "With a shared ledger: queue the new and changed releases for `sluice worker` processes, and return.")
    var enqueueOnly = false

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        var config = try loadPipeline(pipeline.source)
        workers.apply(to: &config)
        let logger = logging.bootstrap(config: config)
        logger.info("pipeline", metadata: ["sluice.pipeline": "\(config.name)", "sluice.pipeline_source": "\(config.source)"])
        var progress: (@Sendable (String) -> Void)?
        if isatty(STDERR_FILENO) == 1, !logging.quiet, !config.quiet {
            progress = { line in FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8)) }
        }
        let report: RunReport
        do {
            let options = RunOptions(inbox: inbox, outbox: outbox.outbox, config: config, child: .sluice,
                                     ledger: ledger.location)
            if enqueueOnly, !options.ledger.isShared {
                printError("sluice: --enqueue-only needs a shared ledger: --ledger postgres://user@host:port/db")
                throw ExitCode(2)
            }
            let run = PipelineRun(options: options, logger: logger, progress: progress)
            report = try enqueueOnly ? run.enqueue() : run.execute()
        } catch let error as RunError {
            if progress != nil { FileHandle.standardError.write(Data("\n".utf8)) }
            printError("sluice: \(error)")
            throw ExitCode(3)
        }
        if progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if !(logging.quiet || config.quiet) { print(RunSummary.text(report)) }
        logger.info("run finished", metadata: [
            "sluice.run": "\(report.runID)", "sluice.documents": "\(report.stats.documents)",
            "sluice.failed": "\(report.stats.failed)", "sluice.manifest": "\(report.manifestPath)",
        ])
        // Queued work has written no records yet: the workers' runs are for the next export.
        if let url = config.output.postgres, report.sharedRole != .enqueue {
            guard updateSearchDatabase(url, logger: logger, printing: !(logging.quiet || config.quiet)) else { throw ExitCode(3) }
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    /// `output.postgres`: applies what is new in the Outbox to the search database, as `sluice
    /// export --format postgres` does. False (the error said) when the database cannot be reached
    /// or refuses; the records stay written, and the next run or export catches up.
    private func updateSearchDatabase(_ url: String, logger: Logger, printing: Bool) -> Bool {
        let outbox = outbox.outbox
        do {
            let target = try PostgresSearchTarget(url: url, logger: warningLogger("sluice.search"))
            let summary = try runToCompletion { try await target.export(outbox: outbox) }
            if printing { print(SearchSyncReport.line(summary)) }
            logger.info("search database updated", metadata: [
                "sluice.database": "\(summary.target)", "sluice.releases_applied": "\(summary.releasesApplied)",
                "sluice.records_written": "\(summary.recordsWritten)", "sluice.records_removed": "\(summary.recordsRemoved)",
            ])
            return true
        } catch {
            printError("sluice: the records are written, but the search database (output.postgres) was not updated: \(error)")
            return false
        }
    }
}

/// The few lines `run` prints when it ends.
enum RunSummary {
    static func text(_ report: RunReport) -> String {
        let s = report.stats
        var lines: [String] = []
        switch report.sharedRole {
        case .enqueue:
            lines.append("Queued \(report.unitsEnqueued) unit(s) for workers (\(report.releasesUnchanged) release(s) unchanged, skipped).")
        case .worker:
            lines.append("Did \(report.unitsDone) unit(s) in \(String(format: "%.1f", report.seconds)) s.")
            lines.append("Records: \(s.records) from \(s.documents) document(s); skipped \(s.skipped); failed \(s.failed).")
        case .run:
            lines.append("Queued \(report.unitsEnqueued) unit(s); this process did \(report.unitsDone) of them.")
        case nil:
            break
        }
        if report.sharedRole == .enqueue || report.sharedRole == .worker {
            // The figures above are all there is.
        } else if report.releasesProcessed == 0 {
            lines.append("Nothing new: \(report.releasesSeen) release(s) in the Inbox, all unchanged since the last run.")
        } else {
            lines.append("Processed \(report.releasesProcessed) release(s) (\(report.releasesUnchanged) unchanged, skipped) in \(String(format: "%.1f", report.seconds)) s.")
            lines.append("Records: \(s.records) from \(s.documents) document(s); skipped \(s.skipped); failed \(s.failed).")
            if !s.failuresByKind.isEmpty {
                lines.append("Failures by kind: " + s.failuresByKind.keys.sorted().map { "\($0) \(s.failuresByKind[$0] ?? 0)" }.joined(separator: ", ")
                             + ". See `sluice status`.")
            }
        }
        if !report.releasesRemoved.isEmpty {
            lines.append("Removed from the Inbox (records deleted): \(report.releasesRemoved.joined(separator: ", ")).")
        }
        lines.append("Run manifest: \(report.manifestPath)")
        return lines.joined(separator: "\n")
    }
}
