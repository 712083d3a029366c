import SluiceOutbox
import Foundation
import GRDB
import SluiceCore

/// Keeps the embedded search index in step with an Outbox.
///
/// An index of this Sluice's layout is updated in place (`SQLiteIndexSync`: only the records
/// files that changed since its last build, one transaction each, so `sluice search` can run
/// meanwhile). A missing index, one of an older layout, or any index when `full` is asked, is
/// built anew into a temporary file beside the destination and renamed into place when
/// complete, so a search never opens half an index; a full rebuild keeps the build log. One build
/// runs at a time per index (`BuildLock`).
struct SQLiteIndexBuilder {
    let reader: OutboxReader

    /// What is at the index's path before a build.
    enum Found: Equatable {
        /// Nothing, or an empty file.
        case nothing
        case current
        /// A Sluice index of another layout, with its `meta.format`.
        case older(String)
        case newer(String)
        /// A file that is not a Sluice search index (another database, or not a database).
        case foreign
    }

    func update(at path: String, full: Bool) throws(ExportError) -> SQLiteIndexSync.Outcome {
        let listing = try OutboxChanges.Listing(reader: reader)
        let lock = try BuildLock(path: path + ".lock")
        defer { lock.release() }
        let found = Self.inspect(path)
        switch found {
        case .foreign:
            throw ExportError(
                .usage, "this file is not a Sluice search index, so it is left alone; remove it or choose another --out", path: path)
        case .newer(let format) where !full:
            throw ExportError(
                .badIndex,
                "the index is \(format), newer than this Sluice's \(IndexSchema.format); use a newer sluice, or --full to rebuild it with this one",
                path: path)
        case .current where !full:
            return try guarded(path: path) {
                let queue = try DatabaseQueue(path: path, configuration: Self.configuration)
                defer { try? queue.close() }
                return try SQLiteIndexSync(queue: queue, reader: reader, target: path, outbox: reader.outbox)
                    .run(listing: listing, full: false)
            }
        default:
            return try rebuild(at: path, listing: listing, full: full || found != .nothing, keepLog: found == .current)
        }
    }

    /// Builds a new index in `path.tmp-PID` and renames it over `path`; `keepLog` copies the
    /// existing index's build log into it first.
    private func rebuild(at path: String, listing: OutboxChanges.Listing, full: Bool, keepLog: Bool)
        throws(ExportError) -> SQLiteIndexSync.Outcome {
        let temp = path + ".tmp-\(getpid())"
        try? FileManager.default.removeItem(atPath: temp)
        do throws(ExportError) {
            let outcome = try guarded(path: path) {
                let queue = try DatabaseQueue(path: temp, configuration: Self.configuration)
                defer { try? queue.close() }
                let log = keepLog ? try Self.buildLog(of: path) : []
                try queue.write { db in
                    for sql in IndexSchema.create { try db.execute(sql: sql) }
                    try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('format', ?)", arguments: [IndexSchema.format])
                    for row in log {
                        try db.execute(
                            sql: "INSERT INTO builds(\(Self.logColumns)) VALUES (\(IndexWriter.marks(row.count)))",
                            arguments: StatementArguments(row.databaseValues))
                    }
                }
                let outcome = try SQLiteIndexSync(queue: queue, reader: reader, target: path, outbox: reader.outbox)
                    .run(listing: listing, full: full)
                try queue.write { db in
                    for sql in IndexSchema.indexes { try db.execute(sql: sql) }
                }
                try queue.close()
                return outcome
            }
            // rename(2) replaces the old index in one step: a search opens the old file or the new one.
            guard rename(temp, path) == 0 else {
                throw ExportError(.io, "cannot move the new index into place (\(errnoText()))", path: path)
            }
            return outcome
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        }
    }

    /// Waits for another build's or a search's transaction rather than failing at once.
    static var configuration: Configuration {
        var config = Configuration()
        config.busyMode = .timeout(60)
        return config
    }

    /// What is at `path`, read without changing it.
    static func inspect(_ path: String) -> Found {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .nothing }
        guard !isDirectory.boolValue else { return .foreign }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.intValue == 0 {
            return .nothing
        }
        var config = Configuration()
        config.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            let format: String? = try queue.read { db in
                guard try db.tableExists("meta") else { return nil }
                return try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'format'")
            }
            guard let format, format.hasPrefix(IndexSchema.formatPrefix),
                  let version = Int(format.dropFirst(IndexSchema.formatPrefix.count)) else { return .foreign }
            if version == IndexSchema.version { return .current }
            return version < IndexSchema.version ? .older(format) : .newer(format)
        } catch {
            return .foreign
        }
    }

    /// The `builds` rows of the index at `path`, oldest first.
    private static func buildLog(of path: String) throws -> [Row] {
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: config)
        defer { try? queue.close() }
        return try queue.read { db in try Row.fetchAll(db, sql: "SELECT \(logColumns) FROM builds ORDER BY id") }
    }

    private static let logColumns = """
        id, started_at, finished_at, outbox, full_rebuild, releases_applied, releases_removed, records_written,
        records_removed, deletion_runs
        """

    /// Runs `body`, every error that is not already an `ExportError` said as one about the index.
    private func guarded<T>(path: String, _ body: () throws -> T) throws(ExportError) -> T {
        do {
            return try body()
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError(.io, "cannot update the search index", path: path, cause: error)
        }
    }
}

/// One build at a time per index, as the PostgreSQL export's advisory lock has it: an exclusive
/// `flock` on `INDEX.lock`, waited for, so a second build finds the first one's work done instead
/// of applying the same releases twice. The file stays (removing it would let a waiting build and
/// a new one lock two different files).
private final class BuildLock {
    private let fd: Int32

    init(path: String) throws(ExportError) {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ExportError(.io, "cannot open the index's lock file (\(errnoText()))", path: path)
        }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = errnoText()
                close(fd)
                throw ExportError(.io, "cannot lock the index (\(reason))", path: path)
            }
        }
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// The C library's words for `errno`. `strerror` returns a NUL-terminated string in a buffer it
/// owns, valid until its next call on this thread: it is copied into a Swift string at once.
private func errnoText() -> String {
    String(cString: strerror(errno))
}
