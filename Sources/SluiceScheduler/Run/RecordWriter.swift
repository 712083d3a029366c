import Foundation
import SluiceCore
import SluiceLedger
import SluiceOutbox
import Synchronization

/// The write stage: puts each release's records in archive order into a
/// temporary file and renames it into `records/` once the release is complete,
/// so a reader never sees half a release and a crash leaves no partial file.
///
/// Its state lives behind a `Mutex`: the write pool's one worker takes it for each
/// item (never contended there), and the run reads the figures once the pools are done.
final class RecordWriter: Sendable {
    private let state: Mutex<WriteState>

    /// `onComplete` is told of each release whose records are in place and whose rows are in the ledger;
    /// for a shard, once its part is in place and the ledger has its completion (`worker`, the shared-ledger
    /// worker this writer serves, completes shards and finishes the sharded releases whose last shard it has).
    init(outbox: Outbox, ledger: Ledger, runID: String?, initialDeletions: [Deletions.Entry] = [], worker: String? = nil,
         onProgress: (@Sendable (RunStats) -> Void)? = nil, onComplete: (@Sendable (ReleaseContext) -> Void)? = nil) {
        state = Mutex(WriteState(outbox: outbox, ledger: ledger, runID: runID, initialDeletions: initialDeletions,
                                 worker: worker, onProgress: onProgress, onComplete: onComplete))
    }

    /// An item or the end of a release, from the write pool's worker.
    func accept(_ input: WriterInput) { state.withLock { $0.accept(input) } }
    /// Records the outcomes not yet in the ledger.
    func flushLedger() { state.withLock { $0.flushLedger() } }
    var stats: RunStats { state.withLock { $0.stats } }
    var deletionCount: Int { state.withLock { $0.deletions.count } }
    /// The first error the ledger or the deletions file gave: the run must not report success.
    var ledgerError: (any Error)? { state.withLock { $0.ledgerError } }

    /// A records file's lines (newline included) grouped by member, in file order.
    static func recordLines(inFile path: String) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for record in RecordsFile.records(atPath: path) {
            out[record.member, default: []].append(contentsOf: record.line)
            out[record.member, default: []].append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// The id of a serialized record line: records start `{"schema":"…","id":"…"`.
    static func recordID(inLine line: ArraySlice<UInt8>) -> String? {
        let marker = Array(#","id":""#.utf8)
        guard let start = line.firstRange(of: marker)?.upperBound else { return nil }
        guard let end = line[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: line[start..<end], as: UTF8.self)
    }
}

/// The write stage's state and work, owned by `RecordWriter`'s mutex.
private final class WriteState {
    private final class Sink {
        let release: ReleaseContext
        var next: Int
        var total: Int?
        var error: SluiceError?
        var pending: [Int: WorkItem] = [:]
        let file: RecordsFileWriter
        var records = 0
        /// Records the release had before this run, in file order: (id, member).
        var previous: [(id: String, member: String)] = []
        /// Ids written this run, kept only when the release had records before (to find deletions):
        /// a new release's ids would be a set as large as the release, for nothing.
        var written: Set<String> = []

        init(release: ReleaseContext, file: RecordsFileWriter) {
            self.release = release
            self.file = file
            next = release.unit?.firstSequence ?? 0
        }
    }

    private let outbox: Outbox
    private let ledger: Ledger
    /// The shared-ledger worker this writer serves, if any.
    private let worker: String?
    private var sinks: [String: Sink] = [:]
    private var updates: [ItemUpdate] = []
    private(set) var stats = RunStats()
    private var stickyError: (any Error)?
    /// The last failed flush's error, cleared when a later flush gets the rows in.
    private var flushError: (any Error)?
    /// The first error the ledger or the deletions file gave, or the flush still failing.
    var ledgerError: (any Error)? {
        get { stickyError ?? flushError }
        set { stickyError = stickyError ?? newValue }
    }
    private(set) var deletions: [Deletions.Entry] = []
    /// Called after each item is written, for the progress line.
    private let onProgress: (@Sendable (RunStats) -> Void)?
    /// Called when a release is complete (a worker then marks its unit done).
    private let onComplete: (@Sendable (ReleaseContext) -> Void)?

    /// This run's id, which names its deletions file (rewritten as it grows, before records move into place).
    private let runID: String?

    init(outbox: Outbox, ledger: Ledger, runID: String?, initialDeletions: [Deletions.Entry], worker: String?,
         onProgress: (@Sendable (RunStats) -> Void)?, onComplete: (@Sendable (ReleaseContext) -> Void)?) {
        self.worker = worker
        self.onComplete = onComplete
        self.outbox = outbox
        self.ledger = ledger
        self.runID = runID
        self.onProgress = onProgress
        self.deletions = initialDeletions
        if !initialDeletions.isEmpty { writeDeletions() }
    }

    /// `Outbox/deletions/<run>.json`: the ids of records this run removed, for search indexes.
    func writeDeletions() {
        guard let runID, !deletions.isEmpty else { return }
        do {
            try Deletions(run: runID, deleted: deletions).write(to: outbox.deletionsFile(run: runID))
        } catch {
            // Records must not move into place unless their deletions are listed: keep the error, end the run.
            ledgerError = ledgerError ?? error
        }
    }

    func accept(_ input: WriterInput) {
        switch input {
        case .item(let item):
            let sink = self.sink(for: item.release)
            sink.pending[item.sequence] = item
        case .end(let release, let total, let error):
            let sink = self.sink(for: release)
            sink.total = total
            sink.error = error
            if let error {
                updates.append(ItemUpdate(release: release.name, member: "", stage: .unpack, status: .failed, error: error))
                stats.count(stage: .unpack, status: .failed, mediaType: nil, kind: error.code.rawValue)
            }
        }
        for sink in Array(sinks.values) { drain(sink) }
        if updates.count >= 512 { flushLedger() }
    }

    private func sink(for release: ReleaseContext) -> Sink {
        if let sink = sinks[release.writerKey] { return sink }
        let sink: Sink
        if let shard = release.shard {
            // A shard's part: the release's earlier records are weighed when the parts are put together.
            sink = Sink(release: release, file: RecordsFileWriter(path: outbox.shardPartFile(release: release.name, shard: shard.shard)))
        } else {
            let final = outbox.recordsFile(release: release.name)
            sink = Sink(release: release, file: RecordsFileWriter(path: final))
            sink.previous = RecordsFile.records(atPath: final).map { (id: $0.id, member: $0.member) }
        }
        sinks[release.writerKey] = sink
        return sink
    }

    private func drain(_ sink: Sink) {
        while let item = sink.pending.removeValue(forKey: sink.next) {
            write(item, to: sink)
            sink.next += 1
        }
        if let total = sink.total, sink.next >= total { complete(sink) }
    }

    private func write(_ item: WorkItem, to sink: Sink) {
        var item = item
        let made = item.lines?.bytes ?? []
        if !made.isEmpty || !item.carriedLines.isEmpty {
            if !sink.previous.isEmpty {
                for line in (item.carriedLines + made).split(separator: UInt8(ascii: "\n")) {
                    if let id = RecordWriter.recordID(inLine: line) { sink.written.insert(id) }
                }
            }
            do {
                try sink.file.append { buffer in
                    buffer.append(contentsOf: item.carriedLines)
                    buffer.append(contentsOf: made)
                }
                sink.records += (item.lines?.count ?? 0) + item.carriedLines.count(where: { $0 == UInt8(ascii: "\n") })
                if !made.isEmpty { item.note(.write, .done) }
            } catch {
                item.note(.write, .failed, error: SluiceError(.io, "cannot write records: \(error)", item: item.path))
            }
        }
        stats.absorb(item)
        updates.append(contentsOf: item.updates)
        onProgress?(stats)
    }

    private func complete(_ sink: Sink) {
        sinks.removeValue(forKey: sink.release.writerKey)
        if let shard = sink.release.shard {
            completeShard(sink, shard)
            return
        }
        let before = deletions.count
        for old in sink.previous where !sink.written.contains(old.id) {
            deletions.append(Deletions.Entry(id: old.id, release: sink.release.name, member: old.member))
        }
        if deletions.count > before { writeDeletions() }
        commit(sink)
        do {
            try ledger.finishRelease(name: sink.release.name, status: sink.error == nil ? "done" : "failed",
                                     documents: sink.records, error: sink.error?.description)
            // Only a release whose every row reached the ledger counts as complete: otherwise its
            // unit stays claimed, and is done again by whoever takes it over.
            if updates.isEmpty { onComplete?(sink.release) }
        } catch {
            ledgerError = error
        }
        stats.releasesCompleted += 1
    }

    /// Moves a sink's file into place (a failure is the release's write row), then flushes the rows.
    private func commit(_ sink: Sink) {
        do {
            try sink.file.commit()
        } catch {
            updates.append(ItemUpdate(release: sink.release.name, member: "", stage: .write, status: .failed,
                                      error: SluiceError(.io, "cannot move records into place: \(error)")))
        }
        flushLedger()
    }

    /// A shard's part goes into place (replacing an earlier attempt's) and its rows into the ledger;
    /// the worker completing the release's last shard puts the parts together into its records file.
    private func completeShard(_ sink: Sink, _ shard: WorkUnit) {
        commit(sink)
        // As for a whole release: a shard whose rows did not all reach the ledger stays claimed.
        guard updates.isEmpty, let worker else { return }
        do {
            if try ledger.completeShard(shard, worker: worker) == .last {
                try assemble(sink.release, shard, worker: worker)
            }
            onComplete?(sink.release)
        } catch {
            ledgerError = error
        }
    }

    /// The last shard's worker: the parts, in shard order, become the release's records file (its
    /// records that are gone listed as deletions first); then the ledger renumbers the rows and
    /// finishes the release. Done again whole by whoever takes the last shard over, if this worker dies.
    private func assemble(_ release: ReleaseContext, _ shard: WorkUnit, worker: String) throws {
        let final = outbox.recordsFile(release: release.name)
        let previous = RecordsFile.records(atPath: final)
        if !previous.isEmpty {
            let kept = outbox.shardRecordIDs(release: release.name, shards: shard.shards)
            let before = deletions.count
            for old in previous where !kept.contains(old.id) {
                deletions.append(Deletions.Entry(id: old.id, release: release.name, member: old.member))
            }
            if deletions.count > before { writeDeletions() }
        }
        let records = try outbox.assembleShards(release: release.name, shards: shard.shards)
        if try ledger.finishShardedRelease(shard, worker: worker, documents: records) {
            outbox.removeShardParts(release: release.name)
        }
        stats.releasesCompleted += 1
    }

    func flushLedger() {
        guard !updates.isEmpty else { return }
        do {
            try ledger.record(updates)
        } catch {
            // Kept for the next flush: a shared ledger may come back (the worker retries it for a while).
            flushError = error
            return
        }
        flushError = nil
        updates.removeAll(keepingCapacity: true)
    }
}
