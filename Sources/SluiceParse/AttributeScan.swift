import SluiceCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A linear pre-scan for start tags with absurd attribute counts, run on the
/// characters libxml2 will parse (after decoding), before it sees them.
///
/// libxml2 2.9's start-tag parsers (XML and HTML) check duplicate attributes
/// pairwise, so one element with 100,000 attributes costs 10^10 comparisons
/// (tens of seconds). The count is an upper bound of what libxml2 will parse:
/// an attribute starts after white space *or right after a closing quote*
/// (`a0="1"a1="1"` is two attributes to the HTML parser), so no spelling gets
/// more attributes past the scan than libxml2 would read.
enum AttributeScan {
    /// How markup characters sit in the bytes libxml2 decodes.
    enum Layout: Equatable {
        case asciiCompatible, utf16LE, utf16BE, utf32LE, utf32BE, ebcdic
    }

    /// The layout libxml2 itself will detect for XML bytes (BOM, then the first characters).
    static func xmlLayout(_ bytes: [UInt8]) -> Layout {
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || bytes.starts(with: [0x00, 0x00, 0x00, 0x3C]) { return .utf32BE }
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) || bytes.starts(with: [0x3C, 0x00, 0x00, 0x00]) { return .utf32LE }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0x3C, 0x00]) { return .utf16LE }
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0x00, 0x3C]) { return .utf16BE }
        if bytes.starts(with: [0x4C, 0x6F, 0xA7, 0x94]) { return .ebcdic }
        return .asciiCompatible
    }

    /// Throws `.tooLarge` when an element has more than `limit` attributes.
    ///
    /// `xml`: the bytes are XML that libxml2 reads as UTF-8 (or ASCII), so every 0x3C byte is a '<'
    /// character, and libxml2's XML start-tag parser ends a tag at the first '<' (one in an attribute
    /// value is a fatal error that ends the attribute list). A start tag then lies between its '<' and
    /// the next one, and each attribute takes at least four bytes (`a=""`): a stretch shorter than four
    /// bytes per allowed attribute is skipped whole. The HTML parser allows '<' in quoted values, so
    /// HTML is always scanned tag by tag.
    static func check(_ bytes: [UInt8], layout: Layout = .asciiCompatible, xml: Bool = false, limit: Int,
                      name: String) throws {
        let found: Bool
        switch layout {
        case .asciiCompatible: found = exceeds(bytes, limit: limit, skipShort: xml)
        default: found = exceeds(asciiView(bytes, layout), limit: limit)
        }
        if found {
            throw SluiceError(
                .tooLarge,
                "an element has over \(limit) attributes (parse.max_attributes_per_element); refused before parsing",
                item: name)
        }
    }

    /// Each character as one byte: ASCII kept, anything else 0x80 (a name character
    /// to the scan). Only for the rare UTF-16, UTF-32 and EBCDIC documents.
    private static func asciiView(_ bytes: [UInt8], _ layout: Layout) -> [UInt8] {
        func narrow(_ unit: UInt32) -> UInt8 { unit < 0x80 ? UInt8(unit) : 0x80 }
        var out: [UInt8] = []
        switch layout {
        case .utf16LE, .utf16BE:
            out.reserveCapacity(bytes.count / 2)
            var i = 0
            while i + 1 < bytes.count {
                let (a, b) = (UInt32(bytes[i]), UInt32(bytes[i + 1]))
                out.append(narrow(layout == .utf16LE ? a | b << 8 : a << 8 | b))
                i += 2
            }
        case .utf32LE, .utf32BE:
            out.reserveCapacity(bytes.count / 4)
            var i = 0
            while i + 3 < bytes.count {
                let (a, b, c, d) = (UInt32(bytes[i]), UInt32(bytes[i + 1]), UInt32(bytes[i + 2]), UInt32(bytes[i + 3]))
                out.append(narrow(layout == .utf32LE ? a | b << 8 | c << 16 | d << 24 : a << 24 | b << 16 | c << 8 | d))
                i += 4
            }
        case .ebcdic:
            out = bytes.map { ebcdicMarkup[Int($0)] }
        case .asciiCompatible:
            out = bytes
        }
        return out
    }

    /// EBCDIC (code page 037) markup characters as ASCII; everything else a name character.
    private static let ebcdicMarkup: [UInt8] = {
        var table = [UInt8](repeating: UInt8(ascii: "a"), count: 256)
        for (e, a) in [(0x40, " "), (0x05, "\t"), (0x25, "\n"), (0x15, "\n"), (0x0D, "\r"), (0x4C, "<"), (0x6E, ">"),
                       (0x7E, "="), (0x7F, "\""), (0x7D, "'"), (0x61, "/")] as [(Int, Unicode.Scalar)] {
            table[e] = UInt8(ascii: a)
        }
        return table
    }()

    private enum State { case tagName, between, name, afterEquals, unquoted, quoted }

    /// Runs on every document, so it is written for speed: `memchr` to the next '<' (with
    /// `skipShort`, see `check`, to the last '<' of each short stretch), then one pass over the
    /// tag with no bounds checks.
    private static func exceeds(_ bytes: [UInt8], limit: Int, skipShort: Bool = false) -> Bool {
        // A stretch from one '<' to the next shorter than this cannot hold more than `limit` XML attributes.
        let shortStretch = skipShort ? 4 * (limit + 1) : 0
        return bytes.withUnsafeBufferPointer { buffer in
            // Invariant: every read below is at an index < count of this buffer, which
            // stays alive (and unchanged) for the closure.
            guard let base = buffer.baseAddress else { return false }
            let count = buffer.count
            var i = 0
            while i < count {
                guard let found = memchr(base + i, 0x3C, count - i) else { return false }
                i = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                if shortStretch > 0 {
                    // The last '<' within `shortStretch` bytes of this one: every '<' up to it starts a
                    // stretch too short to matter (its next '<' is nearer than that), so the scan goes on
                    // from it; one look back over a few bytes, not one memchr per tag.
                    let start = i - 1
                    var last = min(count, start + shortStretch) - 1
                    while last > start, base[last] != 0x3C { last -= 1 }
                    if last > start {
                        i = last
                        continue
                    }
                    // No '<' that near: the stretch to the end of the bytes is short, or this tag is scanned.
                    if count - start < shortStretch { return false }
                }
                // A start tag: '<' then a name-start character (letter, '_', ':' or non-ASCII).
                guard i < count, isNameStart(base[i]) else { continue }
                var attributes = 0
                var state = State.tagName
                var quote: UInt8 = 0
                while i < count {
                    let b = base[i]
                    i += 1
                    if state == .quoted {
                        // A closing quote ends the attribute: whatever follows starts the next one.
                        if b == quote { state = .between }
                        continue
                    }
                    if b == UInt8(ascii: ">") { break }
                    if isSpace(b) {
                        if state != .afterEquals { state = .between }
                    } else if b == UInt8(ascii: "=") {
                        state = .afterEquals
                    } else if state == .afterEquals {
                        if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                            quote = b
                            state = .quoted
                        } else {
                            state = .unquoted
                        }
                    } else if state == .between, b != UInt8(ascii: "/") {
                        attributes += 1
                        if attributes > limit { return true }
                        state = .name
                    }
                }
            }
            return false
        }
    }

    @inline(__always) private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C
    }

    @inline(__always) private static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b >= 0x80
    }
}
