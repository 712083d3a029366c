import ArgumentParser
import Dispatch
import Foundation
import Logging
import SluiceScheduler

struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Work on the units queued in a shared (PostgreSQL) ledger: one of many workers.",
        discussion: """
            Run any number of workers, on any machines that see the same Inbox and Outbox: each claims \
            units (a release) from the ledger, processes them with the same stages as `sluice run`, and \
            renews its lease while it works; a unit whose worker died is taken over when its lease \
            (ledger.lease_seconds) runs out. `sluice run --ledger URL --enqueue-only` queues the work. \
            SIGTERM or SIGINT drains: no more units are claimed, those in hand are finished, exit 0. \
            Exit status 3 when the ledger is unavailable at start, or lost for longer than \
            ledger.retry_seconds (the units are then given back).

              sluice worker --ledger postgres://sluice@db.internal:5432/sluice --workers 4
            """
    )

    @OptionGroup var ledger: LedgerOption

    @OptionGroup var pipeline: PipelineOption

    @Option(help: ArgumentHelp("Folder of releases (shared by every worker).", valueName: "dir"))
    var inbox: String = "Inbox"

    @OptionGroup var outbox: OutboxOptions

    @OptionGroup var workers: WorkersOption

    @Flag(name: .customLong("exit-when-idle"), help: "Exit once no unit is queued or in another worker's hands.")
    var exitWhenIdle = false

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        var config = try loadPipeline(pipeline.source)
        workers.apply(to: &config)
        let logger = logging.bootstrap(config: config)
        let options = RunOptions(inbox: inbox, outbox: outbox.outbox, config: config, child: .sluice,
                                 ledger: ledger.location)
        guard options.ledger.isShared else {
            printError("sluice: a worker needs a shared ledger: --ledger postgres://user@host:port/db (or ledger.url)")
            throw ExitCode(2)
        }
        let control = WorkerControl(onLost: { reason in
            // Records files only move into place whole, so stopping here leaves nothing half-written.
            printError("sluice: \(reason)")
            Foundation.exit(3)
        })
        let signals = WorkerCommand.drainOnSignals(control, logger: logger)
        defer { _ = signals }
        let report: RunReport
        do {
            report = try PipelineRun(options: options, logger: logger).work(
                settings: WorkerSettings(exitWhenIdle: exitWhenIdle), control: control)
        } catch let error as RunError {
            printError("sluice: \(error)")
            throw ExitCode(3)
        }
        if !(logging.quiet || config.quiet) { print(RunSummary.text(report)) }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    /// SIGTERM and SIGINT ask the worker to drain instead of killing it.
    static func drainOnSignals(_ control: WorkerControl, logger: Logger) -> [any DispatchSourceSignal] {
        [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: DispatchQueue(label: "sluice.signals"))
            source.setEventHandler {
                logger.notice("signal received: draining", metadata: ["sluice.signal": "\(number)"])
                control.stop()
            }
            source.resume()
            return source
        }
    }
}
