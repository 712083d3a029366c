import SluiceCore

/// A page saved under an HTML name that holds no markup at all (the corpus has
/// a GPO bill rendered to plain text as `.html`). Its line structure is its
/// only structure, so lines are kept as lines rather than letting the HTML
/// parser fold the whole file into one paragraph.
enum PlainTextReader {
    /// `utf8` is the already-decoded text.
    static func read(_ utf8: [UInt8], name: String, encoding: String, limits: ParseLimits) throws -> ParsedDocument {
        let text = try lines(utf8, name: name, limits: limits)
        guard !text.isEmpty else { throw SluiceError(.noText, "the document has no text", item: name) }
        let title = text.prefix { $0 != "\n" }
        return ParsedDocument(mediaType: .html, encoding: encoding, title: String(title.prefix(200)), text: text)
    }

    /// Plain text as Sluice keeps all text: one line per non-blank line, white space
    /// collapsed inside lines, no control characters. Also the text of PDF pages and
    /// e-mail bodies.
    static func lines(_ utf8: [UInt8], name: String, limits: ParseLimits) throws -> String {
        var builder = TextBuilder(limit: limits.maxTextCharacters, reserve: utf8.count)
        var line: [UInt8] = []
        func flush() {
            line.append(0)
            line.withUnsafeBufferPointer { if let base = $0.baseAddress { builder.append(base) } }
            builder.breakLine()
            line.removeAll(keepingCapacity: true)
        }
        for byte in utf8 {
            if byte == 0x0A || byte == 0x0D || byte == 0x0C { flush() } else if byte != 0 { line.append(byte) }
        }
        flush()
        if builder.overflowed {
            throw SluiceError(.tooLarge, "the text passes \(limits.maxTextCharacters) characters (ParseLimits.maxTextCharacters)", item: name)
        }
        return builder.finish()
    }

    /// Whether the first 4 KB hold a tag (`<name` then space, `>` or `/`), an end
    /// tag, a comment or doctype, or a declaration. `<https://...>` in prose is not one.
    static func hasMarkup(_ bytes: [UInt8]) -> Bool {
        let head = Array(bytes.prefix(4096))
        var i = 0
        while i + 1 < head.count {
            defer { i += 1 }
            guard head[i] == UInt8(ascii: "<") else { continue }
            let next = head[i + 1]
            if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") || next == UInt8(ascii: "/") { return true }
            var j = i + 1
            while j < head.count, ASCIIByte.isAlphanumeric(head[j]), j - i <= 12 { j += 1 }
            guard j > i + 1, j < head.count, ASCIIByte.isLetter(next) else { continue }
            let end = head[j]
            if end == 0x20 || end == 0x0A || end == 0x0D || end == 0x09 || end == UInt8(ascii: ">") || end == UInt8(ascii: "/") {
                return true
            }
        }
        return false
    }

}
