import Foundation
import SluiceCore
@testable import SluiceLedger
import SluiceTestSupport
import Testing
@testable import SluiceScheduler

/// The ledger's interface on the SQLite backend: the URL forms, the pipeline's ledger keys, and
/// the unit queue's claim, lease and takeover rules (the same statements PostgreSQL runs).
@Suite struct LedgerQueueTests {
    @Test(arguments: [
        ("postgres://sluice@db:5432/ledger", LedgerLocation.postgres(url: "postgres://sluice@db:5432/ledger")),
        ("postgresql://db/ledger", .postgres(url: "postgresql://db/ledger")),
        ("sqlite:/var/sluice/ledger.sqlite", .sqlite(path: "/var/sluice/ledger.sqlite")),
        ("sqlite:///var/sluice/ledger.sqlite", .sqlite(path: "/var/sluice/ledger.sqlite")),
        ("Outbox/ledger.sqlite", .sqlite(path: "Outbox/ledger.sqlite")),
    ])
    func ledgerURLsName(text: String, expected: LedgerLocation) throws {
        #expect(try LedgerLocation.parse(text).get() == expected)
    }

    @Test func unknownSchemesAreRefused() {
        guard case .failure(let error) = LedgerLocation.parse("mysql://db/ledger") else {
            Issue.record("mysql:// was accepted")
            return
        }
        #expect(error.message.contains("mysql"))
    }

    @Test func passwordsNeverShow() {
        let location = LedgerLocation.postgres(url: "postgres://sluice:s3cret@db:5432/ledger?sslmode=disable&password=other")
        #expect(!location.description.contains("s3cret"))
        #expect(!location.description.contains("other"))
        #expect(location.description == "postgres://sluice@db:5432/ledger?sslmode=disable")
    }

    @Test func pipelineLedgerKeysAreChecked() throws {
        let config = try PipelineConfig.parse(yaml: """
            ledger:
              url: postgres://sluice:pw@db/ledger
              lease_seconds: 2
              retry_seconds: 5
            """, file: "x")
        #expect(config.ledgerURL == "postgres://sluice:pw@db/ledger")
        #expect(config.leaseSeconds == 2)
        #expect(config.ledgerRetrySeconds == 5)
        // `pipeline show` reads back, without the password.
        #expect(config.yaml.contains("url: \"postgres://sluice@db/ledger\""))
        #expect(!config.yaml.contains("pw@"))
        #expect(try PipelineConfig.parse(yaml: config.yaml, file: "shown").leaseSeconds == 2)

        do {
            _ = try PipelineConfig.parse(yaml: "ledger:\n  url: ftp://db/x\n  lease_seconds: 0\n  urll: x\n", file: "bad.yml")
            Issue.record("a bad ledger section was accepted")
        } catch let error as ConfigError {
            #expect(error.issues.contains { $0.key == "ledger.url" && $0.line == 2 })
            #expect(error.issues.contains { $0.key == "ledger.lease_seconds" && $0.line == 3 })
            #expect(error.issues.contains { $0.key == "ledger.urll" && $0.message.contains("unknown key") })
        }
    }

    @Test func theRunUsesTheLedgerTheOverrideOrPipelineNames() throws {
        var config = PipelineConfig()
        #expect(RunOptions(inbox: "I", outbox: "/o", config: config).ledger == .sqlite(path: "/o/ledger.sqlite"))
        config.ledgerURL = "sqlite:other.sqlite"
        #expect(RunOptions(inbox: "I", outbox: "/o", config: config).ledger == .sqlite(path: "/o/other.sqlite"))
        config.ledgerURL = "postgres://db/l"
        #expect(RunOptions(inbox: "I", outbox: "/o", config: config).ledger.isShared)
        #expect(RunOptions(inbox: "I", outbox: "/o", config: config, ledger: .sqlite(path: "x")).ledger == .sqlite(path: "x"))
    }

    @Test func unitsAreClaimedOnceUntilTheirLeaseRunsOut() throws {
        let dir = try TempDir()
        let ledger = try Ledger(path: "\(dir.path)/ledger.sqlite")
        try ledger.beginRelease(name: "a.zip", key: "k", sha256: "s", bytes: 1)
        try ledger.beginRelease(name: "b.xml", key: "k", sha256: "s", bytes: 1)
        #expect(try ledger.enqueue(release: "a.zip", units: [WorkUnit(id: "a.zip", release: "a.zip")]))
        #expect(try ledger.enqueue(release: "b.xml", units: [WorkUnit(id: "b.xml", release: "b.xml")]))
        try ledger.registerWorker(id: "w1", host: "h", pid: 1)

        let first = try #require(try ledger.claimUnit(worker: "w1", leaseMilliseconds: 60_000))
        let second = try #require(try ledger.claimUnit(worker: "w2", leaseMilliseconds: 60_000))
        #expect(first.id == "a.zip" && second.id == "b.xml")
        #expect(try ledger.claimUnit(worker: "w3", leaseMilliseconds: 60_000) == nil, "both are held")
        #expect(try ledger.isQueued(release: "a.zip"))
        #expect(try !ledger.enqueue(release: "a.zip", units: [WorkUnit(id: "a.zip", release: "a.zip")]),
                "a unit in a live worker's hands is not queued again")

        // w2 dies: its lease runs out and w3 takes the unit over, as a second attempt.
        try ledger.heartbeat(worker: "w2", leaseMilliseconds: -1, units: ["b.xml"], status: "working")
        let takenOver = try #require(try ledger.claimUnit(worker: "w3", leaseMilliseconds: 60_000))
        #expect(takenOver.id == "b.xml" && takenOver.attempts == 2 && takenOver.previousWorker == "w2")
        #expect(try !ledger.completeUnit(id: "b.xml", worker: "w2"), "the old holder no longer owns it")
        #expect(try ledger.completeUnit(id: "b.xml", worker: "w3"))
        #expect(try ledger.openUnitCount() == 1)

        // w1's heartbeat keeps its unit; then it gives it back.
        try ledger.heartbeat(worker: "w1", leaseMilliseconds: 60_000, units: ["a.zip"], status: "working")
        #expect(try ledger.claimUnit(worker: "w3", leaseMilliseconds: 60_000) == nil)
        try ledger.releaseUnits(worker: "w1")
        let again = try #require(try ledger.claimUnit(worker: "w3", leaseMilliseconds: 60_000))
        #expect(again.id == "a.zip" && again.attempts == 2)
        #expect(try ledger.completeUnit(id: "a.zip", worker: "w3"))
        #expect(try ledger.openUnitCount() == 0)
        #expect(try ledger.workers().map(\.host) == ["h"])
    }

    /// Outcomes go to the ledger as a few multi-row statements: a batch larger than one statement's
    /// rows, with the same item twice (a retry) whose last update has no media type, leaves each row
    /// as applying the updates one by one would, on SQLite and on a real PostgreSQL server.
    @Test(arguments: ["sqlite", "postgres"])
    func batchedOutcomesLeaveTheRowsOneByOneWould(backend: String) throws {
        let dir = try TempDir()
        let ledger = backend == "sqlite"
            ? try Ledger(path: "\(dir.path)/ledger.sqlite")
            : try Ledger(.postgres(url: try TestPostgres.database("batch")))
        defer { ledger.close() }
        try ledger.beginRelease(name: "r.zip", key: "k", sha256: "s", bytes: 1)
        let count = Ledger.rowsPerStatement * 2 + 7
        var updates = (0..<count).map { i in
            ItemUpdate(release: "r.zip", member: "m\(i).xml", stage: .parse, status: .done, mediaType: "application/xml",
                       sequence: i, sha256: "h\(i)")
        }
        updates.insert(ItemUpdate(release: "r.zip", member: "m3.xml", stage: .parse, status: .failed,
                                  mediaType: "text/html", error: SluiceError(.malformed, "first try"), sequence: 3), at: 0)
        updates.append(ItemUpdate(release: "r.zip", member: "m5.xml", stage: .parse, status: .quarantined, attempts: 2,
                                  sequence: 5))
        try ledger.record(updates)
        let rows = try ledger.itemRows(release: "r.zip").filter { $0.stage == .parse }
        #expect(rows.count == count)
        #expect(rows.map(\.member) == (0..<count).map { "m\($0).xml" })
        let three = try #require(rows.first { $0.member == "m3.xml" })
        #expect(three.status == .done && three.mediaType == "application/xml" && three.errorKind == nil)
        let five = try #require(rows.first { $0.member == "m5.xml" })
        #expect(five.status == .quarantined && five.attempts == 2 && five.mediaType == "application/xml" && five.sha256 == "h5")
    }

    /// Three shards of one release, done by two workers, one shard re-taken: its earlier attempt's
    /// rows are replaced; exactly the last completion finishes the release, and the rows end
    /// numbered 0, 1, 2, ... in shard order, as one process numbers a whole release.
    @Test func shardsAreDoneOnEachAndTheLastFinishesTheRelease() throws {
        let dir = try TempDir()
        let ledger = try Ledger(path: "\(dir.path)/ledger.sqlite")
        try ledger.beginRelease(name: "big.zip", key: "k", sha256: "s", bytes: 1)
        let units = WorkUnit.units(release: "big.zip", shardRanges: [0..<3, 3..<5, 5..<9])
        #expect(units.map(\.id) == ["big.zip#0", "big.zip#1", "big.zip#2"])
        #expect(units.map(\.entryRange) == [0..<3, 3..<5, 5..<9])
        #expect(WorkUnit.units(release: "small.zip", shardRanges: nil) == [WorkUnit(id: "small.zip", release: "small.zip")])
        #expect(try ledger.enqueue(release: "big.zip", units: units))

        /// A shard's items as its worker records them: positions from the shard's base.
        func work(_ unit: WorkUnit, members: [String], status: ItemStatus = .done) throws {
            _ = try ledger.beginShard(unit)
            try ledger.record(members.enumerated().map { index, member in
                ItemUpdate(release: unit.release, member: member, stage: .unpack, status: status,
                           sequence: unit.firstSequence + index)
            })
        }
        let s0 = try #require(try ledger.claimUnit(worker: "w1", leaseMilliseconds: 60_000))
        let s1 = try #require(try ledger.claimUnit(worker: "w2", leaseMilliseconds: 60_000))
        try work(s0, members: ["a", "b", "c"])
        try work(s1, members: ["d", "e"], status: .failed)
        #expect(try ledger.completeShard(s0, worker: "w1") == .done)

        // w2 dies before completing its shard: w1 takes it over and does it again, replacing its rows.
        try ledger.heartbeat(worker: "w2", leaseMilliseconds: -1, units: [s1.id], status: "working")
        let retaken = try #require(try ledger.claimUnit(worker: "w1", leaseMilliseconds: 60_000))
        #expect(retaken.id == s1.id && retaken.attempts == 2)
        try work(retaken, members: ["d", "e"])
        #expect(try ledger.completeShard(s1, worker: "w2") == .notHeld)
        #expect(try ledger.completeShard(retaken, worker: "w1") == .done)

        let s2 = try #require(try ledger.claimUnit(worker: "w2", leaseMilliseconds: 60_000))
        try work(s2, members: ["f", "g", "h", "i"])
        #expect(try ledger.completeShard(s2, worker: "w2") == .last, "every other shard is done")
        #expect(try ledger.release(named: "big.zip")?.status == "running", "not finished until its records are together")
        #expect(try !ledger.finishShardedRelease(s2, worker: "w1", documents: 9), "only the last shard's holder finishes it")
        #expect(try ledger.finishShardedRelease(s2, worker: "w2", documents: 9))

        let rows = try ledger.itemRows(release: "big.zip")
        #expect(rows.map(\.member) == ["a", "b", "c", "d", "e", "f", "g", "h", "i"])
        #expect(rows.map(\.sequence) == Array(0..<9))
        #expect(rows.allSatisfy { $0.status == .done }, "the re-taken shard's first rows are gone")
        #expect(try ledger.release(named: "big.zip").map { ($0.status, $0.documents) } ?? ("", 0) == ("done", 9))
        #expect(try ledger.openUnitCount() == 0)
    }

    @Test func shardLimitsAreReadAndShown() throws {
        let config = try PipelineConfig.parse(yaml: "ledger:\n  shard_members: 40\n  shard_bytes: 256MiB\n", file: "x")
        #expect(config.shardMembers == 40 && config.shardBytes == 256 << 20)
        let shown = try PipelineConfig.parse(yaml: config.yaml, file: "shown")
        #expect(shown.shardMembers == 40 && shown.shardBytes == 256 << 20)
        let off = try PipelineConfig.parse(yaml: "ledger:\n  shard_members: null\n  shard_bytes: null\n", file: "x")
        #expect(off.shardMembers == nil && off.shardBytes == nil)
        #expect(try PipelineConfig.parse(yaml: off.yaml, file: "shown").shardMembers == nil)
        #expect(throws: ConfigError.self) { try PipelineConfig.parse(yaml: "ledger:\n  shard_members: 0\n", file: "x") }
    }

    @Test func aLedgerMadeByGRDBsMigratorIsAdoptedAndMigrated() throws {
        let dir = try TempDir()
        let path = "\(dir.path)/ledger.sqlite"
        // The shape an earlier sluice left: GRDB's migrations table with v1, and v1's tables.
        let old = try SQLiteLedgerDatabase(path: path)
        try old.transaction { tx in
            try tx.execute("CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)", [])
            try tx.execute("INSERT INTO grdb_migrations VALUES ('v1')", [])
            for statement in LedgerSchema.migrations[0].statements { try tx.execute(statement, []) }
            try tx.execute("INSERT INTO releases (name, key, sha256, bytes, status) VALUES ('old.zip', 'k', 's', 1, 'done')", [])
        }
        let ledger = try Ledger(path: path)
        #expect(try ledger.release(named: "old.zip")?.status == "done", "v1 was adopted, not re-created")
        #expect(try ledger.enqueue(release: "old.zip", units: [WorkUnit(id: "old.zip", release: "old.zip")]))
        let applied = try old.read { tx in try tx.query("SELECT name FROM ledger_migrations ORDER BY name", []) }
        #expect(applied.compactMap { $0.text("name") } == ["v1", "v2-units"])
    }
}
