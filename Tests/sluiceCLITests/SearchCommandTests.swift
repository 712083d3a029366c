import Foundation
import Testing

/// The README's "searching locally" path on the sample Inbox: run, export the SQLite index (again, and
/// --full), search.
@Suite struct SearchCommandTests {
    static func hits(_ result: CLI.Result) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    @Test func sampleInboxIsSearchableWithFilters() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outbox = "\(dir)/Outbox"
        let inbox = CLI.root.appendingPathComponent("Inbox").path
        #expect(try CLI.run(["run", "--inbox", inbox, "--outbox", outbox, "--quiet"]).status == 0)
        let export = try CLI.run(["export", "--format", "sqlite", "--outbox", outbox])
        #expect(export.status == 0, "\(export.stderr)")
        // The index is kept in step: a second export finds nothing to do; --full rebuilds it (the
        // searches below run on the rebuilt index).
        let again = try CLI.run(["export", "--format", "sqlite", "--outbox", outbox])
        #expect(again.status == 0)
        #expect(again.stdout.contains("up to date"), "\(again.stdout)")
        let full = try CLI.run(["export", "--format", "sqlite", "--outbox", outbox, "--full"])
        #expect(full.status == 0, "\(full.stderr)")
        #expect(full.stdout.contains("rebuilt"), "\(full.stdout)")
        #expect(try CLI.run(["export", "--format", "ndjson", "--outbox", outbox, "--full"]).status == 2)

        let phrase = try SearchCommandTests.hits(CLI.run(["search", "\"Best Practices Working Group\"", "--outbox", outbox, "--json"]))
        let members = Set(phrase.compactMap { $0["member"] as? String })
        #expect(members == ["oip-and-federal-register/oip-100512.html", "oip-and-federal-register/oip-100519.html",
                            "oip-and-federal-register/oip-100609.html"])
        #expect(phrase.allSatisfy { ($0["snippet"] as? String)?.isEmpty == false })

        let broad = try SearchCommandTests.hits(CLI.run(["search", "FOIA", "--outbox", outbox, "--json", "--limit", "500"]))
        let narrowed = try SearchCommandTests.hits(CLI.run(["search", "FOIA", "--agency", "OIP", "--outbox", outbox, "--json", "--limit", "500"]))
        #expect(broad.count > narrowed.count)
        #expect(!narrowed.isEmpty)
        let broadIDs = Set(broad.compactMap { $0["id"] as? String })
        #expect(Set(narrowed.compactMap { $0["id"] as? String }).isSubset(of: broadIDs))
        #expect(narrowed.contains { ($0["member"] as? String) == "oip-and-federal-register/oip-100512.html" })
        // The NLRB's annual report says FOIA but names no OIP: the filter drops it. DOJ's report lists OIP.
        #expect(broad.contains { ($0["member"] as? String) == "2013-FOIASetFull/nlrb-2013.xml" })
        #expect(!narrowed.contains { ($0["member"] as? String) == "2013-FOIASetFull/nlrb-2013.xml" })
        #expect(narrowed.contains { ($0["member"] as? String) == "2013-FOIASetFull/doj-2013.xml" })

        let bad = try CLI.run(["search", "--from", "last tuesday", "x", "--outbox", outbox])
        #expect(bad.status == 2)
    }
}
