import Foundation
import SluiceTestSupport
import Testing

/// Many workers on one PostgreSQL ledger, against a real server: the records must be the ones a
/// single SQLite `sluice run` makes of the same Inbox, byte for byte, whatever happens to the workers.
@Suite(.serialized) struct SharedLedgerTests {
    /// One release of the eight is shared out in three shards (`SharedInbox.pipelineText`).
    @Test func threeWorkersMakeTheRecordsOneSQLiteRunMakes() throws {
        let shared = try SharedInbox.get()
        let url = try TestPostgres.database()
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outbox = "\(dir)/Outbox"
        let common = ["--ledger", url, "--pipeline", shared.pipeline, "--inbox", shared.inbox, "--outbox", outbox]

        let enqueue = try CLI.run(["run", "--enqueue-only"] + common)
        #expect(enqueue.status == 0, "\(enqueue.stderr)")
        #expect(enqueue.stdout.contains("Queued \(SharedInbox.unitCount) unit(s)"), "\(enqueue.stdout)")
        #expect(try SharedInbox.records(in: outbox).isEmpty, "enqueueing processes nothing")

        let workers = try (1...3).map { try Background(["worker", "--exit-when-idle", "--workers", "1"] + common, logs: "\(dir)/w\($0)") }
        let statuses = workers.map { $0.wait() }
        // A worker exits 1 when a document it did failed (laughs.xml), as `run` does.
        #expect(statuses.allSatisfy { $0 == 0 || $0 == 1 }, "\(workers.map(\.stderr))")
        #expect(statuses.contains(1), "the hostile release failed in one of them")

        expectSameRecords(try SharedInbox.records(in: outbox), shared.baseline)
        let status = try LedgerStatus(ledger: url, outbox: outbox)
        #expect(status.units.count == SharedInbox.unitCount)
        let sharded = SharedInbox.shardedRelease
        let shards = status.units.filter { $0["release"] as? String == sharded }
        #expect(shards.compactMap { $0["id"] as? String } == ["\(sharded)#0", "\(sharded)#1", "\(sharded)#2"])
        // `status` gives each shard's place and its consecutive ranges of central-directory entries.
        let ranges = shards.compactMap { ($0["entries"] as? [Int]) }
        #expect(ranges.count == 3 && shards.allSatisfy { $0["shards"] as? Int == 3 })
        #expect(ranges.first?.first == 0 && zip(ranges, ranges.dropFirst()).allSatisfy { $0[1] == $1[0] && $0[0] < $0[1] })
        #expect(!status.units.contains { $0["release"] as? String != sharded && $0["entries"] != nil }, "whole releases have no range")
        #expect(!FileManager.default.fileExists(atPath: "\(outbox)/shards/\(sharded)"), "the shards' parts are gone")
        for unit in status.units {
            #expect(unit["status"] as? String == "done")
            #expect(unit["attempts"] as? Int == 1, "unit \(unit["id"] ?? "") was done once")
        }
        // The workers' own counts add up to every unit, each once.
        let done = workers.compactMap { worker in
            worker.stdout.split(separator: "\n").first { $0.hasPrefix("Did ") }.flatMap { line in
                Int(line.split(separator: " ")[1])
            }
        }
        #expect(done.reduce(0, +) == SharedInbox.unitCount, "\(workers.map(\.stdout))")
        #expect(status.workers.count == 3)
        #expect(status.workers.allSatisfy { $0["status"] as? String == "stopped" && ($0["pid"] as? Int ?? 0) > 0 })

        // The same stage counts as the SQLite ledger, and the same failure.
        let sqlite = try CLI.run(["status", "--outbox", "\(shared.folder)/Baseline", "--pipeline", shared.pipeline, "--json"])
        let baseline = try #require(try JSONSerialization.jsonObject(with: Data(sqlite.stdout.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: baseline["stages"] as? [String: Any] ?? [:])
                == NSDictionary(dictionary: status.json["stages"] as? [String: Any] ?? [:]))

        // Nothing changed: the next run skips everything, with either command.
        let again = try CLI.run(["run"] + common)
        #expect(again.status == 0)
        #expect(again.stdout.contains("Nothing new"))

        // The sharded release's rows are numbered in archive order, as one process numbers them: a
        // re-run picks its members and keeps the others' records by those numbers.
        let rerun = try CLI.run(["rerun", "--stage", "extract", "--release", sharded] + common)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        expectSameRecords(try SharedInbox.records(in: outbox), shared.baseline)
    }

    @Test func aKilledWorkersUnitIsTakenOverAfterItsLease() throws {
        let queue = try QueuedRun(fastPipeline: true)
        defer { queue.remove() }
        let (shared, url, dir, outbox, common) = (queue.shared, queue.url, queue.dir, queue.outbox, queue.common)

        // The first worker claims 0-big.tar.gz and the first shard (first in queue order; two units in
        // hand) and is killed while on them.
        let victim = try Background(["worker", "--workers", "1"] + common, logs: "\(dir)/victim")
        let firstShard = "\(SharedInbox.shardedRelease)#0"
        let holding = try eventually(seconds: 60) {
            let status = try LedgerStatus(ledger: url, outbox: outbox)
            return ["0-big.tar.gz", firstShard].allSatisfy { id in
                let unit = status.unit(id)
                return unit?["status"] as? String == "running" && (unit?["worker"] as? String)?.contains(":\(victim.pid):") == true
            }
        }
        #expect(holding, "the first worker claimed the big release and a shard: \(victim.stderr)")
        kill(victim.pid, SIGKILL)
        victim.wait()

        let survivors = try (1...2).map { try Background(["worker", "--exit-when-idle"] + common, logs: "\(dir)/s\($0)") }
        let statuses = survivors.map { $0.wait() }
        #expect(statuses.allSatisfy { $0 == 0 || $0 == 1 }, "\(survivors.map(\.stderr))")
        #expect(survivors.contains { $0.stderr.contains("taken over") }, "one of them took the unit over")

        let records = try SharedInbox.records(in: outbox)
        expectSameRecords(records, shared.baseline)
        expectNoDuplicateRecords(records)
        let status = try LedgerStatus(ledger: url, outbox: outbox, pipeline: shared.fastPipeline)
        #expect(status.units.allSatisfy { $0["status"] as? String == "done" })
        // Claimed by the victim, then by a successor (on a loaded machine a 2 s lease may pass once more).
        #expect((status.unit("0-big.tar.gz")?["attempts"] as? Int ?? 0) >= 2, "claimed by the victim, then by its successor")
        #expect(records.keys.allSatisfy { !$0.contains(".tmp-") }, "the killed worker's temporary file was cleared")
        // The shard was taken over like any unit, and the release still joined whole.
        #expect((status.unit(firstShard)?["attempts"] as? Int ?? 0) >= 2, "the shard was taken over")
        #expect(!FileManager.default.fileExists(atPath: "\(outbox)/shards/\(SharedInbox.shardedRelease)"))
        // The killed worker never said it stopped; past its lease `status` shows it lost, the others stopped.
        let victimRow = status.workers.first { $0["pid"] as? Int == Int(victim.pid) }
        #expect(victimRow?["status"] as? String == "lost", "\(status.workers)")
        #expect(status.workers.filter { $0["status"] as? String == "stopped" }.count == 2)
    }

    @Test func sigtermDrainsAWorker() throws {
        let queue = try QueuedRun()
        defer { queue.remove() }
        let (shared, url, dir, outbox, common) = (queue.shared, queue.url, queue.dir, queue.outbox, queue.common)

        // Without --exit-when-idle the worker would wait for more work forever: only the signal ends it.
        let worker = try Background(["worker", "--workers", "1"] + common, logs: "\(dir)/drained")
        let busy = try eventually(seconds: 60) {
            try LedgerStatus(ledger: url, outbox: outbox).unit("0-big.tar.gz")?["status"] as? String == "running"
        }
        #expect(busy, "the worker claimed the big release: \(worker.stderr)")
        kill(worker.pid, SIGTERM)
        #expect(worker.wait(seconds: 120) == 0, "a drained worker exits 0: \(worker.stderr)")
        #expect(worker.stderr.contains("draining"), "\(worker.stderr)")

        // What it had in hand was finished (not dropped, not left running); what it had not claimed waits.
        let status = try LedgerStatus(ledger: url, outbox: outbox)
        #expect(status.unit("0-big.tar.gz")?["status"] as? String == "done")
        #expect(!status.units.contains { $0["status"] as? String == "running" })
        #expect(status.units.count(where: { $0["status"] as? String == "pending" }) >= 5, "it claimed nothing after the signal")
        #expect(status.workers.first?["status"] as? String == "stopped")
        let finished = try SharedInbox.records(in: outbox)
        #expect(finished["0-big.tar.gz.ndjson"] == shared.baseline["0-big.tar.gz.ndjson"])

        // Another worker does the rest; nothing is done twice.
        let rest = try Background(["worker", "--exit-when-idle"] + common, logs: "\(dir)/rest")
        #expect([0, 1].contains(rest.wait()), "\(rest.stderr)")
        expectSameRecords(try SharedInbox.records(in: outbox), shared.baseline)
        #expect(try LedgerStatus(ledger: url, outbox: outbox).units.allSatisfy {
            $0["status"] as? String == "done" && $0["attempts"] as? Int == 1
        })
    }

    @Test func workersExitThreeWhenPostgreSQLStopsAndANewRunFinishes() throws {
        let shared = try SharedInbox.get()
        let server = try TestPostgres.privateServer()
        defer { server.close() }
        let url = server.url
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outbox = "\(dir)/Outbox"
        let common = ["--ledger", url, "--pipeline", shared.fastPipeline, "--inbox", shared.inbox, "--outbox", outbox]
        #expect(try CLI.run(["run", "--enqueue-only"] + common).status == 0)

        let workers = try (1...2).map { try Background(["worker", "--exit-when-idle"] + common, logs: "\(dir)/w\($0)") }
        let busy = try eventually(seconds: 60) {
            try LedgerStatus(ledger: url, outbox: outbox).unit("0-big.tar.gz")?["status"] as? String == "running"
        }
        #expect(busy)
        try server.stop()
        let started = Date()
        let statuses = workers.map { $0.wait(seconds: 120) }
        #expect(statuses == [3, 3], "\(workers.map(\.stderr))")
        #expect(Date().timeIntervalSince(started) < 60)
        for worker in workers {
            #expect(worker.stderr.contains("lost the ledger"), "\(worker.stderr)")
        }
        // Nothing half-written: only whole records files (each one the SQLite run's).
        for (name, data) in try SharedInbox.records(in: outbox) where !name.contains(".tmp-") {
            #expect(shared.baseline[name] == data, "records/\(name) is whole")
        }

        try server.start()
        // The run that works a release with a failing item exits 1, as the baseline did (the hostile release). The
        // workers may have finished that release before the server stopped (they work the small releases beside the
        // big one): then the new run has nothing left that fails, and exits 0.
        let failing = try SharedInbox.failingReleases()
        #expect(!failing.isEmpty && shared.baselineStatus == 1)
        let left = Set(try LedgerStatus(ledger: url, outbox: outbox).units.filter { $0["status"] as? String != "done" }
            .compactMap { $0["release"] as? String })
        let rerun = try CLI.run(["run"] + common)
        #expect(rerun.status == (left.isDisjoint(with: failing) ? 0 : shared.baselineStatus), "left \(left): \(rerun.stderr)")
        expectSameRecords(try SharedInbox.records(in: outbox).filter { !$0.key.contains(".tmp-") }, shared.baseline)
        #expect(!FileManager.default.fileExists(atPath: "\(outbox)/shards/\(SharedInbox.shardedRelease)"))
    }

    @Test func anUnreachableLedgerExitsThreeWithoutItsPassword() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: "\(dir)/Inbox", withIntermediateDirectories: true)
        // A port nothing listens on: bound, then closed.
        let url = "postgres://sluice:hunter2@127.0.0.1:\(try unusedPort())/sluice"
        let places = ["--inbox", "\(dir)/Inbox", "--outbox", "\(dir)/Outbox"]
        for command in [["run"] + places, ["run", "--enqueue-only"] + places, ["worker", "--exit-when-idle"] + places,
                        ["status", "--outbox", "\(dir)/Outbox"]] {
            let result = try CLI.run(command + ["--ledger", url])
            #expect(result.status == 3, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("127.0.0.1"), "the message names the server: \(result.stderr)")
            #expect(!(result.stderr + result.stdout).contains("hunter2"), "the password is never printed")
        }
    }

    @Test func rerunAndTheIncrementalSkipWorkWithPostgreSQL() throws {
        let shared = try SharedInbox.get()
        let url = try TestPostgres.database()
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inbox = "\(dir)/Inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        for name in ["fr-04-16753.xml", "laughs.xml", "oip-100519.html"] {
            try FileManager.default.copyItem(atPath: "\(shared.inbox)/\(name)", toPath: "\(inbox)/\(name)")
        }
        let common = ["--ledger", url, "--pipeline", shared.pipeline, "--inbox", inbox, "--outbox", "\(dir)/Outbox"]
        let first = try CLI.run(["run", "--workers", "2"] + common)
        #expect(first.status == 1, "laughs.xml fails: \(first.stderr)")
        #expect(try SharedInbox.records(in: "\(dir)/Outbox")["fr-04-16753.xml.ndjson"] == shared.baseline["fr-04-16753.xml.ndjson"])

        let dry = try CLI.run(["rerun", "--failed", "--dry-run"] + common)
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("laughs.xml"))
        let rerun = try CLI.run(["rerun", "--stage", "extract", "--release", "fr-04-16753.xml"] + common)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try SharedInbox.records(in: "\(dir)/Outbox")["fr-04-16753.xml.ndjson"] == shared.baseline["fr-04-16753.xml.ndjson"])

        try "<html><body><p>A new release from the Department of Justice.</p></body></html>"
            .write(toFile: "\(inbox)/new.html", atomically: true, encoding: .utf8)
        let next = try CLI.run(["run"] + common)
        #expect(next.stdout.contains("Processed 1 release(s) (3 unchanged, skipped)"), "\(next.stdout)")
        let status = try LedgerStatus(ledger: url, outbox: "\(dir)/Outbox")
        #expect((status.json["releases"] as? [[String: Any]])?.count == 4)

        // A release taken out of the Inbox: its records go, listed in the run's deletions file.
        try FileManager.default.removeItem(atPath: "\(inbox)/oip-100519.html")
        let gone = try CLI.run(["run"] + common)
        #expect(gone.status == 0, "\(gone.stderr)")
        #expect(gone.stdout.contains("Removed from the Inbox (records deleted): oip-100519.html."), "\(gone.stdout)")
        #expect(try SharedInbox.records(in: "\(dir)/Outbox")["oip-100519.html.ndjson"] == nil)
        let deletions = try FileManager.default.contentsOfDirectory(atPath: "\(dir)/Outbox/deletions")
        #expect(deletions.count == 1)
        let listed = try String(contentsOfFile: "\(dir)/Outbox/deletions/\(deletions.first ?? "")", encoding: .utf8)
        #expect(listed.contains("oip-100519.html"), "the deleted records are listed: \(listed)")
    }
}
