import Foundation
public import Logging
import SluiceCore
import SluiceLedger
import SluiceUnpack

/// Where a run reads and writes, and how.
public struct RunOptions: Sendable {
    public var inbox: String
    public var outbox: String
    public var config: PipelineConfig

    public init(inbox: String, outbox: String, config: PipelineConfig) {
        self.inbox = inbox
        self.outbox = outbox
        self.config = config
    }

    /// The ledger file: `ledger.path` from the pipeline, relative to the Outbox.
    public var ledgerPath: String {
        config.ledgerPath.hasPrefix("/") ? config.ledgerPath : "\(outbox)/\(config.ledgerPath)"
    }
}

/// What a run did.
public struct RunReport: Sendable {
    public var runID: String
    public var releasesSeen = 0
    public var releasesProcessed = 0
    public var releasesUnchanged = 0
    public var releasesRemoved: [String] = []
    public var stats = RunStats()
    public var seconds = 0.0
    public var manifestPath = ""

    /// 0 when every item was done or skipped, 1 when something failed or was quarantined.
    public var exitCode: Int32 { stats.failed > 0 ? 1 : 0 }
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

    public init(options: RunOptions, logger: Logger, progress: (@Sendable (String) -> Void)? = nil) {
        self.options = options
        self.logger = logger
        self.progress = progress
    }

    public func execute() throws -> RunReport {
        let started = Date()
        let fm = FileManager.default
        let recordsDir = "\(options.outbox)/records"
        do {
            try fm.createDirectory(atPath: recordsDir, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: "\(options.outbox)/runs", withIntermediateDirectories: true)
        } catch {
            throw RunError("cannot create the Outbox at \(options.outbox): \(error)")
        }
        let lock = try OutboxLock(outbox: options.outbox)
        defer { lock.release() }

        let ledger: Ledger
        do { ledger = try Ledger(path: options.ledgerPath) } catch { throw RunError("\(error)") }
        let processor = try DocumentProcessor(config: options.config)

        var report = RunReport(runID: PipelineRun.makeRunID(started))
        let discovered = try ReleaseDiscovery.releases(in: options.inbox)
        report.releasesSeen = discovered.count

        // Releases no longer in the Inbox: their records go.
        let present = Set(discovered.map(\.name))
        for known in try ledger.releases() where !present.contains(known.name) {
            try? fm.removeItem(atPath: RecordWriter.recordsPath(recordsDir: recordsDir, release: known.name))
            try ledger.removeRelease(name: known.name)
            report.releasesRemoved.append(known.name)
            logger.info("release removed from the Inbox; its records were deleted", metadata: ["sluice.release": "\(known.name)"])
        }

        var todo: [ReleaseContext] = []
        for release in discovered {
            let digest = try ReleaseDiscovery.sha256(ofFile: release.path)
            let key = releaseKey(sha256: digest.hex)
            let recordsFile = RecordWriter.recordsPath(recordsDir: recordsDir, release: release.name)
            if let known = try ledger.release(named: release.name), known.key == key, known.status != "running",
               known.documents == 0 || fm.fileExists(atPath: recordsFile) {
                report.releasesUnchanged += 1
                logger.debug("release unchanged; skipped", metadata: ["sluice.release": "\(release.name)"])
                continue
            }
            try ledger.beginRelease(name: release.name, key: key, sha256: digest.hex, bytes: digest.bytes)
            todo.append(ReleaseContext(name: release.name, path: release.path, sha256: digest.hex, bytes: digest.bytes))
        }
        report.releasesProcessed = todo.count

        if !todo.isEmpty {
            let writer = RecordWriter(recordsDir: recordsDir, ledger: ledger)
            if let progress {
                let total = todo.count
                let clock = ProgressClock()
                writer.onProgress = { stats in
                    guard clock.due() else { return }
                    progress("releases \(stats.releasesCompleted)/\(total) · documents \(stats.documents) · failed \(stats.failed) · skipped \(stats.skipped)")
                }
            }
            streamReleases(todo, processor: processor, writer: writer)
            if let error = writer.ledgerError { throw RunError("the ledger failed during the run: \(error)") }
            report.stats = writer.stats
        }
        report.seconds = Date().timeIntervalSince(started)
        report.manifestPath = try RunManifest.write(report, options: options, started: started)
        return report
    }

    /// The four pools, wired back to front so each can push into the next.
    private func streamReleases(_ releases: [ReleaseContext], processor: DocumentProcessor, writer: RecordWriter) {
        let config = options.config
        let writePool = StagePool<WriterInput>(label: "write", workers: 1, capacity: config.writeStage.queue) { input in
            writer.accept(input)
        }
        let extractPool = StagePool<WorkItem>(label: "extract", workers: config.extractStage.workers,
                                              capacity: config.extractStage.queue) { item in
            var item = item
            for document in item.documents {
                let extraction = processor.extract(document)
                item.records.append(processor.record(release: item.release.name, member: item.path, sha256: item.sha256,
                                                     bytes: item.bytes, document: document, extraction: extraction))
            }
            item.documents = []
            item.note(.extract, .done)
            writePool.input.push(.item(item))
        }
        let parsePool = StagePool<WorkItem>(label: "parse", workers: config.parseStage.workers,
                                            capacity: config.parseStage.queue) { item in
            var item = item
            guard let member = item.member else {
                writePool.input.push(.item(item))
                return
            }
            item.member = nil
            item.sha256 = SHA256.hex(member.data)
            item.bytes = member.data.count
            item.inputBytes = member.data.count
            do {
                item.documents = try processor.parse(member)
                let mediaType = item.documents.first?.mediaType.rawValue
                item.note(.unpack, .done, mediaType: mediaType)
                item.note(.parse, .done, mediaType: mediaType)
                extractPool.input.push(item)
            } catch {
                item.note(.unpack, .done)
                item.note(.parse, .failed, error: PipelineRun.asSluiceError(error, item: member.path))
                writePool.input.push(.item(item))
            }
        }
        let budgets = config.unpack
        let logger = self.logger
        let unpackPool = StagePool<ReleaseContext>(label: "unpack", workers: config.unpackStage.workers,
                                                   capacity: config.unpackStage.queue) { release in
            var sequence = 0
            var failure: SluiceError?
            do {
                try Unpacker(budgets: budgets).unpack(path: release.path, release: release.name) { event in
                    var item: WorkItem
                    switch event {
                    case .document(let member):
                        item = WorkItem(release: release, sequence: sequence, path: member.path, member: member)
                        sequence += 1
                        parsePool.input.push(item)
                        return
                    case .skipped(let path, let reason):
                        item = WorkItem(release: release, sequence: sequence, path: path)
                        item.note(.unpack, .skipped, error: reason)
                    case .failed(let path, let error):
                        item = WorkItem(release: release, sequence: sequence, path: path)
                        item.note(.unpack, .failed, error: error)
                    }
                    sequence += 1
                    writePool.input.push(.item(item))
                }
            } catch {
                failure = PipelineRun.asSluiceError(error, item: release.name)
                logger.error("release could not be unpacked", metadata: ["sluice.release": "\(release.name)", "sluice.error": "\(error)"])
            }
            writePool.input.push(.end(release, total: sequence, error: failure))
        }
        for release in releases { unpackPool.input.push(release) }
        unpackPool.finish()
        parsePool.finish()
        extractPool.finish()
        writePool.finish()
        writer.flushLedger()
    }

    func releaseKey(sha256: String) -> String {
        let versions = DocumentProcessor.versions.map { "\($0.0)=\($0.1.stringValue ?? "")" }.joined(separator: ",")
        return SHA256.hex(Array("\(sha256)|\(options.config.fingerprint)|\(versions)".utf8))
    }

    static func asSluiceError(_ error: any Error, item: String) -> SluiceError {
        if let error = error as? SluiceError { return error }
        return SluiceError(.internal, "\(error)", item: item)
    }

    static func makeRunID(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return "\(formatter.string(from: date))-\(getpid())"
    }
}

/// Rate-limits the progress line to a few updates a second.
final class ProgressClock: @unchecked Sendable {
    // @unchecked: used only from the write stage's single worker.
    private var last = Date.distantPast
    func due() -> Bool {
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.2 else { return false }
        last = now
        return true
    }
}
