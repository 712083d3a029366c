import SluiceCore

/// A page saved under an HTML name that holds no markup at all (the corpus has
/// a GPO bill rendered to plain text as `.html`). Its line structure is its
/// only structure, so lines are kept as lines rather than letting the HTML
/// parser fold the whole file into one paragraph.
enum PlainTextReader {
    /// `utf8` is the already-decoded text.
    static func read(_ utf8: [UInt8], name: String, encoding: String, limits: ParseLimits) throws -> ParsedDocument {
        var builder = TextBuilder(limit: limits.maxTextCharacters, reserve: utf8.count)
        var line: [UInt8] = []
        func flush() {
            line.append(0)
            line.withUnsafeBufferPointer { if let base = $0.baseAddress { builder.append(base) } }
            builder.breakLine()
            line.removeAll(keepingCapacity: true)
        }
        for byte in utf8 {
            if byte == 0x0A { flush() } else if byte != 0 { line.append(byte) }
        }
        flush()
        if builder.overflowed {
            throw SluiceError(.tooLarge, "the text passes \(limits.maxTextCharacters) characters (ParseLimits.maxTextCharacters)", item: name)
        }
        let text = builder.finish()
        guard !text.isEmpty else { throw SluiceError(.noText, "the document has no text", item: name) }
        let title = text.prefix { $0 != "\n" }
        return ParsedDocument(mediaType: .html, encoding: encoding, title: String(title.prefix(200)), text: text)
    }

    /// Whether the first 4 KB hold any tag, comment, doctype or declaration.
    static func hasMarkup(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(4096)
        var previousWasOpen = false
        for b in head {
            if previousWasOpen {
                let letter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                if letter || b == UInt8(ascii: "!") || b == UInt8(ascii: "?") || b == UInt8(ascii: "/") { return true }
            }
            previousWasOpen = b == UInt8(ascii: "<")
        }
        return false
    }
}
