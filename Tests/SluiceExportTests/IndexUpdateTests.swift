import Foundation
import GRDB
import SluiceCore
import Synchronization
import Testing
@testable import SluiceExport

/// The embedded index kept in step with the Outbox, as the PostgreSQL export is (issue #17):
/// only changed releases applied, removed records gone, nothing duplicated, updating twice a no-op,
/// `--full` the same as incremental, an index of the old layout rebuilt. The tables are read here
/// with plain SQL, not through `SearchIndex`.
@Suite struct IndexUpdateTests {
    static let news = "oip-news-and-federal-register.tar.gz.ndjson"
    static let phrase = "\"Best Practices Working Group\""

    /// The fixture Outbox copied where a test may change it, and an index path beside it.
    static func workspace() throws -> (outbox: String, index: String) {
        let dir = try TestSupport.tempFolder("update")
        try FileManager.default.copyItem(atPath: TestSupport.fixtureOutbox, toPath: dir + "/Outbox")
        return (dir + "/Outbox", dir + "/search.sqlite")
    }

    static func update(_ outbox: String, _ index: String, full: Bool = false) throws -> SearchSyncSummary {
        try Exporter(outbox: outbox).updateIndex(at: index, full: full)
    }

    /// The first column of every row, as text.
    static func column(_ index: String, _ sql: String) throws -> [String] {
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: index, configuration: config)
        defer { try? queue.close() }
        return try queue.read { db in try Row.fetchAll(db, sql: sql).map { $0.databaseValues.map(\.description).joined(separator: "|") } }
    }

    static func integer(_ index: String, _ sql: String) throws -> Int {
        Int(try column(index, sql).first ?? "") ?? -1
    }

    /// Every table's content (documents without `seq`, their FTS5 rows by document id), sorted:
    /// two dumps are equal when the indexes hold the same.
    static func dump(_ index: String) throws -> [String] {
        let queries = [
            """
            SELECT id, release, member, part, title, media_type, sha256, bytes, first_date, last_date, properties,
                   records_file, line, line_sha256 FROM documents ORDER BY id
            """,
            "SELECT d.id, f.title, f.text FROM documents_fts f JOIN documents d ON d.seq = f.rowid ORDER BY d.id",
            "SELECT doc_id, name, acronym, parent FROM agencies ORDER BY 1, 2, 3, 4",
            "SELECT doc_id, name, acronym FROM programs ORDER BY 1, 2, 3",
            "SELECT doc_id, value, precision, \"start\", \"end\" FROM dates ORDER BY 1, 2, 3, 4, 5",
            "SELECT doc_id, value, unit, subject, qualifier, agency, component, fiscal_year FROM counts ORDER BY 1, 2, 3, 4",
            "SELECT id, release, member, run FROM deletions ORDER BY id",
            "SELECT records_file, sha256, records FROM releases ORDER BY 1",
            "SELECT run, ids, live FROM deletion_runs ORDER BY 1",
            "SELECT key, value FROM meta ORDER BY key",
        ]
        return try queries.map { try column(index, $0).joined(separator: "\n") }
    }

    /// The rows of one release's documents with their FTS5 rowid and text: equal only if untouched.
    static func rows(ofFile file: String, _ index: String) throws -> [String] {
        try column(index, """
            SELECT d.seq, d.id, d.line, d.line_sha256, f.title, f.text FROM documents d JOIN documents_fts f ON f.rowid = d.seq
            WHERE d.records_file = '\(file)' ORDER BY d.seq
            """)
    }

    /// No document twice, one FTS5 row per document and none without, no entity row without its document.
    static func expectConsistent(_ index: String) throws {
        let documents = try integer(index, "SELECT count(*) FROM documents")
        #expect(try integer(index, "SELECT count(DISTINCT id) FROM documents") == documents)
        #expect(try integer(index, "SELECT count(*) FROM documents_fts") == documents)
        #expect(try integer(index, "SELECT count(*) FROM documents_fts WHERE rowid NOT IN (SELECT seq FROM documents)") == 0)
        for table in ["agencies", "programs", "dates", "counts"] {
            #expect(try integer(index, "SELECT count(*) FROM \(table) WHERE doc_id NOT IN (SELECT id FROM documents)") == 0, "\(table)")
        }
        #expect(try integer(index, "SELECT sum(records) FROM releases") == documents)
    }

    static func sha256(ofFile path: String) throws -> String {
        SHA256.hex(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// Search results as text (id, score, snippet), for comparing two indexes.
    static func results(_ index: String) throws -> [String] {
        let search = try SearchIndex(path: index)
        let queries = [
            SearchQuery(phrase), SearchQuery("FOIA", limit: 50), SearchQuery("regulations"), SearchQuery("", agency: "OIP", limit: 50),
            SearchQuery("firearms", agency: "ATF"), SearchQuery("", from: "2010-06", to: "2010-07", limit: 50),
            SearchQuery("rainfall drought"), SearchQuery("", program: "Best Practices Working Group"),
        ]
        return try queries.flatMap { query in
            try search.search(query).map { "\(query.text)|\($0.id)|\($0.score)|\($0.snippet)" } + ["--"]
        }
    }

    // MARK: Changing the fixture Outbox

    static func records(_ outbox: String, _ file: String) throws -> [JSONValue] {
        let text = try String(contentsOfFile: "\(outbox)/records/\(file)", encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONReader.parse(String($0)) }
    }

    static func write(_ records: [JSONValue], _ outbox: String, _ file: String) throws {
        try Data(records.map { $0.serialized() + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: "\(outbox)/records/\(file)"))
    }

    /// `value` with `key` set to `new` (added at the end when missing).
    static func setting(_ key: String, _ new: JSONValue, in value: JSONValue) -> JSONValue {
        guard case .object(var pairs) = value else { return value }
        if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = new } else { pairs.append((key, new)) }
        return .object(pairs)
    }

    static func member(_ record: JSONValue) -> String {
        ((record["source"]?["member"]?.stringValue ?? "") as NSString).lastPathComponent
    }

    /// The news release changed as a new run would rewrite it: oip-100519 gone (and named in a new
    /// deletions file), oip-100512 edited (text, title, agencies), rainfall.html new; the rest the
    /// same, two of them a line further up.
    static func changeNewsRelease(_ outbox: String) throws -> (removed: String, edited: String, added: String) {
        var records = try Self.records(outbox, news)
        let removedIndex = try #require(records.firstIndex { member($0) == "oip-100519.html" })
        let removed = try #require(records[removedIndex]["id"]?.stringValue)
        records.remove(at: removedIndex)
        let editedIndex = try #require(records.firstIndex { member($0) == "oip-100512.html" })
        let edited = try #require(records[editedIndex]["id"]?.stringValue)
        var record = setting("title", .string("FOIA News: guidance withdrawn"), in: records[editedIndex])
        record = setting("text", .string("The guidance on proactive disclosure was withdrawn; see the Quillfeather memorandum."), in: record)
        let entities = JSONValue.object([
            ("agencies", .array([.object([("name", .string("Department of Justice")), ("acronym", .string("DOJ"))])])),
            ("dates", .array([])), ("programs", .array([])), ("counts", .array([])),
        ])
        records[editedIndex] = setting("entities", entities, in: record)
        let added = String(repeating: "f", count: 32)
        var new = setting("id", .string(added), in: records[0])
        new = setting("source", setting("member", .string("oip-and-federal-register/rainfall.html"), in: new["source"] ?? .null), in: new)
        new = setting("title", .string("Rainfall"), in: new)
        new = setting("text", .string("Drought and rainfall in the Pacific Northwest."), in: new)
        new = setting("entities", .object([("agencies", .array([])), ("dates", .array([])), ("programs", .array([])), ("counts", .array([]))]), in: new)
        new = setting("properties", .object([]), in: new)
        records.append(new)
        try write(records, outbox, news)
        let deletions = JSONValue.object([
            ("run", .string("20261201T010000Z-303")),
            ("deleted", .array([.object([
                ("id", .string(removed)), ("release", .string("oip-news-and-federal-register.tar.gz")),
                ("member", .string("oip-and-federal-register/oip-100519.html")),
            ])])),
        ])
        try Data(deletions.serialized().utf8).write(to: URL(fileURLWithPath: "\(outbox)/deletions/20261201T010000Z-303.json"))
        return (removed, edited, added)
    }

    // MARK: Tests

    @Test func theFirstBuildAppliesEveryReleaseAndLogsIt() throws {
        let (outbox, index) = try Self.workspace()
        let summary = try Self.update(outbox, index)
        #expect(summary.releasesApplied == 3)
        #expect(summary.recordsWritten == 8)
        #expect(summary.recordsTotal == 8)
        #expect(summary.deletionRuns == 2)
        #expect(!summary.fullRebuild)
        #expect(try Self.column(index, "SELECT value FROM meta WHERE key = 'format'") == ["\"sluice.search/2\""])
        #expect(try Self.column(index, "SELECT id, full_rebuild, releases_applied, records_written FROM builds") == ["1|0|3|8"])
        #expect(try Self.column(index, "SELECT DISTINCT build FROM releases") == ["1"])
        #expect(try Self.column(index, "SELECT run, ids, live FROM deletion_runs ORDER BY run") == [
            "\"20261128T010000Z-101\"|1|0", "\"20261129T010000Z-202\"|1|0",
        ])
        try Self.expectConsistent(index)
        #expect(try SearchIndex(path: index).deletedIDs() == [ExportTests.newestDeletedID()])
    }

    @Test func updatingTwiceChangesNotOneByte() throws {
        let (outbox, index) = try Self.workspace()
        _ = try Self.update(outbox, index)
        let before = try Self.sha256(ofFile: index)
        let again = try Self.update(outbox, index)
        #expect(again.changedNothing)
        #expect(again.releasesUnchanged == 3)
        #expect(again.recordsRead == 0)
        #expect(again.recordsTotal == 8)
        #expect(try Self.sha256(ofFile: index) == before)
        #expect(SearchSyncReport.line(again).contains("up to date"))
    }

    @Test func aChangedReleaseIsAppliedAndNothingElse() throws {
        let (outbox, index) = try Self.workspace()
        _ = try Self.update(outbox, index)
        let foia = try Self.rows(ofFile: "2013-FOIASetFull.zip.ndjson", index)
        let loose = try Self.rows(ofFile: "doj-oip/oip-1005041.html.ndjson", index)
        let unchangedNews = try Self.column(index, """
            SELECT d.seq, d.id, f.text FROM documents d JOIN documents_fts f ON f.rowid = d.seq
            WHERE d.member LIKE '%04-16753.xml' OR d.member LIKE '%2016-13878.xml' ORDER BY d.seq
            """)
        let (removed, edited, added) = try Self.changeNewsRelease(outbox)

        let summary = try Self.update(outbox, index)
        #expect(summary.releasesApplied == 1)
        #expect(summary.releasesUnchanged == 2)
        #expect(summary.recordsRead == 6)
        #expect(summary.recordsWritten == 2)  // the edited record and the new one
        #expect(summary.recordsMoved == 2)  // oip-100609 and oip-101124, one line up
        #expect(summary.recordsRemoved == 1)
        #expect(summary.deletionRuns == 1)
        #expect(summary.recordsTotal == 8)

        // The build log and the releases table say which build applied what: build 2, only the news release.
        #expect(try Self.column(index, "SELECT id, full_rebuild, releases_applied, records_written, records_removed, deletion_runs FROM builds ORDER BY id")
            == ["1|0|3|8|0|2", "2|0|1|2|1|1"])
        #expect(try Self.column(index, "SELECT records_file, build FROM releases ORDER BY records_file") == [
            "\"2013-FOIASetFull.zip.ndjson\"|1", "\"doj-oip/oip-1005041.html.ndjson\"|1", "\"\(Self.news)\"|2",
        ])
        // The other releases' documents, FTS5 rows included, were not rewritten; nor were the news
        // release's unchanged records.
        #expect(try Self.rows(ofFile: "2013-FOIASetFull.zip.ndjson", index) == foia)
        #expect(try Self.rows(ofFile: "doj-oip/oip-1005041.html.ndjson", index) == loose)
        #expect(try Self.column(index, """
            SELECT d.seq, d.id, f.text FROM documents d JOIN documents_fts f ON f.rowid = d.seq
            WHERE d.member LIKE '%04-16753.xml' OR d.member LIKE '%2016-13878.xml' ORDER BY d.seq
            """) == unchangedNews)

        try Self.expectConsistent(index)
        #expect(try Self.integer(index, "SELECT count(*) FROM documents WHERE id = '\(removed)'") == 0)
        #expect(try Self.integer(index, "SELECT count(*) FROM agencies WHERE doc_id = '\(removed)'") == 0)
        #expect(try Self.integer(index, "SELECT count(*) FROM dates WHERE doc_id = '\(removed)'") == 0)
        #expect(try Self.column(index, "SELECT acronym FROM agencies WHERE doc_id = '\(edited)'") == ["\"DOJ\""])
        #expect(try Self.integer(index, "SELECT count(*) FROM programs WHERE doc_id = '\(edited)'") == 0)
        #expect(try Self.column(index, "SELECT member, line FROM documents WHERE member LIKE '%oip-1006%' OR member LIKE '%oip-1011%' ORDER BY line")
            == ["\"oip-and-federal-register/oip-100609.html\"|4", "\"oip-and-federal-register/oip-101124.html\"|5"])
        #expect(try Self.column(index, "SELECT run, ids, live FROM deletion_runs WHERE run LIKE '%303'") == ["\"20261201T010000Z-303\"|1|0"])

        let search = try SearchIndex(path: index)
        #expect(Set(try search.search(SearchQuery(Self.phrase)).map { Self.pagesOf($0) }) == ["oip-1005041.html", "oip-100609.html"])
        #expect(try search.search(SearchQuery("quillfeather memorandum")).map(\.id) == [edited])
        #expect(try search.search(SearchQuery("drought")).map(\.id) == [added])
        #expect(try search.search(SearchQuery("", agency: "DOJ", limit: 50)).map(\.id).contains(edited))
        #expect(try search.deletedIDs() == [removed])

        // Built from scratch, the same Outbox gives the same tables and the same results.
        let fresh = (index as NSString).deletingLastPathComponent + "/fresh.sqlite"
        let full = try Self.update(outbox, fresh, full: true)
        #expect(full.releasesApplied == 3 && full.recordsWritten == 8)
        #expect(try Self.dump(fresh) == Self.dump(index))
        #expect(try Self.results(fresh) == Self.results(index))
    }

    static func pagesOf(_ hit: SearchHit) -> String { (hit.member as NSString).lastPathComponent }

    @Test func aFullRebuildGivesTheSameIndexAndKeepsTheLog() throws {
        let (outbox, index) = try Self.workspace()
        _ = try Self.update(outbox, index)
        _ = try Self.changeNewsRelease(outbox)
        _ = try Self.update(outbox, index)
        let tables = try Self.dump(index)
        let results = try Self.results(index)
        // Damage the index behind Sluice's back: only --full repairs that.
        let queue = try DatabaseQueue(path: index)
        try queue.write { db in try db.execute(sql: "DELETE FROM programs") }
        try queue.close()
        #expect(try Self.update(outbox, index).changedNothing)
        let full = try Self.update(outbox, index, full: true)
        #expect(full.fullRebuild)
        #expect(full.releasesApplied == 3)
        #expect(full.recordsWritten == 8)
        #expect(try Self.dump(index) == tables)
        #expect(try Self.results(index) == results)
        #expect(try Self.column(index, "SELECT id, full_rebuild FROM builds ORDER BY id") == ["1|0", "2|0", "3|1"])
        #expect(try Self.column(index, "SELECT DISTINCT build FROM releases") == ["3"])
        #expect(!FileManager.default.fileExists(atPath: index + ".tmp-\(getpid())"))
    }

    @Test func aReleaseGoneFromTheOutboxTakesItsRecords() throws {
        let (outbox, index) = try Self.workspace()
        _ = try Self.update(outbox, index)
        try FileManager.default.removeItem(atPath: outbox + "/records/doj-oip/oip-1005041.html.ndjson")
        let summary = try Self.update(outbox, index)
        #expect(summary.releasesRemoved == 1)
        #expect(summary.recordsRemoved == 1)
        #expect(summary.recordsTotal == 7)
        #expect(try Self.integer(index, "SELECT count(*) FROM documents WHERE member = 'oip-1005041.html'") == 0)
        #expect(try Self.integer(index, "SELECT count(*) FROM releases WHERE records_file LIKE 'doj-oip/%'") == 0)
        try Self.expectConsistent(index)
        #expect(Set(try SearchIndex(path: index).search(SearchQuery(Self.phrase)).map { Self.pagesOf($0) })
            == ["oip-100512.html", "oip-100519.html", "oip-100609.html"])
    }

    /// The layout before incremental updates (`sluice.search/1`): no `records_file`, `line`,
    /// `line_sha256`, no `releases` or `builds`.
    static let oldLayout = [
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)",
        """
        CREATE TABLE documents(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, release TEXT NOT NULL, member TEXT NOT NULL,
            part TEXT, title TEXT, media_type TEXT, sha256 TEXT, bytes INTEGER, first_date TEXT, last_date TEXT, properties TEXT)
        """,
        "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, tokenize = 'porter unicode61')",
        "CREATE TABLE agencies(doc_id TEXT NOT NULL REFERENCES documents(id), name TEXT NOT NULL, acronym TEXT, parent TEXT)",
        "CREATE TABLE deletions(id TEXT PRIMARY KEY, release TEXT, member TEXT, run TEXT)",
        "INSERT INTO meta(key, value) VALUES ('format', 'sluice.search/1'), ('records', '1')",
        "INSERT INTO documents(seq, id, release, member, title) VALUES (1, 'old', 'old.zip', 'old.html', 'Stale')",
        "INSERT INTO documents_fts(rowid, title, text) VALUES (1, 'Stale', 'stale text')",
    ]

    @Test func anIndexOfTheOldLayoutIsRebuilt() throws {
        let (outbox, index) = try Self.workspace()
        let queue = try DatabaseQueue(path: index)
        try queue.write { db in for sql in Self.oldLayout { try db.execute(sql: sql) } }
        try queue.close()
        #expect(throws: ExportError.self) { try SearchIndex(path: index) }

        let summary = try Self.update(outbox, index)
        #expect(summary.fullRebuild)
        #expect(summary.releasesApplied == 3)
        #expect(summary.recordsTotal == 8)
        #expect(SearchSyncReport.line(summary).contains("rebuilt"))
        #expect(try Self.column(index, "SELECT value FROM meta WHERE key = 'format'") == ["\"sluice.search/2\""])
        #expect(try Self.integer(index, "SELECT count(*) FROM documents WHERE id = 'old'") == 0)
        try Self.expectConsistent(index)
        #expect(try SearchIndex(path: index).search(SearchQuery(Self.phrase)).count == 4)
        #expect(try Self.update(outbox, index).changedNothing)

        // The fresh build gives what a build into an empty path gives.
        let fresh = (index as NSString).deletingLastPathComponent + "/fresh.sqlite"
        _ = try Self.update(outbox, fresh)
        #expect(try Self.dump(fresh) == Self.dump(index))
    }

    @Test func aNewerLayoutIsRefusedUnlessFullAndAForeignFileIsLeftAlone() throws {
        let (outbox, index) = try Self.workspace()
        _ = try Self.update(outbox, index)
        let queue = try DatabaseQueue(path: index)
        try queue.write { db in try db.execute(sql: "UPDATE meta SET value = 'sluice.search/99' WHERE key = 'format'") }
        try queue.close()
        let newer = #expect(throws: ExportError.self) { try Self.update(outbox, index) }
        #expect(newer?.code == .badIndex)
        #expect(newer?.message.contains("sluice.search/99") == true)
        #expect(try Self.update(outbox, index, full: true).recordsTotal == 8)
        #expect(try Self.column(index, "SELECT value FROM meta WHERE key = 'format'") == ["\"sluice.search/2\""])

        let folder = (index as NSString).deletingLastPathComponent
        try "not a database".write(toFile: folder + "/notes.sqlite", atomically: true, encoding: .utf8)
        let junk = #expect(throws: ExportError.self) { try Self.update(outbox, folder + "/notes.sqlite", full: true) }
        #expect(junk?.code == .usage)
        #expect(try String(contentsOfFile: folder + "/notes.sqlite", encoding: .utf8) == "not a database")

        let other = try DatabaseQueue(path: folder + "/ledger.sqlite")
        try other.write { db in try db.execute(sql: "CREATE TABLE items(id TEXT)") }
        try other.close()
        let before = try Self.sha256(ofFile: folder + "/ledger.sqlite")
        #expect(throws: ExportError.self) { try Self.update(outbox, folder + "/ledger.sqlite") }
        #expect(try Self.sha256(ofFile: folder + "/ledger.sqlite") == before)
    }

    @Test func twoBuildsAtOnceApplyEachReleaseOnce() throws {
        let (outbox, index) = try Self.workspace()
        let outcomes = Mutex<[Result<SearchSyncSummary, ExportError>]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let outcome = Result { () throws(ExportError) in try Exporter(outbox: outbox).updateIndex(at: index) }
            outcomes.withLock { $0.append(outcome) }
        }
        let summaries = try outcomes.withLock { $0 }.map { try $0.get() }
        // One build applied everything; the other waited for it and found nothing to do.
        #expect(summaries.map(\.releasesApplied).sorted() == [0, 3])
        #expect(try Self.column(index, "SELECT id, releases_applied, records_written FROM builds") == ["1|3|8"])
        try Self.expectConsistent(index)
        #expect(try Self.integer(index, "SELECT count(*) FROM documents") == 8)
    }

    @Test func aBadRecordFailsItsReleaseAndTheIndexKeepsTheOldOne() throws {
        let (outbox, index) = try Self.workspace()
        _ = try Self.update(outbox, index)
        let before = try Self.dump(index)
        var records = try Self.records(outbox, Self.news)
        records[0] = Self.setting("title", .string("Changed"), in: records[0])
        try Self.write(records, outbox, Self.news)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(outbox)/records/\(Self.news)"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("not json\n".utf8))
        try handle.close()
        let error = #expect(throws: ExportError.self) { try Self.update(outbox, index) }
        #expect(error?.code == .badRecord)
        #expect(error?.message.contains("\(Self.news):7") == true)
        // The release's transaction rolled back: the first record keeps its old title.
        #expect(try Self.dump(index) == before)
    }
}
