import Foundation
import SluiceCore
import SluiceLedger

/// The write stage: puts each release's records in archive order into a
/// temporary file and renames it into `records/` once the release is complete,
/// so a reader never sees half a release and a crash leaves no partial file.
///
/// Used only from the write pool's single worker.
final class RecordWriter: @unchecked Sendable {
    // @unchecked: all state is touched only by the write stage's one worker thread.
    private final class Sink {
        let release: ReleaseContext
        var next = 0
        var total: Int?
        var error: SluiceError?
        var pending: [Int: WorkItem] = [:]
        var handle: FileHandle?
        /// Record lines not yet written to `handle`: one write per ~1 MiB, not per item.
        var buffer: [UInt8] = []
        var tempPath: String
        var records = 0
        /// Records the release had before this run, in file order: (id, member).
        var previous: [(id: String, member: String)] = []
        /// Ids written this run, kept only when the release had records before (to find deletions):
        /// a new release's ids would be a set as large as the release, for nothing.
        var written: Set<String> = []

        init(release: ReleaseContext, tempPath: String) {
            self.release = release
            self.tempPath = tempPath
        }
    }

    /// A record that a run removed: search indexes should drop it.
    struct Deletion: Sendable {
        var id: String
        var release: String
        var member: String
    }

    private let recordsDir: String
    private let ledger: Ledger
    private var sinks: [String: Sink] = [:]
    private var updates: [ItemUpdate] = []
    private(set) var stats = RunStats()
    private(set) var ledgerError: (any Error)?
    private(set) var deletions: [Deletion] = []
    /// Called after each item is written, for the progress line.
    var onProgress: ((RunStats) -> Void)?

    /// Where this run's deletion list goes (rewritten as it grows, before records move into place).
    private let deletionsPath: String?

    init(recordsDir: String, ledger: Ledger, deletionsPath: String?, initialDeletions: [Deletion] = []) {
        self.recordsDir = recordsDir
        self.ledger = ledger
        self.deletionsPath = deletionsPath
        self.deletions = initialDeletions
        if !initialDeletions.isEmpty { writeDeletions() }
    }

    /// `Outbox/deletions/<run>.json`: the ids of records this run removed, for search indexes.
    func writeDeletions() {
        guard let deletionsPath, !deletions.isEmpty else { return }
        let run = ((deletionsPath as NSString).lastPathComponent as NSString).deletingPathExtension
        let value = JSONValue.object([
            ("run", .string(run)),
            ("deleted", .array(deletions.map {
                .object([("id", .string($0.id)), ("release", .string($0.release)), ("member", .string($0.member))])
            })),
        ])
        let dir = (deletionsPath as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let temp = deletionsPath + ".tmp"
        if FileManager.default.createFile(atPath: temp, contents: Data(value.serializedBytes() + [0x0A])) {
            _ = rename(temp, deletionsPath)
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
        if let sink = sinks[release.name] { return sink }
        let final = RecordWriter.recordsPath(recordsDir: recordsDir, release: release.name)
        let sink = Sink(release: release, tempPath: final + ".tmp-\(getpid())")
        sink.previous = RecordWriter.recordIDs(inFile: final)
        sinks[release.name] = sink
        return sink
    }

    /// The (id, member) of every record in a records file, in order.
    static func recordIDs(inFile path: String) -> [(id: String, member: String)] {
        storedRecords(inFile: path).map { (id: $0.id, member: $0.member) }
    }

    /// A records file's lines (newline included) grouped by member, in file order.
    static func recordLines(inFile path: String) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for record in storedRecords(inFile: path) {
            out[record.member, default: []].append(contentsOf: record.line)
            out[record.member, default: []].append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// Every record line of a records file with its id and member, in file order.
    private static func storedRecords(inFile path: String) -> [(id: String, member: String, line: ArraySlice<UInt8>)] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let bytes = [UInt8](data)
        return bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let id = object["id"] as? String,
                  let member = (object["source"] as? [String: Any])?["member"] as? String else { return nil }
            return (id: id, member: member, line: line)
        }
    }

    /// The id of a serialized record line: records start `{"schema":"…","id":"…"`.
    static func recordID(inLine line: ArraySlice<UInt8>) -> String? {
        let marker = Array(#","id":""#.utf8)
        guard let start = line.firstRange(of: marker)?.upperBound else { return nil }
        guard let end = line[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: line[start..<end], as: UTF8.self)
    }

    /// Where a release's records live.
    static func recordsPath(recordsDir: String, release: String) -> String {
        "\(recordsDir)/\(release).ndjson"
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
        if !item.records.isEmpty || !item.carriedLines.isEmpty {
            let mark = sink.buffer.count
            sink.buffer.append(contentsOf: item.carriedLines)
            for line in item.carriedLines.split(separator: UInt8(ascii: "\n")) {
                if !sink.previous.isEmpty, let id = RecordWriter.recordID(inLine: line) { sink.written.insert(id) }
            }
            for record in item.records {
                JSONWriter.write(record.json(), into: &sink.buffer)
                sink.buffer.append(UInt8(ascii: "\n"))
                if !sink.previous.isEmpty { sink.written.insert(record.id) }
            }
            do {
                if sink.buffer.count >= RecordWriter.flushBytes { try flush(sink) }
                sink.records += item.records.count + item.carriedLines.count(where: { $0 == UInt8(ascii: "\n") })
                if !item.records.isEmpty { item.note(.write, .done) }
            } catch {
                sink.buffer.removeSubrange(min(mark, sink.buffer.count)...)
                item.note(.write, .failed, error: SluiceError(.io, "cannot write records: \(error)", item: item.path))
            }
        }
        stats.absorb(item)
        updates.append(contentsOf: item.updates)
        onProgress?(stats)
    }

    /// Buffered record bytes go out in writes of about this size.
    static let flushBytes = 1 << 20

    /// Writes the sink's buffered lines to its temporary file.
    private func flush(_ sink: Sink) throws {
        guard !sink.buffer.isEmpty else { return }
        let handle = try sink.handle ?? openTemp(sink)
        try handle.write(contentsOf: sink.buffer)
        sink.buffer.removeAll(keepingCapacity: true)
    }

    private func openTemp(_ sink: Sink) throws -> FileHandle {
        let dir = (sink.tempPath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: sink.tempPath, contents: nil) else {
            throw SluiceError(.io, "cannot create \(sink.tempPath)")
        }
        guard let handle = FileHandle(forWritingAtPath: sink.tempPath) else {
            throw SluiceError(.io, "cannot create \(sink.tempPath)")
        }
        sink.handle = handle
        return handle
    }

    private func complete(_ sink: Sink) {
        sinks.removeValue(forKey: sink.release.name)
        let before = deletions.count
        for old in sink.previous where !sink.written.contains(old.id) {
            deletions.append(Deletion(id: old.id, release: sink.release.name, member: old.member))
        }
        if deletions.count > before { writeDeletions() }
        let final = RecordWriter.recordsPath(recordsDir: recordsDir, release: sink.release.name)
        do {
            try flush(sink)
            if let handle = sink.handle {
                try handle.synchronize()
                try handle.close()
                if FileManager.default.fileExists(atPath: final) { try FileManager.default.removeItem(atPath: final) }
                try FileManager.default.moveItem(atPath: sink.tempPath, toPath: final)
            } else if FileManager.default.fileExists(atPath: final) {
                try FileManager.default.removeItem(atPath: final)
            }
        } catch {
            updates.append(ItemUpdate(release: sink.release.name, member: "", stage: .write, status: .failed,
                                      error: SluiceError(.io, "cannot move records into place: \(error)")))
        }
        flushLedger()
        do {
            try ledger.finishRelease(name: sink.release.name, status: sink.error == nil ? "done" : "failed",
                                     documents: sink.records, error: sink.error?.description)
        } catch {
            ledgerError = error
        }
        stats.releasesCompleted += 1
    }

    func flushLedger() {
        guard !updates.isEmpty else { return }
        do {
            try ledger.record(updates)
        } catch {
            ledgerError = error
        }
        updates.removeAll(keepingCapacity: true)
    }
}
