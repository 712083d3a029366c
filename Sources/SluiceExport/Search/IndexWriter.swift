import GRDB
import SluiceCore

/// Row-level changes to the embedded search index inside one transaction: a document written
/// (its `documents` row, its FTS5 row and its entity rows together) or removed, and the lookups an
/// update makes. Statements are prepared once per connection (GRDB's statement cache).
struct IndexWriter {
    let db: Database

    /// A document as the index holds it: where it stands and what its line was, and its FTS5 rowid.
    struct Stored {
        var place: RecordBatch.Stored
        var seq: Int64
    }

    /// What the index holds for these ids (those it has).
    func stored(_ ids: [String]) throws -> [String: Stored] {
        var out: [String: Stored] = [:]
        for chunk in IndexWriter.chunks(ids) {
            let sql = "SELECT id, line_sha256, records_file, line, seq FROM documents WHERE id IN (\(IndexWriter.marks(chunk.count)))"
            for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(chunk)) {
                out[row["id"]] = Stored(
                    place: RecordBatch.Stored(lineSHA256: row["line_sha256"], file: row["records_file"], line: row["line"]),
                    seq: row["seq"])
            }
        }
        return out
    }

    /// The ids among `ids` that the index has.
    func present(_ ids: [String]) throws -> Set<String> {
        var out = Set<String>()
        for chunk in IndexWriter.chunks(ids) {
            let sql = "SELECT id FROM documents WHERE id IN (\(IndexWriter.marks(chunk.count)))"
            out.formUnion(try String.fetchAll(db, sql: sql, arguments: StatementArguments(chunk)))
        }
        return out
    }

    /// The ids of the documents that came from one records file.
    func ids(inFile file: String) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT id FROM documents WHERE records_file = ? ORDER BY line", arguments: [file])
    }

    /// Writes one record from line `row.line` of `file`: a new document, or, when the index has
    /// the id (`replacing`), the same document (same FTS5 rowid) with everything it held replaced.
    func write(_ row: RecordBatch.Row, file: String, replacing: Int64?) throws {
        let r = row.flat
        let bytes: Int? = if case .int(let b)? = r.source["bytes"] { b } else { nil }
        let columns: [(any DatabaseValueConvertible)?] = [
            r.release, r.member, r.part, r.title, r.source["media_type"]?.stringValue, r.source["sha256"]?.stringValue,
            bytes, r.firstDate, r.lastDate, r.properties?.serialized(), file, row.line, row.lineSHA256,
        ]
        let seq: Int64
        if let replacing {
            try db.cachedStatement(sql: """
                UPDATE documents SET release = ?, member = ?, part = ?, title = ?, media_type = ?, sha256 = ?, bytes = ?,
                    first_date = ?, last_date = ?, properties = ?, records_file = ?, line = ?, line_sha256 = ?
                WHERE seq = ?
                """).execute(arguments: StatementArguments(columns + [replacing]))
            try db.cachedStatement(sql: "DELETE FROM documents_fts WHERE rowid = ?").execute(arguments: [replacing])
            try deleteEntities(of: r.id)
            seq = replacing
        } else {
            try db.cachedStatement(sql: """
                INSERT INTO documents(id, release, member, part, title, media_type, sha256, bytes, first_date, last_date,
                    properties, records_file, line, line_sha256)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: StatementArguments([r.id] + columns))
            seq = db.lastInsertedRowID
        }
        try db.cachedStatement(sql: "INSERT INTO documents_fts(rowid, title, text) VALUES (?, ?, ?)")
            .execute(arguments: [seq, r.title ?? "", r.text ?? ""])
        try insertEntities(of: r)
    }

    /// Gives a document whose line is unchanged its new place in the Outbox.
    func move(_ move: RecordBatch.Move, file: String) throws {
        try db.cachedStatement(sql: "UPDATE documents SET records_file = ?, line = ? WHERE id = ?")
            .execute(arguments: [file, move.line, move.id])
    }

    /// Removes a document with its FTS5 row and entity rows. False when the index does not have it.
    @discardableResult
    func remove(_ id: String) throws -> Bool {
        guard let seq = try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM documents WHERE id = ?"), arguments: [id])
        else { return false }
        try deleteEntities(of: id)
        try db.cachedStatement(sql: "DELETE FROM documents_fts WHERE rowid = ?").execute(arguments: [seq])
        try db.cachedStatement(sql: "DELETE FROM documents WHERE seq = ?").execute(arguments: [seq])
        return true
    }

    private func deleteEntities(of id: String) throws {
        for table in ["agencies", "programs", "dates", "counts"] {
            try db.cachedStatement(sql: "DELETE FROM \(table) WHERE doc_id = ?").execute(arguments: [id])
        }
    }

    private func insertEntities(of r: FlatRecord) throws {
        let agency = try db.cachedStatement(sql: "INSERT INTO agencies(doc_id, name, acronym, parent) VALUES (?, ?, ?, ?)")
        for a in r.distinctAgencies { try agency.execute(arguments: [r.id, a.name, a.acronym, a.parent]) }
        let program = try db.cachedStatement(sql: "INSERT INTO programs(doc_id, name, acronym) VALUES (?, ?, ?)")
        for p in r.distinctPrograms { try program.execute(arguments: [r.id, p.name, p.acronym]) }
        let date = try db.cachedStatement(
            sql: "INSERT INTO dates(doc_id, value, precision, \"start\", \"end\") VALUES (?, ?, ?, ?, ?)")
        for d in r.dates { try date.execute(arguments: [r.id, d.value, d.precision, d.span?.start, d.span?.end]) }
        let count = try db.cachedStatement(sql: """
            INSERT INTO counts(doc_id, value, unit, subject, qualifier, agency, component, fiscal_year)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for c in r.counts {
            try count.execute(arguments: [
                r.id, c.value, c.unit, c.subject, c.qualifier, c.context?["agency"]?.stringValue,
                c.context?["component"]?.stringValue, c.context?["fiscal_year"]?.stringValue,
            ])
        }
    }

    /// Ids in groups small enough for one `IN (...)` list each.
    static func chunks(_ ids: [String]) -> [ArraySlice<String>] {
        stride(from: 0, to: ids.count, by: 500).map { ids[$0..<min($0 + 500, ids.count)] }
    }

    static func marks(_ n: Int) -> String {
        Array(repeating: "?", count: n).joined(separator: ", ")
    }
}
