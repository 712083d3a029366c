import Foundation
import SluiceCore
import SluiceFormats
import SluiceTestSupport
import Testing

/// The Federal Register daily issue of 2024-02-12: every RULE, PRORULE, NOTICE and PRESDOCU
/// gets its document number and (presidential documents aside) its agency, whether the parser
/// hands the issue on whole (root FEDREG) or split into one document per part.
@Suite struct DailyIssueTests {
    static let tags = ["<RULE>", "<PRORULE>", "<NOTICE>", "<PRESDOCU>"]

    @Test func oneExtractionPerDocument() throws {
        let data = Data(try Fixtures.bytes("federal-register-xml/daily-issue/FR-2024-02-12.xml"))
        let raw = String(decoding: data, as: UTF8.self)
        let expected = Self.tags.reduce(0) { $0 + raw.components(separatedBy: $1).count - 1 }
        #expect(expected == 96)

        let documents = try TestSupport.parse(Array(data), path: "FR-2024-02-12.xml")
        var listed: [JSONValue] = []
        if documents.count == 1 {
            let extraction = try #require(FormatExtractor().extract(documents[0]))
            #expect(TestSupport.property(extraction, "document_type") == .string("daily-issue"))
            guard case let .array(items) = TestSupport.property(extraction, "documents") else {
                Issue.record("no documents listed"); return
            }
            listed = items
        } else {
            for document in documents {
                let extraction = try #require(FormatExtractor().extract(document))
                #expect(TestSupport.property(extraction, "fr_document_number") == .optional(document.part))
                listed.append(.object(extraction.properties))
            }
        }
        #expect(listed.count == expected)
        for item in listed {
            let number = item["fr_document_number"]?.stringValue ?? ""
            #expect(number.hasPrefix("2024-") && !number.contains("\u{2013}"), "bad number \(number)")
            if item["document_type"] != .string("presidential-document") {
                #expect(item["agency"]?.stringValue?.isEmpty == false, "no agency in \(number)")
            }
        }
        let proclamation = try #require(listed.first { $0["document_type"] == .string("presidential-document") })
        #expect(proclamation["fr_document_number"] == .string("2024-02934"))
        #expect(proclamation["subject"] == .string("National Tribal Colleges and Universities Week, 2024"))
        #expect(proclamation["signed_date"] == .string("2024-02-06"))
        #expect(proclamation["filed_date"] == .string("2024-02-09"))
        let first = try #require(listed.first)
        #expect(first["fr_document_number"] == .string("2024-02930"))
        #expect(first["agency"] == .string("Department of Transportation"))
        #expect(first["sub_agency"] == .string("Federal Aviation Administration"))
        #expect(first["effective_date"] == .string("2024-02-12"))
        #expect(first["rin"] == .string("2120-AA64"))
    }
}
