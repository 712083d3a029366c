import Foundation

/// The Outbox's layout: the one place that knows where each thing lives.
///
///     OUTBOX/
///       records/<release>.ndjson   one record per line, per release, replaced atomically
///       deletions/<run id>.json    ids of records a run removed
///       runs/<run id>.json         what each run did
///       ledger.sqlite              the ledger (unless the pipeline puts it elsewhere)
///       shards/<release>/<k>.ndjson the records of shard k of a sharded release (shared ledger), until
///                                  its last shard puts them together as records/<release>.ndjson
///       exports/<format>/          `sluice export` folders
///       search.sqlite              the embedded search index
///       .sluice.lock               held by the run in progress
///
/// The scheduler, the exports and the command line ask it for paths; none of
/// them spells a path of the Outbox itself.
public struct Outbox: Sendable, Equatable {
    /// The Outbox folder.
    public let root: String

    public init(_ root: String) {
        self.root = root
    }

    /// The ledger's file name when the pipeline names none.
    public static let defaultLedger = "ledger.sqlite"

    public var records: String { join(root, "records") }
    public var deletions: String { join(root, "deletions") }
    public var runs: String { join(root, "runs") }
    public var lockFile: String { join(root, ".sluice.lock") }
    public var searchIndex: String { join(root, "search.sqlite") }
    /// Records parts of sharded releases in progress.
    public var shards: String { join(root, "shards") }

    /// A release's records file (its name relative to the Inbox, so a release in a subfolder keeps it).
    public func recordsFile(release: String) -> String { join(records, release + ".ndjson") }
    /// The deletions a run made.
    public func deletionsFile(run: String) -> String { join(deletions, run + ".json") }
    /// A run's manifest.
    public func manifestFile(run: String) -> String { join(runs, run + ".json") }
    /// Where `sluice export --format FORMAT` writes a folder export by default.
    public func exportFolder(format: String) -> String { join(join(root, "exports"), format) }

    /// The ledger file: `configured` (the pipeline's `ledger.path`) when absolute, else inside the Outbox.
    public func ledger(configured: String = Outbox.defaultLedger) -> String {
        configured.hasPrefix("/") ? configured : join(root, configured)
    }

    /// Creates the folders a run writes into.
    public func createFolders() throws(OutboxError) {
        for folder in [records, runs] {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw OutboxError(.io, "cannot create the Outbox folder", path: folder, cause: error)
            }
        }
    }

    /// The records part of shard `shard` of a sharded release: replaced whole by the shard's last attempt.
    public func shardPartFile(release: String, shard: Int) -> String {
        join(join(shards, release), "\(shard).ndjson")
    }

    /// Temporary records files (and parts of sharded releases) left by a run that was killed: never
    /// part of the output.
    public func removeTemporaryFiles() {
        if FileManager.default.fileExists(atPath: shards) { try? FileManager.default.removeItem(atPath: shards) }
        guard let walker = FileManager.default.enumerator(atPath: records) else { return }
        for case let name as String in walker where name.contains(RecordsFileWriter.temporaryMarker) {
            try? FileManager.default.removeItem(atPath: join(records, name))
        }
    }

    /// The temporary records file a writer in process `pid` (of this machine) left for `release`,
    /// removed: a shared-ledger worker that takes over a dead one's unit clears what it left.
    public func removeTemporaryRecordsFile(release: String, pid: Int32) {
        try? FileManager.default.removeItem(atPath: recordsFile(release: release) + RecordsFileWriter.temporaryMarker + "\(pid)")
    }

    /// The temporary part a writer in process `pid` (of this machine) left for a shard, removed.
    public func removeTemporaryShardPart(release: String, shard: Int, pid: Int32) {
        try? FileManager.default.removeItem(atPath: shardPartFile(release: release, shard: shard) + RecordsFileWriter.temporaryMarker + "\(pid)")
    }

    /// Every record id of a sharded release's parts: what its records file will hold.
    public func shardRecordIDs(release: String, shards: Int) -> Set<String> {
        var ids: Set<String> = []
        for shard in 0..<shards {
            for record in RecordsFile.records(atPath: shardPartFile(release: release, shard: shard)) { ids.insert(record.id) }
        }
        return ids
    }

    /// Puts a sharded release's records file together: its parts' lines in shard order, renamed
    /// into place whole (no file when no part has a line, as for a release without records).
    /// Returns the number of records. The parts stay until `removeShardParts` (a worker that dies
    /// before the ledger says the release is finished leaves them for the one that takes over).
    public func assembleShards(release: String, shards: Int) throws(OutboxError) -> Int {
        let writer = RecordsFileWriter(path: recordsFile(release: release))
        var records = 0
        for shard in 0..<shards {
            let part = shardPartFile(release: release, shard: shard)
            guard FileManager.default.fileExists(atPath: part) else { continue }
            guard let handle = FileHandle(forReadingAtPath: part) else {
                throw OutboxError(.io, "cannot read a shard's records", path: part)
            }
            defer { try? handle.close() }
            while true {
                let chunk: Data
                do {
                    chunk = try handle.read(upToCount: RecordsFileWriter.flushBytes) ?? Data()
                } catch {
                    throw OutboxError(.io, "cannot read a shard's records", path: part, cause: error)
                }
                if chunk.isEmpty { break }
                records += chunk.count(where: { $0 == UInt8(ascii: "\n") })
                try writer.append { $0.append(contentsOf: chunk) }
            }
        }
        try writer.commit()
        return records
    }

    /// A sharded release's parts, removed once the ledger says the release is finished.
    public func removeShardParts(release: String) {
        try? FileManager.default.removeItem(atPath: join(shards, release))
    }

    /// Writes `bytes` to `path` under a temporary name, then renames it: a reader sees the old file or the new one.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(OutboxError) {
        let folder = (path as NSString).deletingLastPathComponent
        let temp = path + ".tmp-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw OutboxError(.io, "cannot create the folder", path: folder, cause: error)
        }
        guard FileManager.default.createFile(atPath: temp, contents: Data(bytes)) else {
            throw OutboxError(.io, "cannot write the file", path: temp)
        }
        guard rename(temp, path) == 0 else {
            unlink(temp)
            throw OutboxError(.io, "cannot move the file into place", path: path)
        }
    }

    private func join(_ a: String, _ b: String) -> String { (a as NSString).appendingPathComponent(b) }
}
