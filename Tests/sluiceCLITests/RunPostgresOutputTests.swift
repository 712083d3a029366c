import Foundation
import SluiceTestSupport
import Testing

/// `output.postgres` in a pipeline (issue #17): `sluice run` ends by bringing the PostgreSQL
/// search database in step with the Outbox, against a real server; one it cannot reach fails the
/// run with exit status 3 and leaves the records written.
@Suite struct RunPostgresOutputTests {
    /// A pipeline file naming the search database.
    static func pipeline(_ dir: String, postgres: String) throws -> String {
        let file = "\(dir)/pipeline.yml"
        try "name: searchable\noutput:\n  postgres: \"\(postgres)\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The ids of every record in the Outbox's records files, sorted, read with JSONSerialization.
    static func recordIDs(_ outbox: String) throws -> [String] {
        let records = outbox + "/records"
        var ids: [String] = []
        for name in try FileManager.default.subpathsOfDirectory(atPath: records) where name.hasSuffix(".ndjson") {
            let text = try String(contentsOfFile: "\(records)/\(name)", encoding: .utf8)
            for line in text.split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                ids.append(try #require(object["id"] as? String))
            }
        }
        return ids.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    static func databaseIDs(_ url: String) throws -> [String] {
        try TestPostgres.psql(url, "SELECT id FROM records ORDER BY id COLLATE \"C\"").split(separator: "\n").map(String.init)
    }

    @Test func runKeepsTheSearchDatabaseInStep() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inbox = "\(dir)/Inbox"
        let outbox = "\(dir)/Outbox"
        try FileManager.default.copyItem(atPath: CLI.root.appendingPathComponent("Inbox").path, toPath: inbox)
        let url = try TestPostgres.database("runpg")
        let file = try Self.pipeline(dir, postgres: url)
        #expect(try CLI.run(["validate", file]).status == 0)

        let first = try CLI.run(["run", "--pipeline", file, "--inbox", inbox, "--outbox", outbox])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("release(s) applied"), "\(first.stdout)")
        let ids = try Self.recordIDs(outbox)
        #expect(ids.count > 10)
        #expect(try Self.databaseIDs(url) == ids)
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM search_exports") == "1\n")

        // Nothing new in the Inbox: the run finds the database up to date and changes nothing.
        let second = try CLI.run(["run", "--pipeline", file, "--inbox", inbox, "--outbox", outbox])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("up to date"), "\(second.stdout)")
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM search_exports") == "1\n")

        // A release gone from the Inbox: the run deletes its records, and they leave the database too.
        try FileManager.default.removeItem(atPath: inbox + "/BILLSTATUS-114hr1155.xml")
        let third = try CLI.run(["run", "--pipeline", file, "--inbox", inbox, "--outbox", outbox])
        #expect(third.status == 0, "\(third.stderr)")
        let remaining = try Self.recordIDs(outbox)
        #expect(remaining.count < ids.count)
        #expect(try Self.databaseIDs(url) == remaining)
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM records WHERE release = 'BILLSTATUS-114hr1155.xml'") == "0\n")
        #expect(try TestPostgres.psql(url, "SELECT count(*) FROM search_exports") == "2\n")
    }

    @Test func anUnreachableDatabaseFailsTheRunWithStatusThreeAndTheRecordsStay() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outbox = "\(dir)/Outbox"
        let file = try Self.pipeline(dir, postgres: "postgres://nobody@127.0.0.1:1/none")
        let inbox = CLI.root.appendingPathComponent("Inbox").path
        let result = try CLI.run(["run", "--pipeline", file, "--inbox", inbox, "--outbox", outbox, "--quiet"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("output.postgres"), "\(result.stderr)")
        #expect(result.stderr.contains("127.0.0.1:1"), "\(result.stderr)")
        #expect(try Self.recordIDs(outbox).count > 10)
        // The run itself is complete: the next run finds nothing new to process.
        let status = try CLI.run(["status", "--outbox", outbox])
        #expect(status.status == 0, "\(status.stderr)")
    }

    @Test func validateChecksTheURLWithItsLine() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = "\(dir)/search.yml"
        try "name: x\noutput:\n  include_text: true\n  postgres: mysql://db.internal/foia\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate", file])
        #expect(result.status == 2)
        #expect(result.stderr.contains("search.yml:4:"), "\(result.stderr)")
        #expect(result.stderr.contains("output.postgres"))
    }
}
