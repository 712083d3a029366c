import Foundation
public import Logging
import SluiceCore
public import SluiceLedger
public import SluiceOutbox
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Where a run reads and writes, and how.
public struct RunOptions: Sendable {
    public var inbox: String
    public var outbox: String
    public var config: PipelineConfig
    /// The program that runs parse children when the pipeline says `isolation: process`: the
    /// command line passes `ChildCommand.sluice` (itself); tests pass the one they built. A run
    /// with `isolation: process` and no child command cannot proceed.
    public var child: ChildCommand?
    /// `--ledger URL`: the ledger, whatever the pipeline says.
    public var ledgerOverride: LedgerLocation?

    public init(inbox: String, outbox: String, config: PipelineConfig, child: ChildCommand? = nil,
                ledger: LedgerLocation? = nil) {
        self.inbox = inbox
        self.outbox = outbox
        self.config = config
        self.child = child
        self.ledgerOverride = ledger
    }

    /// The Outbox's layout.
    public var layout: Outbox { Outbox(outbox) }

    /// The ledger file: `ledger.path` from the pipeline, relative to the Outbox.
    public var ledgerPath: String { layout.ledger(configured: config.ledgerPath) }

    /// The ledger: `--ledger`, else the pipeline's `ledger.url`, else the SQLite file at `ledger.path`.
    /// A relative SQLite path in `ledger.url` is inside the Outbox, as `ledger.path` is.
    public var ledger: LedgerLocation {
        if let ledgerOverride { return ledgerOverride }
        if let url = config.ledgerURL, case .success(let location) = LedgerLocation.parse(url) {
            if case .sqlite(let path) = location { return .sqlite(path: layout.ledger(configured: path)) }
            return location
        }
        return .sqlite(path: ledgerPath)
    }
}

/// What a run did.
public struct RunReport: Sendable {
    public var runID: String
    public var releasesSeen = 0
    public var releasesProcessed = 0
    public var releasesUnchanged = 0
    public var releasesRemoved: [String] = []
    /// Records removed by this run (changed or removed releases).
    public var deletions = 0
    public var stats = RunStats()
    public var seconds = 0.0
    public var manifestPath = ""
    /// With a shared ledger: failed and quarantined items of the releases this run enqueued,
    /// whichever worker did them.
    public var sharedFailures = 0
    /// With a shared ledger: units this process completed, and units it enqueued.
    public var unitsDone = 0
    public var unitsEnqueued = 0
    /// What this process was with a shared ledger; nil for a run on a SQLite ledger.
    public var sharedRole: SharedRole?

    /// The parts a process plays with a shared ledger.
    public enum SharedRole: String, Sendable {
        /// `run --enqueue-only`.
        case enqueue
        /// `worker`.
        case worker
        /// `run`: enqueues, then works.
        case run
    }

    /// 0 when every item was done or skipped, 1 when something failed or was quarantined.
    public var exitCode: Int32 { stats.failed > 0 || sharedFailures > 0 ? 1 : 0 }
}

/// Why a run could not proceed at all (exit status 3).
public struct RunError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One `sluice run`: discover releases, skip unchanged ones, stream the rest
/// through the unpack -> parse -> extract -> write pools, and report.
public final class PipelineRun: Sendable {
    let options: RunOptions
    let logger: Logger
    let progress: (@Sendable (String) -> Void)?
    /// The parse and extract work; nil means a `DocumentProcessor` for the pipeline.
    let processing: (any DocumentProcessing)?

    /// A run of `options`. `processing` replaces the parse and extract work (a wrapper
    /// that injects faults, in tests); by default it is the pipeline's `DocumentProcessor`.
    public init(options: RunOptions, logger: Logger, progress: (@Sendable (String) -> Void)? = nil,
                processing: (any DocumentProcessing)? = nil) {
        self.options = options
        self.logger = logger
        self.progress = progress
        self.processing = processing
    }

    public func execute() throws -> RunReport {
        if options.ledger.isShared { return try SharedRun(run: self).execute(enqueueOnly: false) }
        return try withOutbox { ledger, processor, marker, report in
            let (todo, removed) = try discover(ledger: ledger, report: &report, shared: false)
            let writer = makeWriter(ledger: ledger, runID: report.runID, initialDeletions: removed, total: todo.count)
            if !todo.isEmpty {
                let graph = try StageGraph(config: options.config, processor: processor, writer: writer, progress: marker,
                                       logger: logger)
                // Biggest releases first (ties by name): their large documents then run beside the many small ones
                // of the rest instead of alone on one core at the end of the run. Each release still has its own
                // records file in archive order, so the order of work changes no record.
                for release in todo.sorted(by: { ($1.bytes, $0.name) < ($0.bytes, $1.name) }) {
                    graph.unpackPool.input.push(release)
                }
                graph.finish()
                writer.flushLedger()
            }
            return writer
        }
    }

    /// Finds the releases to process: new and changed ones are begun in the ledger and returned;
    /// those gone from the Inbox lose their records (returned as deletions). With a shared
    /// ledger, a release already queued for its current bytes is left to the worker that has it.
    /// `gone` is called with the deletions before any release is begun, `begun` with each release
    /// as soon as it is begun.
    func discover(ledger: Ledger, report: inout RunReport, shared: Bool, gone: ([Deletions.Entry]) throws -> Void = { _ in },
                  begun: (ReleaseContext) throws -> Void = { _ in }) throws -> (todo: [ReleaseContext], removed: [Deletions.Entry])
    {
        let fm = FileManager.default
        let discovered = try ReleaseDiscovery.releases(in: options.inbox)
        report.releasesSeen = discovered.count

        // Releases no longer in the Inbox: their records go, listed as deletions.
        var removed: [Deletions.Entry] = []
        let present = Set(discovered.map(\.name))
        let states = try ledger.releases()
        for known in states where !present.contains(known.name) {
            let file = options.layout.recordsFile(release: known.name)
            removed += RecordsFile.records(atPath: file).map { .init(id: $0.id, release: known.name, member: $0.member) }
            try? fm.removeItem(atPath: file)
            try ledger.removeRelease(name: known.name)
            report.releasesRemoved.append(known.name)
            logger.notice("release gone from the Inbox; its records were deleted", metadata: ["sluice.release": "\(known.name)"])
        }

        try gone(removed)

        // Every release's state from the one read above, not a query per release (a round trip each on PostgreSQL).
        let knownStates = Dictionary(states.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var todo: [ReleaseContext] = []
        for release in discovered {
            let digest = try ReleaseDiscovery.sha256(ofFile: release.path)
            let key = releaseKey(sha256: digest.hex)
            let recordsFile = options.layout.recordsFile(release: release.name)
            let known = knownStates[release.name]
            if let known, known.key == key, known.status != "running",
               known.documents == 0 || fm.fileExists(atPath: recordsFile) {
                report.releasesUnchanged += 1
                continue
            }
            if shared, let known, known.key == key, try ledger.isQueued(release: release.name) {
                report.releasesProcessed += 1
                continue
            }
            let inFlight = try ledger.beginRelease(name: release.name, key: key, sha256: digest.hex, bytes: digest.bytes)
            let context = ReleaseContext(name: release.name, path: release.path, sha256: digest.hex, bytes: digest.bytes,
                                         inFlight: inFlight)
            todo.append(context)
            try begun(context)
        }
        report.releasesProcessed += todo.count
        return (todo, removed)
    }

    /// Lock, ledger, processor and clean-up around the work of a run or re-run; writes the run manifest.
    func withOutbox(_ body: (Ledger, any DocumentProcessing, InFlightMarker, inout RunReport) throws -> RecordWriter) throws
        -> RunReport
    {
        let started = Date()
        PipelineRun.capMallocArenas()
        let layout = options.layout
        var lock: OutboxLock?
        do {
            try layout.createFolders()
            // Workers sharing a ledger share the Outbox too: the ledger's units keep them apart, and
            // another worker's temporary records file is its work in progress, not a leftover.
            if !options.ledger.isShared { lock = try OutboxLock(outbox: layout) }
        } catch {
            throw RunError(error.description)
        }
        defer { lock?.release() }
        if lock != nil { layout.removeTemporaryFiles() }

        // Parse children are started first: they load while the ledger is opened (created, for a new Outbox).
        let processor = try processing ?? makeProcessor()
        // Children end with the run, reaped here, not when the last reference happens to go.
        defer { (processor as? IsolatedProcessor)?.shutdown() }
        let ledger = try PipelineRun.openLedger(options, logger: logger)
        defer { ledger.close() }
        let marker = InFlightMarker(ledger: ledger, inProcess: !(processor is IsolatedProcessor))
        var report = RunReport(runID: PipelineRun.makeRunID(started))
        let writer = try body(ledger, processor, marker, &report)
        if let error = writer.ledgerError ?? marker.error { throw RunError("the ledger failed during the run: \(error)") }
        report.stats = writer.stats
        report.deletions = writer.deletionCount
        report.seconds = Date().timeIntervalSince(started)
        report.manifestPath = try RunManifest.write(report, options: options, started: started)
        return report
    }

    /// The pipeline's processor: in this process, or in children (`parse.isolation`).
    func makeProcessor() throws -> any DocumentProcessing {
        switch options.config.isolation.mode {
        case .none:
            return try DocumentProcessor(config: options.config)
        case .process:
            guard let child = options.child else {
                throw RunError("the pipeline says `isolation: process` but no program to run parse children was given")
            }
            let processor = IsolatedProcessor(config: options.config, command: child)
            // The children load while the run finds and hashes its releases; the stage graph waits for them
            // (`prepare`) before the first document. One that cannot start is the run's error, not each document's.
            do { try processor.launchChildren() } catch { throw RunError("\(error)") }
            return processor
        }
    }

    func makeWriter(ledger: Ledger, runID: String, initialDeletions: [Deletions.Entry], total: Int, worker: String? = nil,
                    onComplete: (@Sendable (ReleaseContext) -> Void)? = nil) -> RecordWriter {
        var onProgress: (@Sendable (RunStats) -> Void)?
        if let progress {
            let clock = ProgressClock()
            onProgress = { stats in
                guard clock.due() else { return }
                progress("releases \(stats.releasesCompleted)/\(total) · documents \(stats.documents) · failed \(stats.failed) · skipped \(stats.skipped)")
            }
        }
        return RecordWriter(outbox: options.layout, ledger: ledger, runID: runID, initialDeletions: initialDeletions,
                            worker: worker, onProgress: onProgress, onComplete: onComplete)
    }

    /// glibc gives each thread that meets a locked heap an arena of its own (up to 8 per core) and
    /// keeps freed memory in each: with documents of megabytes going through six threads, peak RSS
    /// on the 10x benchmark was ~200 MB with arenas and ~150 MB with two. Two arenas keep most
    /// allocations uncontended on two cores; per-thread caches still serve small sizes.
    static func capMallocArenas() {
        #if canImport(Glibc)
        // mallopt is not in the Glibc module map: look it up. M_ARENA_MAX is -8 in <malloc.h>.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(-8, 2)
        #endif
    }

    func releaseKey(sha256: String) -> String {
        let versions = DocumentProcessor.versions.map { "\($0.0)=\($0.1.stringValue ?? "")" }.joined(separator: ",")
        return SHA256.hex(Array("\(sha256)|\(options.config.fingerprint)|\(versions)".utf8))
    }

    /// Opens the run's ledger; a ledger that cannot be opened (PostgreSQL down) stops the run (exit 3).
    public static func openLedger(_ options: RunOptions, logger: Logger) throws -> Ledger {
        do {
            return try Ledger(options.ledger, logger: logger)
        } catch {
            throw RunError("the ledger is unavailable: \(error)")
        }
    }

    static func asSluiceError(_ error: any Error, item: String) -> SluiceError {
        if let error = error as? SluiceError { return error }
        return SluiceError(.internal, "\(error)", item: item)
    }

    static func makeRunID(_ date: Date) -> String {
        "\(Timestamp.format(secondsSince1970: date.timeIntervalSince1970, .compact))-\(getpid())"
    }
}

/// Rate-limits the progress line to a few updates a second.
final class ProgressClock: Sendable {
    private let last = Mutex(Date.distantPast)

    func due() -> Bool {
        let now = Date()
        return last.withLock { last in
            guard now.timeIntervalSince(last) >= 0.2 else { return false }
            last = now
            return true
        }
    }
}
