import Foundation
import SluiceTestSupport
import Testing

/// A `sluice` process running in the background (a worker), its output in files.
final class Background {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    init(_ arguments: [String], logs: String) throws {
        stdoutPath = logs + ".out"
        stderrPath = logs + ".err"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        process.currentDirectoryURL = CLI.root
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits for the process to end (at most `seconds`, then kills it); returns its exit status.
    @discardableResult
    func wait(seconds: Double = 300) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
}

/// The Inbox the shared-ledger tests share: eight releases of several kinds (zip, tar.gz, loose
/// XML and HTML, one hostile), led by a large tar.gz that keeps a worker busy for a few seconds;
/// and the records one SQLite `sluice run` makes of it, which every shared run must match byte for byte.
enum SharedInbox {
    struct Made {
        var folder: String
        var inbox: String
        var pipeline: String
        /// The same pipeline with a short lease and retry, for takeovers and a lost server.
        var fastPipeline: String
        var baseline: [String: Data]
        var baselineStatus: Int32
    }

    private static let made: Result<Made, any Error> = Result { try make() }

    static func get() throws -> Made { try made.get() }

    /// The pipeline: the defaults, with a lease long enough that a worker on a loaded machine
    /// (the whole test suite at once on two cores) keeps its units, and a shard limit that cuts
    /// 2012-FOIASetFull.zip (103 entries) into shards of 40, 40 and 23 entries. The ledger settings
    /// shape no record, so both pipelines make the same records as the baseline.
    static let pipelineText = """
        name: shared-ledger-test
        ledger:
          lease_seconds: 20
          retry_seconds: 30
          shard_members: 40
        """

    /// The units a queue of the Inbox holds with `pipelineText`: seven whole releases and three shards.
    static let shardedRelease = "2012-FOIASetFull.zip"
    static let unitCount = 10

    /// A short lease and a short retry, so takeovers and a lost server show within seconds; the
    /// same shards, so a shard is taken over or left behind by a lost server too.
    static let fastPipelineText = """
        name: shared-ledger-test
        ledger:
          lease_seconds: 3
          retry_seconds: 5
          shard_members: 40
        """

    private static func make() throws -> Made {
        let folder = try temporaryFolder()
        let inbox = "\(folder)/Inbox"
        let fm = FileManager.default
        try fm.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        for (fixture, name) in [
            ("archives/foia-gov/2012-FOIASetFull.zip", "2012-FOIASetFull.zip"),
            ("archives/foia-gov/FOIA_Annual_Report_v2.2-subset.zip", "annual-report-subset.zip"),
            ("federal-register-xml/documents/04-16753.xml", "fr-04-16753.xml"),
            ("federal-register-xml/documents/2011-29462.xml", "fr-2011-29462.xml"),
            ("congress-xml/billstatus/BILLSTATUS-114hjres45.xml", "BILLSTATUS-114hjres45.xml"),
            ("agency-html/doj-oip/oip-100519.html", "oip-100519.html"),
            ("hostile/releases/xml-billion-laughs.xml", "laughs.xml"),
        ] {
            try fm.copyItem(atPath: try Fixtures.path(fixture), toPath: "\(inbox)/\(name)")
        }
        // 0-big.tar.gz: first in queue order, and long enough to be killed in the middle of.
        let staging = "\(folder)/big"
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        let pages = try ["oip-100512.html", "oip-100604.html", "oip-101102.html"].map {
            try Data(contentsOf: URL(fileURLWithPath: try Fixtures.path("agency-html/doj-oip/\($0)")))
        }
        for n in 0..<600 {
            try pages[n % pages.count].write(to: URL(fileURLWithPath: String(format: "%@/page-%04d.html", staging, n)))
        }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-czf", "\(inbox)/0-big.tar.gz", "-C", staging, "."]
        try tar.run()
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else { throw SharedTestError("tar failed making 0-big.tar.gz") }
        try fm.removeItem(atPath: staging)

        let pipeline = "\(folder)/shared.yml"
        try pipelineText.write(toFile: pipeline, atomically: true, encoding: .utf8)
        let fastPipeline = "\(folder)/shared-fast.yml"
        try fastPipelineText.write(toFile: fastPipeline, atomically: true, encoding: .utf8)
        let run = try CLI.run(["run", "--pipeline", pipeline, "--inbox", inbox, "--outbox", "\(folder)/Baseline"])
        return Made(folder: folder, inbox: inbox, pipeline: pipeline, fastPipeline: fastPipeline, baseline: try records(in: "\(folder)/Baseline"),
                    baselineStatus: run.status)
    }

    /// The releases with an item the baseline run failed or quarantined (what made it exit 1).
    static func failingReleases() throws -> Set<String> {
        let problems = try LedgerStatus(ledger: nil, outbox: "\(try get().folder)/Baseline").problems
        return Set(problems.filter { ["failed", "quarantined"].contains($0["status"] as? String ?? "") }
            .compactMap { $0["release"] as? String })
    }

    /// Every records file of an Outbox, by name relative to records/.
    static func records(in outbox: String) throws -> [String: Data] {
        let root = "\(outbox)/records"
        var out: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return out }
        for case let name as String in walker {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: "\(root)/\(name)", isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            out[name] = try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(name)"))
        }
        return out
    }
}

/// A fresh database and Outbox for one test over the shared Inbox, its releases queued by
/// `run --enqueue-only`; `common` are the options every command of the test takes.
struct QueuedRun {
    let shared: SharedInbox.Made
    let url: String
    let dir: String
    var outbox: String { "\(dir)/Outbox" }
    var common: [String]

    init(fastPipeline: Bool = false) throws {
        shared = try SharedInbox.get()
        url = try TestPostgres.database()
        dir = try temporaryFolder()
        common = ["--ledger", url, "--pipeline", fastPipeline ? shared.fastPipeline : shared.pipeline,
                  "--inbox", shared.inbox, "--outbox", "\(dir)/Outbox"]
        let enqueue = try CLI.run(["run", "--enqueue-only"] + common)
        guard enqueue.status == 0 else { throw SharedTestError("enqueueing failed (\(enqueue.status)): \(enqueue.stderr)") }
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }
}

/// `sluice status --json` of a ledger, decoded.
struct LedgerStatus {
    var json: [String: Any]

    /// `ledger`: a shared ledger's URL, nil for the Outbox's own SQLite ledger. `pipeline`: the pipeline file the
    /// workers ran with (its lease decides which workers are shown lost).
    init(ledger: String?, outbox: String, pipeline: String? = nil) throws {
        let result = try CLI.run(["status", "--outbox", outbox, "--json"] + (ledger.map { ["--ledger", $0] } ?? [])
            + (pipeline.map { ["--pipeline", $0] } ?? []))
        guard result.status == 0,
              let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw SharedTestError("sluice status failed (\(result.status)): \(result.stderr)")
        }
        self.json = json
    }

    var units: [[String: Any]] { json["units"] as? [[String: Any]] ?? [] }
    var workers: [[String: Any]] { json["workers"] as? [[String: Any]] ?? [] }
    var problems: [[String: Any]] { json["problems"] as? [[String: Any]] ?? [] }

    func unit(_ id: String) -> [String: Any]? { units.first { $0["id"] as? String == id } }
}

/// Polls `condition` every 50 ms for at most `seconds`; true once it holds.
func eventually(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return false
}

/// The same records files, each byte for byte; names the first difference.
func expectSameRecords(_ actual: [String: Data], _ expected: [String: Data], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.keys.sorted() == expected.keys.sorted(), sourceLocation: sourceLocation)
    for (name, data) in expected {
        #expect(actual[name] == data, "records/\(name) differs from the SQLite run", sourceLocation: sourceLocation)
    }
}

/// No record id twice in any records file.
func expectNoDuplicateRecords(_ files: [String: Data], sourceLocation: SourceLocation = #_sourceLocation) {
    for (name, data) in files {
        let ids = data.split(separator: UInt8(ascii: "\n")).compactMap { line -> String? in
            (try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])?["id"] as? String
        }
        #expect(Set(ids).count == ids.count, "records/\(name) has a duplicate record", sourceLocation: sourceLocation)
    }
}

struct SharedTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A loopback TCP port nothing listens on (bound, then closed).
func unusedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SharedTestError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    // The pointers are to locals that outlive the calls; sockaddr_in is what AF_INET expects.
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw SharedTestError("bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
