import Foundation
import PostgresNIO
import SluiceCore
import SluiceOutbox

/// One export's work on an open connection: see `PostgresSearchTarget`.
struct Sync {
    let link: PostgresLink
    let reader: OutboxReader
    let database: String

    func run(listing: OutboxChanges.Listing, full: Bool, outbox: String) async throws -> SearchSyncSummary {
        var summary = SearchSyncSummary(target: database)
        summary.fullRebuild = full
        let started = try await link.strings("SELECT clock_timestamp()::text").first ?? ""
        if full {
            try await link.transaction {
                try await link.execute("TRUNCATE " + PostgresSearchSchema.dataTables.joined(separator: ", "))
            }
        }
        let applied = Dictionary(
            try await link.rows("SELECT records_file, sha256 FROM search_releases", as: (String, String).self),
            uniquingKeysWith: { first, _ in first })
        let checked = Set(try await link.strings("SELECT run FROM search_deletion_runs"))
        let changes = try OutboxChanges(reader: reader, listing: listing, applied: applied, checkedRuns: checked)
        summary.releasesUnchanged = changes.unchanged.count

        for release in changes.changed {
            try await apply(release, to: &summary)
            summary.releasesApplied += 1
        }

        for file in changes.removed {
            summary.recordsRemoved += try await link.transaction {
                let removed = try await link.integer(
                    "WITH d AS (DELETE FROM records WHERE records_file = $1 RETURNING 1) SELECT count(*) FROM d",
                    .texts(file))
                try await link.execute("DELETE FROM search_releases WHERE records_file = $1", .texts(file))
                return removed
            }
            summary.releasesRemoved += 1
        }

        // The records files are the truth (a run rewrites a changed release's file whole), so once they
        // are applied every id a deletions file names is gone, unless a later run wrote it again: those
        // are live and stay. Each run's file is checked once and recorded.
        for run in changes.newRuns {
            let deletions = try mapped { () throws(OutboxError) in try reader.deletions(run: run) }
            let ids = deletions.deleted.map(\.id)
            try await link.transaction {
                var binds = PostgresBindings()
                binds.append(ids)
                let live = try await link.integer("SELECT count(*) FROM records WHERE id = ANY($1)", binds)
                var insert = PostgresBindings()
                insert.append(run)
                insert.append(ids.count)
                insert.append(live)
                try await link.execute("INSERT INTO search_deletion_runs(run, ids, live) VALUES ($1, $2, $3)", insert)
            }
            summary.deletionRuns += 1
        }

        summary.recordsTotal = try await link.integer("SELECT count(*) FROM records")
        if !summary.changedNothing {
            var binds = PostgresBindings()
            binds.append(started)
            binds.append(outbox)
            binds.append(full)
            for n in [summary.releasesApplied, summary.releasesRemoved, summary.recordsWritten, summary.recordsRemoved,
                      summary.deletionRuns] { binds.append(n) }
            try await link.execute("""
                INSERT INTO search_exports(started_at, outbox, full_rebuild, releases_applied, releases_removed,
                    records_written, records_removed, deletion_runs)
                VALUES ($1::timestamptz, $2, $3, $4, $5, $6, $7, $8)
                """, binds)
        }
        return summary
    }

    /// Applies one records file in one transaction: its records upserted in batches, the records it
    /// no longer has removed, its SHA-256 recorded.
    func apply(_ release: OutboxChanges.Release, to summary: inout SearchSyncSummary) async throws {
        var records = try ReleaseReader(reader: reader, file: release.file)
        defer { records.close() }
        var local = summary
        try await link.transaction {
            while let batch = try records.next(
                maxRecords: PostgresSearchTarget.batchRecords, maxBytes: PostgresSearchTarget.batchBytes) {
                local.recordsRead += batch.count
                try await write(batch, to: &local)
            }
            local.duplicates += records.duplicates

            var binds = PostgresBindings()
            binds.append(release.file)
            binds.append(records.ids)
            local.recordsRemoved += try await link.integer("""
                WITH d AS (DELETE FROM records WHERE records_file = $1 AND NOT (id = ANY($2)) RETURNING 1)
                SELECT count(*) FROM d
                """, binds)
            var row = PostgresBindings()
            row.append(release.file)
            row.append(release.sha256)
            row.append(records.ids.count)
            try await link.execute("""
                INSERT INTO search_releases(records_file, sha256, records) VALUES ($1, $2, $3)
                ON CONFLICT (records_file) DO UPDATE
                SET sha256 = EXCLUDED.sha256, records = EXCLUDED.records, applied_at = now()
                """, row)
        }
        summary = local
    }

    /// Writes one batch: records whose line is new or changed are upserted with their entities;
    /// records only moved to another line get their new place; unchanged ones are left alone (a
    /// rewrite would recompute their tsvector for nothing).
    private func write(_ batch: RecordBatch, to summary: inout SearchSyncSummary) async throws {
        var lookup = PostgresBindings()
        lookup.append(batch.ids)
        var stored: [String: RecordBatch.Stored] = [:]
        for (id, sha, file, line) in try await link.rows(
            "SELECT id, line_sha256, records_file, line FROM records WHERE id = ANY($1)", lookup,
            as: (String, String, String, Int).self) {
            stored[id] = RecordBatch.Stored(lineSHA256: sha, file: file, line: line)
        }
        let (changed, moved) = batch.changes(against: stored)

        if !changed.isEmpty {
            var binds = PostgresBindings()
            binds.append(batch.recordsJSON(only: changed))
            try await link.execute("""
                INSERT INTO records(id, release, member, part, title, text, media_type, sha256, bytes, first_date,
                    last_date, record, records_file, line, line_sha256)
                SELECT m->>'id', m->>'release', m->>'member', m->>'part', m->>'title',
                       CASE WHEN jsonb_typeof(r->'text') = 'string' THEN r->>'text' END,
                       m->>'media_type', m->>'sha256', (m->>'bytes')::bigint, m->>'first_date', m->>'last_date',
                       r, m->>'records_file', (m->>'line')::integer, m->>'line_sha256'
                FROM jsonb_to_recordset($1::jsonb) AS x(m jsonb, r jsonb)
                ON CONFLICT (id) DO UPDATE SET
                    release = EXCLUDED.release, member = EXCLUDED.member, part = EXCLUDED.part,
                    title = EXCLUDED.title, text = EXCLUDED.text, media_type = EXCLUDED.media_type,
                    sha256 = EXCLUDED.sha256, bytes = EXCLUDED.bytes, first_date = EXCLUDED.first_date,
                    last_date = EXCLUDED.last_date, record = EXCLUDED.record, records_file = EXCLUDED.records_file,
                    line = EXCLUDED.line, line_sha256 = EXCLUDED.line_sha256
                """, binds)
            var ids = PostgresBindings()
            ids.append(Array(changed))
            for table in ["agencies", "programs", "dates", "counts"] {
                try await link.execute("DELETE FROM \(table) WHERE record_id = ANY($1)", ids)
            }
            let entities = batch.entitiesJSON(only: changed)
            let inserts: [(String, String)] = [
                (entities.agencies, """
                    INSERT INTO agencies(record_id, name, acronym, parent)
                    SELECT record_id, name, acronym, parent
                    FROM jsonb_to_recordset($1::jsonb) AS x(record_id text, name text, acronym text, parent text)
                    """),
                (entities.programs, """
                    INSERT INTO programs(record_id, name, acronym)
                    SELECT record_id, name, acronym FROM jsonb_to_recordset($1::jsonb) AS x(record_id text, name text, acronym text)
                    """),
                (entities.dates, """
                    INSERT INTO dates(record_id, value, precision, "start", "end")
                    SELECT record_id, value, precision, "start", "end"
                    FROM jsonb_to_recordset($1::jsonb) AS x(record_id text, value text, precision text, "start" text, "end" text)
                    """),
                (entities.counts, """
                    INSERT INTO counts(record_id, value, unit, subject, qualifier, agency, component, fiscal_year)
                    SELECT record_id, value, unit, subject, qualifier, agency, component, fiscal_year
                    FROM jsonb_to_recordset($1::jsonb) AS x(record_id text, value double precision, unit text,
                        subject text, qualifier text, agency text, component text, fiscal_year text)
                    """),
            ]
            for (json, sql) in inserts where json != "[]" {
                var rows = PostgresBindings()
                rows.append(json)
                try await link.execute(sql, rows)
            }
            summary.recordsWritten += changed.count
        }

        if !moved.isEmpty {
            var binds = PostgresBindings()
            binds.append(batch.file)
            binds.append(moved.map(\.id))
            binds.append(moved.map(\.line))
            try await link.execute("""
                UPDATE records SET records_file = $1, line = u.line
                FROM unnest($2::text[], $3::integer[]) AS u(id, line) WHERE records.id = u.id
                """, binds)
            summary.recordsMoved += moved.count
        }
    }
}
