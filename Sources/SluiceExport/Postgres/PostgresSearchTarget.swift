public import Logging
import Foundation
import PostgresNIO
public import SluicePostgres
import SluiceCore
import SluiceOutbox

/// A PostgreSQL database kept in step with an Outbox for full-text search.
///
/// Each export compares every records file's SHA-256 with the one recorded in `search_releases`
/// (`OutboxChanges`, as the SQLite index does) and applies only what changed, one transaction per records file: records new or changed are
/// upserted by id (with their entity rows), records gone from the file are removed, and a file
/// gone from the Outbox takes its records with it. Runs' deletions files are checked (an id
/// listed there is gone unless a later run wrote it again) and recorded in `search_deletion_runs`.
/// Exporting twice changes nothing; a crash mid-export leaves whole releases applied, and the
/// next export picks up from there. One export at a time per database (an advisory lock).
public struct PostgresSearchTarget: Sendable {
    public let location: PostgresLocation
    public let logger: Logger

    /// Records per statement when loading: large enough to amortise round trips, small enough that
    /// a batch of big documents stays a few megabytes.
    static let batchRecords = 200
    static let batchBytes = 8 << 20
    /// `pg_advisory_lock` key held by an export ("sluicesr").
    static let lockKey: Int64 = 0x736C_7569_6365_7372

    public init(location: PostgresLocation, logger: Logger) {
        self.location = location
        self.logger = logger
    }

    /// Opens `url` (a `postgres://` URL; PG* variables and ~/.pgpass fill the gaps).
    public init(url: String, logger: Logger) throws(ExportError) {
        do {
            location = try PostgresLocation(url: url)
        } catch {
            throw ExportError(.usage, error.message)
        }
        self.logger = logger
    }

    /// Applies what changed in `outbox` since the last export; `full` empties the tables first.
    public func export(outbox: String, full: Bool = false) async throws(ExportError) -> SearchSyncSummary {
        let reader = OutboxReader(outbox: outbox)
        let listing = try OutboxChanges.Listing(reader: reader)
        let result: Result<SearchSyncSummary, ExportError> = try await withDatabase { link in
            try await PostgresSearchSchema.migrate(link)
            // Held until the connection closes: one export at a time per database.
            try await link.execute("SELECT pg_advisory_lock($1)", lockBinds)
            do {
                return .success(try await Sync(link: link, reader: reader, database: location.description)
                    .run(listing: listing, full: full, outbox: outbox))
            } catch let error as ExportError {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Migrates the database to this Sluice's schema version (creating it when empty).
    public func prepare() async throws(ExportError) {
        _ = try await withDatabase { link in try await PostgresSearchSchema.migrate(link) }
    }

    private var lockBinds: PostgresBindings {
        var binds = PostgresBindings()
        binds.append(Self.lockKey)
        return binds
    }

    /// Runs `body` on one connection, every PostgreSQL error turned into an `ExportError` that
    /// carries the server's words.
    func withDatabase<T: Sendable>(_ body: (PostgresLink) async throws -> T) async throws(ExportError) -> T {
        do {
            return try await PostgresSession.withConnection(location, logger: logger) { connection in
                try await body(PostgresLink(connection: connection, logger: logger))
            }
        } catch let error as PostgresAccessError {
            throw ExportError(error.code == .badURL ? .usage : .database, error.message, cause: error)
        } catch {
            throw ExportError(.database, "PostgreSQL at \(location): \(error)", cause: error)
        }
    }
}

extension PostgresSearchSchema {
    /// Creates or migrates the tables, under a transaction-scoped advisory lock so two exports
    /// starting at once do not both create them.
    static func migrate(_ link: PostgresLink) async throws {
        try await link.transaction {
            try await link.execute("SELECT pg_advisory_xact_lock(\(PostgresSearchTarget.lockKey - 1))")
            let exists = try await link.integer("SELECT count(*) FROM pg_tables WHERE tablename = 'search_schema_version' AND schemaname = current_schema()")
            if exists == 0 {
                try await link.execute("CREATE TABLE search_schema_version(version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
            }
            let current = try await link.integer("SELECT coalesce(max(version), 0) FROM search_schema_version")
            guard current <= version else {
                throw PostgresAccessError(
                    .statement,
                    "the search tables are at schema version \(current), newer than this Sluice's \(version); use a newer sluice")
            }
            for next in (current + 1)...max(current + 1, version) where next <= version {
                for sql in migrations[next - 1] { try await link.execute(sql) }
                var binds = PostgresBindings()
                binds.append(next)
                try await link.execute("INSERT INTO search_schema_version(version) VALUES ($1)", binds)
            }
        }
    }
}
