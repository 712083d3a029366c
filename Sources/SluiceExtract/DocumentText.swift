import SluiceCore

/// A document's text as the extractors see it: its scalars (offsets are
/// indices into this array), its tokens, and per-line facts.
struct DocumentText: Sendable {
    let scalars: [Unicode.Scalar]
    let tokens: [Token]
    /// For each token, whether its line is written in capitals (a heading,
    /// where every word looks like an acronym).
    let capsLine: [Bool]
    /// For each token, the index of the next "(" token (or the token count).
    let nextParen: [Int]

    init(_ text: String) {
        scalars = DocumentText.decode(text)
        tokens = Tokenizer.tokenize(scalars)
        var caps = [Bool](repeating: false, count: tokens.count)
        var lineStart = 0
        var upper = 0
        var lower = 0
        // The next "(" of the tokens before each one is set as it is met, in the same pass (tokens after the
        // last keep the token count).
        var next = [Int](repeating: tokens.count, count: tokens.count + 1)
        var unmet = 0 // the first token whose next "(" is not met yet
        for i in 0...tokens.count {
            if i == tokens.count || tokens[i].kind == .newline {
                let isCaps = upper >= 3 && lower == 0
                if isCaps { for k in lineStart..<i { caps[k] = true } }
                lineStart = i + 1
                upper = 0
                lower = 0
                continue
            }
            let t = tokens[i]
            if t.kind == .word {
                if t.allCaps { upper += 1 } else if t.hasLower { lower += 1 }
            } else if t.kind == .punct && t.key == Keys.punct("(") {
                for k in unmet...i { next[k] = i }
                unmet = i + 1
            }
        }
        capsLine = caps
        nextParen = next
    }

    /// The text's scalars, decoded from its UTF-8 in one pass (faster than
    /// `Array(text.unicodeScalars)`, which walks the string twice).
    static func decode(_ text: String) -> [Unicode.Scalar] {
        var text = text
        return text.withUTF8 { utf8 in
            // Invariant: every scalar takes at least one byte, so at most utf8.count scalars are written
            // into the buffer, and exactly `initialized` of them are.
            [Unicode.Scalar](unsafeUninitializedCapacity: utf8.count) { out, initialized in
                var i = 0
                var count = 0
                let n = utf8.count
                let buffer = out // not replaced: a copy keeps its base in a register through the loop
                while i < n {
                    if i &+ 8 <= n, let base = utf8.baseAddress {
                        // Invariant: i + 8 <= n, so the eight bytes read lie inside `utf8`; and count <= i
                        // (no scalar takes less than a byte), so the eight scalars written fit `out`.
                        if ByteWord.isASCII(ByteWord.load(base, at: i)) {
                            // Eight ASCII bytes: eight scalars, with no test per byte (and no overflow test per
                            // index: count <= i < i + 8 <= n).
                            for k in 0..<8 { buffer[count &+ k] = Unicode.Scalar(utf8[i &+ k]) }
                            count &+= 8
                            i &+= 8
                            continue
                        }
                    }
                    let b = utf8[i]
                    if b < 0x80 {
                        out[count] = Unicode.Scalar(b)
                        count += 1
                        i += 1
                        continue
                    }
                    // A String's UTF-8 is valid, so the lead byte gives the length.
                    let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                    var v = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
                    for k in 1..<length where i + k < n { v = v << 6 | UInt32(utf8[i + k] & 0x3F) }
                    out[count] = Unicode.Scalar(v) ?? "\u{FFFD}"
                    count += 1
                    i += length
                }
                initialized = count
            }
        }
    }

    func string(_ start: Int, _ end: Int) -> String {
        // Encode straight into the new string's storage (no intermediate array; short strings are stored inline).
        var capacity = 0
        for k in start..<end { capacity += UTF8.width(scalars[k]) }
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var n = 0
            for k in start..<end {
                let v = scalars[k].value
                if v < 0x80 {
                    buffer[n] = UInt8(v)
                    n += 1
                } else {
                    UTF8.encode(scalars[k]) { byte in
                        buffer[n] = byte
                        n += 1
                    }
                }
            }
            return n
        }
    }

    /// The mention covering tokens `first...last`.
    func mention(_ first: Int, _ last: Int) -> Mention {
        let a = tokens[first].start
        let b = tokens[last].end
        return Mention(start: a, end: b, text: string(a, b))
    }

    /// The token's text as written.
    func word(_ i: Int) -> String { string(tokens[i].start, tokens[i].end) }

    /// Whether tokens i and i+1 touch (no space between them).
    func adjacent(_ i: Int) -> Bool { i + 1 < tokens.count && tokens[i].end == tokens[i + 1].start }

    func isPunct(_ i: Int, _ c: Unicode.Scalar) -> Bool {
        i >= 0 && i < tokens.count && tokens[i].kind == .punct && tokens[i].key == Keys.punct(c)
    }

    func isWord(_ i: Int, _ key: UInt64) -> Bool {
        i >= 0 && i < tokens.count && tokens[i].kind == .word && tokens[i].key == key
    }

    func isWord(_ i: Int, in set: KeySet) -> Bool {
        i >= 0 && i < tokens.count && tokens[i].kind == .word && set.contains(tokens[i].key)
    }

    private func isQuote(_ key: UInt64) -> Bool {
        key == Keys.punct("\"") || key == Keys.punct("\u{201C}") || key == Keys.punct("\u{201D}") || key == Keys.punct("'")
    }

    /// The text inside "(" ... ")" starting at token `open` when it is a short
    /// acronym-like designation ("ICE", "EFS-Web", "D.D.C."), with the index of ")".
    func parenthesizedAcronym(at open: Int) -> (text: String, first: Int, close: Int)? {
        guard isPunct(open, "(") else { return nil }
        var i = open + 1
        var uppers = 0
        while i < tokens.count, i <= open + 5 {
            if isPunct(i, ")") {
                // ("MPD"): quotation marks around the acronym are not part of it.
                var first = open + 1
                var last = i - 1
                while first < last, tokens[first].kind == .punct, isQuote(tokens[first].key) { first += 1 }
                while last > first, tokens[last].kind == .punct, isQuote(tokens[last].key) { last -= 1 }
                guard i > open + 1, uppers >= 2, tokens[first].kind == .word else { return nil }
                let text = string(tokens[first].start, tokens[last].end)
                if text.unicodeScalars.contains(" ") || text.unicodeScalars.count > 14 { return nil }
                return (text, first, i)
            }
            let t = tokens[i]
            if t.kind == .newline || t.kind == .number { return nil }
            if t.kind == .word {
                uppers += upperCount(t)
                if !t.allCaps && !t.dotted && uppers == 0 { return nil }
            }
            i += 1
        }
        return nil
    }

    /// How many of a token's scalars are upper case.
    func upperCount(_ t: Token) -> Int {
        var n = 0
        for k in t.start..<t.end where Tokenizer.isUpper(scalars[k]) { n += 1 }
        return n
    }
}
