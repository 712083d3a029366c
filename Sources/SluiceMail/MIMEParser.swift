import SluiceCore

/// Reads an RFC 5322 / MIME message into its parts.
public enum MIMEParser {
    /// Whether bytes look like an e-mail message: a `.eml` name, or header fields from
    /// the first line with `From:` and one of `Subject:`, `Date:`, `MIME-Version:`,
    /// `Message-ID:` or `To:` among the first lines.
    public static func looksLikeMessage<C: Collection>(name: String, head: C) -> Bool where C.Element == UInt8 {
        // Every member that is not a known type comes here: settle the common case (not a header
        // line at the very start: XML, HTML, text) on the bytes, before any String is made.
        guard startsWithHeaderName(head) else { return false }
        let lower = name.lowercased()
        let text = String(decoding: head.prefix(4096), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(60)
        guard let first = lines.first, isHeaderLine(first) else { return false }
        if lower.hasSuffix(".eml") { return true }
        var names = Set<String>()
        for line in lines {
            if line.trimmingSpaces().isEmpty { break }
            if line.first == " " || line.first == "\t" { continue }
            guard isHeaderLine(line), let colon = line.firstIndex(of: ":") else { return false }
            names.insert(line[..<colon].lowercased())
        }
        return names.contains("from") && !names.isDisjoint(with: ["subject", "date", "mime-version", "message-id", "to"])
    }

    /// True when the bytes open with a header field's name and its colon (`Received:`, `From:`).
    private static func startsWithHeaderName<C: Collection>(_ head: C) -> Bool where C.Element == UInt8 {
        var length = 0
        for byte in head {
            switch byte {
            case UInt8(ascii: ":"): return length > 0
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                length += 1
            default: return false
            }
        }
        return false
    }

    private static func isHeaderLine(_ line: Substring) -> Bool {
        guard let colon = line.firstIndex(of: ":"), colon > line.startIndex else { return false }
        return line[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// The message's tree. Throws `.tooLarge`/`.tooDeep` past the limits.
    public static func parse(_ bytes: [UInt8], limits: MIMELimits = MIMELimits()) throws -> MIMEPart {
        var parts = 0
        return try part(bytes[...], depth: 0, limits: limits, count: &parts)
    }

    private static func part(_ bytes: ArraySlice<UInt8>, depth: Int, limits: MIMELimits, count: inout Int) throws -> MIMEPart {
        count += 1
        guard count <= limits.maxParts else {
            throw SluiceError(.tooLarge, "the message has more than \(limits.maxParts) MIME parts (unpack.max_mime_parts)")
        }
        let (headers, body) = try split(bytes, limits: limits)
        var result = MIMEPart(headers: headers, body: body, parts: [])
        let type = result.contentType
        guard type.hasPrefix("multipart/"), let boundary = result.contentTypeParameter("boundary"), !boundary.isEmpty else {
            return result
        }
        guard depth < limits.maxDepth else {
            throw SluiceError(.tooDeep, "MIME parts nest deeper than \(limits.maxDepth) levels (unpack.max_mime_depth)")
        }
        for section in sections(body, boundary: Array(("--" + boundary).utf8)) {
            result.parts.append(try part(section, depth: depth + 1, limits: limits, count: &count))
        }
        return result
    }

    /// Headers (unfolded) and the body after the first empty line.
    private static func split(_ bytes: ArraySlice<UInt8>, limits: MIMELimits) throws -> ([(name: String, value: String)], ArraySlice<UInt8>) {
        var headers: [(name: String, value: String)] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lineEnd = bytes[index...].firstIndex(of: 0x0A) ?? bytes.endIndex
            var line = bytes[index..<lineEnd]
            if line.last == 0x0D { line = line.dropLast() }
            let next = lineEnd < bytes.endIndex ? lineEnd + 1 : lineEnd
            if line.isEmpty { return (headers, bytes[next...]) }
            let text = String(decoding: line, as: UTF8.self)
            if (line.first == 0x20 || line.first == 0x09), !headers.isEmpty {
                headers[headers.count - 1].value += " " + text.trimmingSpaces()
            } else if let colon = text.firstIndex(of: ":") {
                guard headers.count < limits.maxHeaders else {
                    throw SluiceError(.tooLarge, "a MIME part has more than \(limits.maxHeaders) header lines")
                }
                headers.append((String(text[..<colon]).trimmingSpaces(), text[text.index(after: colon)...].trimmingSpaces()))
            } else {
                // Not a header: the headers ended without an empty line; this is body.
                return (headers, bytes[index...])
            }
            index = next
        }
        return (headers, bytes[bytes.endIndex...])
    }

    /// The sections between `--boundary` lines, up to `--boundary--`; the preamble is dropped.
    private static func sections(_ body: ArraySlice<UInt8>, boundary: [UInt8]) -> [ArraySlice<UInt8>] {
        var sections: [ArraySlice<UInt8>] = []
        var start: Int?
        var index = body.startIndex
        while index < body.endIndex {
            let lineEnd = body[index...].firstIndex(of: 0x0A) ?? body.endIndex
            let line = body[index..<lineEnd]
            if line.starts(with: boundary) {
                let rest = line.dropFirst(boundary.count)
                let closing = rest.starts(with: [0x2D, 0x2D])
                if rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) || closing {
                    if let start {
                        // The line break before the boundary belongs to the boundary.
                        var end = index
                        if end > start, body[end - 1] == 0x0A { end -= 1 }
                        if end > start, body[end - 1] == 0x0D { end -= 1 }
                        sections.append(body[start..<end])
                    }
                    if closing { return sections }
                    start = lineEnd < body.endIndex ? lineEnd + 1 : lineEnd
                }
            }
            index = lineEnd < body.endIndex ? lineEnd + 1 : lineEnd
        }
        if let start, start < body.endIndex { sections.append(body[start...]) }
        return sections
    }
}
