import Foundation
import Logging
import SluiceCore
import SluiceLedger
import SluiceOutbox
import SluiceUnpack

/// A run over a shared (PostgreSQL) ledger: `sluice run` enqueues the new and changed releases
/// as units and, unless `--enqueue-only`, works on them like any worker until all are done;
/// `sluice worker` only works.
struct SharedRun {
    let run: PipelineRun
    var options: RunOptions { run.options }

    /// `sluice run` with a shared ledger: enqueue, then (unless `enqueueOnly`) work until the queue is empty.
    func execute(enqueueOnly: Bool, control: WorkerControl = WorkerControl()) throws -> RunReport {
        try run.withOutbox { ledger, processor, marker, report in
            report.sharedRole = enqueueOnly ? .enqueue : .run
            let enqueued = try enqueue(ledger: ledger, report: &report)
            guard !enqueueOnly else {
                return run.makeWriter(ledger: ledger, runID: report.runID, initialDeletions: [], total: 0)
            }
            let worker = UnitWorker(run: run, ledger: ledger, settings: WorkerSettings(exitWhenIdle: true), control: control)
            let writer = try worker.work(processor: processor, marker: marker, report: &report)
            report.sharedFailures = try ledger.problemCount(releases: enqueued)
            return writer
        }
    }

    /// `sluice worker`.
    func work(settings: WorkerSettings, control: WorkerControl) throws -> RunReport {
        try run.withOutbox { ledger, processor, marker, report in
            report.sharedRole = .worker
            let worker = UnitWorker(run: run, ledger: ledger, settings: settings, control: control)
            return try worker.work(processor: processor, marker: marker, report: &report)
        }
    }

    /// Discovers the releases, begins the new and changed ones in the ledger and queues a unit
    /// for each; returns the names of the releases queued.
    private func enqueue(ledger: Ledger, report: inout RunReport) throws -> [String] {
        let (todo, removed) = try run.discover(ledger: ledger, report: &report, shared: true)
        if !removed.isEmpty {
            do {
                try Deletions(run: report.runID, deleted: removed).write(to: options.layout.deletionsFile(run: report.runID))
            } catch {
                throw RunError("cannot list the deleted records: \(error)")
            }
        }
        let config = options.config
        let unpacker = Unpacker(budgets: config.unpack)
        for release in todo {
            // A large zip release is shared out in shards of central-directory entries (`ledger.shard_members`,
            // `ledger.shard_bytes`); anything else, or a zip whose directory cannot be read, is one unit.
            let ranges = try? unpacker.shardRanges(path: release.path, maxMembers: config.shardMembers, maxBytes: config.shardBytes)
            let units = WorkUnit.units(release: release.name, shardRanges: ranges)
            if try ledger.enqueue(release: release.name, units: units) {
                report.unitsEnqueued += units.count
            }
        }
        run.logger.info("releases queued", metadata: [
            "sluice.units": "\(report.unitsEnqueued)", "sluice.ledger": "\(options.ledger)",
        ])
        return todo.map(\.name)
    }
}

extension PipelineRun {
    /// `sluice run --enqueue-only`: queue the new and changed releases in the shared ledger and return.
    public func enqueue() throws -> RunReport {
        guard options.ledger.isShared else {
            throw RunError("--enqueue-only needs a shared ledger (--ledger postgres://...)")
        }
        return try SharedRun(run: self).execute(enqueueOnly: true)
    }

    /// `sluice worker`: claim units from the shared ledger and process them until told to stop
    /// (or, with `exitWhenIdle`, until none is left).
    public func work(settings: WorkerSettings, control: WorkerControl) throws -> RunReport {
        guard options.ledger.isShared else {
            throw RunError("sluice worker needs a shared ledger (--ledger postgres://... or the pipeline's ledger.url)")
        }
        return try SharedRun(run: self).work(settings: settings, control: control)
    }
}
