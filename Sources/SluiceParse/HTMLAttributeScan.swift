import SluiceCore

/// A linear pre-scan of HTML bytes for elements with absurd attribute counts.
///
/// libxml2's HTML parser checks duplicate attributes pairwise, so one element
/// with 100,000 attributes costs 10^10 comparisons (~23 s). Counting attributes
/// first keeps that input from ever reaching the parser.
enum HTMLAttributeScan {
    static func check(_ bytes: [UInt8], limit: Int, name: String) throws {
        let count = bytes.count
        var i = 0
        while i < count {
            // Find the next start tag: '<' followed by an ASCII letter.
            guard bytes[i] == UInt8(ascii: "<"), i + 1 < count, isLetter(bytes[i + 1]) else {
                i += 1
                continue
            }
            i += 1
            var attributes = 0
            var inToken = true  // the tag name
            var quote: UInt8 = 0
            while i < count {
                let b = bytes[i]
                if quote != 0 {
                    if b == quote { quote = 0 }
                } else if b == UInt8(ascii: ">") {
                    break
                } else if (b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")) && i > 0 && bytes[i - 1] == UInt8(ascii: "=") {
                    quote = b
                } else if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                    inToken = false
                } else if !inToken {
                    if b != UInt8(ascii: "=") && b != UInt8(ascii: "/") {
                        attributes += 1
                        if attributes > limit {
                            throw SluiceError(
                                .tooLarge,
                                "an HTML element has over \(limit) attributes (ParseLimits.maxHTMLAttributesPerElement); refused before parsing",
                                item: name)
                        }
                    }
                    inToken = true
                }
                i += 1
            }
        }
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }
}
