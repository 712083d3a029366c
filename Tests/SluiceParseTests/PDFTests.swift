import Foundation
import SluiceCore
@testable import SluiceParse
import Testing

/// PDF fixtures of a production, made from the corpus's own text by
/// Tests/Fixtures/productions/make_fixtures.py (see SOURCES.md there).
enum Productions {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/productions")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static func member(_ name: String) throws -> Member {
        Member(release: name, path: name, data: try bytes(name))
    }
}

@Suite struct PDFTests {
    @Test("a text PDF: text in reading order, a page offset per page, metadata, a title")
    func textPDF() throws {
        let documents = try Parser().parse(try Productions.member("letter.pdf"))
        let document = try #require(documents.first)
        #expect(documents.count == 1)
        #expect(document.mediaType == .pdf)
        #expect(document.title == "OIP Convening Two FOIA Working Groups")
        let scalars = Array(document.text.unicodeScalars)
        let pages = try #require(document.pages)
        #expect(pages.count == 2)
        #expect(pages[0] == 0)
        // The second page starts with its own first line, right after the first page's text and a newline.
        let second = String(String.UnicodeScalarView(scalars[pages[1]...]))
        #expect(second.hasPrefix("The first working group will address the critical area of use of technology."))
        #expect(scalars[pages[1] - 1] == "\n")
        #expect(document.text.hasPrefix("OIP Convening Two FOIA Working Groups\nTo facilitate the exchange"))
        #expect(document.meta["pdf_author"] == "Office of Information Policy")
        #expect(document.meta["pdf_producer"]?.contains("ReportLab") == true)
        #expect(document.ocrPages.isEmpty)
    }

    @Test("a scanned PDF without OCR is skipped as no-text with a hint naming the setting")
    func scannedWithoutOCR() throws {
        #expect {
            _ = try Parser().parse(try Productions.member("scanned.pdf"))
        } throws: { error in
            guard let error = error as? SluiceError else { return false }
            return error.code == .noText && error.message.contains("parse.pdf.ocr: true")
        }
    }

    @Test("a scanned PDF with OCR: Tesseract reads the phrases of its source; the page is named as OCRed")
    func scannedWithOCR() throws {
        var limits = ParseLimits()
        limits.pdf.ocr = true
        let document = try #require(try Parser(limits: limits).parse(try Productions.member("scanned.pdf")).first)
        #expect(document.text.contains("The second working group will address FOIA best practices."))
        #expect(document.text.contains("FOIA Guidelines"))
        #expect(document.ocrPages == [1])
        #expect(document.pages == [0])
    }

    @Test("an encrypted PDF fails as encrypted; a truncated one as corrupt with poppler's message")
    func encryptedAndCorrupt() throws {
        #expect {
            _ = try Parser().parse(try Productions.member("encrypted.pdf"))
        } throws: { ($0 as? SluiceError)?.code == .encrypted }
        #expect {
            _ = try Parser().parse(try Productions.member("truncated.pdf"))
        } throws: { error in
            guard let error = error as? SluiceError else { return false }
            return error.code == .corrupt && error.message.contains("xref")
        }
    }

    @Test("the page and time limits hold: a PDF over max_pages fails as too-large without being read")
    func pageLimit() throws {
        var limits = ParseLimits()
        limits.pdf.maxPages = 1
        #expect {
            _ = try Parser(limits: limits).parse(try Productions.member("letter.pdf"))
        } throws: { ($0 as? SluiceError)?.code == .tooLarge }
    }

    @Test("pdftotext page text is normalized like all text: spaces collapsed, blank lines and controls dropped")
    func normalization() {
        #expect(PDFReader.normalize("  A  b\t c \n\n\n D\u{7}e \r\n") == "A b c\nDe")
    }
}

@Suite struct EmailTests {
    @Test("an .eml: subject as title, the text body decoded (quoted-printable Latin-1), headers as metadata, the date normalized")
    func message() throws {
        let document = try #require(try Parser().parse(try Productions.member("message.eml")).first)
        #expect(document.mediaType == .email)
        #expect(document.title == "Re: OIP Convening Two FOIA Working Groups \u{2014} r\u{E9}sum\u{E9}")
        #expect(document.text.contains("OIP is convening two FOIA Working Groups; the caf\u{E9} meeting is on June 15, 2010."))
        #expect(document.text.contains("working collaboratively can be quite beneficial."), "soft line breaks joined")
        #expect(!document.text.contains("HTML copy"), "the plain alternative is the body, not both")
        #expect(!document.text.contains("%PDF"), "attachments are not in the body")
        #expect(document.meta["email_from"] == "Office of Information Policy <oip@example.gov>")
        #expect(document.meta["email_cc"] == "Melanie Pustay <director@example.gov>")
        #expect(document.meta["email_date"] == "2010-05-12T14:05:00-04:00")
    }

    @Test("an HTML-only message body goes through the HTML parser")
    func htmlBody() throws {
        let text = """
            From: a@example.gov
            Subject: Notice
            Content-Type: text/html; charset=windows-1252
            Content-Transfer-Encoding: quoted-printable

            <html><body><p>The Department of Justice=92s notice.</p><script>x()</script></body></html>
            """
        let document = try #require(try Parser().parse(Member(release: "n.eml", path: "n.eml", data: Array(text.utf8))).first)
        #expect(document.text == "Notice\nThe Department of Justice\u{2019}s notice.")
    }

    @Test("dates in RFC 5322 forms become ISO 8601", arguments: [
        ("Wed, 12 May 2010 14:05:00 -0400", "2010-05-12T14:05:00-04:00"),
        ("12 May 2010 14:05 +0000", "2010-05-12T14:05:00Z"),
        ("Tue, 1 Jun 99 09:30:00 EST", "1999-06-01T09:30:00-05:00"),
    ])
    func dates(written: String, iso: String) {
        #expect(MailDate.iso8601(written) == iso)
        #expect(MailDate.iso8601("sometime last week") == nil)
    }
}
