import Foundation
import SluiceCore
import SluiceOutbox
import Testing

@Suite struct OutboxTests {
    static func tempOutbox() throws -> Outbox {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-outbox-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return Outbox(path)
    }

    @Test("the layout: every path of the Outbox comes from one place")
    func layout() {
        let outbox = Outbox("/data/Outbox")
        #expect(outbox.recordsFile(release: "a/b.zip") == "/data/Outbox/records/a/b.zip.ndjson")
        #expect(outbox.deletionsFile(run: "R") == "/data/Outbox/deletions/R.json")
        #expect(outbox.manifestFile(run: "R") == "/data/Outbox/runs/R.json")
        #expect(outbox.ledger() == "/data/Outbox/ledger.sqlite")
        #expect(outbox.ledger(configured: "/var/lib/sluice/ledger.sqlite") == "/var/lib/sluice/ledger.sqlite")
        #expect(outbox.lockFile == "/data/Outbox/.sluice.lock")
        #expect(outbox.exportFolder(format: "ndjson") == "/data/Outbox/exports/ndjson")
    }

    @Test("a records file appears whole at commit, is read back record by record, and an empty one is removed")
    func recordsFileRoundTrip() throws {
        let outbox = try Self.tempOutbox()
        let path = outbox.recordsFile(release: "r.zip")
        let writer = RecordsFileWriter(path: path)
        let lines = (0..<3000).map { #"{"schema":"s","id":"id\#($0)","source":{"member":"m\#($0).xml"},"text":"\#(String(repeating: "x", count: 500))"}"# }
        for line in lines { try writer.append { $0 += Array(line.utf8) + [0x0A] } }
        // Over 1 MiB has been flushed to a temporary file, but the records file is not there yet.
        #expect(!FileManager.default.fileExists(atPath: path))
        try writer.commit()
        let records = RecordsFile.records(atPath: path)
        #expect(records.count == 3000)
        #expect(records[1234].id == "id1234" && records[1234].member == "m1234.xml")
        #expect(records.map { String(decoding: $0.line, as: UTF8.self) } == lines)
        // A release that now has no records loses its file.
        try RecordsFileWriter(path: path).commit()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a sharded release's parts join, in shard order, into one records file; a part done again replaces the last")
    func shardPartsJoin() throws {
        let outbox = try Self.tempOutbox()
        defer { try? FileManager.default.removeItem(atPath: outbox.root) }
        let release = "sub/big.zip"
        #expect(outbox.shardPartFile(release: release, shard: 2) == "\(outbox.root)/shards/sub/big.zip/2.ndjson")
        func line(_ n: Int) -> String { #"{"schema":"s","id":"id\#(n)","source":{"member":"m\#(n).xml"}}"# }
        func writePart(_ shard: Int, _ numbers: [Int]) throws {
            let writer = RecordsFileWriter(path: outbox.shardPartFile(release: release, shard: shard))
            for n in numbers { try writer.append { $0 += Array(line(n).utf8) + [0x0A] } }
            try writer.commit()
        }
        // Parts finish in any order; shard 1 has no records (no part), shard 2 is done twice.
        try writePart(2, [90, 91])
        try writePart(0, [1, 2, 3])
        try writePart(1, [])
        try writePart(2, [4, 5])
        #expect(outbox.shardRecordIDs(release: release, shards: 3) == ["id1", "id2", "id3", "id4", "id5"])
        #expect(try outbox.assembleShards(release: release, shards: 3) == 5)
        let joined = try String(contentsOfFile: outbox.recordsFile(release: release), encoding: .utf8)
        #expect(joined == [1, 2, 3, 4, 5].map { line($0) + "\n" }.joined())

        outbox.removeShardParts(release: release)
        #expect(!FileManager.default.fileExists(atPath: outbox.shardPartFile(release: release, shard: 0)))
        // No part with a record: no records file, as for a release without records.
        #expect(try outbox.assembleShards(release: release, shards: 3) == 0)
        #expect(!FileManager.default.fileExists(atPath: outbox.recordsFile(release: release)))
    }

    @Test("temporary records files of a killed run are removed; finished ones stay")
    func temporaryFiles() throws {
        let outbox = try Self.tempOutbox()
        try outbox.createFolders()
        let writer = RecordsFileWriter(path: outbox.recordsFile(release: "big.zip"))
        try writer.append { $0 += [UInt8](repeating: 0x41, count: 2 << 20) }  // flushed, never committed
        #expect(FileManager.default.createFile(atPath: outbox.recordsFile(release: "done.zip"), contents: Data("{}\n".utf8)))
        outbox.removeTemporaryFiles()
        #expect(try FileManager.default.contentsOfDirectory(atPath: outbox.records) == ["done.zip.ndjson"])
    }

    @Test("deletions written and read back; a second lock on the Outbox is refused naming the holder")
    func deletionsAndLock() throws {
        let outbox = try Self.tempOutbox()
        let deletions = Deletions(run: "R1", deleted: [.init(id: "a", release: "r.zip", member: "x.xml"), .init(id: "b")])
        try deletions.write(to: outbox.deletionsFile(run: "R1"))
        #expect(try OutboxReader(outbox: outbox.root).lastDeletions() == deletions)
        let lock = try OutboxLock(outbox: outbox)
        #expect(throws: OutboxError.self) { _ = try OutboxLock(outbox: outbox) }
        do {
            _ = try OutboxLock(outbox: outbox)
        } catch {
            #expect(error.code == .locked)
            #expect(error.message.contains("pid \(getpid())"))
        }
        lock.release()
        let again = try OutboxLock(outbox: outbox)
        again.release()
    }
}
