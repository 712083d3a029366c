import Foundation
import SluiceCore
import Testing
@testable import SluiceExport

@Suite("Record JSON Schema")
struct RecordSchemaTests {
    @Test("the shipped schema is the repository's schema/record.schema.json, byte for byte")
    func shippedSchemaMatchesRepository() throws {
        let repo = try Data(contentsOf: URL(fileURLWithPath: TestSupport.repoRoot + "/schema/record.schema.json"))
        let shipped = try Data(contentsOf: URL(fileURLWithPath: TestSupport.repoRoot + "/Sources/SluiceExport/Resources/record.schema.json"))
        #expect(repo == shipped)
        let schema = try RecordSchema.schema()
        #expect(schema["$schema"]?.stringValue == "https://json-schema.org/draft/2020-12/schema")
    }

    @Test("every fixture record conforms")
    func fixtureRecordsConform() throws {
        let lines = try TestSupport.recordLines(outbox: TestSupport.fixtureOutbox)
        #expect(lines.count == 8)
        for line in lines {
            #expect(RecordSchema.validate(line: line) == [])
        }
        #expect(try RecordSchema.validateOutbox(TestSupport.fixtureOutbox) == [])
    }

    @Test("records built by Record.json() conform, with every entity kind, a part, properties and no text")
    func generatedRecordsConform() throws {
        let outbox = try TestSupport.generatedOutbox()
        let lines = try TestSupport.recordLines(outbox: outbox)
        #expect(lines.count == 2)
        for line in lines {
            #expect(RecordSchema.validate(line: line) == [])
            // The same check through Foundation's JSON objects, as the end-to-end tests call it.
            #expect(RecordSchema.validate(try TestSupport.jsonObject(line) as Any) == [])
        }
    }

    /// A real fixture record, broken one way at a time.
    static let breakages: [(String, @Sendable (inout [String: Any]) -> Void, String)] = [
        ("missing id", { $0.removeValue(forKey: "id") }, "/: missing required key \"id\""),
        ("bytes as a string", { r in
            var s = r["source"] as? [String: Any] ?? [:]; s["bytes"] = "25465"; r["source"] = s
        }, "/source/bytes: expected integer"),
        ("title as a number", { $0["title"] = 7 }, "/title: matches none"),
        ("unknown top-level key", { $0["extra"] = true }, "/extra: key is not allowed"),
        ("wrong schema version", { $0["schema"] = "sluice.record/2" }, "/schema: expected"),
        ("short id", { $0["id"] = "abc" }, "/id: \"abc\" does not match"),
        ("bad date precision", { r in
            var e = r["entities"] as? [String: Any] ?? [:]
            var dates = e["dates"] as? [[String: Any]] ?? []
            dates[0]["precision"] = "week"; e["dates"] = dates; r["entities"] = e
        }, "/entities/dates/0/precision: \"week\" is not one of"),
        ("bad count unit", { r in
            var e = r["entities"] as? [String: Any] ?? [:]
            var counts = e["counts"] as? [[String: Any]] ?? []
            counts[0]["unit"] = "dollars"; e["counts"] = counts; r["entities"] = e
        }, "/entities/counts/0/unit: \"dollars\" is not one of"),
        ("negative mention offset", { r in
            var e = r["entities"] as? [String: Any] ?? [:]
            var agencies = e["agencies"] as? [[String: Any]] ?? []
            var mentions = agencies[0]["mentions"] as? [[String: Any]] ?? []
            mentions[0]["start"] = -1; agencies[0]["mentions"] = mentions; e["agencies"] = agencies; r["entities"] = e
        }, "/entities/agencies/0/mentions/0/start: -1 is less than 0"),
        ("unknown key in a count's context", { r in
            var e = r["entities"] as? [String: Any] ?? [:]
            var counts = e["counts"] as? [[String: Any]] ?? []
            var context = counts[0]["context"] as? [String: Any] ?? [:]
            context["year"] = 2013; counts[0]["context"] = context; e["counts"] = counts; r["entities"] = e
        }, "/entities/counts/0/context/year: key is not allowed here"),
        ("entities missing programs", { r in
            var e = r["entities"] as? [String: Any] ?? [:]; e.removeValue(forKey: "programs"); r["entities"] = e
        }, "/entities: missing required key \"programs\""),
    ]

    @Test("broken records are reported at the broken place", arguments: 0..<breakages.count)
    func brokenRecordsFail(_ index: Int) throws {
        let (name, breakIt, expected) = RecordSchemaTests.breakages[index]
        let lines = try TestSupport.recordLines(outbox: TestSupport.fixtureOutbox)
        // The first fixture record with counts that carry context, so every breakage has something to break.
        let line = try #require(lines.first { $0.contains("\"context\":{") && $0.contains("\"agencies\":[{") })
        var record = try TestSupport.jsonObject(line)
        breakIt(&record)
        let errors = RecordSchema.validate(record as Any)
        #expect(errors.contains { $0.hasPrefix(expected) }, "\(name): \(errors)")
    }

    @Test("a line that is not JSON is one error, not a crash")
    func notJSON() {
        let errors = RecordSchema.validate(line: "{\"id\": ")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("/: invalid JSON") == true)
    }
}
