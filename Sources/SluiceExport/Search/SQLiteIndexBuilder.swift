import SluiceOutbox
import Foundation
import GRDB
import SluiceCore

/// Builds the embedded search index from an Outbox's records: into a temporary file beside
/// the destination, renamed into place when complete, so `sluice search` never opens half an index.
struct SQLiteIndexBuilder {
    let reader: OutboxReader

    func build(at path: String) throws(ExportError) -> ExportSummary {
        let temp = path + ".tmp-\(getpid())"
        try? FileManager.default.removeItem(atPath: temp)
        var summary = ExportSummary(
            format: .sqlite, output: path, files: [path], records: 0, deletions: 0, deletionsRun: nil, duplicates: 0)
        do {
            let deletions = try mapped { () throws(OutboxError) in try reader.lastDeletions() }
            let queue = try DatabaseQueue(path: temp)
            try queue.write { db in
                for sql in IndexSchema.create { try db.execute(sql: sql) }
                let inserter = try Inserter(db)
                var ids = Set<String>()
                try mapped { try reader.forEachRecord { record in
                    guard ids.insert(record.id).inserted else {
                        summary.duplicates += 1
                        return
                    }
                    do {
                        try inserter.insert(FlatRecord(id: record.id, record: record.value), seq: ids.count)
                    } catch {
                        throw ExportError(.io, "\(record.location): cannot add to the index", path: temp, cause: error)
                    }
                } }
                let live = deletions.live(excluding: ids)
                for entry in live {
                    try db.execute(
                        sql: "INSERT INTO deletions(id, release, member, run) VALUES (?, ?, ?, ?)",
                        arguments: [entry.id, entry.release, entry.member, deletions.run])
                }
                for sql in IndexSchema.indexes { try db.execute(sql: sql) }
                let meta: [(String, String?)] = [
                    ("format", IndexSchema.format), ("records", String(ids.count)), ("deletions_run", deletions.run),
                ]
                for (key, value) in meta {
                    try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?)", arguments: [key, value])
                }
                summary.records = ids.count
                summary.deletions = live.count
                summary.deletionsRun = deletions.run
            }
            try queue.close()
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temp, toPath: path)
            return summary
        } catch let error as ExportError {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw ExportError(.io, "cannot build the search index", path: path, cause: error)
        }
    }
}

/// Prepared insert statements for one build.
private struct Inserter {
    let document: Statement
    let fts: Statement
    let agency: Statement
    let program: Statement
    let date: Statement
    let count: Statement

    init(_ db: Database) throws {
        document = try db.makeStatement(sql: """
            INSERT INTO documents(seq, id, release, member, part, title, media_type, sha256, bytes, first_date, last_date, properties)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        fts = try db.makeStatement(sql: "INSERT INTO documents_fts(rowid, title, text) VALUES (?, ?, ?)")
        agency = try db.makeStatement(sql: "INSERT INTO agencies(doc_id, name, acronym, parent) VALUES (?, ?, ?, ?)")
        program = try db.makeStatement(sql: "INSERT INTO programs(doc_id, name, acronym) VALUES (?, ?, ?)")
        date = try db.makeStatement(sql: "INSERT INTO dates(doc_id, value, precision, \"start\", \"end\") VALUES (?, ?, ?, ?, ?)")
        count = try db.makeStatement(sql: """
            INSERT INTO counts(doc_id, value, unit, subject, qualifier, agency, component, fiscal_year)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    func insert(_ r: FlatRecord, seq: Int) throws {
        let bytes: Int? = if case .int(let b)? = r.source["bytes"] { b } else { nil }
        try document.execute(arguments: [
            seq, r.id, r.release, r.member, r.part, r.title, r.source["media_type"]?.stringValue,
            r.source["sha256"]?.stringValue, bytes, r.firstDate, r.lastDate, r.properties?.serialized(),
        ])
        try fts.execute(arguments: [seq, r.title ?? "", r.text ?? ""])
        var seenAgencies = Set<String>()
        for a in r.agencies where seenAgencies.insert(a.name + "\u{0}" + (a.acronym ?? "")).inserted {
            try agency.execute(arguments: [r.id, a.name, a.acronym, a.parent])
        }
        var seenPrograms = Set<String>()
        for p in r.programs where seenPrograms.insert(p.name + "\u{0}" + (p.acronym ?? "")).inserted {
            try program.execute(arguments: [r.id, p.name, p.acronym])
        }
        for d in r.dates {
            try date.execute(arguments: [r.id, d.value, d.precision, d.span?.start, d.span?.end])
        }
        for c in r.counts {
            try count.execute(arguments: [
                r.id, c.value, c.unit, c.subject, c.qualifier, c.context?["agency"]?.stringValue,
                c.context?["component"]?.stringValue, c.context?["fiscal_year"]?.stringValue,
            ])
        }
    }
}
