import Foundation
import Logging
import SluiceCore
import SluiceLedger
import Synchronization

/// One worker process's work on a shared ledger: it claims units (`FOR UPDATE SKIP LOCKED`),
/// holds them under a lease its heartbeat renews, feeds their releases to one set of stage
/// pools, and marks each unit done when the release's records file is in place.
///
/// A unit whose worker died is claimed again once its lease runs out, and done again from the
/// start: records files are replaced whole by rename, so the rewrite never duplicates or loses
/// a record. A ledger lost mid-run is retried with backoff for `ledger.retry_seconds`; then the
/// worker gives its units back (if it can) and stops with exit status 3.
final class UnitWorker: Sendable {
    private struct Book {
        var inHand: [String: WorkUnit] = [:]
        var completed = 0
        /// When the ledger stopped answering, and why; nil while it answers.
        var lostSince: Date?
        var lastError: String?
        /// The last time the ledger answered this worker.
        var lastAnswer = Date()
        var gaveUp = false
    }

    let run: PipelineRun
    let ledger: Ledger
    let settings: WorkerSettings
    let control: WorkerControl
    /// `host:pid:random`: unique across machines and restarts.
    let id: String
    let host: String
    private let book = Mutex(Book())
    /// Signalled when a unit leaves the worker's hands or more were queued, so the feeder looks at
    /// the queue again at once.
    private let wakeUp = DispatchSemaphore(value: 0)
    /// While this process's own `sluice run` is still queueing releases, the queue is not finished
    /// even when it is empty (nil for `sluice worker`).
    private let filling: QueueFilling?

    init(run: PipelineRun, ledger: Ledger, settings: WorkerSettings, control: WorkerControl, filling: QueueFilling? = nil) {
        self.run = run
        self.ledger = ledger
        self.settings = settings
        self.control = control
        self.filling = filling
        host = ProcessInfo.processInfo.hostName
        id = "\(host):\(getpid()):\(UInt32.random(in: 0...UInt32.max))"
    }

    private var config: PipelineConfig { run.options.config }
    private var leaseMilliseconds: Int { Int((config.leaseSeconds * 1000).rounded()) }
    private var logger: Logger { run.logger }

    /// Works until the queue is empty (`exitWhenIdle`) or a drain is asked for; returns the writer
    /// whose figures the run reports. Throws `RunError` when the ledger stays lost.
    func work(processor: any DocumentProcessing, marker: InFlightMarker, report: inout RunReport) throws -> RecordWriter {
        do {
            try ledger.registerWorker(id: id, host: host, pid: Int(getpid()))
        } catch {
            throw RunError("the ledger at \(ledger.path) is unavailable: \(error)")
        }
        logger.info("worker started", metadata: ["sluice.worker": "\(id)", "sluice.ledger": "\(ledger.path)"])
        let writer = run.makeWriter(ledger: ledger, runID: report.runID, initialDeletions: [], total: 0, worker: id) { [self] release in
            guard let unit = release.unit else { return }
            finished(unit)
        }
        let graph = try StageGraph(config: config, processor: processor, writer: writer, progress: marker, logger: logger)
        let heartbeat = Watchdog(label: "sluice.heartbeat")
        heartbeat.start(every: max(0.1, config.leaseSeconds / 3)) { [self] in beat() }
        // Watches the watcher without touching the ledger: a heartbeat stuck in a call the server
        // never answers still ends the worker once the ledger has been silent for too long.
        let silence = Watchdog(label: "sluice.ledger-silence")
        silence.start(every: 0.5) { [self] in checkSilence() }
        defer { silence.stop() }

        let failure = feed(graph)
        if let failure {
            heartbeat.stop()
            // Nothing half-written stays: records files only move into place whole. The units go back
            // (if the ledger answers again), or are taken over when their leases run out.
            try? ledger.releaseUnits(worker: id)
            try? ledger.retireWorker(id: id, status: "lost")
            throw failure
        }
        graph.finish()
        writer.flushLedger()
        heartbeat.stop()
        try? ledger.retireWorker(id: id, status: "stopped")
        report.unitsDone = book.withLock { $0.completed }
        report.releasesProcessed = max(report.releasesProcessed, report.unitsDone)
        logger.info("worker stopped", metadata: ["sluice.worker": "\(id)", "sluice.units": "\(report.unitsDone)"])
        return writer
    }

    /// Claims units and hands their releases to the pools until there is nothing left to do
    /// or a drain is asked for; returns the error that ends the worker, if the ledger stays lost.
    private func feed(_ graph: StageGraph) -> RunError? {
        var backoff = 0.1
        while !control.isStopping {
            if let failure = lostTooLong() { return failure }
            let inHand = book.withLock { $0.inHand.count }
            guard inHand < settings.unitsInHand else {
                // Woken by `finished`; the timeout only bounds how late a drain or a lost ledger is seen.
                _ = wakeUp.wait(timeout: .now() + 0.25)
                continue
            }
            do {
                if let unit = try ledger.claimUnit(worker: id, leaseMilliseconds: leaseMilliseconds) {
                    answered()
                    backoff = 0.1
                    try start(unit, graph: graph)
                    continue
                }
                answered()
                if settings.exitWhenIdle, inHand == 0, !(filling?.isFilling ?? false), try ledger.openUnitCount() == 0 {
                    return nil
                }
                // Nothing to claim: look again when a unit in hand is done or this process queued more, so the
                // last unit's end is the worker's end (a plain sleep added up to pollSeconds to every run), or
                // after pollSeconds for other processes' units.
                _ = wakeUp.wait(timeout: .now() + settings.pollSeconds)
            } catch {
                lost(error)
                logger.warning("the ledger did not answer; retrying", metadata: [
                    "sluice.worker": "\(id)", "sluice.error": "\(error)", "sluice.retry_in": "\(backoff)",
                ])
                Thread.sleep(forTimeInterval: backoff)
                backoff = min(backoff * 2, 5)
            }
        }
        logger.notice("draining: no more units are claimed", metadata: ["sluice.worker": "\(id)"])
        return nil
    }

    /// Begins a claimed unit's release in the ledger and sends it to the unpack pool.
    private func start(_ unit: WorkUnit, graph: StageGraph) throws {
        let path = (run.options.inbox as NSString).appendingPathComponent(unit.release)
        guard let known = try ledger.release(named: unit.release), FileManager.default.fileExists(atPath: path) else {
            // Its release is gone (removed from the Inbox since): nothing to do.
            logger.error("a queued release is not in the Inbox; unit dropped",
                         metadata: ["sluice.release": "\(unit.release)", "sluice.worker": "\(id)"])
            try ledger.completeUnit(id: unit.id, worker: id)
            return
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        book.withLock { $0.inHand[unit.id] = unit }
        let inFlight: [String: Int]
        do {
            // Rows a dead worker left are reset; its in-flight attempts still count (poison documents).
            // A shard resets only its own rows: the release was begun when it was queued.
            inFlight = unit.shards > 1
                ? try ledger.beginShard(unit)
                : try ledger.beginRelease(name: unit.release, key: known.key, sha256: known.sha256, bytes: bytes)
        } catch {
            // Not started: out of the heartbeat, so its lease runs out if it cannot be given back now.
            book.withLock { _ = $0.inHand.removeValue(forKey: unit.id) }
            try? ledger.releaseUnit(id: unit.id, worker: id)
            throw error
        }
        if unit.attempts > 1 {
            logger.notice("unit taken over after its lease ran out", metadata: [
                "sluice.unit": "\(unit.id)", "sluice.attempt": "\(unit.attempts)", "sluice.worker": "\(id)",
                "sluice.previous_worker": "\(unit.previousWorker ?? "-")",
            ])
            removeLeftovers(of: unit)
        }
        graph.unpackPool.input.push(ReleaseContext(name: unit.release, path: path, sha256: known.sha256, bytes: bytes,
                                                   inFlight: inFlight, unit: unit))
    }

    /// A dead worker of this machine may have left a temporary records file for the unit: it is no
    /// one's now (the process is gone). Another machine's leftovers are left alone (its pid means
    /// nothing here); a later run on the Outbox without a shared ledger clears every leftover.
    private func removeLeftovers(of unit: WorkUnit) {
        let parts = (unit.previousWorker ?? "").split(separator: ":")
        guard parts.count == 3, parts[0] == host[...], let pid = Int32(parts[1]), pid != getpid(),
              kill(pid, 0) != 0, errno == ESRCH else { return }
        if unit.shards > 1 {
            run.options.layout.removeTemporaryShardPart(release: unit.release, shard: unit.shard, pid: pid)
        } else {
            run.options.layout.removeTemporaryRecordsFile(release: unit.release, pid: pid)
        }
    }

    /// The writer put a unit's records in place and its rows in the ledger (and, for a shard,
    /// recorded its completion itself: `RecordWriter`).
    private func finished(_ unit: WorkUnit) {
        if unit.shards == 1 {
            do {
                if try !ledger.completeUnit(id: unit.id, worker: id) {
                    logger.notice("unit was taken over while this worker finished it (same records)",
                                  metadata: ["sluice.unit": "\(unit.id)"])
                }
                answered()
            } catch {
                lost(error)
            }
        }
        book.withLock {
            $0.inHand.removeValue(forKey: unit.id)
            $0.completed += 1
        }
        wakeUp.signal()
    }

    /// More units were queued (by this process's `sluice run`): claim them now.
    func wake() { wakeUp.signal() }

    /// Renews the leases of the units in hand.
    private func beat() {
        let (units, wasLost) = book.withLock { ($0.inHand.keys.sorted(), $0.lostSince != nil) }
        do {
            try ledger.heartbeat(worker: id, leaseMilliseconds: leaseMilliseconds, units: units,
                                 status: control.isStopping ? "draining" : "working")
            if wasLost { logger.notice("the ledger answers again", metadata: ["sluice.worker": "\(id)"]) }
            answered()
        } catch {
            lost(error)
        }
        if let failure = lostTooLong() {
            // The heartbeat runs whatever the other threads wait on: it ends the worker.
            let given = book.withLock { $0.inHand.keys.sorted() }
            for unit in given { try? ledger.releaseUnit(id: unit, worker: id) }
            control.lost(failure.message)
        }
    }

    private func answered() {
        book.withLock {
            $0.lostSince = nil
            $0.lastAnswer = Date()
        }
    }

    private func checkSilence() {
        let limit = config.ledgerRetrySeconds + config.leaseSeconds
        let silent = book.withLock { book -> String? in
            guard !book.gaveUp, Date().timeIntervalSince(book.lastAnswer) > limit else { return nil }
            book.gaveUp = true
            return book.lastError ?? "no answer"
        }
        guard let silent else { return }
        control.lost("""
            lost the ledger at \(ledger.path): it has not answered for \(PipelineConfig.number(limit)) s (ledger.retry_seconds \
            + lease_seconds): \(silent); this worker's units will be taken over when their leases run out; \
            nothing was half-written
            """)
    }

    private func lost(_ error: any Error) {
        book.withLock {
            if $0.lostSince == nil { $0.lostSince = Date() }
            $0.lastError = "\(error)"
        }
    }

    private func lostTooLong() -> RunError? {
        book.withLock { book in
            guard let since = book.lostSince, Date().timeIntervalSince(since) > config.ledgerRetrySeconds else { return nil }
            return RunError("""
                lost the ledger at \(ledger.path) for more than \(PipelineConfig.number(config.ledgerRetrySeconds)) s \
                (ledger.retry_seconds): \(book.lastError ?? "no answer"); this worker's units were given back \
                or will be taken over when their leases run out; nothing was half-written
                """)
        }
    }
}
