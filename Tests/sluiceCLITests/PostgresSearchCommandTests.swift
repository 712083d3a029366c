import Foundation
import SluiceTestSupport
import Synchronization
import Testing

/// The README's PostgreSQL search path on the sample Inbox, with the binary: run, export to
/// PostgreSQL and to the SQLite index, and search both.
@Suite(.serialized) struct PostgresSearchCommandTests {
    /// The sample Inbox run once, exported to a fresh database and to the SQLite index.
    static let sample = SampleOutbox()

    /// Ten queries whose top results PostgreSQL and the SQLite index must agree on.
    static let agreed: [(text: String, flags: [String])] = [
        ("\"Best Practices Working Group\"", []),
        ("FOIA", ["--agency", "OIP"]),
        ("regulation", []),
        ("Federal Register", ["--from", "2010", "--to", "2010"]),
        ("annual report", ["--agency", "NLRB"]),
        ("exemption", ["--from", "FY2013", "--to", "FY2013"]),
        ("technology", []),
        ("Medicaid", []),
        ("litigation", []),
        ("bill", ["--from", "2015"]),
    ]

    static func hits(_ result: CLI.Result) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    @Test(arguments: 0..<agreed.count)
    func postgresAndSQLiteAgreeOnTheTopResults(index: Int) throws {
        let (outbox, url) = try Self.sample.get()
        let (text, flags) = Self.agreed[index]
        let sqlite = try Self.hits(CLI.run(["search", text, "--outbox", outbox, "--json", "--limit", "5"] + flags))
        let postgres = try Self.hits(CLI.run(["search", text, "--database", url, "--json", "--limit", "5"] + flags))
        #expect(!sqlite.isEmpty, "\(text) \(flags) finds nothing in SQLite")
        let sqliteIDs = sqlite.compactMap { $0["id"] as? String }
        let postgresIDs = postgres.compactMap { $0["id"] as? String }
        // The same documents, the best one first in both; the order of the rest follows two
        // different ranking functions (bm25, ts_rank_cd).
        #expect(Set(postgresIDs) == Set(sqliteIDs), "\(text) \(flags)")
        #expect(postgresIDs.first == sqliteIDs.first, "\(text) \(flags)")
        #expect(postgres.allSatisfy { ($0["snippet"] as? String)?.isEmpty == false })
    }

    @Test func exportingAgainChangesNothingAndFullRebuildsTheSame() throws {
        let (outbox, url) = try Self.sample.get()
        let tables = "SELECT count(*), md5(string_agg(id || line_sha256, ',' ORDER BY id)) FROM records"
        let before = try TestPostgres.psql(url, tables)
        let again = try CLI.run(["export", "--format", "postgres", "--database", url, "--outbox", outbox])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("up to date"))
        #expect(try TestPostgres.psql(url, tables) == before)
        let full = try CLI.run(["export", "--format", "postgres", "--database", url, "--outbox", outbox, "--full"])
        #expect(full.status == 0, "\(full.stderr)")
        #expect(try TestPostgres.psql(url, tables) == before)
    }

    @Test func usageAndServerErrorsHaveTheirExitStatus() throws {
        let (outbox, url) = try Self.sample.get()
        #expect(try CLI.run(["export", "--format", "postgres", "--outbox", outbox]).status == 2)
        #expect(try CLI.run(["export", "--format", "postgres", "--database", "mysql://x", "--outbox", outbox]).status == 2)
        #expect(try CLI.run(["search", "x", "--from", "last tuesday", "--database", url]).status == 2)
        let down = try CLI.run(["search", "foia", "--database", "postgres://nobody@127.0.0.1:1/none"])
        #expect(down.status == 3)
        #expect(down.stderr.contains("127.0.0.1:1"))
        let hostile = try CLI.run(["search", "'; DROP TABLE records; --", "--database", url, "--json"])
        #expect(hostile.status == 0, "\(hostile.stderr)")
        #expect(try TestPostgres.psql(url, "SELECT count(*) > 0 FROM records") == "t\n")
    }
}

/// Runs the sample Inbox once for the suite and exports it both ways.
final class SampleOutbox: Sendable {
    struct SetupError: Error, CustomStringConvertible { var description: String }
    private let state = Mutex<Result<(outbox: String, database: String), SetupError>?>(nil)

    func get() throws -> (outbox: String, database: String) {
        let result = state.withLock { state in
            if let state { return state }
            let made = Result { try Self.make() }.mapError { SetupError(description: "\($0)") }
            state = made
            return made
        }
        return try result.get()
    }

    private static func make() throws -> (outbox: String, database: String) {
        let dir = try temporaryFolder()
        let outbox = "\(dir)/Outbox"
        let inbox = CLI.root.appendingPathComponent("Inbox").path
        let run = try CLI.run(["run", "--inbox", inbox, "--outbox", outbox, "--quiet"])
        guard run.status == 0 else { throw SetupError(description: "sluice run: \(run.stderr)") }
        let sqlite = try CLI.run(["export", "--format", "sqlite", "--outbox", outbox])
        guard sqlite.status == 0 else { throw SetupError(description: "export sqlite: \(sqlite.stderr)") }
        let url = try TestPostgres.database("cli")
        let postgres = try CLI.run(["export", "--format", "postgres", "--database", url, "--outbox", outbox])
        guard postgres.status == 0 else { throw SetupError(description: "export postgres: \(postgres.stderr)") }
        return (outbox, url)
    }
}
