import Foundation
import Logging
import SluiceCore
import SluiceExport
import SluicePostgres
import SluiceTestSupport
import Testing

/// The sample used by most tests: two releases, five documents.
enum Sample {
    static let ice = ("U.S. Immigration and Customs Enforcement", Optional("ICE"))
    static let oip = ("Office of Information Policy", Optional("OIP"))
    static let snap = ("Supplemental Nutrition Assistance Program", Optional("SNAP"))

    static var alpha: [JSONValue] {
        [
            OutboxBuilder.record(
                "a1", release: "alpha.zip", member: "one.html", title: "Secure Communities annual report",
                text: "The Secure Communities program processed detainers in fiscal year 2013.",
                agencies: [ice], dates: [("FY2013", "fiscal-year")], counts: [(1200, "detainers", "detainers")]),
            OutboxBuilder.record(
                "a2", release: "alpha.zip", member: "two.html", title: "FOIA backlog",
                text: "The Office of Information Policy reduced the FOIA backlog on 2010-06-15.",
                agencies: [oip], dates: [("2010-06-15", "day")]),
            OutboxBuilder.record(
                "a3", release: "alpha.zip", member: "three.html", title: "Food assistance",
                text: "Households receiving SNAP benefits in 2012, with notes on immigration status.",
                programs: [snap], dates: [("2012", "year")]),
        ]
    }

    static var beta: [JSONValue] {
        [
            OutboxBuilder.record(
                "b1", release: "beta.xml", member: "beta.xml", title: "Detention statistics",
                text: "ICE detention statistics; the Office of Information Policy guidance on FOIA fees.",
                agencies: [ice, oip], dates: [("2014-03", "month")]),
            OutboxBuilder.record(
                "b2", release: "beta.xml", member: "beta.xml#2", title: "Unrelated",
                text: "Weather and rainfall in the Pacific Northwest."),
        ]
    }

    /// An Outbox holding both releases.
    static func outbox() throws -> OutboxBuilder {
        let outbox = try OutboxBuilder()
        try outbox.write(release: "alpha.zip", alpha)
        try outbox.write(release: "beta.xml", beta)
        return outbox
    }
}

func target(_ url: String) throws -> PostgresSearchTarget {
    try PostgresSearchTarget(url: url, logger: Logger(label: "test"))
}

/// Every data table's rows, sorted, as psql prints them: two dumps are equal when the tables are.
func dump(_ url: String) throws -> String {
    let queries = [
        "SELECT id, release, member, part, title, text, media_type, sha256, bytes, first_date, last_date, record::text, records_file, line, line_sha256, tsv::text FROM records ORDER BY id",
        "SELECT record_id, name, acronym, parent FROM agencies ORDER BY 1, 2, 3, 4",
        "SELECT record_id, name, acronym FROM programs ORDER BY 1, 2, 3",
        "SELECT record_id, value, precision, \"start\", \"end\" FROM dates ORDER BY 1, 2, 3, 4, 5",
        "SELECT record_id, value, unit, subject FROM counts ORDER BY 1, 2, 3, 4",
        "SELECT records_file, sha256, records FROM search_releases ORDER BY 1",
        "SELECT run, ids, live FROM search_deletion_runs ORDER BY 1",
    ]
    return try queries.map { try TestPostgres.psql(url, $0) }.joined(separator: "\n--\n")
}

func ids(_ hits: [SearchHit]) -> [String] { hits.map(\.id) }

@Suite struct PostgresExportTests {
    @Test func exportsRecordsEntitiesAndWhatItApplied() async throws {
        let outbox = try Sample.outbox()
        defer { outbox.remove() }
        let url = try TestPostgres.database("pgexport")
        let summary = try await target(url).export(outbox: outbox.root)
        #expect(summary.releasesApplied == 2)
        #expect(summary.recordsWritten == 5)
        #expect(summary.recordsTotal == 5)
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM records") == "5\n")
        #expect(try TestPostgres.psql(url, "SELECT record->'source'->>'member' FROM records WHERE id = 'a1'") == "one.html\n")
        #expect(try TestPostgres.psql(url, "SELECT string_agg(acronym, ',' ORDER BY acronym) FROM agencies WHERE record_id = 'b1'") == "ICE,OIP\n")
        // A fiscal year is stored as the days it covers.
        #expect(try TestPostgres.psql(url, "SELECT \"start\" || '/' || \"end\" FROM dates WHERE record_id = 'a1'") == "2012-10-01/2013-09-30\n")
        #expect(try TestPostgres.psql(url, "SELECT value || ' ' || unit FROM counts WHERE record_id = 'a1'") == "1200 detainers\n")
        #expect(try TestPostgres.psql(url, "SELECT name FROM programs WHERE record_id = 'a3'") == "Supplemental Nutrition Assistance Program\n")
        // The title weighs A, the text B.
        #expect(try TestPostgres.psql(url, "SELECT tsv::text LIKE '%''secur'':1A%' FROM records WHERE id = 'a1'") == "t\n")
        #expect(try TestPostgres.psql(url, "SELECT records_file || ':' || sha256 FROM search_releases ORDER BY 1").split(separator: "\n").count == 2)
        #expect(try TestPostgres.psql(url, "SELECT max(version) FROM search_schema_version") == "1\n")
        #expect(try TestPostgres.psql(url, "SELECT releases_applied, records_written FROM search_exports") == "2|5\n")
    }

    @Test func exportingTwiceChangesNothing() async throws {
        let outbox = try Sample.outbox()
        defer { outbox.remove() }
        let url = try TestPostgres.database("pgtwice")
        _ = try await target(url).export(outbox: outbox.root)
        let before = try dump(url)
        let again = try await target(url).export(outbox: outbox.root)
        #expect(again.changedNothing)
        #expect(again.releasesUnchanged == 2)
        #expect(again.recordsWritten == 0 && again.recordsRemoved == 0)
        #expect(try dump(url) == before)
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM search_exports") == "1\n")
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM search_schema_version") == "1\n")
    }

    @Test func aChangedReleaseIsAppliedAndNothingElse() async throws {
        let outbox = try Sample.outbox()
        defer { outbox.remove() }
        let url = try TestPostgres.database("pgchange")
        _ = try await target(url).export(outbox: outbox.root)
        let betaBefore = try TestPostgres.psql(url, "SELECT id, record::text, tsv::text FROM records WHERE release = 'beta.xml' ORDER BY id")

        // alpha loses a2, a1 changes (text and entities), a4 is new; beta is untouched.
        var alpha = Sample.alpha
        alpha.remove(at: 1)
        alpha[0] = OutboxBuilder.record(
            "a1", release: "alpha.zip", member: "one.html", title: "Secure Communities final report",
            text: "Secure Communities ended; Priority Enforcement replaced it.",
            agencies: [Sample.oip], dates: [("2015-01-01", "day")])
        alpha.append(OutboxBuilder.record(
            "a4", release: "alpha.zip", member: "four.html", title: "Rainfall", text: "Drought relief programs."))
        try outbox.write(release: "alpha.zip", alpha)
        try outbox.writeDeletions(run: "20260101T000000Z-1", release: "alpha.zip", ids: ["a2"])

        let summary = try await target(url).export(outbox: outbox.root)
        #expect(summary.releasesApplied == 1)
        #expect(summary.releasesUnchanged == 1)
        #expect(summary.recordsRemoved == 1)
        #expect(summary.recordsWritten == 2)  // a1 changed, a4 new; a3 only moved up a line
        #expect(summary.recordsMoved == 1)
        #expect(summary.deletionRuns == 1)
        #expect(try TestPostgres.psql(url, "SELECT string_agg(id, ',' ORDER BY id) FROM records") == "a1,a3,a4,b1,b2\n")
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM agencies WHERE record_id = 'a2'") == "0\n")
        #expect(try TestPostgres.psql(url, "SELECT string_agg(acronym, ',') FROM agencies WHERE record_id = 'a1'") == "OIP\n")
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM dates WHERE record_id = 'a1'") == "1\n")
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM counts WHERE record_id = 'a1'") == "0\n")
        #expect(try TestPostgres.psql(url, "SELECT line FROM records WHERE id = 'a3'") == "2\n")
        #expect(try TestPostgres.psql(url, "SELECT run || ' ' || ids || ' ' || live FROM search_deletion_runs") == "20260101T000000Z-1 1 0\n")
        #expect(try TestPostgres.psql(url, "SELECT id, record::text, tsv::text FROM records WHERE release = 'beta.xml' ORDER BY id") == betaBefore)

        let t = try target(url)
        #expect(ids(try await t.search(SearchQuery("backlog"))).isEmpty)
        #expect(ids(try await t.search(SearchQuery("priority enforcement"))) == ["a1"])
        #expect(ids(try await t.search(SearchQuery("", agency: "ICE"))) == ["b1"])

        // The same Outbox exported from scratch gives the same tables.
        let fresh = try TestPostgres.database("pgfresh")
        _ = try await target(fresh).export(outbox: outbox.root)
        #expect(try dump(fresh) == dump(url))
    }

    @Test func aReleaseGoneFromTheOutboxTakesItsRecords() async throws {
        let outbox = try Sample.outbox()
        defer { outbox.remove() }
        let url = try TestPostgres.database("pggone")
        _ = try await target(url).export(outbox: outbox.root)
        try outbox.removeRelease("beta.xml")
        let summary = try await target(url).export(outbox: outbox.root)
        #expect(summary.releasesRemoved == 1)
        #expect(summary.recordsRemoved == 2)
        #expect(try TestPostgres.psql(url, "SELECT string_agg(id, ',' ORDER BY id) FROM records") == "a1,a2,a3\n")
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM agencies WHERE record_id LIKE 'b%'") == "0\n")
        #expect(try TestPostgres.psql(url, "SELECT string_agg(records_file, ',') FROM search_releases") == "alpha.zip.ndjson\n")
    }

    @Test func aFullExportRebuildsTheSameTables() async throws {
        let outbox = try Sample.outbox()
        defer { outbox.remove() }
        let url = try TestPostgres.database("pgfull")
        _ = try await target(url).export(outbox: outbox.root)
        let before = try dump(url)
        // Damage the table behind Sluice's back: only --full repairs that.
        try TestPostgres.psql(url, "DELETE FROM records WHERE id = 'b2'")
        let incremental = try await target(url).export(outbox: outbox.root)
        #expect(incremental.changedNothing)
        let full = try await target(url).export(outbox: outbox.root, full: true)
        #expect(full.releasesApplied == 2)
        #expect(full.recordsWritten == 5)
        #expect(try dump(url) == before)
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM search_exports WHERE full_rebuild") == "1\n")
    }

    @Test func aNewerSchemaIsRefusedAndAnEmptyDatabaseIsNotSearchable() async throws {
        let outbox = try Sample.outbox()
        defer { outbox.remove() }
        let empty = try TestPostgres.database("pgempty")
        let error = await #expect(throws: ExportError.self) { try await target(empty).search(SearchQuery("foia")) }
        #expect(error?.message.contains("sluice export --format postgres") == true)

        let url = try TestPostgres.database("pgnewer")
        _ = try await target(url).export(outbox: outbox.root)
        try TestPostgres.psql(url, "INSERT INTO search_schema_version(version) VALUES (99)")
        let newer = await #expect(throws: ExportError.self) { try await target(url).export(outbox: outbox.root) }
        #expect(newer?.message.contains("schema version 99") == true)
    }

    @Test func aBadRecordFailsItsReleaseOnlyAndNamesTheLine() async throws {
        let outbox = try Sample.outbox()
        defer { outbox.remove() }
        let url = try TestPostgres.database("pgbad")
        _ = try await target(url).export(outbox: outbox.root)
        try Data("{\"id\": \"z1\"}\nnot json\n".utf8).write(to: URL(fileURLWithPath: outbox.root + "/records/beta.xml.ndjson"))
        let error = await #expect(throws: ExportError.self) { try await target(url).export(outbox: outbox.root) }
        #expect(error?.code == .badRecord)
        #expect(error?.message.contains("beta.xml.ndjson:2") == true)
        // The release's transaction rolled back: the table still has beta's old records, and no z1.
        #expect(try TestPostgres.psql(url, "SELECT string_agg(id, ',' ORDER BY id) FROM records") == "a1,a2,a3,b1,b2\n")
    }

    @Test func aRecordWithNULInItsTextIsStored() async throws {
        let outbox = try OutboxBuilder()
        defer { outbox.remove() }
        try outbox.write(release: "nul", [OutboxBuilder.record("n1", release: "nul", member: "n", title: "Zero\u{0}byte", text: "rainfall\u{0} drought")])
        let url = try TestPostgres.database("pgnul")
        let summary = try await target(url).export(outbox: outbox.root)
        #expect(summary.recordsTotal == 1)
        #expect(ids(try await target(url).search(SearchQuery("drought"))) == ["n1"])
    }
}
