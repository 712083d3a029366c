import Foundation
import GRDB
import SluiceCore

/// The embedded search index built by `Exporter.export(format: .sqlite, to:)`, opened read-only.
public struct SearchIndex: Sendable {
    public let path: String
    private let queue: DatabaseQueue

    /// Opens the index at `path`. Throws `.badIndex` when there is no index there or it was
    /// written by another version of Sluice.
    public init(path: String) throws(ExportError) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw ExportError(
                .badIndex, "no search index here; build it with `sluice export --format sqlite --out \(path)`", path: path)
        }
        var config = Configuration()
        config.readonly = true
        // An update commits one release at a time; a search waits for the commit rather than failing.
        config.busyMode = .timeout(10)
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            let format = try queue.read { db in
                try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'format'")
            }
            guard format == IndexSchema.format else {
                throw ExportError(
                    .badIndex, "index format \(format ?? "unknown"), expected \(IndexSchema.format); rebuild it with `sluice export --format sqlite`",
                    path: path)
            }
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError(.badIndex, "not a Sluice search index; rebuild it with `sluice export --format sqlite`", path: path, cause: error)
        }
    }

    /// Documents in the index.
    public func documentCount() throws(ExportError) -> Int {
        do {
            return try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM documents") ?? 0 }
        } catch {
            throw ExportError(.badIndex, "cannot read the index", path: path, cause: error)
        }
    }

    /// Ids the last run deleted (kept in the index so a consumer syncing from it can drop them).
    public func deletedIDs() throws(ExportError) -> [String] {
        do {
            return try queue.read { db in try String.fetchAll(db, sql: "SELECT id FROM deletions ORDER BY id") }
        } catch {
            throw ExportError(.badIndex, "cannot read the index", path: path, cause: error)
        }
    }

    /// Runs a search: documents matching every word and phrase (ranked by bm25, best first; ties
    /// in export order) and every filter. With no words, the filters alone pick documents, in
    /// export order. Throws `.badQuery` for input that cannot be searched.
    public func search(_ query: SearchQuery) throws(ExportError) -> [SearchHit] {
        let plan = try SearchPlan(query)
        do {
            return try queue.read { db in
                try Row.fetchAll(db, sql: plan.sql, arguments: StatementArguments(plan.arguments)).map { row in
                    let rank: Double = row["rank"] ?? 0
                    // Text keeps block boundaries as newlines; a snippet reads better on one line.
                    let snippet = (row["snippet"] as String? ?? "").split(whereSeparator: \.isNewline).joined(separator: " ")
                    return SearchHit(
                        id: row["id"], release: row["release"], member: row["member"], title: row["title"],
                        snippet: snippet, score: rank == 0 ? 0 : -rank)
                }
            }
        } catch let error as DatabaseError where (error.message ?? "").contains("fts5") {
            throw ExportError(.badQuery, "the search engine rejected the query \(query.text)", path: path, cause: error)
        } catch {
            throw ExportError(.badIndex, "cannot search the index", path: path, cause: error)
        }
    }
}

/// The SQL for one query, with its arguments in order.
struct SearchPlan {
    var sql: String
    var arguments: [(any DatabaseValueConvertible)?]

    init(_ query: SearchQuery) throws(ExportError) {
        guard query.limit > 0 else { throw ExportError(.badQuery, "--limit must be at least 1, not \(query.limit)") }
        let match = try FTSQuery.build(query.text)
        var filters: [String] = []
        var filterArgs: [(any DatabaseValueConvertible)?] = []
        if let agency = query.agency?.trimmingCharacters(in: .whitespaces), !agency.isEmpty {
            filters.append("""
                EXISTS (SELECT 1 FROM agencies a WHERE a.doc_id = d.id
                        AND (a.name = ? COLLATE NOCASE OR a.acronym = ? COLLATE NOCASE))
                """)
            filterArgs += [agency, agency]
        }
        if let program = query.program?.trimmingCharacters(in: .whitespaces), !program.isEmpty {
            filters.append("""
                EXISTS (SELECT 1 FROM programs p WHERE p.doc_id = d.id
                        AND (p.name = ? COLLATE NOCASE OR p.acronym = ? COLLATE NOCASE))
                """)
            filterArgs += [program, program]
        }
        let from = try SearchPlan.day(query.from, flag: "--from")?.start
        let to = try SearchPlan.day(query.to, flag: "--to")?.end
        if let from, let to, from > to {
            throw ExportError(.badQuery, "--from \(query.from ?? "") is after --to \(query.to ?? "")")
        }
        if from != nil || to != nil {
            // A date overlaps the range: it starts no later than the range ends and ends no earlier than it starts.
            var cond = "EXISTS (SELECT 1 FROM dates t WHERE t.doc_id = d.id"
            if let to { cond += " AND t.\"start\" <= ?"; filterArgs.append(to) }
            if let from { cond += " AND t.\"end\" >= ?"; filterArgs.append(from) }
            filters.append(cond + ")")
        }
        let (open, close) = query.highlight
        if let match {
            sql = """
                SELECT d.id, d.release, d.member, d.title,
                       snippet(documents_fts, -1, ?, ?, '…', 16) AS snippet,
                       bm25(documents_fts, 10.0, 1.0) AS rank
                FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid
                WHERE documents_fts MATCH ?
                """
            arguments = [open, close, match]
            for f in filters { sql += " AND " + f }
            sql += " ORDER BY rank, d.records_file, d.line LIMIT ?"
        } else {
            guard !filters.isEmpty else {
                throw ExportError(.badQuery, "nothing to search for: give words, a \"quoted phrase\" or a filter (--agency, --program, --from, --to)")
            }
            sql = "SELECT d.id, d.release, d.member, d.title, '' AS snippet, 0.0 AS rank FROM documents d WHERE "
            sql += filters.joined(separator: " AND ") + " ORDER BY d.records_file, d.line LIMIT ?"
            arguments = []
        }
        arguments += filterArgs
        arguments.append(query.limit)
    }

    static func day(_ text: String?, flag: String) throws(ExportError) -> DateSpan? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard let span = DateSpan.parse(text) else {
            throw ExportError(.badQuery, "\(flag) \(text) is not a date; use YYYY, YYYY-MM, YYYY-MM-DD or FY2013")
        }
        return span
    }
}
