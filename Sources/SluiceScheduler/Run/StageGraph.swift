import Foundation
import Logging
import SluiceCore
import SluiceLedger
import SluiceUnpack
import Synchronization

/// The four pools wired back to front (unpack -> parse -> extract -> write),
/// with per-item timeouts, attempt counting and quarantine. Each stage notes
/// its own outcome on the item; the writer records them all in the ledger.
/// `run` and `rerun` both feed it releases from the Inbox; a re-run's release
/// carries the selection of members it restarts and from which stage.
final class StageGraph: Sendable {
    let writePool: StagePool<WriterInput>
    let extractPool: StagePool<WorkItem>
    let parsePool: StagePool<WorkItem>
    let unpackPool: StagePool<ReleaseContext>

    init(config: PipelineConfig, processor: any DocumentProcessing, writer: RecordWriter, progress: InFlightMarker,
         logger: Logger) throws {
        try processor.prepare()
        let budget = CPUBudget(permits: config.cpuBudget)
        let writePool = StagePool<WriterInput>(label: "write", workers: 1, capacity: config.writeStage.queue,
                                               budget: budget) { input, _ in
            writer.accept(input)
        }
        /// Hands an item on without holding a permit while the next queue is full.
        @Sendable func handOn<T>(_ pool: StagePool<T>, _ item: T) {
            budget.whileWaiting { pool.input.push(item) }
        }
        // A parse that a child process does (isolation: process) only waits on the child's CPU, so its
        // workers take no permit: holding one each, the two of them kept unpack, extract and write off the
        // CPU while both children worked, and the children waited for their next documents.
        let parseBudget: CPUBudget? = processor.parsesElsewhere ? nil : budget
        @Sendable func handOnFromParse<T>(_ pool: StagePool<T>, _ item: T) {
            if parseBudget == nil { pool.input.push(item) } else { handOn(pool, item) }
        }
        @Sendable func maxAttempts(_ stage: Stage) -> Int { config.settings(for: stage).attempts }

        /// An item whose attempt ended without a result (it timed out, or the child process working
        /// on it died) is tried again until its attempts run out, then quarantined with `reason`.
        @Sendable func retryOrQuarantine(_ item: WorkItem, stage: Stage, reason: SluiceError,
                                         retry: @Sendable (WorkItem) -> Void, quarantine: @Sendable (WorkItem) -> Void) {
            var item = item
            item.retries += 1
            if item.attempt > maxAttempts(stage) {
                item.retries -= 1
                item.member = nil
                item.documents = []
                item.note(stage, .quarantined, error: SluiceError(
                    reason.code, "\(reason.message), on each of \(item.attempt) attempts; quarantined", item: item.path))
                logger.warning("item quarantined", metadata: ["sluice.release": "\(item.release.name)", "sluice.item": "\(item.path)",
                                                              "sluice.error": "\(reason.code)"])
                quarantine(item)
            } else {
                logger.warning("item failed in its attempt; retrying", metadata: [
                    "sluice.item": "\(item.path)", "sluice.stage": "\(stage)", "sluice.error": "\(reason)",
                ])
                retry(item)
            }
        }
        @Sendable func timedOut(_ stage: Stage) -> SluiceError {
            SluiceError(.timeout, "took longer than \(Self.seconds(config.settings(for: stage).timeout)) s in \(stage)")
        }

        // The extract pool also passes on items whose records a child process already made in parse.
        let extractPool = StagePool<WorkItem>(
            label: "extract", workers: config.extractStage.workers, capacity: config.extractStage.queue,
            timeout: config.extractStage.timeout, budget: budget
        ) { item, lease in
            var item = item
            if !item.documents.isEmpty {
                item.lines = RecordLines(processor.extract(item.documents, source: item.source), mediaType: nil)
            }
            item.documents = []
            item.note(.extract, .done)
            if lease.complete() { handOn(writePool, .item(item)) }
        }
        let requeueParse = LateBound<WorkItem>()
        let parsePool = StagePool<WorkItem>(
            label: "parse", workers: config.parseStage.workers, capacity: config.parseStage.queue,
            timeout: config.parseStage.timeout, budget: parseBudget
        ) { item, lease in
            var item = item
            guard let member = item.member else {
                if lease.complete() { handOnFromParse(writePool, .item(item)) }
                return
            }
            if item.attempt > maxAttempts(.parse) {
                item.member = nil
                item.priorAttempts -= 1
                item.note(.parse, .quarantined, error: SluiceError(
                    .timeout, "sluice stopped while working on this document in \(item.attempt) earlier runs; quarantined",
                    item: item.path))
                if lease.complete() { handOnFromParse(writePool, .item(item)) }
                return
            }
            // Counted before the work starts: a document that kills the process is charged the attempt.
            if item.fromStage <= .parse { progress.markRunning(item, stage: .parse) }
            do {
                let output = try processor.parse(member, source: item.source)
                item.member = nil
                switch output {
                case .documents(let documents):
                    item.documents = documents
                    item.note(.parse, .done, mediaType: documents.first?.mediaType.rawValue)
                case .records(let lines):
                    item.lines = lines
                    item.note(.parse, .done, mediaType: lines.mediaType)
                }
                if lease.complete() { handOnFromParse(extractPool, item) }
            } catch let died as ChildDied {
                // The child is gone, not the document's verdict: a fresh child tries it again.
                guard lease.complete() else { return }
                retryOrQuarantine(item, stage: .parse, reason: died.error, retry: { requeueParse($0) },
                                  quarantine: { handOnFromParse(writePool, .item($0)) })
            } catch {
                item.member = nil
                // A document with nothing to index (no text, zero bytes) is skipped, not failed.
                let failure = PipelineRun.asSluiceError(error, item: member.path)
                let status: ItemStatus = failure.code == .noText || failure.code == .empty ? .skipped : .failed
                item.note(.parse, status, error: failure)
                if lease.complete() { handOnFromParse(writePool, .item(item)) }
            }
        }

        let budgets = config.unpack
        let unpackPool = StagePool<ReleaseContext>(label: "unpack", workers: config.unpackStage.workers,
                                                   capacity: config.unpackStage.queue, budget: budget) { release, _ in
            // A shard numbers its items from its own base; the ledger renumbers them when the release is whole.
            var sequence = release.unit?.firstSequence ?? 0
            var failure: SluiceError?
            do {
                try Unpacker(budgets: budgets).unpack(path: release.path, release: release.name,
                                                      entries: release.unit?.entryRange) { event in
                    var item: WorkItem
                    switch event {
                    case .document(let member):
                        item = WorkItem(release: release, sequence: sequence, path: member.path, member: member)
                        sequence += 1
                        if let selection = release.selection {
                            // A re-run: members it does not touch keep the record lines they have.
                            guard let from = selection.restart[item.sequence] else {
                                item.member = nil
                                item.carriedLines = selection.carried[item.sequence] ?? []
                                handOn(writePool, .item(item))
                                return
                            }
                            item.fromStage = from
                        }
                        item.sha256 = SHA256.hex(member.data)
                        item.bytes = member.data.count
                        item.inputBytes = member.data.count
                        item.priorAttempts = release.inFlight[member.path] ?? 0
                        item.note(.unpack, .done)
                        handOn(parsePool, item)
                        return
                    case .skipped(let path, let reason):
                        item = WorkItem(release: release, sequence: sequence, path: path)
                        if release.selection == nil { item.note(.unpack, .skipped, error: reason) }
                    case .failed(let path, let error):
                        item = WorkItem(release: release, sequence: sequence, path: path)
                        if release.selection == nil { item.note(.unpack, .failed, error: error) }
                    }
                    sequence += 1
                    handOn(writePool, .item(item))
                }
            } catch {
                failure = PipelineRun.asSluiceError(error, item: release.name)
                logger.error("release could not be unpacked", metadata: ["sluice.release": "\(release.name)", "sluice.error": "\(error)"])
            }
            handOn(writePool, .end(release, total: sequence, error: failure))
        }
        self.writePool = writePool
        self.extractPool = extractPool
        self.parsePool = parsePool
        self.unpackPool = unpackPool
        // A timed-out item goes back into its own pool, which only exists once built.
        requeueParse.bind { parsePool.requeue($0) }
        // The watchdog's thread holds no permit: a quarantined item goes straight to the writer's queue.
        parsePool.setTimeoutHandler { item in
            retryOrQuarantine(item, stage: .parse, reason: timedOut(.parse), retry: { parsePool.requeue($0) },
                              quarantine: { writePool.input.push(.item($0)) })
        }
        extractPool.setTimeoutHandler { item in
            retryOrQuarantine(item, stage: .extract, reason: timedOut(.extract), retry: { extractPool.requeue($0) },
                              quarantine: { writePool.input.push(.item($0)) })
        }
    }

    /// Seconds as a pipeline file gives them (60, not 60.0).
    static func seconds(_ value: Double) -> String { PipelineConfig.number(value) }

    /// Waits for everything queued to go through, stage by stage.
    func finish() {
        unpackPool.finish()
        parsePool.finish()
        extractPool.finish()
        writePool.finish()
    }
}

/// An action known only once the thing it acts on exists: a pool's own work retries items
/// through the pool, which is built from that work.
final class LateBound<Value: Sendable>: Sendable {
    private let action = Mutex<(@Sendable (Value) -> Void)?>(nil)

    func bind(_ body: @escaping @Sendable (Value) -> Void) { action.withLock { $0 = body } }

    func callAsFunction(_ value: Value) { action.withLock { $0 }?(value) }
}
