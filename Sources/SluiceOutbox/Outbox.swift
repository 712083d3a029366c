import Foundation

/// The Outbox's layout: the one place that knows where each thing lives.
///
///     OUTBOX/
///       records/<release>.ndjson   one record per line, per release, replaced atomically
///       deletions/<run id>.json    ids of records a run removed
///       runs/<run id>.json         what each run did
///       ledger.sqlite              the ledger (unless the pipeline puts it elsewhere)
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

    /// Temporary records files left by a run that was killed: never part of the output.
    public func removeTemporaryFiles() {
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
