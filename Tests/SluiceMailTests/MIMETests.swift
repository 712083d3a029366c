import SluiceCore
import SluiceMail
import Testing

@Suite struct MIMETests {
    @Test("quoted-printable: escapes, soft line breaks, and the Q encoding's underscores")
    func quotedPrintable() {
        let qp = Array("caf=E9 meeting=\r\n on June=3D15=\nend".utf8)
        #expect(TransferEncoding.quotedPrintable(qp) == Array("caf\u{E9}".unicodeScalars.map { UInt8($0.value) }) + Array(" meeting on June=15end".utf8))
        #expect(TransferEncoding.quotedPrintable(Array("a_b=5F".utf8), underscoreIsSpace: true) == Array("a b_".utf8))
    }

    @Test("base64 with line breaks and padding; stray bytes are skipped")
    func base64() {
        #expect(TransferEncoding.base64(Array("T2ZmaWNl\r\nIG9mIElu\nZm9ybWF0aW9uIFBvbGljeQ==".utf8)) == Array("Office of Information Policy".utf8))
        #expect(TransferEncoding.base64(Array("QUJD!!RA==".utf8)) == Array("ABCD".utf8))
    }

    @Test("encoded words: B and Q, UTF-8 and Latin-1, adjacent words joined")
    func encodedWords() {
        #expect(EncodedWords.decode("Re: =?utf-8?b?4oCUIHLDqXN1?= =?utf-8?q?m=C3=A9?=") == "Re: \u{2014} r\u{E9}sum\u{E9}")
        #expect(EncodedWords.decode("=?ISO-8859-1?Q?caf=E9?= time") == "caf\u{E9} time")
        #expect(EncodedWords.decode("no words =? here") == "no words =? here")
    }

    @Test("a multipart message: parts, attachment file names, decoded bodies")
    func structure() throws {
        let text = """
            From: a@example.gov\r
            Subject: test\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="XX"\r
            \r
            preamble\r
            --XX\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            Hello\r
            --XX\r
            Content-Type: application/pdf\r
            Content-Disposition: attachment; filename="report.pdf"\r
            Content-Transfer-Encoding: base64\r
            \r
            JVBERi0=\r
            --XX--\r
            epilogue
            """
        let message = try MIMEParser.parse(Array(text.utf8))
        #expect(message.contentType == "multipart/mixed")
        #expect(message.parts.count == 2)
        #expect(String(decoding: message.parts[0].decodedBody, as: UTF8.self) == "Hello")
        #expect(!message.parts[0].isAttachment)
        #expect(message.parts[1].isAttachment)
        #expect(message.parts[1].filename == "report.pdf")
        #expect(message.parts[1].decodedBody == Array("%PDF-".utf8))
    }

    @Test("messages are told from other text by their header lines")
    func detection() {
        let mail = Array("Received: from x\nFrom: a@b.gov\nSubject: s\n\nbody".utf8)
        #expect(MIMEParser.looksLikeMessage(name: "x.txt", head: mail))
        #expect(MIMEParser.looksLikeMessage(name: "note.eml", head: Array("Subject: only\n\nbody".utf8)))
        #expect(!MIMEParser.looksLikeMessage(name: "a.xml", head: Array("<?xml version=\"1.0\"?><a/>".utf8)))
        #expect(!MIMEParser.looksLikeMessage(name: "notes.txt", head: Array("From: me\nthis is prose, not a header\n".utf8)))
    }

    @Test("nesting and part counts are bounded: hostile messages fail as too-deep or too-large")
    func limits() {
        var nested = "From: a@b.gov\nSubject: s\nContent-Type: multipart/mixed; boundary=\"B0\"\n\n"
        for level in 1...20 { nested += "--B\(level - 1)\nContent-Type: multipart/mixed; boundary=\"B\(level)\"\n\n" }
        #expect { try MIMEParser.parse(Array(nested.utf8)) } throws: { ($0 as? SluiceError)?.code == .tooDeep }
        var many = "From: a@b.gov\nSubject: s\nContent-Type: multipart/mixed; boundary=\"B\"\n\n"
        for _ in 0..<50 { many += "--B\nContent-Type: text/plain\n\nx\n" }
        var limits = MIMELimits()
        limits.maxParts = 10
        #expect { try MIMEParser.parse(Array(many.utf8), limits: limits) } throws: { ($0 as? SluiceError)?.code == .tooLarge }
    }
}
