import SluiceCore

/// Content-Transfer-Encodings and the encodings inside header words, decoded leniently
/// (bytes that do not belong are skipped, as mail readers do).
public enum TransferEncoding {
    public static func base64<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            let value: UInt8
            switch byte {
            case 0x41...0x5A: value = byte - 0x41
            case 0x61...0x7A: value = byte - 0x61 + 26
            case 0x30...0x39: value = byte - 0x30 + 52
            case 0x2B, 0x2D: value = 62
            case 0x2F, 0x5F: value = 63
            case 0x3D: return out  // padding: the end
            default: continue
            }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
                buffer &= (1 << UInt32(bits)) - 1
            }
        }
        return out
    }

    /// Quoted-printable (RFC 2045); `underscoreIsSpace` for the Q encoding of header words.
    public static func quotedPrintable<C: Collection>(_ bytes: C, underscoreIsSpace: Bool = false) -> [UInt8] where C.Element == UInt8 {
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = 0
        while i < input.count {
            let byte = input[i]
            if byte == 0x3D {
                if i + 2 < input.count, let high = hex(input[i + 1]), let low = hex(input[i + 2]) {
                    out.append(high << 4 | low)
                    i += 3
                    continue
                }
                // A soft line break: "=" at the end of a line.
                var j = i + 1
                while j < input.count, input[j] == 0x20 || input[j] == 0x09 { j += 1 }
                if j < input.count, input[j] == 0x0D { j += 1 }
                if j < input.count, input[j] == 0x0A {
                    i = j + 1
                    continue
                }
                if j >= input.count { break }
            }
            out.append(underscoreIsSpace && byte == 0x5F ? 0x20 : byte)
            i += 1
        }
        return out
    }

    static func percentDecoded(_ text: String) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x25, i + 2 < bytes.count, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2]) {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}

/// RFC 2047 encoded words in headers (`=?utf-8?B?...?=`, `=?iso-8859-1?Q?...?=`).
public enum EncodedWords {
    /// The header value with its encoded words decoded; UTF-8, Latin-1 and Windows-1252 words
    /// are converted, other charsets are read as Windows-1252 (never U+FFFD or controls).
    public static func decode(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        var out = ""
        var rest = Substring(value)
        var lastWasWord = false
        while let start = rest.firstRange(of: "=?") {
            let before = rest[..<start.lowerBound]
            let body = rest[start.upperBound...]
            let pieces = body.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard pieces.count == 4, pieces[3].hasPrefix("="), ["b", "q"].contains(pieces[1].lowercased()) else {
                out += before + "=?"
                rest = body
                lastWasWord = false
                continue
            }
            // White space between two encoded words is dropped (RFC 2047 section 6.2).
            if !(lastWasWord && before.allSatisfy({ $0 == " " || $0 == "\t" })) { out += before }
            let raw = Array(pieces[2].utf8)
            let bytes = pieces[1].lowercased() == "b" ? TransferEncoding.base64(raw)
                : TransferEncoding.quotedPrintable(raw, underscoreIsSpace: true)
            out += Charsets.decode(bytes, charset: String(pieces[0]))
            rest = pieces[3].dropFirst()
            lastWasWord = true
        }
        return out + rest
    }
}

/// Bytes in a declared charset to text: UTF-8 when the bytes are UTF-8 (whatever is declared,
/// the usual mislabel), else Windows-1252 for the Western single-byte labels and as a fallback.
public enum Charsets {
    public static func decode(_ bytes: [UInt8], charset: String?) -> String {
        let label = charset?.lowercased() ?? "us-ascii"
        if label == "utf-8" || label == "utf8" || label == "us-ascii" || label == "ascii" {
            if let text = String(validating: bytes, as: UTF8.self) { return text }
        } else if let text = String(validating: bytes, as: UTF8.self), !bytes.contains(where: { $0 >= 0x80 }) {
            return text
        }
        return windows1252(bytes)
    }

    /// Windows-1252 (a superset of the Latin-1 text mail calls ISO-8859-1); undefined bytes dropped.
    public static func windows1252(_ bytes: [UInt8]) -> String {
        String(decoding: CP1252.toUTF8(bytes, strict: false) ?? [], as: UTF8.self)
    }
}
