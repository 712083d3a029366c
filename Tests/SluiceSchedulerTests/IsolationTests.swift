import Foundation
import Logging
import SluiceCore
import SluiceLedger
import SluiceTestSupport
import Testing
@testable import SluiceScheduler

/// Process isolation (issue 15): a document that crashes, exhausts or hangs its parse child
/// costs that document, not the run. The faults come from `SluiceFaultChild`, a test-only
/// executable that serves the same protocol as `sluice _child` through the same `ChildServer`.
@Suite(.serialized) struct IsolationTests {
    /// Five real documents from the committed corpus, as (member name, bytes).
    static func normalDocuments() throws -> [(name: String, contents: [UInt8])] {
        try [
            "agency-html/doj-oip/oip-100512.html", "agency-html/doj-oip/oip-100519.html",
            "agency-html/doj-oip/oip-100604.html", "congress-xml/govtrack/hres9-112.xml",
            "federal-register-xml/documents/2011-29462.xml",
        ].map { (name: "release/\(($0 as NSString).lastPathComponent)", contents: try Fixtures.bytes($0)) }
    }

    /// A small well-formed document under a name that asks the fault child for `fault`.
    static func faulty(_ fault: String) -> (name: String, contents: [UInt8]) {
        (name: "release/\(fault).xml", contents: Array("<notice><title>\(fault)</title><p>Department of Justice, 2013.</p></notice>".utf8))
    }

    /// The records file of a run of `files` as one release, `release.tar`.
    static func run(_ files: [(name: String, contents: [UInt8])], in base: String, name: String,
                    configure: @escaping (inout PipelineConfig) -> Void = { _ in },
                    processing: ((PipelineConfig) throws -> any DocumentProcessing)? = nil) throws -> (RunReport, String) {
        let inbox = "\(base)/\(name)-Inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try Data(TarWriter.archive(files)).write(to: URL(fileURLWithPath: "\(inbox)/release.tar"))
        let outbox = "\(base)/\(name)-Outbox"
        let report = try runPipeline(inbox: inbox, outbox: outbox, workers: 2, configure: configure, processing: processing)
        return (report, outbox)
    }

    static func inProcess(_ config: inout PipelineConfig) { config.isolation.mode = .none }

    @Test func aCrashAnOverrunAndAHangEachCostOneDocumentAndTheRunGoesOn() throws {
        let tmp = try TempDir()
        let normal = try IsolationTests.normalDocuments()
        var mixed = normal
        mixed.insert(IsolationTests.faulty("segfault"), at: 1)
        mixed.insert(IsolationTests.faulty("oom"), at: 3)
        mixed.insert(IsolationTests.faulty("hang"), at: 5)

        let (cleanReport, clean) = try IsolationTests.run(normal, in: tmp.path, name: "clean", configure: IsolationTests.inProcess)
        #expect(cleanReport.exitCode == 0)
        let (report, outbox) = try IsolationTests.run(mixed, in: tmp.path, name: "faulty", configure: { config in
            config.parseStage.timeout = 4
            config.parseStage.attempts = 2
            config.isolation.memoryBytes = 512 << 20
        }, processing: { IsolatedProcessor(config: $0, command: Built.faultChild()) })

        #expect(report.exitCode == 1, "quarantined documents make the run exit 1")
        #expect(report.stats.documents == 5)
        let expected = try recordFiles(clean)
        #expect(expected.count == 1 && !(expected.values.first ?? Data()).isEmpty)
        #expect(try recordFiles(outbox) == expected, "the five good documents' records, byte for byte")

        let rows = try Ledger(path: "\(outbox)/ledger.sqlite").itemRows(release: "release.tar")
        let parse = Dictionary(rows.filter { $0.stage == .parse }.map { ($0.member, $0) }, uniquingKeysWith: { a, _ in a })
        for (fault, kind) in [("segfault", "crashed"), ("oom", "out-of-memory"), ("hang", "timeout")] {
            let row = try #require(parse["release/\(fault).xml"])
            #expect(row.status == .quarantined, "\(fault)")
            #expect(row.errorKind == kind, "\(fault): \(row.errorKind ?? "-")")
            #expect(row.attempts == 2, "\(fault) was tried in a fresh child before it was quarantined")
        }
        for document in normal { #expect(parse[document.name]?.status == .done, "\(document.name)") }

        // `sluice status` lists the three with their reasons.
        let status = try IsolationTests.sluice(["status", "--outbox", outbox])
        let problems = status.split(separator: "\n").filter { $0.contains("quarantined [parse]") }
        #expect(problems.count == 3, "\(status)")
        #expect(problems.contains { $0.contains("segfault.xml: crashed:") && $0.contains("SIGSEGV") }, "\(status)")
        #expect(problems.contains { $0.contains("oom.xml: out-of-memory:") && $0.contains("parse.memory_limit") }, "\(status)")
        #expect(problems.contains { $0.contains("hang.xml: timeout:") }, "\(status)")
    }

    @Test func aChildKilledFromOutsideCostsOnlyARetry() throws {
        let tmp = try TempDir()
        var documents = try IsolationTests.normalDocuments()
        documents.insert(IsolationTests.faulty("slow"), at: 2)
        let files = documents, base = tmp.path
        let (_, clean) = try IsolationTests.run(files, in: tmp.path, name: "clean", configure: IsolationTests.inProcess)

        let signals = try tmp.folder("signals")
        let result = Locked<Result<(RunReport, String), any Error>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let outcome = Result {
                try IsolationTests.run(files, in: base, name: "killed", configure: { $0.parseStage.timeout = 30 },
                                       processing: { IsolatedProcessor(config: $0, command: Built.faultChild(signalDirectory: signals)) })
            }
            result.withLock { $0 = outcome }
            finished.signal()
        }
        // The child holding the slow document says who it is; kill it from outside, as an operator or the OOM killer would.
        let pidFile = "\(signals)/slow.xml.pid"
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: pidFile), Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let pid = try #require(FileManager.default.contents(atPath: pidFile).flatMap { Int32(String(decoding: $0, as: UTF8.self)) })
        try FileManager.default.removeItem(atPath: pidFile)
        #expect(kill(pid, SIGKILL) == 0)
        finished.wait()

        let (report, outbox) = try #require(result.withLock { $0 }).get()
        #expect(report.exitCode == 0, "the killed document succeeded on its retry")
        #expect(FileManager.default.fileExists(atPath: pidFile), "a fresh child took the document again")
        #expect(try recordFiles(outbox) == recordFiles(clean), "records identical to a clean run")
        let rows = try Ledger(path: "\(outbox)/ledger.sqlite").itemRows(release: "release.tar")
        let slow = try #require(rows.first { $0.stage == .parse && $0.member == "release/slow.xml" })
        #expect(slow.status == .done)
        #expect(slow.attempts == 2)
    }

    /// Children start while the run finds its releases; one that never says it is ready is the run's error
    /// (before any document), not a failure charged to each document.
    @Test func aChildThatCannotStartFailsTheRunBeforeAnyDocument() throws {
        let tmp = try TempDir()
        let inbox = try tmp.folder("Inbox")
        try Data(TarWriter.archive(try IsolationTests.normalDocuments())).write(to: URL(fileURLWithPath: "\(inbox)/release.tar"))
        let config = try PipelineConfig.load(path: Repo.root.appendingPathComponent("Pipelines/default.yml").path)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let run = PipelineRun(options: RunOptions(inbox: inbox, outbox: "\(tmp.path)/Outbox", config: config,
                                                  child: ChildCommand(executable: "/bin/true", arguments: [])), logger: logger)
        #expect {
            try run.execute()
        } throws: { error in
            error is RunError && "\(error)".contains("did not start")
        }
        #expect(try records("\(tmp.path)/Outbox").isEmpty)
    }

    /// A document the child reports as failed (here: no text) is that document's failure; the child that
    /// reported it is healthy and takes the next document (it was killed, and a new one started, per failure).
    @Test func aChildThatReportsAFailureKeepsServing() throws {
        let tmp = try TempDir()
        let signals = try tmp.folder("signals")
        var config = PipelineConfig()
        config.parseStage.workers = 1
        let processor = IsolatedProcessor(config: config, command: Built.faultChild(signalDirectory: signals))
        defer { processor.shutdown() }
        try processor.warmUp()
        func servingPid(_ name: String) throws -> Int32? {
            let member = Member(release: "release.tar", path: "release/\(name).xml",
                                data: Array("<notice><p>Department of Justice, 2013.</p></notice>".utf8))
            _ = try processor.parse(member, source: DocumentSource(release: "release.tar", member: member.path, sha256: "", bytes: 0))
            return FileManager.default.contents(atPath: "\(signals)/\(name).xml.pid").flatMap { Int32(String(decoding: $0, as: UTF8.self)) }
        }
        let before = try servingPid("slow-1")
        let empty = Member(release: "release.tar", path: "release/empty.xml", data: Array("<notice></notice>".utf8))
        #expect(throws: SluiceError.self) {
            try processor.parse(empty, source: DocumentSource(release: "release.tar", member: empty.path, sha256: "", bytes: 0))
        }
        let after = try servingPid("slow-2")
        #expect(before != nil)
        #expect(after == before, "the same child served the documents before and after the failed one")
    }

    @Test func aDocumentOverItsCPULimitIsATimeout() throws {
        let tmp = try TempDir()
        let files = [IsolationTests.faulty("spin")] + (try IsolationTests.normalDocuments().prefix(1))
        let (report, outbox) = try IsolationTests.run(files, in: tmp.path, name: "spin", configure: { config in
            config.parseStage.timeout = 60
            config.parseStage.attempts = 1
            config.isolation.cpuSeconds = 1
        }, processing: { IsolatedProcessor(config: $0, command: Built.faultChild()) })
        #expect(report.exitCode == 1)
        #expect(report.seconds < 30, "the CPU limit, not the 60 s stage timeout, ended the spinning child")
        let rows = try Ledger(path: "\(outbox)/ledger.sqlite").itemRows(release: "release.tar")
        let spin = try #require(rows.first { $0.stage == .parse && $0.member == "release/spin.xml" })
        #expect(spin.status == .quarantined)
        #expect(spin.errorKind == "timeout")
        #expect(try records(outbox).count == 1, "the other document has its record")
    }

    /// `sluice _child` itself: records byte-identical to the in-process run, whatever the worker count.
    @Test func recordsAreIdenticalAcrossIsolationModesAndWorkerCounts() throws {
        let tmp = try TempDir()
        let inbox = try tmp.folder("Inbox", copying: ["\(Repo.inbox)/oip-news-and-federal-register.tar.gz",
                                                      "\(Repo.inbox)/BILLSTATUS-114hr1155.xml"])
        var outputs: [[String: Data]] = []
        for (mode, workers) in [(IsolationSettings.Mode.none, 2), (.process, 1), (.process, 2)] {
            let outbox = "\(tmp.path)/Outbox-\(mode)-\(workers)"
            let report = try runPipeline(inbox: inbox, outbox: outbox, workers: workers, configure: { $0.isolation.mode = mode })
            #expect(report.exitCode == 0)
            #expect(report.stats.documents == 8)
            outputs.append(try recordFiles(outbox))
        }
        #expect(outputs[0].count == 2)
        #expect(outputs[1] == outputs[0])
        #expect(outputs[2] == outputs[0])
    }

    @Test func isolationKeysAreCheckedAndShown() throws {
        let yaml = "parse:\n  isolation: threads\n  memory_limit: 1MiB\n  cpu_limit: 0\n"
        do {
            _ = try PipelineConfig.parse(yaml: yaml, file: "iso.yml")
            Issue.record("a bad isolation setting was accepted")
        } catch let error as ConfigError {
            #expect(error.issues.contains { $0.key == "parse.isolation" && $0.line == 2 && $0.message.contains("process or none") })
            #expect(error.issues.contains { $0.key == "parse.memory_limit" && $0.line == 3 })
            #expect(error.issues.contains { $0.key == "parse.cpu_limit" && $0.line == 4 })
        }
        var config = PipelineConfig()
        config.isolation.mode = .none
        config.isolation.memoryBytes = 3 << 30
        config.isolation.cpuSeconds = 17
        config.parse.pdf.ocr = true
        config.parse.pdf.memoryBytes = 512 << 20
        config.unpack.maxAttachments = 7
        config.output.maxTextCharacters = 1000
        // What `sluice pipeline show` prints is also how a pipeline reaches a child: it must read back the same.
        var again = try PipelineConfig.parse(yaml: config.yaml, file: "shown")
        again.source = config.source
        #expect(again == config)
        #expect(config.yaml.contains("  isolation: none\n  memory_limit: 3GiB\n  cpu_limit: 17\n"))
    }

    /// A child reads its requests frame by frame whatever the reads return: a frame larger than one read,
    /// two frames in one read, and input that ends inside a frame's payload (an error, not a frame).
    @Test func frameInputSplitsWhatItReads() throws {
        var fds: [Int32] = [-1, -1]
        try #require(pipe(&fds) == 0)
        let (readEnd, writeEnd) = (fds[0], fds[1])
        defer { close(readEnd) }
        func frame(_ kind: UInt8, _ field: [UInt8]) -> [UInt8] {
            var writer = FrameWriter(kind: kind)
            writer.data(field)
            return writer.finished()
        }
        let large = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let stream = frame(ChildFrame.member, large) + frame(ChildFrame.hello, Array("a".utf8))
            + frame(ChildFrame.member, Array("b".utf8)) + [ChildFrame.member, 9, 0, 0, 0, 1, 2]
        let writer = Thread {
            var written = 0
            while written < stream.count {
                let n = stream[written...].withUnsafeBytes { write(writeEnd, $0.baseAddress, min($0.count, 100_000)) }
                guard n > 0 else { break }
                written += n
            }
            close(writeEnd)
        }
        writer.start()
        var input = FrameInput(fd: readEnd)
        var fields: [(UInt8, [UInt8])] = []
        do {
            while let (kind, payload) = try input.next() {
                var reader = FrameReader(payload)
                fields.append((kind, try reader.data()))
                #expect(reader.isAtEnd)
            }
            Issue.record("the input ending inside a frame was taken for its end")
        } catch {
            #expect(error.description.contains("ended inside a frame"))
        }
        #expect(fields.map(\.0) == [ChildFrame.member, ChildFrame.hello, ChildFrame.member])
        #expect(fields.first?.1 == large)
        #expect(fields.dropFirst().map { String(decoding: $0.1, as: UTF8.self) } == ["a", "b"])
    }

    /// A member request as the parent sends it (head, the member's own bytes, tail) is read back by the
    /// child as the same fields, with the payload cut down to the member's bytes; a frame whose fields do
    /// not fit is refused.
    @Test func memberFramesRoundTrip() throws {
        let data = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let frame = ChildFrame.memberFrame(release: "r.zip", path: "a/b.xml", sha256: "ab12", dataCount: data.count)
        let wire = frame.head + data + frame.tail
        guard let whole = try ChildFrame.complete(in: wire), whole.kind == ChildFrame.member else {
            Issue.record("the member frame is not one whole frame")
            return
        }
        #expect(whole.payload.upperBound == wire.count)
        var payload = Array(wire[whole.payload])
        let fields = try ChildFrame.takeMember(&payload)
        #expect(fields.release == "r.zip" && fields.path == "a/b.xml" && fields.sha256 == "ab12")
        #expect(payload == data)

        var empty = Array((ChildFrame.memberFrame(release: "r", path: "p", sha256: "s", dataCount: 0).tail))
        #expect(try ChildFrame.takeMember(&empty) == ("r", "p", "s") && empty.isEmpty)
        var tail = frame.tail
        tail[tail.count - 1] = 0x7F  // the data's length now runs past the frame
        var lying = data + tail
        #expect(throws: ChildProtocolError.self) { try ChildFrame.takeMember(&lying) }
        var short = [UInt8(1), 0]
        #expect(throws: ChildProtocolError.self) { try ChildFrame.takeMember(&short) }
        var trailing = data + frame.tail.dropLast(4) + [0] + frame.tail.suffix(4)
        #expect(throws: ChildProtocolError.self) { try ChildFrame.takeMember(&trailing) }
    }

    /// Replies are read as hostile: a child a document has subverted must not crash the run.
    @Test func malformedRepliesAreRefusedNotTrusted() throws {
        var records = FrameWriter(kind: ChildFrame.records)
        records.string("text/html")
        records.uint32(1)
        records.data(Array("{}\n".utf8))
        let good = records.finished()
        guard case .records(let lines) = try IsolatedProcessor.decode(good, item: "x") else {
            Issue.record("a records frame did not decode as records")
            return
        }
        #expect(lines == RecordLines(mediaType: "text/html", count: 1, bytes: Array("{}\n".utf8)))

        #expect(throws: ChildProtocolError.self) { try IsolatedProcessor.decode(Array(good.dropLast()), item: "x") }
        #expect(throws: ChildProtocolError.self) { try IsolatedProcessor.decode(good + [0], item: "x") }
        var lying = good
        lying[good.count - 4] = 0xFF  // the lines' length now runs past the frame
        #expect(throws: ChildProtocolError.self) { try IsolatedProcessor.decode(lying, item: "x") }
        #expect(throws: ChildProtocolError.self) { try ChildFrame.complete(in: [ChildFrame.records, 0xFF, 0xFF, 0xFF, 0xFF]) }
        #expect(throws: ChildProtocolError.self) { try IsolatedProcessor.decode([0x51, 0, 0, 0, 0], item: "x") }

        var failure = FrameWriter(kind: ChildFrame.failure)
        failure.string("no-text")
        failure.string("the document has no text")
        failure.string("a/b.xml")
        #expect(throws: SluiceError(.noText, "the document has no text", item: "a/b.xml")) {
            try IsolatedProcessor.decode(failure.finished(), item: "a/b.xml")
        }
    }

    /// Runs the built `sluice` binary; its standard output.
    static func sluice(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Built.executable("sluice"))
        process.arguments = arguments
        process.currentDirectoryURL = Repo.root
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
