public import SluiceCore
import Foundation
public import Logging

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

/// The ledger: every document and every stage outcome, in SQLite (GRDB, the embedded default,
/// kept in the Outbox) or PostgreSQL (shared by workers on many machines).
///
/// One row per (release, member, stage) with status, attempts and error; one
/// row per release keyed by content, so an unchanged release is not processed twice.
/// Every statement is written once and runs on either backend (`LedgerDatabase`).
public final class Ledger: Sendable {
    let database: any LedgerDatabase
    /// Where the ledger is, for messages (a PostgreSQL URL without its password).
    public let path: String

    /// The SQLite ledger at `path`.
    public convenience init(path: String) throws {
        try self.init(.sqlite(path: path))
    }

    /// Opens (and migrates) the ledger at `location`.
    public init(_ location: LedgerLocation, logger: Logger = Logger(label: "sluice.ledger")) throws {
        path = location.description
        do {
            switch location {
            case .sqlite(let file):
                database = try SQLiteLedgerDatabase(path: file)
            case .postgres(let url):
                database = try PostgresLedgerDatabase(url: url, logger: logger)
            }
            try LedgerSchema.migrate(database)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError("cannot open the ledger at \(location)", cause: error)
        }
    }

    /// `sqlite` or `postgres`.
    public var backend: String { database.dialect.name }

    /// Closes the ledger's connections.
    public func close() { database.close() }

    /// UTC with milliseconds, so rows touched by a quick re-run still show a new time.
    static func now() -> String { Timestamp.now() }

    private static func release(_ row: LedgerRow) -> ReleaseState {
        ReleaseState(name: row.string("name"), key: row.string("key"), sha256: row.string("sha256"),
                     status: row.string("status"), documents: row.int("documents") ?? 0)
    }

    /// The release's state, if it was ever started.
    public func release(named name: String) throws -> ReleaseState? {
        try read { tx in
            try tx.query("SELECT name, key, sha256, status, documents FROM releases WHERE name = ?", [.text(name)])
                .first.map(Ledger.release)
        }
    }

    /// Every release the ledger knows.
    public func releases() throws -> [ReleaseState] {
        try read { tx in
            try tx.query("SELECT name, key, sha256, status, documents FROM releases ORDER BY name", []).map(Ledger.release)
        }
    }

    /// Starts (or restarts) a release: its earlier item rows are replaced by this run's.
    ///
    /// Rows still `running` are items that were in flight when an earlier run died
    /// on this same content: they are kept, and their attempts returned by member,
    /// so a document that keeps killing the process is quarantined, not retried forever.
    @discardableResult
    public func beginRelease(name: String, key: String, sha256: String, bytes: Int) throws -> [String: Int] {
        try write { tx in
            var inFlight: [String: Int] = [:]
            let known = try tx.query("SELECT key FROM releases WHERE name = ?", [.text(name)]).first?.text("key")
            if known == key {
                for row in try tx.query("SELECT member, attempts FROM items WHERE release = ? AND status = 'running'",
                                        [.text(name)]) {
                    inFlight[row.string("member")] = row.int("attempts") ?? 0
                }
                try tx.execute("DELETE FROM items WHERE release = ? AND status != 'running'", [.text(name)])
            } else {
                try tx.execute("DELETE FROM items WHERE release = ?", [.text(name)])
            }
            try tx.execute(
                """
                INSERT INTO releases (name, key, sha256, bytes, status, documents, error, started_at, finished_at)
                VALUES (?, ?, ?, ?, 'running', 0, NULL, ?, NULL)
                ON CONFLICT(name) DO UPDATE SET key = excluded.key, sha256 = excluded.sha256, bytes = excluded.bytes,
                    status = 'running', documents = 0, error = NULL, started_at = excluded.started_at, finished_at = NULL
                """,
                [.text(name), .text(key), .text(sha256), .int(bytes), .text(Ledger.now())])
            return inFlight
        }
    }

    /// Marks an item as being worked on, with its attempt number, before the work starts:
    /// if the process dies, the next run sees the row still `running` and counts the attempt.
    /// One statement alone (once per document, so one round trip on PostgreSQL, not three).
    public func markRunning(release: String, member: String, stage: Stage, attempts: Int, sequence: Int) throws {
        try writeAlone(
            """
            INSERT INTO items (release, member, stage, status, attempts, seq, updated_at) VALUES (?, ?, ?, 'running', ?, ?, ?)
            ON CONFLICT(release, seq, member, stage) DO UPDATE SET status = 'running', attempts = excluded.attempts,
                updated_at = excluded.updated_at
            """,
            [.text(release), .text(member), .text(stage.rawValue), .int(attempts), .int(sequence), .text(Ledger.now())])
    }

    /// Records a batch of outcomes in one transaction, as a few multi-row statements: one
    /// statement per row cost a round trip each on a PostgreSQL ledger (about 2,600 for the
    /// benchmark's 642 documents, most of a shared run's coordination cost).
    public func record(_ updates: [ItemUpdate]) throws {
        let rows = Ledger.lastPerItem(updates)
        guard !rows.isEmpty else { return }
        let stamp = Ledger.now()
        try write { tx in
            var start = 0
            while start < rows.count {
                let chunk = rows[start..<min(rows.count, start + Ledger.rowsPerStatement)]
                start += chunk.count
                var arguments: [LedgerValue] = []
                arguments.reserveCapacity(chunk.count * 11)
                for u in chunk {
                    arguments += [.text(u.release), .text(u.member), .text(u.stage.rawValue), .text(u.status.rawValue),
                                  .int(u.attempts), LedgerValue(u.mediaType), LedgerValue(u.error?.code.rawValue),
                                  LedgerValue(u.error?.message), .text(stamp), .int(u.sequence), LedgerValue(u.sha256)]
                }
                let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
                try tx.execute(
                    """
                    INSERT INTO items (release, member, stage, status, attempts, media_type, error_kind, error_message,
                        updated_at, seq, sha256)
                    VALUES \(values)
                    ON CONFLICT(release, seq, member, stage) DO UPDATE SET status = excluded.status,
                        attempts = excluded.attempts, media_type = COALESCE(excluded.media_type, items.media_type),
                        error_kind = excluded.error_kind, error_message = excluded.error_message,
                        updated_at = excluded.updated_at, sha256 = COALESCE(excluded.sha256, items.sha256)
                    """,
                    arguments)
            }
        }
    }

    /// Rows per INSERT: 11 parameters each, well under SQLite's 32,766 and PostgreSQL's 65,535.
    static let rowsPerStatement = 500

    /// One update per item row, as applying them in order would leave it: the last one, keeping an
    /// earlier media type or SHA-256 where the last has none (the upsert's COALESCE). One statement
    /// may not touch a row twice (PostgreSQL refuses `ON CONFLICT DO UPDATE` on a repeated key).
    static func lastPerItem(_ updates: [ItemUpdate]) -> [ItemUpdate] {
        struct Key: Hashable {
            let release: String, member: String, stage: Stage, sequence: Int
        }
        var position: [Key: Int] = [:]
        var rows: [ItemUpdate] = []
        rows.reserveCapacity(updates.count)
        for update in updates {
            let key = Key(release: update.release, member: update.member, stage: update.stage, sequence: update.sequence)
            if let i = position[key] {
                var merged = update
                merged.mediaType = update.mediaType ?? rows[i].mediaType
                merged.sha256 = update.sha256 ?? rows[i].sha256
                rows[i] = merged
            } else {
                position[key] = rows.count
                rows.append(update)
            }
        }
        return rows
    }

    /// Marks a release finished (`done`, or `failed` with the reason it could not be read).
    public func finishRelease(name: String, status: String, documents: Int, error: String? = nil) throws {
        try writeAlone("UPDATE releases SET status = ?, documents = ?, error = ?, finished_at = ? WHERE name = ?",
                       [.text(status), .int(documents), LedgerValue(error), .text(Ledger.now()), .text(name)])
    }

    /// Forgets a release that is no longer in the Inbox.
    public func removeRelease(name: String) throws {
        try write { tx in
            try tx.execute("DELETE FROM items WHERE release = ?", [.text(name)])
            try tx.execute("DELETE FROM units WHERE release = ?", [.text(name)])
            try tx.execute("DELETE FROM releases WHERE name = ?", [.text(name)])
        }
    }

    func read<T>(_ body: (any LedgerTransaction) throws -> T) throws -> T {
        do { return try database.read(body) } catch let error as LedgerError { throw error } catch {
            throw LedgerError("cannot read the ledger at \(path)", cause: error)
        }
    }

    @discardableResult
    func write<T>(_ body: (any LedgerTransaction) throws -> T) throws -> T {
        try writing { try database.transaction(body) }
    }

    /// One statement alone: atomic by itself, so no transaction around it (on PostgreSQL one
    /// round trip instead of three with BEGIN and COMMIT).
    @discardableResult
    func writeAlone(_ sql: String, _ arguments: [LedgerValue]) throws -> Int {
        try writing { try database.executeAlone(sql, arguments) }
    }

    /// A write to the database, its failure said as the ledger's.
    @discardableResult
    private func writing<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as LedgerError { throw error } catch {
            throw LedgerError("cannot write the ledger at \(path)", cause: error)
        }
    }
}
