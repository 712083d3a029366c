import SluiceOutbox
import Foundation
import SluiceCore
@testable import SluiceExport

/// Paths and helpers shared by the export tests.
enum TestSupport {
    /// The fixture Outbox: records/ and deletions/ as a run leaves them (see Fixtures/SOURCES.md).
    static var fixtureOutbox: String {
        guard let url = Bundle.module.url(forResource: "outbox", withExtension: nil, subdirectory: "Fixtures") else {
            fatalError("Fixtures/outbox missing from the test bundle")
        }
        return url.path
    }

    /// The repository root, found from this file's path.
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A fresh empty folder under the system temporary folder.
    static func tempFolder(_ name: String = "export") throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("sluice-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func lines(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    static func jsonObject(_ line: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        guard let dict = object as? [String: Any] else { throw ExportError(.badRecord, "not an object: \(line.prefix(80))") }
        return dict
    }

    /// Every record line of an Outbox, in export order.
    static func recordLines(outbox: String) throws -> [String] {
        var out: [String] = []
        try OutboxReader(outbox: outbox).forEachLine { _, bytes in out.append(String(decoding: bytes, as: UTF8.self)) }
        return out
    }

    /// Builds an Outbox in a temp folder whose records were made by `Record.json()`, the pipeline's own writer.
    static func generatedOutbox() throws -> String {
        let outbox = try tempFolder("generated")
        let dir = (outbox as NSString).appendingPathComponent("records/nested")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let text = "ICE said the Secure Communities program ran in fiscal year 2013. U.S. Immigration and Customs Enforcement removed approximately 3,600 U.S. citizens by August 6, 2013."
        func mention(_ s: String) -> Mention {
            let scalars = Array(text.unicodeScalars)
            let needle = Array(s.unicodeScalars)
            for i in 0...(scalars.count - needle.count) where Array(scalars[i..<i + needle.count]) == needle {
                return Mention(start: i, end: i + needle.count, text: s)
            }
            return Mention(start: 0, end: 0, text: s)
        }
        let entities = Entities(
            agencies: [AgencyEntity(
                name: "U.S. Immigration and Customs Enforcement", acronym: "ICE", parent: "Department of Homeland Security",
                mentions: [mention("ICE"), mention("U.S. Immigration and Customs Enforcement")])],
            dates: [
                DateEntity(value: "FY2013", precision: .fiscalYear, start: "2012-10-01", end: "2013-09-30",
                           mentions: [mention("fiscal year 2013")]),
                DateEntity(value: "2013-08-06", precision: .day, mentions: [mention("August 6, 2013")]),
            ],
            programs: [ProgramEntity(name: "Secure Communities", mentions: [mention("Secure Communities")])],
            counts: [
                CountEntity(value: 3600, unit: "count", subject: "U.S. citizens", qualifier: "approximately",
                            mentions: [mention("approximately 3,600 U.S. citizens")]),
                CountEntity(value: 18, unit: "count", subject: "requests_received",
                            context: [("agency", .string("ICE")), ("component", .null), ("fiscal_year", .string("FY2013"))]),
            ])
        let producedBy: [(String, JSONValue)] = [("pipeline", .string("default")), ("sluice", .string("0.1.0"))]
        let records = [
            Record(release: "nested/ice.zip", member: "ice/news.html", part: nil, sha256: String(repeating: "a", count: 64),
                   bytes: 2048, mediaType: "text/html", encoding: "UTF-8", title: "ICE news", text: text,
                   extraction: Extraction(entities: entities, properties: [("bill_number", .string("H.R. 1155"))]),
                   producedBy: producedBy),
            Record(release: "nested/ice.zip", member: "ice/report.xml", part: "section-2", sha256: String(repeating: "b", count: 64),
                   bytes: 10, mediaType: "application/xml", encoding: "UTF-8", title: nil, text: nil,
                   extraction: Extraction(), producedBy: producedBy),
        ]
        let body = records.map { $0.json().serialized() + "\n" }.joined()
        try body.write(toFile: (dir as NSString).appendingPathComponent("ice.zip.ndjson"), atomically: true, encoding: .utf8)
        return outbox
    }
}
