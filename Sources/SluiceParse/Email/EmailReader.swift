import SluiceCore
import SluiceMail

/// An e-mail message (RFC 5322 / MIME) as one document: From, To, Cc, Date
/// (normalized) and Subject as metadata, the subject as title, and the text body
/// (quoted-printable and base64 decoded, charsets converted; an HTML-only body
/// through the HTML parser). Attachments are not part of it: the unpack stage
/// hands them on as members of their own (`message.eml!/attachment.pdf`).
struct EmailReader {
    let limits: ParseLimits

    func read(_ bytes: [UInt8], name: String) throws -> ParsedDocument {
        let message: MIMEPart
        do {
            message = try MIMEParser.parse(bytes)
        } catch let error as SluiceError {
            throw SluiceError(error.code, error.message, item: name)
        }
        let bodies = message.leaves.filter { !$0.isAttachment }
        let plain = bodies.filter { $0.contentType == "text/plain" }
        var pieces: [String] = []
        if !plain.isEmpty {
            for part in plain {
                let text = Charsets.decode(part.decodedBody, charset: part.contentTypeParameter("charset"))
                pieces.append(try PlainTextReader.lines(Array(text.utf8), name: name, limits: limits))
            }
        } else {
            for part in bodies where part.contentType == "text/html" {
                let utf8 = Array(Charsets.decode(part.decodedBody, charset: part.contentTypeParameter("charset")).utf8)
                if let document = try? HTMLDocumentReader(limits: limits).read(utf8, name: name, encoding: "UTF-8") {
                    pieces.append(document.text)
                }
            }
        }
        let subject = message.header("Subject").map { collapse(EncodedWords.decode($0)) }
        var meta: [String: String] = [:]
        for (header, key) in [("From", "email_from"), ("To", "email_to"), ("Cc", "email_cc")] {
            if let value = message.header(header).map({ collapse(EncodedWords.decode($0)) }), !value.isEmpty { meta[key] = value }
        }
        if let subject, !subject.isEmpty { meta["email_subject"] = subject }
        if let date = message.header("Date") {
            meta["email_date"] = MailDate.iso8601(date) ?? collapse(date)
        }
        let body = pieces.filter { !$0.isEmpty }.joined(separator: "\n")
        let text = [subject ?? "", body].filter { !$0.isEmpty }.joined(separator: "\n")
        guard !text.isEmpty else { throw SluiceError(.noText, "the message has no subject and no text body", item: name) }
        return ParsedDocument(mediaType: .email, encoding: "UTF-8", title: subject, text: text, meta: meta)
    }

    private func collapse(_ value: String) -> String { collapseWhitespace(value) }
}

/// RFC 5322 dates ("Tue, 12 May 2010 14:05:00 -0400", obsolete zones too) in ISO 8601.
enum MailDate {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let zones: [String: Int] = ["ut": 0, "gmt": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
                                       "mst": -420, "mdt": -360, "pst": -480, "pdt": -420]

    /// `2010-05-12T14:05:00-04:00`, or nil when the value is no RFC 5322 date.
    static func iso8601(_ value: String) -> String? {
        var words = value.replacingColonsAround().split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        if let first = words.first, first.count == 3, first.allSatisfy(\.isLetter) { words.removeFirst() }  // weekday
        guard words.count >= 4, let day = Int(words[0]), (1...31).contains(day),
              let month = months.firstIndex(of: words[1].prefix(3).lowercased()),
              var year = Int(words[2]), words[2].count <= 4
        else { return nil }
        if year < 50 { year += 2000 } else if year < 1000 { year += 1900 }
        let time = words[3].split(separator: ":").map { Int($0) }
        guard time.count >= 2, time.allSatisfy({ $0 != nil }), let hour = time[0], let minute = time[1],
              (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        let second = time.count > 2 ? (time[2] ?? 0) : 0
        guard (0...60).contains(second) else { return nil }
        var offset = 0
        if words.count > 4 {
            let zone = words[4]
            if let sign = zone.first, sign == "+" || sign == "-", zone.count == 5, let hhmm = Int(zone.dropFirst()) {
                offset = (hhmm / 100 * 60 + hhmm % 100) * (sign == "-" ? -1 : 1)
            } else if let named = zones[zone.lowercased()] {
                offset = named
            }
        }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let zoneText = offset == 0 ? "Z" : "\(offset < 0 ? "-" : "+")\(two(abs(offset) / 60)):\(two(abs(offset) % 60))"
        return "\(year)-\(two(month + 1))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))\(zoneText)"
    }
}

private extension String {
    /// "14 : 05" written loosely: the time's parts are joined again.
    func replacingColonsAround() -> String {
        var out = ""
        var previous: Character = " "
        var pendingSpace = false
        for c in self {
            if c == " " {
                pendingSpace = true
                continue
            }
            if pendingSpace, c != ":", previous != ":" { out.append(" ") }
            pendingSpace = false
            out.append(c)
            previous = c
        }
        return out
    }
}
