import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

@testable import SluiceParse

@Suite("Federal Register issues and eCFR titles split into parts")
struct SegmentationTests {
    /// Occurrences of `pattern` in the raw file, counted without the parser.
    static func count(_ pattern: String, in bytes: [UInt8]) throws -> Int {
        let text = String(decoding: bytes, as: UTF8.self)
        return try NSRegularExpression(pattern: pattern).numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
    }

    @Test("FR-2024-02-12: one part per RULE, PRORULE, NOTICE and PRESDOCU, keyed by FR document number")
    func federalRegisterIssue() throws {
        let bytes = try Fixtures.bytes("federal-register-xml/daily-issue/FR-2024-02-12.xml")
        let expected = try Self.count("<(RULE|PRORULE|NOTICE|PRESDOCU)[ >]", in: bytes)
        let parts = try parse(bytes, name: "FR-2024-02-12.xml")
        #expect(expected == 96)
        #expect(parts.count == expected)
        let keys = parts.compactMap(\.part)
        #expect(keys.count == parts.count)
        #expect(Set(keys).count == keys.count, "part keys must be unique")
        let number = try NSRegularExpression(pattern: "^[0-9]{4}-[0-9]{5}$")
        for key in keys {
            #expect(number.firstMatch(in: key, range: NSRange(key.startIndex..., in: key)) != nil, "bad part key \(key)")
        }
        for part in parts {
            #expect(part.fields.first?.depth == 0)
            #expect(Segmentation.federalRegisterParts.contains(part.fields.first?.name.local ?? ""))
            #expect(part.fields.dropFirst().allSatisfy { $0.depth > 0 })
            #expect(part.root == part.fields.first?.name)
            #expect(!part.text.isEmpty)
        }
        let notice = try #require(parts.first { $0.part == "2024-02801" })
        #expect(notice.title == "Notice of Availability of the Draft Programmatic Environmental Assessment for AMS Resilient Food Systems Infrastructure Program")
        #expect(notice.root?.local == "NOTICE")
        #expect(notice.text.contains("[FR Doc. 2024\u{2013}02801 Filed 2\u{2013}9\u{2013}24; 8:45 am]"))
        let proclamation = try #require(parts.first { $0.part == "2024-02934" })
        #expect(proclamation.root?.local == "PRESDOCU")
        #expect(proclamation.title == "National Tribal Colleges and Universities Week, 2024")
        // The table of contents (CNTNTS) is not a record and is in no part.
        #expect(!parts.contains { $0.fields.contains { $0.name.local == "CNTNTS" } })
    }

    @Test("eCFR title 1: one part per DIV5 TYPE=PART, keyed part-N, titled by its HEAD")
    func ecfrTitle() throws {
        let bytes = try Fixtures.bytes("cfr-xml/ecfr/ECFR-title1.xml")
        let expected = try Self.count("<DIV5 [^>]*TYPE=\"PART\"", in: bytes)
        let parts = try parse(bytes, name: "ECFR-title1.xml")
        #expect(expected == 36)
        #expect(parts.count == expected)
        for part in parts {
            let n = try #require(part.fields.first?.attribute("N"))
            #expect(part.part == Segmentation.ecfrPartKey(n))
            #expect(part.part?.contains("\u{2013}") == false)
            // "PART 1—DEFINITIONS", "PARTS 23–49 [RESERVED]"
            #expect(part.title?.hasPrefix("PART") == true && part.title?.contains(n) == true, "\(part.title ?? "nil")")
            #expect(part.fields.first?.name.local == "DIV5")
            #expect(part.fields.first?.depth == 0)
        }
    }

    @Test("a FEDREG or ECFR root without parts is one whole document")
    func noParts() throws {
        let documents = try parse(xml: "<FEDREG><UNITNAME>Rules</UNITNAME><P>only front matter</P></FEDREG>")
        #expect(documents.count == 1)
        #expect(documents.first?.part == nil)
        #expect(documents.first?.text == "Rules\nonly front matter")
    }

    @Test("eCFR part keys fold dashes")
    func ecfrKeys() {
        #expect(Segmentation.ecfrPartKey("23\u{2013}49") == "part-23-49")
        #expect(Segmentation.ecfrPartKey("5") == "part-5")
    }

    @Test("FR document numbers: en dashes fold to hyphens; no number gives nil")
    func documentNumbers() {
        #expect(Segmentation.frDocumentNumber("[FR Doc. 2024\u{2013}02801 Filed 2\u{2013}9\u{2013}24; 8:45 am]") == "2024-02801")
        #expect(Segmentation.frDocumentNumber("[FR Doc. E8-23178 Filed 10-1-08; 8:45 am]") == "E8-23178")
        #expect(Segmentation.frDocumentNumber("Billing code 4410-FY-P") == nil)
    }

    @Test("a part without FRDOC is keyed by its element and ordinal; outside text is dropped")
    func ordinalFallback() throws {
        let xml = """
            <FEDREG><CNTNTS><P>table of contents</P></CNTNTS><RULES><RULE><PREAMB><SUBJECT>First</SUBJECT></PREAMB><P>one</P></RULE>\
            <RULE><PREAMB><SUBJECT>Second</SUBJECT></PREAMB><P>two</P></RULE></RULES>\
            <NOTICES><NOTICE><P>three</P><FRDOC>[FR Doc. 2024\u{2013}00001 Filed]</FRDOC></NOTICE>\
            <NOTICE><P>four</P><FRDOC>[FR Doc. 2024\u{2013}00001 Filed]</FRDOC></NOTICE></NOTICES></FEDREG>
            """
        let parts = try parse(xml: xml)
        #expect(parts.map(\.part) == ["RULE-1", "RULE-2", "2024-00001", "2024-00001-2"])
        #expect(parts.map(\.title) == ["First", "Second", "three", "four"])
        #expect(!parts.contains { $0.text.contains("table of contents") })
        #expect(parts[0].text == "First\none")
    }
}
