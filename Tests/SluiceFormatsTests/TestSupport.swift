import Foundation
import SluiceCore
import SluiceFormats
import SluiceParse
import SluiceTestSupport
import Testing

/// Loading and parsing real files for the tests.
enum TestSupport {
    /// A fixture's bytes: a corpus path ("congress-xml/govtrack/hr1954-112.xml") is read from the shared
    /// fixture corpus (`Fixtures` of SluiceTestSupport), a bare file name from this target's `Fixtures/`.
    static func fixture(_ name: String) throws -> [UInt8] {
        if name.contains("/") { return try Fixtures.bytes(name) }
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return Array(try Data(contentsOf: url))
    }

    /// Parses bytes the way the pipeline does and returns every parsed document.
    static func parse(_ data: [UInt8], release: String = "fixtures", path: String) throws -> [ParsedDocument] {
        try Parser().parse(Member(release: release, path: path, data: data))
    }

    /// Parses a fixture and runs the extractor on its first document.
    static func extractFixture(_ name: String) throws -> Extraction {
        let documents = try parse(try fixture(name), path: String(name.split(separator: "/").last ?? ""))
        let document = try #require(documents.first)
        return try #require(FormatExtractor().extract(document))
    }

    /// A property's value.
    static func property(_ extraction: Extraction, _ key: String) -> JSONValue? {
        extraction.properties.first(where: { $0.0 == key })?.1
    }

    /// FOIA facts as (measure, component, value) for easy comparison with gold files.
    static func facts(_ extraction: Extraction) -> [(measure: String, component: String?, value: Double)] {
        extraction.entities.counts.compactMap { count in
            guard let subject = count.subject else { return nil }
            let component = count.context?.first(where: { $0.0 == "component" })?.1.stringValue
            return (subject, component, count.value)
        }
    }
}
