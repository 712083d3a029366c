import SluiceCore

/// Decides XML or HTML from the content, refining `ContentSniffer`'s first cut
/// (which mistakes `<HEADER>`/`<HEADING>` in CFR XML for an HTML `<head>`):
/// the first element and the doctype decide, the name only breaks ties.
enum MarkupSniffer {
    /// Element names that only start an HTML page (or an HTML fragment saved on its own).
    static let htmlStarts: Set<String> = [
        "html", "head", "body", "div", "p", "table", "span", "a", "font", "center", "form", "script", "style", "meta",
        "link", "title", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "br", "b", "i", "img", "pre", "frameset",
    ]

    static func kind(name: String, bytes: [UInt8]) -> ContentKind {
        // Markup from the first byte (the common case) needs no archive sniffing;
        // a known XML root decides at once.
        if let quick = quickXML(bytes) { return quick }
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
            } else if let c = rest.first, (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) {
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

    /// `.xml` when the document starts with an XML declaration (after an
    /// optional UTF-8 BOM) and no HTML doctype or <html> follows in the first bytes.
    private static func quickXML(_ bytes: [UInt8]) -> ContentKind? {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard bytes.count > start + 6, bytes[start] == UInt8(ascii: "<"), bytes[start + 1] == UInt8(ascii: "?"),
            bytes[start + 2] == UInt8(ascii: "x"), bytes[start + 3] == UInt8(ascii: "m"), bytes[start + 4] == UInt8(ascii: "l")
        else { return nil }
        let head = bytes[start..<min(bytes.count, start + 1024)]
        for i in head.indices where head[i] == UInt8(ascii: "<") && i + 1 < head.endIndex {
            let c = head[i + 1] | 0x20
            if c == UInt8(ascii: "h") || head[i + 1] == UInt8(ascii: "!") { return nil }  // <html, <head, <!DOCTYPE: look closer
        }
        return .xml
    }

    private static func isHTMLName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return [".html", ".htm", ".shtml"].contains { lower.hasSuffix($0) }
    }
}
