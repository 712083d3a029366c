/// Decides what a member is from its first bytes (and, failing that, its name):
/// the corpus holds `.xml.xml`, `.XML`, HTML saved as `.xml`, and archives
/// under misleading names.
public enum ContentKind: String, Sendable {
    case zip, gzip, tar
    case xml, html, pdf
    /// An e-mail message (decided by the unpack stage, which knows MIME).
    case email
    /// Anything else (csv, doc, xls, binary).
    case other
}

public enum ContentSniffer {
    /// The kind of a member, from its leading bytes first and its name second.
    public static func kind<C: Collection>(name: String, prefix: C) -> ContentKind where C.Element == UInt8 {
        let head = Array(prefix.prefix(1024))
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if head.starts(with: [0x1F, 0x8B]) { return .gzip }
        if head.count >= 262, Array(head[257..<262]) == Array("ustar".utf8) { return .tar }
        if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if let markup = markupKind(head) { return markup }
        let lower = name.lowercased()
        if lower.hasSuffix(".tar") { return .tar }
        if lower.hasSuffix(".zip") { return .zip }
        if lower.hasSuffix(".gz") || lower.hasSuffix(".tgz") { return .gzip }
        if [".xml", ".xhtml", ".rss", ".atom"].contains(where: lower.hasSuffix) { return .xml }
        if [".html", ".htm", ".shtml"].contains(where: lower.hasSuffix) { return .html }
        return .other
    }

    /// XML or HTML when the bytes start, after a BOM and white space, with markup.
    static func markupKind(_ head: [UInt8]) -> ContentKind? {
        var bytes = head
        // UTF-16: drop every other NUL so the ASCII markup can be recognized.
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            bytes = Array(bytes.dropFirst(2)).filter { $0 != 0 }
        } else if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes = Array(bytes.dropFirst(3))
        } else if bytes.count >= 2, bytes[0] == 0x3C, bytes[1] == 0 {
            bytes = bytes.filter { $0 != 0 }
        } else if bytes.count >= 2, bytes[0] == 0, bytes[1] == 0x3C {
            bytes = bytes.filter { $0 != 0 }
        }
        let text = String(decoding: bytes.prefix(512), as: UTF8.self).lowercased()
        let trimmed = text.drop(while: { $0.isWhitespace })
        guard trimmed.first == "<" else { return nil }
        // The tests below look for ASCII in the lowercased text's UTF-8: searching Characters
        // through _StringProcessing cost 1.3% of a run for these few hundred bytes.
        let utf8 = Array(trimmed.utf8)
        if ByteSearch.range(of: Array("<!doctype html".utf8), in: utf8) != nil || hasTag(utf8, "html") {
            return .html
        }
        // A bare <head> or <body> means HTML only without an XML declaration: the eCFR
        // (declared XML) has its own <BODY> and <HEAD> elements.
        if !trimmed.hasPrefix("<?xml"), hasTag(utf8, "head") || hasTag(utf8, "body") {
            return .html
        }
        return .xml
    }

    /// Whether `text` opens an element with exactly this name: `<head>` or `<head ...>`, not the
    /// CFR's `<HEADING>` or the eCFR's `<HEADER>`, which are XML.
    private static func hasTag(_ text: [UInt8], _ name: String) -> Bool {
        let tag = Array("<\(name)".utf8)
        var from = 0
        while let end = ByteSearch.range(of: tag, in: text, from: from)?.upperBound {
            guard end < text.count else { return true }
            switch text[end] {
            case UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: " "), 0x09...0x0D: return true
            default: from = end
            }
        }
        return false
    }
}
