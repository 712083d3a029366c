/// Windows-1252, the code page legacy agency pages and mislabelled exports use.
public enum CP1252 {
    /// The character for a byte in 0x80-0x9F; nil for the five bytes the code page leaves undefined.
    public static func scalar(forHighByte byte: UInt8) -> Unicode.Scalar? {
        guard byte >= 0x80, byte <= 0x9F else { return Unicode.Scalar(byte) }
        return high[Int(byte - 0x80)]
    }

    /// Decodes Windows-1252 bytes to UTF-8. `strict` refuses undefined bytes
    /// (returns nil); otherwise they are dropped.
    public static func toUTF8(_ bytes: [UInt8], strict: Bool) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 {
                out.append(byte)
            } else if let scalar = scalar(forHighByte: byte) {
                if let encoded = UTF8.encode(scalar) { out.append(contentsOf: encoded) }
            } else if strict {
                return nil
            }
        }
        return out
    }

    /// Windows-1252's 0x80-0x9F row; nil where the code page leaves a hole.
    private static let high: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]
}
