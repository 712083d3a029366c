import Foundation
import PostgresNIO
import SluiceCore
import SluiceOutbox

/// One export's work on an open connection: see `PostgresSearchTarget`.
struct Sync {
    let link: PostgresLink
    let reader: OutboxReader
    let database: String

    func run(files: [String], runs: [String], full: Bool, outbox: String) async throws -> PostgresExportSummary {
        var summary = PostgresExportSummary(database: database)
        let started = try await link.strings("SELECT clock_timestamp()::text").first ?? ""
        if full {
            try await link.transaction {
                try await link.execute("TRUNCATE " + PostgresSearchSchema.dataTables.joined(separator: ", "))
            }
        }
        let applied = Dictionary(
            try await link.rows("SELECT records_file, sha256 FROM search_releases", as: (String, String).self),
            uniquingKeysWith: { first, _ in first })

        for file in files {
            let sha = try mapped { () throws(OutboxError) in try reader.sha256(ofFile: file) }
            if applied[file] == sha {
                summary.releasesUnchanged += 1
                continue
            }
            try await apply(file: file, sha256: sha, to: &summary)
            summary.releasesApplied += 1
        }

        let present = Set(files)
        for file in applied.keys.sorted() where !present.contains(file) {
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
        let known = Set(try await link.strings("SELECT run FROM search_deletion_runs"))
        for run in runs where !known.contains(run) {
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
        if !summary.changedNothing || full {
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
    func apply(file: String, sha256: String, to summary: inout PostgresExportSummary) async throws {
        var cursor = try mapped { () throws(OutboxError) in try reader.records(inFile: file) }
        defer { cursor.close() }
        var local = summary
        try await link.transaction {
            var ids: [String] = []
            var seen = Set<String>()
            var batch = RecordBatch(file: file)
            while let (record, line) = try mapped({ () throws(OutboxError) in try cursor.next() }) {
                guard seen.insert(record.id).inserted else {
                    local.duplicates += 1
                    continue
                }
                ids.append(record.id)
                local.recordsRead += 1
                batch.add(record, line: line)
                if batch.count >= PostgresSearchTarget.batchRecords || batch.bytes >= PostgresSearchTarget.batchBytes {
                    try await write(batch, to: &local)
                    batch = RecordBatch(file: file)
                }
            }
            if batch.count > 0 { try await write(batch, to: &local) }

            var binds = PostgresBindings()
            binds.append(file)
            binds.append(ids)
            local.recordsRemoved += try await link.integer("""
                WITH d AS (DELETE FROM records WHERE records_file = $1 AND NOT (id = ANY($2)) RETURNING 1)
                SELECT count(*) FROM d
                """, binds)
            var release = PostgresBindings()
            release.append(file)
            release.append(sha256)
            release.append(ids.count)
            try await link.execute("""
                INSERT INTO search_releases(records_file, sha256, records) VALUES ($1, $2, $3)
                ON CONFLICT (records_file) DO UPDATE
                SET sha256 = EXCLUDED.sha256, records = EXCLUDED.records, applied_at = now()
                """, release)
        }
        summary = local
    }

    /// Writes one batch: records whose line is new or changed are upserted with their entities;
    /// records only moved to another line get their new place; unchanged ones are left alone (a
    /// rewrite would recompute their tsvector for nothing).
    private func write(_ batch: RecordBatch, to summary: inout PostgresExportSummary) async throws {
        var lookup = PostgresBindings()
        lookup.append(batch.ids)
        var stored: [String: (sha: String, file: String, line: Int)] = [:]
        for (id, sha, file, line) in try await link.rows(
            "SELECT id, line_sha256, records_file, line FROM records WHERE id = ANY($1)", lookup,
            as: (String, String, String, Int).self) {
            stored[id] = (sha, file, line)
        }
        var changed = Set<String>()
        var moved: [(id: String, line: Int)] = []
        for row in batch.rows {
            guard let old = stored[row.id], old.sha == row.lineSHA256 else {
                changed.insert(row.id)
                continue
            }
            if old.file != batch.file || old.line != row.line { moved.append((row.id, row.line)) }
        }

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
