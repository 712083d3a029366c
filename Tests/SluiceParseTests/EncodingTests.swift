import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

@testable import SluiceParse

@Suite("Encodings: BOM, declaration, meta charset, Windows-1252 fallback")
struct EncodingTests {
    @Test("a Windows-1252 FOIA.gov page without charset keeps its curly quotes and dashes")
    func windows1252Page() throws {
        let spotlight = try parse(try Fixtures.bytes("agency-html/foia-gov-2011/news-spotlight.html"), name: "news-spotlight.html")[0]
        #expect(spotlight.encoding == "windows-1252")
        #expect(spotlight.text.contains("Department of Agriculture\u{2019}s Food Safety"))
        #expect(spotlight.text.contains("\u{201C}Check Your Steps\u{201D}"))
        #expect(spotlight.text.isCleanText)
        let glossary = try parse(try Fixtures.bytes("agency-html/foia-gov-2011/glossary.html"), name: "glossary.html")[0]
        #expect(glossary.text.contains("Annual FOIA Report Handbook \u{2013} A"))
        #expect(glossary.text.isCleanText)
    }

    @Test("the hostile Windows-1252 page decodes with the fallback", arguments: ["hostile/releases/html-cp1252-nocharset.html"])
    func windows1252Fixture(_ path: String) throws {
        let document = try parse(try Fixtures.bytes(path), name: path)[0]
        #expect(document.encoding == "windows-1252")
        #expect(document.title == "Caf\u{E9} Report \u{2013} \u{201C}FOIA\u{201D}")
        #expect(document.text.contains("\u{20AC}5"))
        #expect(document.text.isCleanText)
    }

    @Test("UTF-16 with a byte-order mark, both byte orders", arguments: [("hostile/releases/xml-utf16le-bom.xml", "UTF-16LE"), ("hostile/releases/xml-utf16be-bom.xml", "UTF-16BE")])
    func utf16(_ path: String, _ encoding: String) throws {
        let document = try parse(try Fixtures.bytes(path), name: path)[0]
        #expect(document.encoding == encoding)
        for needle in ["sluice-ok-utf16", "D\u{E9}partement", "\u{6771}\u{4EAC}", "Z\u{FC}rich", "\u{20AC}12,000"] {
            #expect(document.text.contains(needle))
        }
        #expect(document.title == "D\u{E9}partement d'\u{C9}tat \u{2014} \u{6771}\u{4EAC} report")
    }

    @Test("a FOIA report with a UTF-8 byte-order mark")
    func bomFOIAReport() throws {
        let bytes = try Fixtures.bytes("foia-annual-xml/agency-submissions/2010/CPSC_FY_10_Final.xml")
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let document = try parse(bytes, name: "CPSC_FY_10_Final.xml")[0]
        #expect(document.encoding == "UTF-8")
        #expect(document.root?.local == "FoiaAnnualReport")
        #expect(document.root?.namespace == "http://leisp.usdoj.gov/niem/FoiaAnnualReport/exchange/1.02")
        #expect(document.title == "FOIA Annual Report: U.S. Consumer Product Safety Commission, FY 2010")
        #expect(document.fields.contains { $0.name.qualified == "nc:OrganizationAbbreviationText" && $0.text == "U.S. CPSC" })
    }

    @Test("a FOIA report declared ISO-8859-1")
    func latin1FOIAReport() throws {
        let document = try parse(
            try Fixtures.bytes("foia-annual-xml/agency-submissions/2010/NASA_FY10_Final.xml"), name: "NASA_FY10_Final.xml")[0]
        #expect(document.encoding == "ISO-8859-1")
        #expect(document.title == "FOIA Annual Report: National Aeronautics and Space Administration (NASA), FY 2010")
        #expect(document.fields.count > 1000)
    }

    @Test("ISO-8859-1 bytes decode, and 0x80-0x9F under that label read as Windows-1252, never C1 controls")
    func latin1Declared() throws {
        var bytes = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><doc><p>Bogot".utf8)
        bytes += [0xE1, 0x20, 0x93, 0x71, 0x94, 0x20, 0x96, 0x20, 0xBD]
        bytes += Array("</p></doc>".utf8)
        let document = try parse(bytes, name: "latin1.xml")[0]
        #expect(document.text == "Bogot\u{E1} \u{201C}q\u{201D} \u{2013} \u{BD}")
        #expect(document.encoding == "windows-1252")
    }

    @Test("XML declared UTF-8 holding Windows-1252 bytes is re-read as Windows-1252")
    func mislabelledUTF8() throws {
        let bytes = try Fixtures.bytes("hostile/releases/xml-utf8-declared-cp1252.xml")
        let document = try parse(bytes, name: "xml-utf8-declared-cp1252.xml")[0]
        #expect(document.encoding == "windows-1252")
        for needle in ["caf\u{E9}", "\u{20AC}5", "\u{201C}final\u{201D}"] { #expect(document.text.contains(needle)) }
        #expect(document.text.isCleanText)
    }

    @Test("invalid UTF-8 that is not plausible Windows-1252 fails as an encoding error")
    func invalidUTF8() throws {
        let error = parseError(try Fixtures.bytes("hostile/releases/xml-invalid-utf8.xml"), name: "xml-invalid-utf8.xml")
        #expect(error?.code == .encoding)
        #expect(error?.message.contains("line 2") == true)
    }

    @Test("character references to C1 controls (&#150;) become the Windows-1252 characters")
    func c1References() throws {
        let document = try parse(xml: "<doc><p>1990&#150;2000 &#147;quoted&#148;</p></doc>")[0]
        #expect(document.text == "1990\u{2013}2000 \u{201C}quoted\u{201D}")
    }

    @Test("NUL bytes and binary data fail as binary")
    func binary() throws {
        #expect(parseError(try Fixtures.bytes("hostile/releases/xml-nul-bytes.xml"), name: "x.xml")?.code == .binary)
        #expect(parseError(try Fixtures.bytes("hostile/releases/html-binary-garbage.html"), name: "x.html")?.code == .binary)
        let controls = [UInt8](repeating: 0x01, count: 200) + Array("<p>text</p>".utf8)
        #expect(parseError(controls, name: "controls.html")?.code == .binary)
    }

    @Test("the declared HTML charset: meta charset or http-equiv, any case and quoting, the first 4 KB only")
    func declaredCharset() {
        func label(_ html: String) -> String? { EncodingDetector.htmlDeclaredCharset(Array(html.utf8)) }
        #expect(label("<meta charset=\"ISO-8859-1\">") == "iso-8859-1")
        #expect(label("<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; CHARSET=Windows-1252\">") == "windows-1252")
        #expect(label("<meta charset='latin1'>") == "latin1")
        #expect(label("<meta charset= x_cp1252 >") == "x_cp1252")
        #expect(label("<meta charset=\"\">") == nil)
        #expect(label("<p>no declaration here</p>") == nil)
        // A label that runs into a non-ASCII byte is not a label the detector knows.
        #expect(label("<meta charset=latin1\u{E9}>") == nil)
        #expect(label(String(repeating: " ", count: 4096) + "<meta charset=latin1>") == nil)
        #expect(label(String(repeating: " ", count: 4088) + "charset=latin1") == nil)
        #expect(label(String(repeating: " ", count: 4082) + "charset=latin1") == "latin1")
    }
}
