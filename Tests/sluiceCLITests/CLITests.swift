import Foundation
import SluiceTestSupport
import Testing

/// Runs the built `sluice` binary the way a user does.
struct CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The binary sits beside the test bundle in the build folder (or in `SLUICE_TEST_CHILD_DIR`: a
    /// plain build the sanitizer scripts name, since a sanitized `sluice` cannot start its parse
    /// children inside their RLIMIT_AS).
    static var binary: String {
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [bundleDir, bundleDir.deletingLastPathComponent()]
        if let dir = ProcessInfo.processInfo.environment["SLUICE_TEST_CHILD_DIR"], !dir.isEmpty {
            candidates.insert(URL(fileURLWithPath: dir), at: 0)
        }
        for candidate in candidates {
            let path = candidate.appendingPathComponent("sluice").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return root.appendingPathComponent(".build/debug/sluice").path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in directory: String? = nil, binary: String = CLI.binary) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? root.path)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

func temporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "sluice-cli-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite struct CLITests {
    @Test func helpNamesEveryCommand() throws {
        let result = try CLI.run(["--help"])
        #expect(result.status == 0)
        for command in ["run", "status", "inspect", "validate"] {
            #expect(result.stdout.contains(command))
        }
        #expect(result.stdout.contains("Exit status"))
    }

    @Test func badUsageExitsTwo() throws {
        let result = try CLI.run(["run", "--workers", "0"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--workers"))
    }

    @Test func validateNamesTheLineAndTheKey() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = "\(dir)/broken.yml"
        try "name: x\noutput:\n  include_txt: true\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["validate", file])
        #expect(result.status == 2)
        #expect(result.stderr.contains("broken.yml:3:"))
        #expect(result.stderr.contains("output.include_txt"))
        let good = try CLI.run(["validate", "Pipelines/default.yml"])
        #expect(good.status == 0)
    }

    @Test func runStatusAndExitCodes() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let inbox = "\(dir)/Inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try Fixtures.path("agency-html/doj-oip/oip-100512.html"), toPath: "\(inbox)/oip-100512.html")
        try FileManager.default.copyItem(atPath: try Fixtures.path("hostile/releases/xml-billion-laughs.xml"), toPath: "\(inbox)/laughs.xml")

        let run = try CLI.run(["run", "--inbox", inbox, "--outbox", "\(dir)/Outbox"])
        #expect(run.status == 1, "a failed document makes the run exit 1")
        #expect(run.stdout.contains("Records: 1"))

        let status = try CLI.run(["status", "--outbox", "\(dir)/Outbox", "--json"])
        #expect(status.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let problems = try #require(json["problems"] as? [[String: Any]])
        #expect(problems.contains { ($0["member"] as? String) == "laughs.xml" && ($0["kind"] as? String) == "entity-expansion" })

        let again = try CLI.run(["run", "--inbox", inbox, "--outbox", "\(dir)/Outbox"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("Nothing new"))
    }

    @Test func aSecondRunOnTheSameOutboxExitsThree() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: "\(dir)/Inbox", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(dir)/Outbox", withIntermediateDirectories: true)
        // Hold the lock the way a running sluice does.
        let fd = open("\(dir)/Outbox/.sluice.lock", O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        _ = "pid 4242 on test-host".withCString { pwrite(fd, $0, strlen($0), 0) }
        let result = try CLI.run(["run", "--inbox", "\(dir)/Inbox", "--outbox", "\(dir)/Outbox"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("pid 4242"))
    }

    @Test func inspectPrintsTheRecord() throws {
        let result = try CLI.run(["inspect", try Fixtures.path("federal-register-xml/documents/04-16753.xml")])
        #expect(result.status == 0)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(record["schema"] as? String == "sluice.record/1")
        #expect((record["text"] as? String)?.contains("Elimination of Credit Cards") == true)
    }
}
