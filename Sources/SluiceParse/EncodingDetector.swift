import Foundation
import SluiceCore

/// How the XML reader should be fed: the bytes as they are (libxml2 decodes
/// them from the BOM or declaration) or bytes already converted to UTF-8.
struct XMLInput {
    /// UTF-8 bytes made by Sluice; nil means "give libxml2 the original bytes".
    var converted: [UInt8]?
    /// The encoding name for `ParsedDocument.encoding`, when Sluice decided it.
    var encoding: String?
    /// The declared encoding (lower-cased), if any.
    var declared: String?
}

/// Decides a document's encoding: BOM, then XML declaration or meta charset,
/// then UTF-8, then the Windows-1252 fallback.
enum EncodingDetector {
    /// Labels that mean "single-byte Western": decoded as Windows-1252, the
    /// superset real files labelled ISO-8859-1 or ASCII actually use.
    static let westernLabels: Set<String> = [
        "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252",
        "x-cp1252", "iso_8859-1",
    ]

    // MARK: XML

    static func xmlInput(_ bytes: [UInt8]) -> XMLInput {
        if bytes.starts(with: [0xFF, 0xFE]) { return XMLInput(converted: nil, encoding: "UTF-16LE", declared: nil) }
        if bytes.starts(with: [0xFE, 0xFF]) { return XMLInput(converted: nil, encoding: "UTF-16BE", declared: nil) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return XMLInput(converted: nil, encoding: "UTF-8", declared: "utf-8") }
        if bytes.starts(with: [0x3C, 0x00]) { return XMLInput(converted: nil, encoding: "UTF-16LE", declared: nil) }
        if bytes.starts(with: [0x00, 0x3C]) { return XMLInput(converted: nil, encoding: "UTF-16BE", declared: nil) }
        let declared = xmlDeclaredEncoding(bytes)
        if let declared, westernLabels.contains(declared) {
            // Pure ASCII reads the same under any of these labels: libxml2 can take it as it is.
            if !bytes.contains(where: { $0 >= 0x80 }) {
                return XMLInput(converted: nil, encoding: "ISO-8859-1", declared: declared)
            }
            // libxml2 would decode ISO-8859-1 literally and turn 0x80-0x9F into C1 controls.
            let hasC1 = bytes.contains { $0 >= 0x80 && $0 <= 0x9F }
            return XMLInput(
                converted: CP1252.toUTF8(bytes, strict: false), encoding: hasC1 ? "windows-1252" : "ISO-8859-1",
                declared: declared)
        }
        if declared == nil || declared == "utf-8" || declared == "utf8" {
            return XMLInput(converted: nil, encoding: "UTF-8", declared: declared)
        }
        // Any other declaration (UTF-16 without BOM, Shift_JIS, ...): libxml2 converts it.
        return XMLInput(converted: nil, encoding: nil, declared: declared)
    }

    /// The `encoding` pseudo-attribute of an ASCII-compatible XML declaration, lower-cased.
    static func xmlDeclaredEncoding(_ bytes: [UInt8]) -> String? {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard bytes[start...].starts(with: Array("<?xml".utf8)) else { return nil }
        let end = bytes[start..<min(bytes.count, start + 256)].firstIndex(of: UInt8(ascii: ">")) ?? min(bytes.count, start + 256)
        let declaration = bytes[start..<end]
        let key = Array("encoding".utf8)
        guard var i = declaration.indices.first(where: { declaration[$0...].starts(with: key) }) else { return nil }
        i += key.count
        while i < end, bytes[i] == 0x20 || bytes[i] == UInt8(ascii: "=") || bytes[i] == 0x09 { i += 1 }
        guard i < end, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else { return nil }
        let quote = bytes[i]
        let valueStart = i + 1
        guard let valueEnd = bytes[valueStart..<end].firstIndex(of: quote), valueEnd > valueStart else { return nil }
        return String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self).lowercased()
    }

    /// The Windows-1252 reading of bytes that are not valid UTF-8, when it is
    /// plausible text: every byte defined, and high bytes isolated or in pairs
    /// (accented letters, curly quotes), not the long runs of random high bytes
    /// that broken UTF-8 or binary garbage show.
    static func plausibleCP1252(_ bytes: [UInt8]) -> [UInt8]? {
        var run = 0
        for byte in bytes {
            if byte >= 0x80 {
                run += 1
                if run >= 3 { return nil }
            } else {
                run = 0
            }
        }
        return CP1252.toUTF8(bytes, strict: true)
    }

    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }

    // MARK: HTML

    /// HTML bytes as UTF-8 for libxml2's HTML parser, and the encoding used:
    /// BOM, then meta charset, then UTF-8 when valid, else Windows-1252.
    static func htmlToUTF8(_ bytes: [UInt8], name: String) throws -> ([UInt8], String) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let body = Array(bytes.dropFirst(3))
            if isValidUTF8(body) { return (body, "UTF-8") }
            return (CP1252.toUTF8(body, strict: false) ?? [], "windows-1252")
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            return (try utf16ToUTF8(Array(bytes.dropFirst(2)), littleEndian: little, name: name), little ? "UTF-16LE" : "UTF-16BE")
        }
        let declared = htmlDeclaredCharset(bytes)
        if let declared, westernLabels.contains(declared) {
            return (CP1252.toUTF8(bytes, strict: false) ?? [], "windows-1252")
        }
        if isValidUTF8(bytes) { return (bytes, "UTF-8") }
        // Declared UTF-8 (or nothing) but not UTF-8: legacy pages are Windows-1252.
        return (CP1252.toUTF8(bytes, strict: false) ?? [], "windows-1252")
    }

    /// `<meta charset=...>` or `<meta http-equiv content="...; charset=...">` in the first 4 KB, lower-cased.
    /// Read on bytes (a lower-cased String and Foundation's search cost ~650,000 instructions a page):
    /// labels are ASCII, so a label running into a byte over 0x7F is no label this detector knows, and
    /// nil is the answer, as it is for none.
    static func htmlDeclaredCharset(_ bytes: [UInt8]) -> String? {
        let head = bytes.prefix(4096)
        let key = Array("charset=".utf8)
        guard let at = head.indices.first(where: { head[$0...].starts(with: key) { ASCIIByte.lowercased($0) == $1 } }) else {
            return nil
        }
        var i = at + key.count
        while i < head.endIndex, head[i] == UInt8(ascii: "\"") || head[i] == UInt8(ascii: "'") || head[i] == 0x20 { i += 1 }
        let start = i
        while i < head.endIndex, ASCIIByte.isAlphanumeric(head[i]) || head[i] == UInt8(ascii: "-") || head[i] == UInt8(ascii: "_") {
            i += 1
        }
        if i < head.endIndex, head[i] >= 0x80 { return nil }
        return i == start ? nil : String(decoding: head[start..<i], as: UTF8.self).lowercased()
    }

    static func utf16ToUTF8(_ bytes: [UInt8], littleEndian: Bool, name: String) throws -> [UInt8] {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = 0
        while i + 1 < bytes.count {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(littleEndian ? (b << 8 | a) : (a << 8 | b))
            i += 2
        }
        guard let s = String(validating: units, as: UTF16.self) else {
            throw SluiceError(.encoding, "the UTF-16 text holds unpaired surrogates", item: name)
        }
        return Array(s.utf8)
    }
}
