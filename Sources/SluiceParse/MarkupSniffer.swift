import SluiceCore

/// Decides XML or HTML for the parser. `ContentSniffer` (SluiceCore) only has to tell
/// the unpack stage archive, document or other from a prefix; here the prologue, the
/// doctype and the first element decide between the two document kinds, plain text
/// under a document name keeps its lines, and the name only breaks ties.
enum MarkupSniffer {
    /// Element names that only start an HTML page (or an HTML fragment saved on its own).
    static let htmlStarts: Set<String> = [
        "html", "head", "body", "div", "p", "table", "span", "a", "font", "center", "form", "script", "style", "meta",
        "link", "title", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "br", "b", "i", "img", "pre", "frameset",
    ]

    static func kind(name: String, bytes: [UInt8]) -> ContentKind {
        // Markup from the first byte (the common case) decides from the prologue
        // and first element, byte by byte, without the archive sniff.
        if let quick = leadingMarkup(bytes, name: name) { return quick }
        let first = ContentSniffer.kind(name: name, prefix: bytes)
        guard first == .xml || first == .html else { return first }
        // UTF-16 input is XML here unless the first cut saw HTML; its ASCII scan below would be wrong.
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.first == 0 || bytes.dropFirst().first == 0 {
            return first
        }
        // No markup at all (plain text under an HTML or XML name): the name decides.
        if !PlainTextReader.hasMarkup(bytes) { return first }
        let head = bytes.prefix(4096)
        var i = head.startIndex
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { i += 3 }
        var sawXMLDeclaration = false
        while i < head.endIndex {
            let b = head[i]
            if b != UInt8(ascii: "<") { i += 1; continue }
            let rest = head[(i + 1)...]
            if rest.first == UInt8(ascii: "?") {
                if rest.starts(with: Array("?xml ".utf8)) { sawXMLDeclaration = true }
            } else if rest.first == UInt8(ascii: "!") {
                let decl = String(decoding: rest.prefix(40), as: UTF8.self).lowercased()
                if decl.hasPrefix("!doctype html") { return .html }
            } else if let c = rest.first, ASCIIByte.isLetter(c) {
                let nameBytes = rest.prefix { $0 != 0x20 && $0 != UInt8(ascii: ">") && $0 != UInt8(ascii: "/") && $0 > 0x0D }
                let element = String(decoding: nameBytes, as: UTF8.self)
                if element.lowercased() == "html" { return .html }
                // An XML declaration means XML even when the root is called <title> or <p>.
                if !sawXMLDeclaration, htmlStarts.contains(element.lowercased()) {
                    return isHTMLName(name) || first == .html ? .html : .xml
                }
                return .xml
            }
            i += 1
        }
        return first
    }

    /// XML or HTML when the bytes (after a UTF-8 BOM and white space) start with
    /// markup whose prologue or first element decides; nil to look closer.
    private static func leadingMarkup(_ bytes: [UInt8], name: String) -> ContentKind? {
        let limit = min(bytes.count, 65_536)
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        func skipSpace() { while i < limit, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 } }
        func skip(past terminator: [UInt8]) {
            while i < limit, !bytes[i...].starts(with: terminator) { i += 1 }
            i += terminator.count
        }
        func lowercasedName(at start: Int) -> String {
            var end = start
            while end < limit, isNameByte(bytes[end]) { end += 1 }
            return String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
        }
        var sawXMLDeclaration = false
        skipSpace()
        while i + 1 < limit, bytes[i] == UInt8(ascii: "<") {
            let next = bytes[i + 1]
            if next == UInt8(ascii: "?") {
                if bytes[i...].starts(with: Array("<?xml".utf8)) { sawXMLDeclaration = true }
                skip(past: Array("?>".utf8))
            } else if bytes[i...].starts(with: Array("<!--".utf8)) {
                skip(past: Array("-->".utf8))
            } else if next == UInt8(ascii: "!") {
                guard lowercasedName(at: i + 2) == "doctype" else { return nil }
                i += 9
                skipSpace()
                if lowercasedName(at: i) == "html" { return .html }
                // Past the doctype, including an internal subset in brackets.
                while i < limit, bytes[i] != UInt8(ascii: ">"), bytes[i] != UInt8(ascii: "[") { i += 1 }
                if i < limit, bytes[i] == UInt8(ascii: "[") { skip(past: Array("]".utf8)) }
                skip(past: Array(">".utf8))
            } else if ASCIIByte.isLetter(next) {
                let element = lowercasedName(at: i + 1)
                if element == "html" { return .html }
                // An XML declaration means XML even when the root is called <title> or <p>.
                if !sawXMLDeclaration, htmlStarts.contains(element) { return isHTMLName(name) ? .html : nil }
                return .xml
            } else {
                return nil
            }
            skipSpace()
        }
        return nil
    }

    private static func isNameByte(_ c: UInt8) -> Bool {
        ASCIIByte.isAlphanumeric(c) || c == UInt8(ascii: ":") || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
            || c == UInt8(ascii: ".")
    }

    private static func isHTMLName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return [".html", ".htm", ".shtml"].contains { lower.hasSuffix($0) }
    }
}
