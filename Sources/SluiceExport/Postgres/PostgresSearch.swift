import Foundation
import PostgresNIO
import SluiceCore
import SluicePostgres

extension PostgresSearchTarget {
    /// Runs a search on the database: documents matching the words (`websearch_to_tsquery`:
    /// words all match, "quoted phrases", `or`, `-word`; anything else is a plain word, never an
    /// error), ranked by `ts_rank_cd` with title matches weighing 10x text matches (ties in export
    /// order), snippets from `ts_headline`; and every filter, as in the SQLite index. With no words,
    /// the filters alone pick documents, in export order.
    public func search(_ query: SearchQuery) async throws(ExportError) -> [SearchHit] {
        let plan = try PostgresSearchPlan(query)
        return try await withDatabase { link in
            let exists = try await link.integer(
                "SELECT count(*) FROM pg_tables WHERE tablename = 'search_schema_version' AND schemaname = current_schema()")
            guard exists > 0 else {
                throw PostgresAccessError(
                    .statement, "no search tables in \(location); fill them with `sluice export --format postgres --database URL`")
            }
            let version = try await link.integer("SELECT coalesce(max(version), 0) FROM search_schema_version")
            guard version == PostgresSearchSchema.version else {
                throw PostgresAccessError(
                    .statement,
                    "the search tables in \(location) are at schema version \(version), this Sluice reads \(PostgresSearchSchema.version); run `sluice export --format postgres` with this sluice")
            }
            return try await link.rows(plan.sql, plan.binds, as: (String, String, String, String?, String, Double).self)
                .map { id, release, member, title, snippet, rank in
                    // Text keeps block boundaries as newlines; a snippet reads better on one line.
                    let oneLine = snippet.split(whereSeparator: \.isNewline).joined(separator: " ")
                    return SearchHit(id: id, release: release, member: member, title: title, snippet: oneLine, score: rank)
                }
        }
    }
}

/// The SQL of one PostgreSQL search, with its parameters. The user's text only ever travels as a
/// bound parameter into `websearch_to_tsquery`, which reads any string without a syntax error.
struct PostgresSearchPlan {
    var sql: String
    var binds = PostgresBindings()
    private var count = 0

    /// Weights for D, C, B, A: the title (A) counts 10x the text (B), as in the SQLite index.
    static let weights = "{0.1, 0.1, 0.1, 1.0}"

    init(_ query: SearchQuery) throws(ExportError) {
        guard query.limit > 0 else { throw ExportError(.badQuery, "--limit must be at least 1, not \(query.limit)") }
        sql = ""
        // Control characters (NUL above all, which PostgreSQL text cannot hold) separate words.
        let text = Self.plain(query.text)
        let words = FTSQuery.hasSearchable(text)
        var filters: [String] = []
        if let agency = query.agency?.trimmingCharacters(in: .whitespaces), !agency.isEmpty {
            let p = bind(Self.plain(agency))
            filters.append("""
                EXISTS (SELECT 1 FROM agencies a WHERE a.record_id = r.id
                        AND (lower(a.name) = lower(\(p)) OR lower(a.acronym) = lower(\(p))))
                """)
        }
        if let program = query.program?.trimmingCharacters(in: .whitespaces), !program.isEmpty {
            let p = bind(Self.plain(program))
            filters.append("""
                EXISTS (SELECT 1 FROM programs p WHERE p.record_id = r.id
                        AND (lower(p.name) = lower(\(p)) OR lower(p.acronym) = lower(\(p))))
                """)
        }
        let from = try SearchPlan.day(query.from, flag: "--from")?.start
        let to = try SearchPlan.day(query.to, flag: "--to")?.end
        if let from, let to, from > to {
            throw ExportError(.badQuery, "--from \(query.from ?? "") is after --to \(query.to ?? "")")
        }
        if from != nil || to != nil {
            // A date overlaps the range: it starts no later than the range ends and ends no earlier than it starts.
            var cond = "EXISTS (SELECT 1 FROM dates t WHERE t.record_id = r.id"
            if let to { cond += " AND t.\"start\" <= \(bind(to))" }
            if let from { cond += " AND t.\"end\" >= \(bind(from))" }
            filters.append(cond + ")")
        }
        let order = "r.records_file, r.line"
        if words {
            let q = bind(text)
            let (open, close) = query.highlight
            let options = "StartSel=\"\(Self.option(open))\", StopSel=\"\(Self.option(close))\", "
                + "MaxWords=24, MinWords=10, MaxFragments=1, FragmentDelimiter=\"…\""
            let optionsParameter = bind(options)
            let limit = bind(query.limit)
            let whereFilters = filters.map { " AND " + $0 }.joined()
            // Rank and limit first; headlines (which read the whole text) only for the hits returned.
            sql = """
                WITH q AS (SELECT websearch_to_tsquery('english', \(q)) AS query),
                hits AS (
                    SELECT r.id, r.release, r.member, r.title, r.text, r.records_file, r.line,
                           ts_rank_cd('\(Self.weights)'::float4[], r.tsv, q.query, 1) AS rank
                    FROM records r, q
                    WHERE r.tsv @@ q.query\(whereFilters)
                    ORDER BY rank DESC, \(order)
                    LIMIT \(limit))
                SELECT h.id, h.release, h.member, h.title,
                       ts_headline('english', coalesce(h.text, ''), q.query, \(optionsParameter)) AS snippet,
                       h.rank::float8
                FROM hits h, q
                ORDER BY h.rank DESC, h.records_file, h.line
                """
        } else if filters.isEmpty && !query.text.trimmingCharacters(in: .whitespaces).isEmpty {
            // Only punctuation and symbols: no word to find, which finds nothing (as websearch_to_tsquery has it).
            sql = "SELECT ''::text, ''::text, ''::text, NULL::text, ''::text, 0::float8 WHERE false"
        } else {
            guard !filters.isEmpty else {
                throw ExportError(.badQuery, "nothing to search for: give words, a \"quoted phrase\" or a filter (--agency, --program, --from, --to)")
            }
            let limit = bind(query.limit)
            sql = "SELECT r.id, r.release, r.member, r.title, '' AS snippet, 0::float8 AS rank FROM records r WHERE "
                + filters.joined(separator: " AND ") + " ORDER BY \(order) LIMIT \(limit)"
        }
    }

    /// Adds a parameter and returns its placeholder (`$1`, `$2`, ...).
    private mutating func bind(_ value: String) -> String {
        binds.append(value)
        count += 1
        return "$\(count)"
    }

    private mutating func bind(_ value: Int) -> String {
        binds.append(value)
        count += 1
        return "$\(count)"
    }

    /// User input with control characters as spaces (PostgreSQL text cannot hold NUL).
    static func plain(_ input: String) -> String {
        String(String.UnicodeScalarView(input.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
    }

    /// A highlight mark as a `ts_headline` option value (inside double quotes).
    static func option(_ mark: String) -> String {
        mark.filter { $0 != "\"" && $0 != "," && !$0.isNewline }
    }
}
