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
