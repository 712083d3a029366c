import Foundation
import SluiceCore
import Testing
@testable import SluiceExport

@Suite("Embedded search index")
struct SearchIndexTests {
    static let phrase = "\"Best Practices Working Group\""
    /// The DOJ OIP pages that contain the phrase (checked with grep on the corpus copies).
    static let phrasePages: Set<String> = ["oip-1005041.html", "oip-100512.html", "oip-100519.html", "oip-100609.html"]

    static func fixtureIndex() throws -> SearchIndex {
        let path = try TestSupport.tempFolder("index") + "/search.sqlite"
        let summary = try Exporter(outbox: TestSupport.fixtureOutbox).export(format: .sqlite, to: path)
        #expect(summary.records == 8)
        return try SearchIndex(path: path)
    }

    static func pages(_ hits: [SearchHit]) -> Set<String> {
        Set(hits.map { ($0.member as NSString).lastPathComponent })
    }

    @Test("a phrase finds exactly the pages that contain it, ranked, with highlighted snippets")
    func phraseSearch() throws {
        let index = try SearchIndexTests.fixtureIndex()
        let hits = try index.search(SearchQuery(SearchIndexTests.phrase))
        #expect(SearchIndexTests.pages(hits) == SearchIndexTests.phrasePages)
        #expect(hits.count == 4)
        #expect(hits.allSatisfy { $0.score > 0 })
        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })
        for hit in hits {
            #expect(hit.snippet.contains("["))
            #expect(hit.snippet.replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "")
                .contains("Best Practices Working Group"))
        }
        // Plain words are all required; porter stemming matches "groups" to "group".
        let words = try index.search(SearchQuery("practices groups"))
        #expect(SearchIndexTests.pages(words).isSuperset(of: SearchIndexTests.phrasePages))
        #expect(try index.search(SearchQuery(SearchIndexTests.phrase, limit: 2)).count == 2)
    }

    @Test("--agency narrows by name or acronym, case-insensitively")
    func agencyFilter() throws {
        let index = try SearchIndexTests.fixtureIndex()
        let commerce = try index.search(SearchQuery(SearchIndexTests.phrase, agency: "department of commerce"))
        #expect(SearchIndexTests.pages(commerce) == ["oip-100609.html"])
        let oip = try index.search(SearchQuery(SearchIndexTests.phrase, agency: "oip"))
        #expect(SearchIndexTests.pages(oip) == SearchIndexTests.phrasePages)
        #expect(try index.search(SearchQuery(SearchIndexTests.phrase, agency: "ATF")).isEmpty)
        let atf = try index.search(SearchQuery("firearms", agency: "Bureau of Alcohol, Tobacco, Firearms and Explosives"))
        #expect(SearchIndexTests.pages(atf) == ["2016-13878.xml"])
    }

    @Test("--program narrows by program name")
    func programFilter() throws {
        let index = try SearchIndexTests.fixtureIndex()
        let hits = try index.search(SearchQuery(SearchIndexTests.phrase, program: "technology working group"))
        #expect(SearchIndexTests.pages(hits) == ["oip-1005041.html", "oip-100512.html", "oip-100609.html"])
    }

    /// (from, to, pages among the phrase pages that have a date in range)
    static let dateCases: [(String?, String?, Set<String>)] = [
        ("2010-06-20", "2010-07-31", ["oip-1005041.html", "oip-100609.html"]),
        ("2010-06", "2010-06", phrasePages),
        (nil, "2010-05-10", ["oip-1005041.html"]),
        ("2010-07-01", nil, ["oip-1005041.html"]),
        ("2011", nil, []),
        ("FY2010", "FY2010", phrasePages),
    ]

    @Test("--from/--to keep documents with any date in range", arguments: 0..<dateCases.count)
    func dateFilter(_ i: Int) throws {
        let index = try SearchIndexTests.fixtureIndex()
        let (from, to, expected) = SearchIndexTests.dateCases[i]
        let hits = try index.search(SearchQuery(SearchIndexTests.phrase, from: from, to: to))
        #expect(SearchIndexTests.pages(hits) == expected)
    }

    @Test("fiscal years match by their start and end; filters work without words")
    func fiscalYears() throws {
        let index = try SearchIndexTests.fixtureIndex()
        // FY2013 runs 2012-10-01 to 2013-09-30.
        #expect(SearchIndexTests.pages(try index.search(SearchQuery("", agency: "SSS", from: "2012-10", to: "2012-10"))) == ["sss-2013.xml"])
        #expect(SearchIndexTests.pages(try index.search(SearchQuery("", agency: "SSS", from: "2013-09-30"))) == ["sss-2013.xml"])
        #expect(try index.search(SearchQuery("", agency: "SSS", from: "2013-10-01")).isEmpty)
        #expect(try index.search(SearchQuery("", agency: "SSS", to: "2012-09-30")).isEmpty)
    }

    @Test("records made by Record.json(): Secure Communities and ICE")
    func generatedRecords() throws {
        let path = try TestSupport.tempFolder("gen-index") + "/search.sqlite"
        try Exporter(outbox: try TestSupport.generatedOutbox()).export(format: .sqlite, to: path)
        let index = try SearchIndex(path: path)
        let hits = try index.search(SearchQuery("\"Secure Communities\"", agency: "ice"))
        #expect(hits.map(\.member) == ["ice/news.html"])
        #expect(try index.search(SearchQuery("\"secure communities\"", agency: "u.s. immigration and customs enforcement", program: "Secure Communities", from: "FY2013")).count == 1)
        #expect(try index.search(SearchQuery("\"Secure Communities\"", agency: "CBP")).isEmpty)
    }

    @Test("the index keeps the last run's deletions")
    func deletions() throws {
        let index = try SearchIndexTests.fixtureIndex()
        #expect(try index.documentCount() == 8)
        #expect(try index.deletedIDs() == [ExportTests.newestDeletedID()])
    }

    static let hostileQueries = [
        "AND OR NOT", "title:practices", "best NEAR(group)", "(((", "^working", "best -practices", "\"\"", "practices*",
        "\"best\" \"group\"", "working OR", "* * *", "'; DROP TABLE documents; --", "best\u{0}group",
        // Fuzz findings (#12): a quote carrying a combining mark is one Character but still a quote to FTS5.
        "\"\u{301}best\u{301}\" group", "best\u{301}\"\u{301}\" practices",
    ]

    @Test("quotes are escaped per Unicode scalar, so a combining mark after a quote cannot end an FTS5 string early")
    func quoteWithCombiningMark() throws {
        // Compared scalar by scalar: String's == treats canonically equivalent text as equal.
        func scalars(_ s: String?) -> [Unicode.Scalar] { Array((s ?? "").unicodeScalars) }
        #expect(scalars(FTSQuery.quoted("a\"\u{301}")) == scalars("\"a\"\"\u{301}\""))
        #expect(scalars(try FTSQuery.build("\"x\u{301}\" y")) == scalars("\"x\u{301}\" \"y\""))
        // The quote opens a phrase that never closes: a clear error, not an FTS5 syntax error.
        #expect(throws: ExportError.self) { try FTSQuery.build("best\"\u{301}group") }
    }

    @Test("FTS5 syntax in user input is searched as words, never a crash or an SQL error", arguments: hostileQueries)
    func hostileQuery(_ text: String) throws {
        let index = try SearchIndexTests.fixtureIndex()
        do {
            _ = try index.search(SearchQuery(text))
        } catch {
            // Only "nothing to search for" is acceptable, for inputs without any word.
            #expect(error.code == .badQuery)
            #expect(FTSQuery.hasSearchable(text) == false)
        }
        #expect(try index.documentCount() == 8)
    }

    @Test("bad queries give clear errors", arguments: [
        (SearchQuery("\"Best Practices"), "opening \""),
        (SearchQuery(""), "nothing to search for"),
        (SearchQuery("best", limit: 0), "--limit"),
        (SearchQuery("best", from: "2010-13"), "--from 2010-13 is not a date"),
        (SearchQuery("best", from: "2011", to: "2010"), "is after"),
    ])
    func badQueries(_ query: SearchQuery, _ expected: String) throws {
        let index = try SearchIndexTests.fixtureIndex()
        do {
            _ = try index.search(query)
            Issue.record("no error for \(query.text)")
        } catch {
            #expect(error.code == .badQuery)
            #expect(error.message.contains(expected))
        }
    }

    @Test("--json prints an array of {id, release, member, title, snippet, score}")
    func jsonOutput() throws {
        let index = try SearchIndexTests.fixtureIndex()
        let hits = try index.search(SearchQuery(SearchIndexTests.phrase))
        let parsed = try JSONSerialization.jsonObject(with: Data(SearchHit.jsonText(hits).utf8))
        let array = try #require(parsed as? [[String: Any]])
        #expect(array.count == 4)
        for item in array {
            #expect(Set(item.keys) == ["id", "release", "member", "title", "snippet", "score"])
        }
        #expect(SearchHit.plainText(hits).hasPrefix("1. "))
        #expect(SearchHit.plainText([]) == "No matches.\n")
    }

    @Test("a missing or foreign index file is a clear error")
    func badIndex() throws {
        let folder = try TestSupport.tempFolder("bad-index")
        do {
            _ = try SearchIndex(path: folder + "/none.sqlite")
            Issue.record("opened a missing index")
        } catch {
            #expect(error.code == .badIndex)
            #expect(error.message.contains("sluice export --format sqlite"))
        }
        try "not a database".write(toFile: folder + "/junk.sqlite", atomically: true, encoding: .utf8)
        #expect(throws: ExportError.self) { try SearchIndex(path: folder + "/junk.sqlite") }
    }
}

/// `--from`/`--to` and record dates read only as days that exist (issue #12): four ASCII digits
/// for the year, from 1000; `+123` or `FY0000` (whose first day would be in year -1) are no dates.
@Suite struct DateSpanTests {
    @Test(arguments: ["0999", "+123", "-123", "FY0000", "FY1000", "fy+999", "2013-02-30", "2013-+2", "２０１３"])
    func notADate(_ text: String) {
        #expect(DateSpan.parse(text) == nil)
    }

    @Test func spans() {
        #expect(DateSpan.parse("2012-02") == DateSpan(start: "2012-02-01", end: "2012-02-29"))
        #expect(DateSpan.parse("FY2013") == DateSpan(start: "2012-10-01", end: "2013-09-30"))
        #expect(DateSpan.parse("1000") == DateSpan(start: "1000-01-01", end: "1000-12-31"))
        #expect(DateSpan.of(value: "FY1001", precision: "fiscal-year") == DateSpan(start: "1000-10-01", end: "1001-09-30"))
    }
}
