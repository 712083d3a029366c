import Foundation
import SluiceTestSupport
import Testing

/// The binary as an installed user has it: alone in a folder, run in a data folder that is not the
/// source checkout, with the gazetteer, schema, mappings and default pipeline compiled in.
@Suite struct InstallTests {
    /// The small real release from the repository's sample Inbox (7 documents).
    static let release = "oip-news-and-federal-register.tar.gz"

    /// The run manifest a run wrote, parsed.
    static func manifest(_ outbox: String) throws -> [String: Any] {
        let runs = try FileManager.default.contentsOfDirectory(atPath: "\(outbox)/runs").filter { $0.hasSuffix(".json") }
        try #require(runs.count == 1, "one run manifest in \(outbox)/runs: \(runs)")
        let data = try #require(FileManager.default.contents(atPath: "\(outbox)/runs/\(runs[0])"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Records written under `outbox`, one JSON object a line.
    static func recordCount(_ outbox: String) throws -> Int {
        let files = try FileManager.default.subpathsOfDirectory(atPath: "\(outbox)/records").filter { $0.hasSuffix(".ndjson") }
        return try files.reduce(0) { count, file in
            let text = try String(contentsOfFile: "\(outbox)/records/\(file)", encoding: .utf8)
            return count + text.split(separator: "\n").count
        }
    }

    @Test("the binary copied alone into an empty folder processes an Inbox with no Pipelines/ folder")
    func binaryAloneRunsWithTheBuiltInPipeline() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let binary = "\(dir)/bin/sluice"
        try FileManager.default.createDirectory(atPath: "\(dir)/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLI.binary, toPath: binary)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(dir)/bin") == ["sluice"])
        let data = "\(dir)/data"
        try FileManager.default.createDirectory(atPath: "\(data)/Inbox", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLI.root.appendingPathComponent("Inbox/\(Self.release)").path,
                                         toPath: "\(data)/Inbox/\(Self.release)")

        let run = try CLI.run(["run", "--verbose"], in: data, binary: binary)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("built-in"), "--verbose names the built-in pipeline: \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(data)/Pipelines"))
        #expect(try Self.recordCount("\(data)/Outbox") == 7)
        #expect(try Self.manifest("\(data)/Outbox")["pipeline_source"] as? String == "built-in")
        // Agencies come from the compiled-in gazetteer.
        let records = try String(contentsOfFile: "\(data)/Outbox/records/\(Self.release).ndjson", encoding: .utf8)
        #expect(records.contains("\"Office of Information Policy\""))
    }

    @Test("no Sluice module looks for a resource bundle beside the binary")
    func binaryHasNoResourceBundleLookups() throws {
        // SwiftPM's bundle accessor embeds the bundle's name (Sluice_<Target>.resources) and falls back
        // to the build folder's absolute path, so only the binary's bytes tell whether it needs one.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: CLI.binary))
        for target in ["SluiceExtract", "SluiceExport", "SluiceScheduler", "sluice"] {
            #expect(bytes.range(of: Data("Sluice_\(target).resources".utf8)) == nil, "\(target) has a resource bundle")
        }
    }

    @Test("sluice init makes a data folder that sluice run then processes with its pipeline file")
    func initThenRun() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let folder = "\(dir)/news"
        let created = try CLI.run(["init", folder], in: dir)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("cd \(folder) && sluice run"))
        for sub in ["Inbox", "Outbox", "Pipelines"] {
            #expect(FileManager.default.fileExists(atPath: "\(folder)/\(sub)"), "\(sub) created")
        }
        let written = try String(contentsOfFile: "\(folder)/Pipelines/default.yml", encoding: .utf8)
        let shipped = try String(contentsOf: CLI.root.appendingPathComponent("Pipelines/default.yml"), encoding: .utf8)
        #expect(written == shipped)

        // An existing pipeline file is never overwritten.
        try "name: mine\n".write(toFile: "\(folder)/Pipelines/default.yml", atomically: true, encoding: .utf8)
        let again = try CLI.run(["init", folder], in: dir)
        #expect(again.status == 2)
        #expect(again.stderr.contains("already exists"))
        #expect(try String(contentsOfFile: "\(folder)/Pipelines/default.yml", encoding: .utf8) == "name: mine\n")

        try FileManager.default.copyItem(atPath: try Fixtures.path("federal-register-xml/documents/04-16753.xml"),
                                         toPath: "\(folder)/Inbox/04-16753.xml")
        let run = try CLI.run(["run"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Self.recordCount("\(folder)/Outbox") == 1)
        let manifest = try Self.manifest("\(folder)/Outbox")
        #expect(manifest["pipeline_source"] as? String == "Pipelines/default.yml")
        #expect(manifest["pipeline"] as? String == "mine")
    }

    @Test("sluice pipeline show prints the pipeline in effect and names its source")
    func pipelineShow() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builtIn = try CLI.run(["pipeline", "show"], in: dir)
        #expect(builtIn.status == 0)
        #expect(builtIn.stdout.hasPrefix("# pipeline: built-in "))
        #expect(builtIn.stdout.contains("name: \"default\"\n"))
        #expect(builtIn.stdout.contains("max_member_bytes: 64MiB\n"))

        // A file that sets only its name shows every other setting at its default.
        try "name: mine\n".write(toFile: "\(dir)/mine.yml", atomically: true, encoding: .utf8)
        let mine = try CLI.run(["pipeline", "show", "--pipeline", "mine.yml"], in: dir)
        #expect(mine.status == 0)
        #expect(mine.stdout.hasPrefix("# pipeline: mine.yml "))
        #expect(mine.stdout.contains("name: \"mine\"\n"))
        #expect(mine.stdout.contains("extractors: [agencies, dates, programs, counts, formats]"))
        #expect(mine.stdout.contains("include_text: true"))

        // What it prints is a pipeline file that validates.
        try builtIn.stdout.write(toFile: "\(dir)/shown.yml", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["validate", "shown.yml"], in: dir).status == 0)

        try "output:\n  include_txt: true\n".write(toFile: "\(dir)/bad.yml", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["pipeline", "show", "--pipeline", "bad.yml"], in: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("output.include_txt"))
    }

    @Test("sluice --version names the version, the commit, libxml2 and zlib")
    func versionNamesTheLibraries() throws {
        let result = try CLI.run(["--version"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("sluice 0.") == true, "\(lines)")
        #expect(lines.first?.contains("(commit ") == true)
        #expect(lines.contains { $0.range(of: #"^libxml2 2\.\d+\.\d+"#, options: .regularExpression) != nil }, "\(lines)")
        #expect(lines.contains { $0.range(of: #"^zlib 1\.\d+"#, options: .regularExpression) != nil }, "\(lines)")
    }

    @Test("sluice --generate-completion-script bash prints a completion script")
    func bashCompletion() throws {
        let result = try CLI.run(["--generate-completion-script", "bash"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("-F _sluice sluice"))
        #expect(result.stdout.contains("pipeline"))
    }
}
