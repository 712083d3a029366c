import Foundation
import SluiceCore
import SluiceUnpack
import Testing

/// An e-mail is a document and a container: its attachments come out as members under it.
@Suite struct EmailUnpackTests {
    static let productions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/productions")

    @Test("message.eml gives the message, then its PDF attachment as message.eml!/working-groups.pdf")
    func attachmentIsANestedMember() throws {
        let events = try unpackAll(Self.productions.appendingPathComponent("message.eml").path)
        #expect(events.map(\.path) == ["message.eml", "message.eml!/working-groups.pdf"])
        #expect(events.allSatisfy { $0.kind == .document })
        let letter = [UInt8](try Data(contentsOf: Self.productions.appendingPathComponent("letter.pdf")))
        #expect(events.last?.data == letter, "the attachment's bytes are the PDF, base64 decoded")
    }

    @Test("attachments past the budget fail as too-large; path-like file names keep only their last part")
    func attachmentBudgetAndNames() throws {
        var text = "From: a@example.gov\nSubject: many\nContent-Type: multipart/mixed; boundary=\"B\"\n\n"
        text += "--B\nContent-Type: text/plain\n\nbody\n"
        for index in 0..<3 {
            text += "--B\nContent-Type: text/xml\nContent-Disposition: attachment; filename=\"../../etc/a\(index).xml\"\n\n<a>\(index)</a>\n"
        }
        text += "--B--\n"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-eml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("many.eml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        var budgets = UnpackBudgets()
        budgets.maxAttachments = 2
        let events = try unpackAll(path, budgets: budgets)
        #expect(events.map(\.path) == ["many.eml", "many.eml!/a0.xml", "many.eml!/a1.xml", "many.eml!/a2.xml"])
        #expect(events[1].kind == .document && events[1].data == Array("<a>0</a>".utf8))
        #expect(events[3].kind == .failed && events[3].code == SluiceError.Code.tooLarge.rawValue)
    }
}
