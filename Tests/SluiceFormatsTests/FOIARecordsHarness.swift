import Foundation
import SluiceCore
import SluiceFormats
import SluiceParse
import SluiceTestSupport
import Testing

/// Runs parse + FormatExtractor over every FOIA annual report among the fixtures (agency
/// submissions from 2008 to 2016: schema versions, BOMs, ISO-8859-1, upper-case `.XML`, names with
/// spaces) and asserts each yields facts. Facts over the whole shared corpus are scored against
/// its gold files by scripts/evaluate.
@Suite struct FOIARecordsHarness {
    @Test func looseReportsYieldFacts() throws {
        let files = try Fixtures.files(under: "foia-annual-xml/agency-submissions")
            .filter { $0.lowercased().hasSuffix(".xml") }
        #expect(files.count >= 14)
        for file in files {
            let data = try Fixtures.bytes(file)
            let name = (file as NSString).lastPathComponent
            let records = try Self.records(release: file, member: name, data: data)
            let facts = records.reduce(0) { $0 + $1.extraction.entities.counts.count }
            #expect(facts > 0, "no facts from \(file)")
        }
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
}
