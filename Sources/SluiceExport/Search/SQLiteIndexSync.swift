import Foundation
import GRDB
import SluiceCore
import SluiceOutbox

/// One update of the embedded search index on an open database, the SQLite counterpart of the
/// PostgreSQL export (`Sync`): the records files that `OutboxChanges` finds new or changed are
/// applied one transaction each, records gone from them or with a removed file are deleted, each
/// new deletions file is checked and recorded, and a build that changed anything is logged in
/// `builds`. Updating twice changes nothing, not one byte of the file.
struct SQLiteIndexSync {
    let queue: DatabaseQueue
    let reader: OutboxReader
    /// The index file, as the summary names it.
    let target: String
    let outbox: String

    /// Records a batch: what one lookup of stored lines covers.
    static let batchRecords = 500
    static let batchBytes = 8 << 20

    /// The summary, and the deletions the index now lists for the last run.
    struct Outcome {
        var summary: SearchSyncSummary
        var deletions: Int
        var deletionsRun: String?
    }

    /// Applies what changed; `full` only marks the build as a full rebuild in the summary and log
    /// (the caller hands it an empty index).
    func run(listing: OutboxChanges.Listing, full: Bool) throws -> Outcome {
        let started = Timestamp.now()
        var summary = SearchSyncSummary(target: target)
        summary.fullRebuild = full
        let (applied, checked, build) = try queue.read { db in
            (
                Dictionary(
                    try Row.fetchAll(db, sql: "SELECT records_file, sha256 FROM releases").map { row -> (String, String) in
                        (row["records_file"], row["sha256"])
                    },
                    uniquingKeysWith: { first, _ in first }),
                Set(try String.fetchAll(db, sql: "SELECT run FROM deletion_runs")),
                (try Int.fetchOne(db, sql: "SELECT max(id) FROM builds") ?? 0) + 1
            )
        }
        let changes = try OutboxChanges(reader: reader, listing: listing, applied: applied, checkedRuns: checked)
        summary.releasesUnchanged = changes.unchanged.count

        for release in changes.changed {
            if try apply(release, build: build, to: &summary) {
                summary.releasesApplied += 1
            } else {
                summary.releasesUnchanged += 1
            }
        }

        for file in changes.removed {
            try queue.inTransaction(.immediate) { db in
                let writer = IndexWriter(db: db)
                for id in try writer.ids(inFile: file) {
                    if try writer.remove(id) { summary.recordsRemoved += 1 }
                }
                try db.execute(sql: "DELETE FROM releases WHERE records_file = ?", arguments: [file])
                return .commit
            }
            summary.releasesRemoved += 1
        }

        // As in PostgreSQL: the records files are the truth, so once they are applied every id a
        // deletions file names is gone unless a later run wrote it again (`live`). Each file is
        // checked once and recorded.
        for run in changes.newRuns {
            let ids = try mapped { () throws(OutboxError) in try reader.deletions(run: run) }.deleted.map(\.id)
            try queue.inTransaction(.immediate) { db in
                let live = try IndexWriter(db: db).present(ids).count
                try db.execute(
                    sql: "INSERT OR REPLACE INTO deletion_runs(run, ids, live, build) VALUES (?, ?, ?, ?)",
                    arguments: [run, ids.count, live, build])
                return .commit
            }
            summary.deletionRuns += 1
        }

        let last = try mapped { () throws(OutboxError) in try reader.lastDeletions() }
        var outcome = Outcome(summary: summary, deletions: 0, deletionsRun: last.run)
        try queue.inTransaction(.immediate) { db in
            outcome.summary.recordsTotal = try Int.fetchOne(db, sql: "SELECT count(*) FROM documents") ?? 0
            let live = last.live(excluding: try IndexWriter(db: db).present(last.deleted.map(\.id)))
            outcome.deletions = live.count
            try Self.keepDeletions(live, run: last.run, in: db)
            if !summary.changedNothing {
                try Self.setMeta("records", String(outcome.summary.recordsTotal), in: db)
                try db.execute(sql: """
                    INSERT INTO builds(id, started_at, finished_at, outbox, full_rebuild, releases_applied, releases_removed,
                        records_written, records_removed, deletion_runs)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        build, started, Timestamp.now(), outbox, full, summary.releasesApplied, summary.releasesRemoved,
                        summary.recordsWritten, summary.recordsRemoved, summary.deletionRuns,
                    ])
            }
            return .commit
        }
        return outcome
    }

    /// Applies one records file in one transaction: its records written where new or changed (in
    /// batches), moved where only their place changed, the ones it no longer has removed, its
    /// SHA-256 recorded with the build. False when the index already has these bytes (another
    /// build applied them since this one looked).
    private func apply(_ release: OutboxChanges.Release, build: Int, to summary: inout SearchSyncSummary) throws -> Bool {
        var records = try ReleaseReader(reader: reader, file: release.file)
        defer { records.close() }
        var local = summary
        var applied = true
        try queue.inTransaction(.immediate) { db in
            let current = try String.fetchOne(
                db, sql: "SELECT sha256 FROM releases WHERE records_file = ?", arguments: [release.file])
            guard current != release.sha256 else {
                applied = false
                return .commit
            }
            let writer = IndexWriter(db: db)
            let before = try writer.ids(inFile: release.file)
            while let batch = try records.next(maxRecords: Self.batchRecords, maxBytes: Self.batchBytes) {
                local.recordsRead += batch.count
                let stored = try writer.stored(batch.ids)
                let (changed, moved) = batch.changes(against: stored.mapValues(\.place))
                for row in batch.rows where changed.contains(row.id) {
                    try writer.write(row, file: release.file, replacing: stored[row.id]?.seq)
                }
                for move in moved { try writer.move(move, file: release.file) }
                local.recordsWritten += changed.count
                local.recordsMoved += moved.count
            }
            local.duplicates += records.duplicates
            let kept = Set(records.ids)
            for id in before where !kept.contains(id) {
                if try writer.remove(id) { local.recordsRemoved += 1 }
            }
            try db.execute(sql: """
                INSERT INTO releases(records_file, sha256, records, build) VALUES (?, ?, ?, ?)
                ON CONFLICT(records_file) DO UPDATE SET sha256 = excluded.sha256, records = excluded.records, build = excluded.build
                """, arguments: [release.file, release.sha256, records.ids.count, build])
            return .commit
        }
        if applied { summary = local }
        return applied
    }

    /// Makes the `deletions` table list `live` (the last run's deletions still absent from the
    /// index), for consumers that sync from it; writes nothing when it already does.
    private static func keepDeletions(_ live: [Deletions.Entry], run: String?, in db: Database) throws {
        func byID(_ a: [String?], _ b: [String?]) -> Bool {
            Array((a[0] ?? "").utf8).lexicographicallyPrecedes(Array((b[0] ?? "").utf8))
        }
        let stored = try Row.fetchAll(db, sql: "SELECT id, release, member, run FROM deletions").map { row in
            [row["id"], row["release"], row["member"], row["run"]] as [String?]
        }.sorted(by: byID)
        let wanted = live.map { [$0.id, $0.release, $0.member, run] }.sorted(by: byID)
        let storedRun = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'deletions_run'")
        guard stored != wanted || storedRun != run else { return }
        try db.execute(sql: "DELETE FROM deletions")
        for entry in live {
            try db.execute(
                sql: "INSERT INTO deletions(id, release, member, run) VALUES (?, ?, ?, ?)",
                arguments: [entry.id, entry.release, entry.member, run])
        }
        try setMeta("deletions_run", run, in: db)
    }

    private static func setMeta(_ key: String, _ value: String?, in db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", arguments: [key, value])
    }
}
