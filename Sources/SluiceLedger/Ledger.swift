public import SluiceCore
internal import GRDB
import Foundation

/// One (document, stage) outcome, as the scheduler reports it.
public struct ItemUpdate: Sendable {
    public var release: String
    public var member: String
    public var stage: Stage
    public var status: ItemStatus
    public var mediaType: String?
    public var error: SluiceError?
    /// Attempts so far, this one included.
    public var attempts: Int
    /// Position in the release (archive order); -1 for release-level rows.
    public var sequence: Int
    /// SHA-256 of the member's bytes, the key of its cached stage outputs.
    public var sha256: String?

    public init(release: String, member: String, stage: Stage, status: ItemStatus, mediaType: String? = nil,
                error: SluiceError? = nil, attempts: Int = 1, sequence: Int = -1, sha256: String? = nil) {
        self.release = release
        self.member = member
        self.stage = stage
        self.status = status
        self.mediaType = mediaType
        self.error = error
        self.attempts = attempts
        self.sequence = sequence
        self.sha256 = sha256
    }
}

/// What the ledger knows of a release.
public struct ReleaseState: Sendable, Equatable {
    public var name: String
    /// SHA-256 of the bytes, the pipeline and the extractor versions.
    public var key: String
    public var sha256: String
    public var status: String
    public var documents: Int
}

/// The ledger: every document and every stage outcome, in SQLite (GRDB), kept in the Outbox.
///
/// One row per (release, member, stage) with status, attempts and error; one
/// row per release keyed by content, so an unchanged release is not processed twice.
public final class Ledger: Sendable {
    private let queue: DatabaseQueue
    public let path: String

    public init(path: String) throws {
        self.path = path
        do {
            var config = Configuration()
            config.busyMode = .timeout(10)
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            try Ledger.migrator.migrate(queue)
        } catch {
            throw LedgerError("cannot open the ledger at \(path)", cause: error)
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE releases (
                    name TEXT PRIMARY KEY,
                    key TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    bytes INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    documents INTEGER NOT NULL DEFAULT 0,
                    error TEXT,
                    started_at TEXT,
                    finished_at TEXT
                );
                CREATE TABLE items (
                    release TEXT NOT NULL,
                    member TEXT NOT NULL,
                    stage TEXT NOT NULL,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    media_type TEXT,
                    error_kind TEXT,
                    error_message TEXT,
                    updated_at TEXT NOT NULL,
                    -- position in the release (archive order), -1 for release-level rows
                    seq INTEGER NOT NULL DEFAULT -1,
                    -- the member's content hash: the key of its cached stage outputs
                    sha256 TEXT,
                    -- seq is in the key: two entries of one archive may share a name (a link, then a file)
                    PRIMARY KEY (release, seq, member, stage)
                );
                CREATE INDEX items_status ON items(status, stage);
                """)
        }
        return migrator
    }

    /// UTC with milliseconds, so rows touched by a quick re-run still show a new time.
    static func now() -> String { Timestamp.now() }

    /// The release's state, if it was ever started.
    public func release(named name: String) throws -> ReleaseState? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT name, key, sha256, status, documents FROM releases WHERE name = ?", arguments: [name])
                .map { ReleaseState(name: $0["name"], key: $0["key"], sha256: $0["sha256"], status: $0["status"], documents: $0["documents"]) }
        }
    }

    /// Every release the ledger knows.
    public func releases() throws -> [ReleaseState] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT name, key, sha256, status, documents FROM releases ORDER BY name")
                .map { ReleaseState(name: $0["name"], key: $0["key"], sha256: $0["sha256"], status: $0["status"], documents: $0["documents"]) }
        }
    }

    /// Starts (or restarts) a release: its earlier item rows are replaced by this run's.
    ///
    /// Rows still `running` are items that were in flight when an earlier run died
    /// on this same content: they are kept, and their attempts returned by member,
    /// so a document that keeps killing the process is quarantined, not retried forever.
    @discardableResult
    public func beginRelease(name: String, key: String, sha256: String, bytes: Int) throws -> [String: Int] {
        try write { db in
            var inFlight: [String: Int] = [:]
            let sameContent = try String.fetchOne(db, sql: "SELECT key FROM releases WHERE name = ?", arguments: [name]) == key
            if sameContent {
                for row in try Row.fetchAll(db, sql: "SELECT member, attempts FROM items WHERE release = ? AND status = 'running'", arguments: [name]) {
                    inFlight[row["member"]] = row["attempts"]
                }
                try db.execute(sql: "DELETE FROM items WHERE release = ? AND status != 'running'", arguments: [name])
            } else {
                try db.execute(sql: "DELETE FROM items WHERE release = ?", arguments: [name])
            }
            try db.execute(
                sql: """
                    INSERT INTO releases (name, key, sha256, bytes, status, documents, error, started_at, finished_at)
                    VALUES (?, ?, ?, ?, 'running', 0, NULL, ?, NULL)
                    ON CONFLICT(name) DO UPDATE SET key = excluded.key, sha256 = excluded.sha256, bytes = excluded.bytes,
                        status = 'running', documents = 0, error = NULL, started_at = excluded.started_at, finished_at = NULL
                    """,
                arguments: [name, key, sha256, bytes, Ledger.now()])
            return inFlight
        }
    }

    /// Marks an item as being worked on, with its attempt number, before the work starts:
    /// if the process dies, the next run sees the row still `running` and counts the attempt.
    public func markRunning(release: String, member: String, stage: Stage, attempts: Int, sequence: Int) throws {
        let stamp = Ledger.now()
        try write { db in
            try db.cachedStatement(sql: """
                INSERT INTO items (release, member, stage, status, attempts, seq, updated_at) VALUES (?, ?, ?, 'running', ?, ?, ?)
                ON CONFLICT(release, seq, member, stage) DO UPDATE SET status = 'running', attempts = excluded.attempts,
                    updated_at = excluded.updated_at
                """).execute(arguments: [release, member, stage.rawValue, attempts, sequence, stamp])
        }
    }

    /// Records a batch of outcomes in one transaction.
    public func record(_ updates: [ItemUpdate]) throws {
        guard !updates.isEmpty else { return }
        let stamp = Ledger.now()
        try write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO items (release, member, stage, status, attempts, media_type, error_kind, error_message,
                    updated_at, seq, sha256)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(release, seq, member, stage) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
                    media_type = COALESCE(excluded.media_type, media_type), error_kind = excluded.error_kind,
                    error_message = excluded.error_message, updated_at = excluded.updated_at,
                    sha256 = COALESCE(excluded.sha256, sha256)
                """)
            for u in updates {
                try statement.execute(arguments: [
                    u.release, u.member, u.stage.rawValue, u.status.rawValue, u.attempts, u.mediaType,
                    u.error?.code.rawValue, u.error?.message, stamp, u.sequence, u.sha256,
                ])
            }
        }
    }

    /// Marks a release finished (`done`, or `failed` with the reason it could not be read).
    public func finishRelease(name: String, status: String, documents: Int, error: String? = nil) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE releases SET status = ?, documents = ?, error = ?, finished_at = ? WHERE name = ?",
                arguments: [status, documents, error, Ledger.now(), name])
        }
    }

    /// Forgets a release that is no longer in the Inbox.
    public func removeRelease(name: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM items WHERE release = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM releases WHERE name = ?", arguments: [name])
        }
    }

    func readDatabase<T>(_ body: (Database) throws -> T) throws -> T { try read(body) }
    func writeDatabase<T>(_ body: (Database) throws -> T) throws -> T { try write(body) }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch { throw LedgerError("cannot read the ledger at \(path)", cause: error) }
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.write(body) } catch { throw LedgerError("cannot write the ledger at \(path)", cause: error) }
    }
}
