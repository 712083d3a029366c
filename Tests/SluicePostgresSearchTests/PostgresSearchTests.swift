import Foundation
import SluiceCore
import SluiceExport
import SluiceTestSupport
import Testing

@Suite struct PostgresSearchTests {
    /// One database with the sample, filled once and shared by this suite's read-only tests.
    static let shared = SharedDatabase()

    func search(_ query: SearchQuery) async throws -> [SearchHit] {
        try await target(Self.shared.url()).search(query)
    }

    @Test func wordsRankTitleMatchesFirstWithSnippets() async throws {
        let hits = try await search(SearchQuery("FOIA"))
        // a2 names FOIA in its title and text, b1 only in its text.
        #expect(ids(hits) == ["a2", "b1"])
        #expect(hits[0].score > hits[1].score)
        #expect(hits[0].snippet.contains("[FOIA]"))
        #expect(hits[0].member == "two.html" && hits[0].release == "alpha.zip" && hits[0].title == "FOIA backlog")
    }

    @Test func phrasesOrAndNegation() async throws {
        #expect(ids(try await search(SearchQuery("\"secure communities\""))) == ["a1"])
        #expect(ids(try await search(SearchQuery("\"communities secure\""))).isEmpty)
        #expect(Set(ids(try await search(SearchQuery("rainfall or detainers")))) == ["a1", "b2"])
        #expect(ids(try await search(SearchQuery("FOIA -backlog"))) == ["b1"])
        // Stemming: "detainer" finds "detainers".
        #expect(ids(try await search(SearchQuery("detainer"))) == ["a1"])
    }

    @Test func eachFilterNarrowsTheHits() async throws {
        #expect(ids(try await search(SearchQuery("", agency: "ice"))) == ["a1", "b1"])
        #expect(ids(try await search(SearchQuery("", agency: "Office of Information Policy"))) == ["a2", "b1"])
        #expect(ids(try await search(SearchQuery("FOIA", agency: "OIP"))) == ["a2", "b1"])
        #expect(ids(try await search(SearchQuery("statistics", agency: "OIP"))) == ["b1"])
        #expect(ids(try await search(SearchQuery("statistics", agency: "SNAP"))).isEmpty)
        #expect(ids(try await search(SearchQuery("", program: "snap"))) == ["a3"])
        #expect(ids(try await search(SearchQuery("immigration", program: "Supplemental Nutrition Assistance Program"))) == ["a3"])
        // FY2013 runs 2012-10-01 to 2013-09-30; 2012 is the year; 2014-03 a month.
        #expect(ids(try await search(SearchQuery("", from: "2013-01"))) == ["a1", "b1"])
        #expect(ids(try await search(SearchQuery("", to: "2011"))) == ["a2"])
        #expect(ids(try await search(SearchQuery("", from: "2012-12-01", to: "2012-12-31"))) == ["a1", "a3"])
        #expect(ids(try await search(SearchQuery("", from: "FY2014", to: "FY2014"))) == ["b1"])
        #expect(ids(try await search(SearchQuery("", agency: "ICE", from: "2014"))) == ["b1"])
        #expect(ids(try await search(SearchQuery("", agency: "OIP", limit: 1))) == ["a2"])
    }

    @Test func badFiltersAndEmptyQueriesAreUsageErrors() async throws {
        #expect(try await search(SearchQuery("&&& ||| !!")).isEmpty)
        for query in [SearchQuery(""), SearchQuery("   "), SearchQuery("x", from: "last tuesday"),
                      SearchQuery("x", from: "2014", to: "2013"), SearchQuery("x", limit: 0)] {
            let error = await #expect(throws: ExportError.self) { try await search(query) }
            #expect(error?.code == .badQuery)
        }
    }

    static let hostile: [String] = [
        "'; DROP TABLE records; --",
        "\"; DROP TABLE records; --",
        "foia') OR 1=1 --",
        "x' UNION SELECT id, id, id, id, id, 1.0 FROM records --",
        "$1", "$$ $$", "\\", "'", "\"", "\"unbalanced phrase", "((foia", "foia & | ! backlog",
        "!foia", "foia:*", "foia:A", "foia <-> backlog", "<2>", "&&&", "|||", "- - -", "or or or",
        "--", "/* foia */", "foia\u{0}backlog", "\u{0}", "ICE\u{7}\u{1B}[31m", "日本語 FOIA", "🦆 foia",
        String(repeating: "foia ", count: 2000), String(repeating: "(", count: 500),
        "E'\\x27'", "foia;backlog", "SELECT pg_sleep(10)",
    ]

    @Test(arguments: hostile)
    func hostileQueriesAreWordsNeverErrorsOrSQL(text: String) async throws {
        let hits = try await search(SearchQuery(text, limit: 5))
        #expect(hits.count <= 5)
        // Words from the query match as words: each hit really contains one of the query's words.
        let words = text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init).filter { $0.count > 2 }
        for hit in hits {
            let haystack = try TestPostgres.psql(
                try await Self.shared.url(), "SELECT lower(coalesce(title, '') || ' ' || text) FROM records WHERE id = '\(hit.id)'")
            #expect(words.contains { haystack.contains($0.prefix(4)) }, "\(hit.id) for \(text)")
        }
        #expect(try TestPostgres.psql(try await Self.shared.url(), "SELECT count(*) FROM records") == "5\n")
        // Also as filters: bound parameters, so nothing but no match.
        #expect(try await search(SearchQuery("", agency: text)).isEmpty)
        #expect(try await search(SearchQuery("", program: text)).isEmpty)
    }

    @Test func sqlAndTsquerySyntaxAreSearchedAsWords() async throws {
        #expect(ids(try await search(SearchQuery("foia & backlog"))) == ["a2"])
        #expect(ids(try await search(SearchQuery("backlog:*"))) == ["a2"])
        #expect(ids(try await search(SearchQuery("'; DROP TABLE records; -- statistics"))).isEmpty)
        #expect(ids(try await search(SearchQuery("statistics'; --"))) == ["b1"])
    }
}

/// The sample exported once; concurrent tests wait for the same export.
actor SharedDatabase {
    private var filling: Task<String, any Error>?

    func url() async throws -> String {
        if let filling { return try await filling.value }
        let task = Task {
            let outbox = try Sample.outbox()
            defer { outbox.remove() }
            let url = try TestPostgres.database("pgsearch")
            _ = try await target(url).export(outbox: outbox.root)
            return url
        }
        filling = task
        return try await task.value
    }
}
