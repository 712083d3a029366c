import SluiceOutbox
import Foundation
import SluiceCore
import Testing
@testable import SluiceExport

@Suite("Exports for search tools")
struct ExportTests {
    /// The id the newest fixture deletions file lists (its older sibling must be ignored).
    static func newestDeletedID() -> String {
        Record.makeID(release: "oip-news-and-federal-register.tar.gz", member: "oip-and-federal-register/2011-29462.xml", part: nil)
    }

    @Test("opensearch: action and document lines alternate, each valid JSON; deletes follow; the mapping parses")
    func openSearch() throws {
        let out = try TestSupport.tempFolder("os")
        let summary = try Exporter(outbox: TestSupport.fixtureOutbox, options: ExportOptions(indexName: "foia"))
            .export(format: .opensearch, to: out)
        #expect(summary.records == 8)
        #expect(summary.deletions == 1)
        #expect(summary.deletionsRun == "20261129T010000Z-202")
        let lines = try TestSupport.lines(out + "/bulk.ndjson")
        #expect(lines.count == 8 * 2 + 1)
        let recordIDs = try TestSupport.recordLines(outbox: TestSupport.fixtureOutbox).map { try TestSupport.jsonObject($0)["id"] as? String }
        for i in 0..<8 {
            let action = try TestSupport.jsonObject(lines[2 * i])
            let index = try #require(action["index"] as? [String: Any])
            #expect(index["_index"] as? String == "foia")
            #expect(index["_id"] as? String == recordIDs[i])
            let doc = try TestSupport.jsonObject(lines[2 * i + 1])
            #expect(doc["id"] as? String == recordIDs[i])
            #expect(doc["index"] == nil && doc["delete"] == nil)
        }
        let delete = try TestSupport.jsonObject(lines[16])
        let target = try #require(delete["delete"] as? [String: Any])
        #expect(target["_id"] as? String == ExportTests.newestDeletedID())
        #expect(target["_index"] as? String == "foia")

        // The mapping written beside the export is the shipped one, and covers every field the documents carry
        // (it is "dynamic": "strict", so a field missing from it would make OpenSearch reject the document).
        let mapping = try TestSupport.jsonObject(try String(contentsOfFile: out + "/mapping.json", encoding: .utf8))
        let mappings = try #require(mapping["mappings"] as? [String: Any])
        let fields = try #require(mappings["properties"] as? [String: Any])
        #expect((fields["agency_names"] as? [String: Any])?["type"] as? String == "keyword")
        #expect((fields["counts"] as? [String: Any])?["type"] as? String == "nested")
        #expect((fields["first_date"] as? [String: Any])?["type"] as? String == "date")
        #expect((fields["text"] as? [String: Any])?["type"] as? String == "text")
        for i in 0..<8 {
            for key in try TestSupport.jsonObject(lines[2 * i + 1]).keys {
                #expect(fields[key] != nil, "field \(key) is not in the mapping")
            }
        }
    }

    @Test("opensearch documents flatten entities: names, acronyms, programs, date spans, nested counts")
    func openSearchDocument() throws {
        let out = try TestSupport.tempFolder("os-doc")
        try Exporter(outbox: TestSupport.fixtureOutbox).export(format: .opensearch, to: out)
        let docs = try TestSupport.lines(out + "/bulk.ndjson").enumerated().filter { $0.offset % 2 == 1 }.map { try TestSupport.jsonObject($0.element) }
        let sss = try #require(docs.first { ($0["member"] as? String)?.hasSuffix("sss-2013.xml") == true })
        #expect(sss["agency_acronyms"] as? [String] == ["SSS"])
        #expect(sss["date_values"] as? [String] == ["FY2013"])
        #expect(sss["first_date"] as? String == "2012-10-01")
        #expect(sss["last_date"] as? String == "2013-09-30")
        let counts = try #require(sss["counts"] as? [[String: Any]])
        let received = try #require(counts.first { $0["subject"] as? String == "requests_received" })
        #expect((received["value"] as? NSNumber)?.doubleValue == 18)
        #expect((received["context"] as? [String: Any])?["fiscal_year"] as? String == "FY2013")
        let oip = try #require(docs.first { ($0["member"] as? String)?.hasSuffix("oip-100512.html") == true })
        #expect(oip["program_names"] as? [String] == ["Best Practices Working Group", "Technology Working Group"])
        #expect(oip["agency_names"] as? [String] == ["Office of Information Policy"])
        #expect(oip["first_date"] as? String == "2010-05-12")
        #expect(oip["last_date"] as? String == "2010-06-15")
        let fr = try #require(docs.first { ($0["member"] as? String)?.hasSuffix("2016-13878.xml") == true })
        #expect((fr["document_properties"] as? [String: Any])?["rin"] as? String == "1140-AA50")
        #expect(fr["agency_parents"] as? [String] == ["Department of Justice"])
    }

    @Test("meilisearch: settings parse and list the filterable attributes; documents and deletions are written")
    func meilisearch() throws {
        let out = try TestSupport.tempFolder("meili")
        let summary = try Exporter(outbox: TestSupport.fixtureOutbox).export(format: .meilisearch, to: out)
        #expect(summary.files.map { ($0 as NSString).lastPathComponent } == ["documents.ndjson", "settings.json", "deletions.json"])
        let settings = try TestSupport.jsonObject(try String(contentsOfFile: out + "/settings.json", encoding: .utf8))
        let filterable = try #require(settings["filterableAttributes"] as? [String])
        for field in ["agency_names", "agency_acronyms", "program_names", "years", "first_date_ts", "date_values"] {
            #expect(filterable.contains(field))
        }
        #expect((settings["searchableAttributes"] as? [String])?.first == "title")
        #expect((settings["sortableAttributes"] as? [String])?.contains("first_date_ts") == true)
        let docs = try TestSupport.lines(out + "/documents.ndjson").map(TestSupport.jsonObject)
        #expect(docs.count == 8)
        // Every attribute the settings name exists in the documents (nested ones by their parent).
        for field in filterable {
            let top = String(field.split(separator: ".")[0])
            #expect(docs.allSatisfy { $0[top] != nil }, "\(field) missing from documents")
        }
        let oip = try #require(docs.first { ($0["member"] as? String)?.hasSuffix("oip-100609.html") == true })
        #expect(oip["years"] as? [Int] == [2010])
        #expect((oip["first_date_ts"] as? NSNumber)?.intValue == 1_276_041_600)  // 2010-06-09T00:00:00Z
        let deletions = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/deletions.json")))
        #expect(deletions as? [String] == [ExportTests.newestDeletedID()])
    }

    @Test("ndjson: the records exactly as written, in release-file then line order, and the deletions")
    func ndjson() throws {
        let out = try TestSupport.tempFolder("nd")
        let summary = try Exporter(outbox: TestSupport.fixtureOutbox).export(format: .ndjson, to: out)
        #expect(summary.records == 8)
        let exported = try String(contentsOfFile: out + "/records.ndjson", encoding: .utf8)
        let dir = TestSupport.fixtureOutbox + "/records/"
        // Byte-wise path order: "2013-..." < "doj-oip/..." < "oip-...".
        let expected = try ["2013-FOIASetFull.zip.ndjson", "doj-oip/oip-1005041.html.ndjson", "oip-news-and-federal-register.tar.gz.ndjson"]
            .map { try String(contentsOfFile: dir + $0, encoding: .utf8) }.joined()
        #expect(exported == expected)
        let deletions = try TestSupport.jsonObject(try String(contentsOfFile: out + "/deletions.json", encoding: .utf8))
        #expect(deletions["run"] as? String == "20261129T010000Z-202")
        let deleted = try #require(deletions["deleted"] as? [[String: Any]])
        #expect(deleted.map { $0["id"] as? String } == [ExportTests.newestDeletedID()])
        #expect(deleted.first?["member"] as? String == "oip-and-federal-register/2011-29462.xml")
    }

    @Test("exports are byte-identical from run to run", arguments: [ExportFormat.ndjson, .opensearch, .meilisearch])
    func deterministic(_ format: ExportFormat) throws {
        let a = try TestSupport.tempFolder("det-a")
        let b = try TestSupport.tempFolder("det-b")
        let first = try Exporter(outbox: TestSupport.fixtureOutbox).export(format: format, to: a)
        try Exporter(outbox: TestSupport.fixtureOutbox).export(format: format, to: b)
        for file in first.files {
            let name = (file as NSString).lastPathComponent
            #expect(try Data(contentsOf: URL(fileURLWithPath: a + "/" + name)) == Data(contentsOf: URL(fileURLWithPath: b + "/" + name)))
        }
    }

    @Test("no deletions folder means no deletions; a deleted id present in the records again is not deleted")
    func deletionsEdgeCases() throws {
        let outbox = try TestSupport.generatedOutbox()
        let out = try TestSupport.tempFolder("nodel")
        let none = try Exporter(outbox: outbox).export(format: .opensearch, to: out)
        #expect(none.deletions == 0 && none.deletionsRun == nil)
        #expect(try TestSupport.lines(out + "/bulk.ndjson").count == 4)

        let liveID = try #require(try TestSupport.jsonObject(try TestSupport.recordLines(outbox: outbox)[0])["id"] as? String)
        try FileManager.default.createDirectory(atPath: outbox + "/deletions", withIntermediateDirectories: true)
        try #"{"run":"r1","deleted":[{"id":"\#(liveID)","release":"x","member":"y"},{"id":"gone","release":"x","member":"z"}]}"#
            .write(toFile: outbox + "/deletions/r1.json", atomically: true, encoding: .utf8)
        let some = try Exporter(outbox: outbox).export(format: .opensearch, to: out)
        #expect(some.deletions == 1)
        #expect(try TestSupport.lines(out + "/bulk.ndjson").last == #"{"delete":{"_index":"sluice","_id":"gone"}}"#)
    }

    @Test("clear errors: --out is a file for a folder format; no records folder; a broken record line")
    func errors() throws {
        let folder = try TestSupport.tempFolder("err")
        let file = folder + "/plain.txt"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: ExportError.self) { try Exporter(outbox: TestSupport.fixtureOutbox).export(format: .opensearch, to: file) }
        do {
            try Exporter(outbox: folder).export(format: .ndjson, to: folder + "/out")
            Issue.record("exported from an Outbox without records")
        } catch {
            #expect(error.code == .io)
        }
        try FileManager.default.createDirectory(atPath: folder + "/records", withIntermediateDirectories: true)
        try "{\"id\":\"a\"}\nnot json\n".write(toFile: folder + "/records/r.ndjson", atomically: true, encoding: .utf8)
        do {
            try Exporter(outbox: folder).export(format: .ndjson, to: folder + "/out")
            Issue.record("exported a broken record")
        } catch {
            #expect(error.code == .badRecord)
            #expect(error.message.hasPrefix("r.ndjson:2: "))
        }
        // A failed export leaves no temporary files behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: folder + "/out")
        #expect(left.allSatisfy { !$0.contains(".tmp-") })
    }
}

@Suite("Records files")
struct RecordsFileTests {
    @Test("lines longer than the read chunk, CRLF endings, blank lines and a missing final newline")
    func longLines() throws {
        let outbox = try TestSupport.tempFolder("lines")
        try FileManager.default.createDirectory(atPath: outbox + "/records/sub", withIntermediateDirectories: true)
        let long = String(repeating: "x", count: 3 << 20)
        let body = "{\"id\":\"a\",\"text\":\"\(long)\"}\r\n\n  \n{\"id\":\"b\"}\n{\"id\":\"c\"}"
        try body.write(toFile: outbox + "/records/sub/r.ndjson", atomically: true, encoding: .utf8)
        try "{\"id\":\"0\"}\n".write(toFile: outbox + "/records/a.ndjson", atomically: true, encoding: .utf8)
        // A file a run is still writing is not a records file.
        try "{\"id\":\"tmp\"}\n".write(toFile: outbox + "/records/b.ndjson.tmp-42", atomically: true, encoding: .utf8)
        var seen: [(String, String, Int)] = []
        try OutboxReader(outbox: outbox).forEachRecord { record in
            seen.append((record.id, record.location, record.value["text"]?.stringValue?.count ?? 0))
        }
        #expect(seen.map(\.0) == ["0", "a", "b", "c"])
        #expect(seen.map(\.1) == ["a.ndjson:1", "sub/r.ndjson:1", "sub/r.ndjson:4", "sub/r.ndjson:5"])
        #expect(seen[1].2 == 3 << 20)
    }
}
