import Foundation
import SluiceCore
import SluiceFormats
import SluiceParse
import Testing

/// Runs parse + FormatExtractor over every FOIA annual report in the corpus. Always asserts that
/// each loose report yields facts; with `SLUICE_WRITE_FOIA_RECORDS=DIR` it also writes NDJSON
/// records shaped like the pipeline's (and reads the FOIA.gov bulk zips' members with `unzip -p`,
/// which only this harness does) so that `tools/score-foia-facts` can score them.
@Suite struct FOIARecordsHarness {
    static let outputDirectory = ProcessInfo.processInfo.environment["SLUICE_WRITE_FOIA_RECORDS"]

    @Test func looseReportsYieldFactsAndRecords() throws {
        let root = TestSupport.corpus.appendingPathComponent("foia-annual-xml/agency-submissions")
        let files = try FileManager.default.subpathsOfDirectory(atPath: root.path)
            .filter { $0.lowercased().hasSuffix(".xml") }.sorted()
        #expect(files.count >= 30)
        var lines: [String] = []
        for file in files {
            let data = Array(try Data(contentsOf: root.appendingPathComponent(file)))
            let name = (file as NSString).lastPathComponent
            let release = "foia-annual-xml/agency-submissions/" + file
            let records = try Self.records(release: release, member: name, data: data)
            let facts = records.reduce(0) { $0 + $1.extraction.entities.counts.count }
            #expect(facts > 0, "no facts from \(file)")
            lines += records.map { $0.json().serialized() }
        }
        try Self.write(lines, to: "loose.ndjson")
        if Self.outputDirectory != nil { try Self.writeBulkZipMembers() }
    }

    /// Records for every XML member of the FOIA.gov zips (only when writing records: it shells out to unzip).
    static func writeBulkZipMembers() throws {
        let folder = TestSupport.corpus.appendingPathComponent("archives/foia-gov")
        let zips = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix("FOIASetFull.zip") || $0.hasPrefix("FOIA_Annual_Report") }.sorted()
        var lines: [String] = []
        for zip in zips {
            let path = folder.appendingPathComponent(zip).path
            let names = String(decoding: try run(["unzip", "-Z1", path]), as: UTF8.self)
                .split(separator: "\n").map(String.init)
                .filter { $0.lowercased().hasSuffix(".xml") && !$0.contains("__MACOSX") }
            for name in names {
                let data = try run(["unzip", "-p", path, name])
                let found = (try? records(release: zip, member: name, data: data)) ?? []
                lines += found.map { $0.json().serialized() }
            }
        }
        #expect(lines.count >= 557)
        try write(lines, to: "bulk.ndjson")
    }

    static func records(release: String, member: String, data: [UInt8]) throws -> [Record] {
        try Parser().parse(Member(release: release, path: member, data: data)).compactMap { document in
            guard let extraction = FormatExtractor().extract(document) else { return nil }
            return Record(
                release: release, member: member, part: document.part, sha256: SHA256.hex(data), bytes: data.count,
                mediaType: document.mediaType.rawValue, encoding: document.encoding, title: document.title,
                text: nil, extraction: extraction,
                producedBy: [("pipeline", .string("formats-harness")), ("formats", .string(FormatExtractor.version))])
        }
    }

    static func write(_ lines: [String], to name: String) throws {
        guard let directory = outputDirectory else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let text = lines.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name))
    }

    static func run(_ arguments: [String]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }
}
