import Foundation
import Logging
import SluiceCore
import SluiceLedger
import SluiceOutbox
import SluiceUnpack
import Synchronization

/// A run over a shared (PostgreSQL) ledger: `sluice run` enqueues the new and changed releases
/// as units and, unless `--enqueue-only`, works on them like any worker until all are done;
/// `sluice worker` only works.
struct SharedRun {
    let run: PipelineRun
    var options: RunOptions { run.options }

    /// `sluice run` with a shared ledger: enqueue, then (unless `enqueueOnly`) work until the queue is empty.
    ///
    /// The releases are queued on a thread of their own while this process already works: the
    /// first release starts as soon as it is queued, not after every release was hashed and queued
    /// (one transaction or two per release over the network).
    func execute(enqueueOnly: Bool, control: WorkerControl = WorkerControl()) throws -> RunReport {
        try run.withOutbox { ledger, processor, marker, report in
            report.sharedRole = enqueueOnly ? .enqueue : .run
            guard !enqueueOnly else {
                _ = try enqueue(ledger: ledger, report: &report)
                return run.makeWriter(ledger: ledger, runID: report.runID, initialDeletions: [], total: 0)
            }
            let filling = QueueFilling()
            let worker = UnitWorker(run: run, ledger: ledger, settings: WorkerSettings(exitWhenIdle: true), control: control,
                                    filling: filling)
            let runID = report.runID
            let queueing = Thread { [self] in
                var queued = RunReport(runID: runID)
                let result = Result { try enqueue(ledger: ledger, report: &queued) { worker.wake() } }
                // A queue that could not be filled: the units already queued are finished, nothing more is claimed.
                if case .failure = result { control.stop() }
                filling.finish(result.map { ($0, queued) })
                worker.wake()
            }
            queueing.start()
            let writer: RecordWriter
            do {
                writer = try worker.work(processor: processor, marker: marker, report: &report)
            } catch {
                _ = filling.wait()
                throw error
            }
            let (enqueued, queued) = try filling.wait().get()
            report.releasesSeen = queued.releasesSeen
            report.releasesUnchanged = queued.releasesUnchanged
            report.releasesRemoved = queued.releasesRemoved
            report.unitsEnqueued = queued.unitsEnqueued
            report.releasesProcessed = max(queued.releasesProcessed, report.unitsDone)
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
    /// for each as soon as it is begun (`queued` is called after each); returns the names of the
    /// releases queued.
    private func enqueue(ledger: Ledger, report: inout RunReport, queued: () -> Void = {}) throws -> [String] {
        let config = options.config
        let unpacker = Unpacker(budgets: config.unpack)
        var unitsEnqueued = 0
        let runID = report.runID
        let (todo, _) = try run.discover(ledger: ledger, report: &report, shared: true) { removed in
            guard !removed.isEmpty else { return }
            do {
                try Deletions(run: runID, deleted: removed).write(to: options.layout.deletionsFile(run: runID))
            } catch {
                throw RunError("cannot list the deleted records: \(error)")
            }
        } begun: { release in
            // A large zip release is shared out in shards of central-directory entries (`ledger.shard_members`,
            // `ledger.shard_bytes`); anything else, or a zip whose directory cannot be read, is one unit.
            let ranges = try? unpacker.shardRanges(path: release.path, maxMembers: config.shardMembers, maxBytes: config.shardBytes)
            let units = WorkUnit.units(release: release.name, shardRanges: ranges)
            if try ledger.enqueue(release: release.name, units: units) {
                unitsEnqueued += units.count
                queued()
            }
        }
        report.unitsEnqueued += unitsEnqueued
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

/// The queue a `sluice run` fills while its own worker already takes from it.
final class QueueFilling: Sendable {
    private let outcome = Mutex<Result<([String], RunReport), any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Releases may still be queued: an empty queue is not the end of the run.
    var isFilling: Bool { outcome.withLock { $0 == nil } }

    /// The releases queued and the discovery's figures, or why queueing failed.
    func finish(_ result: Result<([String], RunReport), any Error>) {
        outcome.withLock { $0 = result }
        done.signal()
    }

    /// Waits until queueing ended; its outcome.
    func wait() -> Result<([String], RunReport), any Error> {
        done.wait()
        done.signal()
        return outcome.withLock { $0 } ?? .failure(RunError("the queue was not filled"))
    }
}
