import Foundation
import Testing

/// A run killed with SIGKILL at any moment is finished by the next run, and the
/// Outbox's records then match an uninterrupted run byte for byte (issue 7).
@Suite struct CrashSafetyTests {
    static func recordFiles(_ outbox: String) -> [String: Data] {
        var out: [String: Data] = [:]
        let dir = "\(outbox)/records"
        for name in (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String]) ?? [] {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(dir)/\(name)", isDirectory: &isDirectory), !isDirectory.boolValue {
                out[name] = FileManager.default.contents(atPath: "\(dir)/\(name)")
            }
        }
        return out
    }

    @Test func killedRunsResumeToTheSameOutbox() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let inbox = CLI.root.appendingPathComponent("Inbox").path

        let clean = "\(root)/clean"
        let started = Date()
        let reference = try CLI.run(["run", "--inbox", inbox, "--outbox", clean, "--quiet"])
        let duration = Date().timeIntervalSince(started)
        #expect(reference.status == 0)
        let expected = CrashSafetyTests.recordFiles(clean)
        #expect(expected.count == 3)

        // Moments spread over the length of a clean run, from start-up to the last writes. A kill
        // that comes after the run already ended does not count: the spread then shrinks, until
        // twelve kills have landed mid-run (the machine is shared, so run times vary).
        var killedMidRun = 0
        var scale = duration
        var attempt = 0
        while killedMidRun < 12, attempt < 40 {
            let delay = scale * Double(killedMidRun + 1) / 13
            let outbox = "\(root)/killed-\(attempt)"
            attempt += 1
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["run", "--inbox", inbox, "--outbox", outbox, "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killedMidRun += 1
            } else {
                scale *= 0.7
            }
            process.waitUntilExit()

            let resumed = try CLI.run(["run", "--inbox", inbox, "--outbox", outbox, "--quiet"])
            #expect(resumed.status == 0, "resume after a kill at \(delay) s: \(resumed.stderr)")
            #expect(CrashSafetyTests.recordFiles(outbox) == expected, "records after a kill at \(delay) s")
            let leftovers = (FileManager.default.enumerator(atPath: "\(outbox)/records")?.allObjects as? [String] ?? [])
                .filter { $0.contains(".tmp-") }
            #expect(leftovers.isEmpty)
            try? FileManager.default.removeItem(atPath: outbox)
        }
        #expect(killedMidRun >= 10, "at least ten kills landed while the run was going")
    }
}
