/// Decides a document's encoding and converts it to UTF-8 where libxml2 would guess wrong.
enum EncodingDetector {
    /// HTML: UTF-8 when the bytes are valid UTF-8, else Windows-1252 (the usual
    /// encoding of legacy agency pages that declare nothing).
    static func htmlToUTF8(_ bytes: [UInt8]) -> ([UInt8], String) {
        var body = bytes
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
        if String.validatingUTF8Bytes(body) { return (body, "UTF-8") }
        return (windows1252ToUTF8(body), "windows-1252")
    }

    static func windows1252ToUTF8(_ bytes: [UInt8]) -> [UInt8] {
        var out = String()
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else if (0x80...0x9F).contains(byte), let mapped = cp1252High[Int(byte - 0x80)] {
                out.unicodeScalars.append(mapped)
            } else {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return Array(out.utf8)
    }

    /// Windows-1252's 0x80-0x9F row; nil where the code page leaves a hole.
    static let cp1252High: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]
}

extension String {
    /// Whether `bytes` are valid UTF-8.
    init?(utf8Validating bytes: [UInt8]) {
        guard let s = String(validating: bytes, as: UTF8.self) else { return nil }
        self = s
    }

    static func validatingUTF8Bytes(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }
}
