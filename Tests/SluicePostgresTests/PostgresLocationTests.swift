import Foundation
import Logging
import PostgresNIO
import SluiceTestSupport
import Testing
@testable import SluicePostgres

@Suite struct PostgresLocationTests {
    @Test func readsEveryPartOfTheURL() throws {
        let location = try PostgresLocation(url: "postgres://ana:s3cret@db.example:6543/foia?sslmode=require",
                                            environment: [:], home: "/nonexistent")
        #expect(location.host == "db.example")
        #expect(location.port == 6543)
        #expect(location.user == "ana")
        #expect(location.password == "s3cret")
        #expect(location.database == "foia")
        #expect(location.tls == .require)
    }

    @Test func fillsWhatTheURLLeavesOutFromTheEnvironment() throws {
        let environment = ["PGHOST": "pg.internal", "PGPORT": "5544", "PGUSER": "worker", "PGPASSWORD": "pw",
                           "PGDATABASE": "ledger"]
        let location = try PostgresLocation(url: "postgres://", environment: environment, home: "/nonexistent")
        #expect(location == PostgresLocation(host: "pg.internal", port: 5544, user: "worker", password: "pw",
                                             database: "ledger"))
    }

    @Test func neverShowsThePassword() throws {
        let location = try PostgresLocation(url: "postgresql://ana:s3cret@127.0.0.1:5432/foia",
                                            environment: [:], home: "/nonexistent")
        #expect(location.description == "postgres://ana@127.0.0.1:5432/foia")
        #expect(!"\(location)".contains("s3cret"))
        let error = #expect(throws: PostgresAccessError.self) {
            try PostgresLocation(url: "postgres://ana:s3cret@host/db?application=x", environment: [:], home: "/x")
        }
        #expect(error?.message.contains("s3cret") == false)
        #expect(PostgresLocation.redacting("postgres://ana:s3cret@host/db") == "postgres://ana:***@host/db")
    }

    @Test(arguments: ["sqlite:ledger.sqlite", "ledger.sqlite", "postgres://h/a/b", "postgres://h/db?sslmode=maybe",
                      "http://host/db"])
    func refusesWhatIsNotAPostgresDatabase(url: String) {
        #expect(throws: PostgresAccessError.self) {
            try PostgresLocation(url: url, environment: [:], home: "/nonexistent")
        }
    }

    @Test func takesThePasswordFromThePasswordFile() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let lines = """
            # comment
            other:5432:*:ana:wrong
            db.example:*:foia:ana:pa\\:ss
            *:*:*:*:fallback
            """
        try lines.write(to: home.appendingPathComponent(".pgpass"), atomically: true, encoding: .utf8)
        let exact = try PostgresLocation(url: "postgres://ana@db.example:6000/foia", environment: [:], home: home.path)
        #expect(exact.password == "pa:ss")
        let fallback = try PostgresLocation(url: "postgres://bo@elsewhere/x", environment: [:], home: home.path)
        #expect(fallback.password == "fallback")
    }
}

@Suite struct PostgresSessionTests {
    @Test func runsStatementsOnARealServer() async throws {
        let url = try TestPostgres.database("session")
        let location = try PostgresLocation(url: url, environment: [:], home: "/nonexistent")
        let answer = try await PostgresSession.withClient(location, logger: Logger(label: "test")) { client in
            var total = 0
            for try await value in try await client.query("SELECT 40 + 2").decode(Int.self) { total += value }
            return total
        }
        #expect(answer == 42)
    }

    @Test func aServerThatIsNotThereIsUnavailableAndNamedWithoutItsPassword() async throws {
        let server = try TestPostgres.privateServer()
        defer { server.close() }
        try server.stop()
        var location = try PostgresLocation(url: server.url, environment: [:], home: "/nonexistent")
        location.password = "s3cret"
        let error = await #expect(throws: PostgresAccessError.self) {
            try await PostgresSession.withConnection(location, logger: Logger(label: "test")) { _ in 1 }
        }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("127.0.0.1:\(location.port)") == true)
        #expect(error?.message.contains("s3cret") == false)
    }

    @Test func theServersRefusalSaysWhatTheServerSaid() async throws {
        let url = try TestPostgres.database("refusal")
        let location = try PostgresLocation(url: url, environment: [:], home: "/nonexistent")
        let error = await #expect(throws: PostgresAccessError.self) {
            try await PostgresSession.withConnection(location, logger: Logger(label: "test")) { connection in
                try await connection.query("SELECT * FROM no_such_table", logger: Logger(label: "test"))
            }
        }
        #expect(error?.code == .statement)
        #expect(error?.message.contains("no_such_table") == true)
    }
}
