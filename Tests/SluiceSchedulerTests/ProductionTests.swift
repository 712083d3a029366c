import Foundation
import SluiceCore
import SluiceLedger
import Testing
@testable import SluiceScheduler

/// A FOIA production as it arrives: a zip of PDFs (text, scanned, encrypted), an e-mail with a
/// PDF attachment and an HTML page, through the whole pipeline with OCR on.
@Suite struct ProductionTests {
    static let fixtures = Repo.root.appendingPathComponent("Tests/Fixtures/productions")

    @Test func aProductionGivesRecordsForItsPDFsMailAndPagesAndFailsTheEncryptedOne() throws {
        let tmp = try TempDir()
        // The five files of a production, zipped (Tests/Fixtures/productions/make_fixtures.py).
        let inbox = try tmp.folder("Inbox", copying: [Self.fixtures.appendingPathComponent("production.zip").path])
        let outbox = "\(tmp.path)/Outbox"
        let report = try runPipeline(inbox: inbox, outbox: outbox) { config in config.parse.pdf.ocr = true }
        #expect(report.exitCode == 1, "the encrypted PDF failed")

        let all = try records(outbox)
        #expect(Set(all.map(\.member)) == [
            "production/letter.pdf", "production/scanned.pdf", "production/oip-100512.html", "production/message.eml",
            "production/message.eml!/working-groups.pdf",
        ])
        try expectValidRecords(outbox)

        let letter = try #require(all.first { $0.member == "production/letter.pdf" })
        let pages = try #require(letter["pages"] as? [Int])
        #expect(pages.count == 2)
        // The program on page two is found there: its mention's offset is past the second page's start.
        let programs = letter.entities("programs")
        let technology = try #require(programs.first { ($0["name"] as? String)?.contains("Technology Working Group") == true })
        let mention = try #require((technology["mentions"] as? [[String: Any]])?.first)
        let start = try #require(mention["start"] as? Int)
        #expect(start >= pages[1])
        let scalars = Array(letter.text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[start..<(start + 24)])) == "Technology Working Group")
        #expect((letter["properties"] as? [String: Any])?["pdf_author"] as? String == "Office of Information Policy")

        let scanned = try #require(all.first { $0.member == "production/scanned.pdf" })
        #expect(scanned.text.contains("The second working group will address FOIA best practices."))
        #expect(scanned["ocr_pages"] as? [Int] == [1])

        let email = try #require(all.first { $0.member == "production/message.eml" })
        #expect((email["properties"] as? [String: Any])?["email_date"] as? String == "2010-05-12T14:05:00-04:00")
        #expect(email.entities("dates").contains { $0["value"] as? String == "2010-06-15" })
        let attachment = try #require(all.first { $0.member == "production/message.eml!/working-groups.pdf" })
        #expect(attachment["pages"] as? [Int] == pages, "the attachment is read like the same PDF on its own")

        let rows = try Ledger(path: "\(outbox)/ledger.sqlite").itemRows(release: "production.zip")
        let encrypted = try #require(rows.first { $0.member == "production/encrypted.pdf" && $0.stage == .parse })
        #expect(encrypted.status == .failed)
        #expect(encrypted.errorKind == "encrypted")
    }
}
