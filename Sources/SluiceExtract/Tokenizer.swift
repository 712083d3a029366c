/// A word, number or punctuation mark of the document text, with its
/// Unicode-scalar offsets. Words carry a hash of their lower-cased form, so
/// the extractors compare words without building strings.
struct Token: Sendable {
    enum Kind: UInt8, Sendable { case word, number, punct, newline }

    // Stored properties in this order (Swift lays them out as declared): the five 8-byte fields first, then
    // the kind and the flags, one byte each, so a token takes 56 bytes, not the 64 it took with the flags
    // between the 8-byte fields. (Packing the flags into one byte's bits made it 48 bytes, but every test of
    // a flag a bit operation: 1.7% more instructions in the extractors, and no faster.)
    var start: Int
    var end: Int
    /// FNV-1a hash of the lower-cased word (dots of "U.S." dropped, "&" as "and");
    /// for punctuation, the scalar's value.
    var key: UInt64
    /// Hash of the word exactly as written (for case-sensitive acronyms).
    var rawKey: UInt64
    /// The parsed value of a number token (any length of digits: may be huge or infinite).
    var number: Double = 0
    var kind: Kind
    /// First letter upper case.
    var capitalized = false
    /// Two or more letters, all upper case ("ICE", "FOIA").
    var allCaps = false
    /// Two or more upper-case letters, whatever the rest ("ICE", "McAllen", "FOIAonline").
    var multipleUpper = false
    /// Written with dots between letters ("U.S.", "D.D.C.").
    var dotted = false
    /// Followed by "'s" / "’s" (not part of the token).
    var possessive = false
    /// Contains a lower-case letter.
    var hasLower = false
    /// Contains a digit.
    var hasDigit = false
    /// Part of a URL or e-mail address: never an entity.
    var inAddress = false
    /// A number written with thousands separators or a decimal point.
    var formatted = false

    init(start: Int, end: Int, kind: Kind, key: UInt64, rawKey: UInt64) {
        self.start = start
        self.end = end
        self.key = key
        self.rawKey = rawKey
        self.kind = kind
    }

    /// The number as an integer, or nil when it is not finite or too large for any date,
    /// count or identifier: `Int(number)` on a hostile digit run would trap.
    var integer: Int? { number.isFinite && number.magnitude < 1e15 ? Int(number) : nil }
}

/// Splits the document's scalars into tokens in one pass.
enum Tokenizer {
    static func tokenize(_ s: [Unicode.Scalar]) -> [Token] {
        var tokens: [Token] = []
        // Room for a token every scalar, the most there can be (a token takes at least one): a number table of
        // one-digit lines ("0\n0\n1\n") has that density, and growing the array copied every token made so far.
        // Capacity not used is never touched, but counts against a child's address-space limit: past a million
        // scalars (56 MB of tokens), room for a token every second scalar, the density of most number tables.
        tokens.reserveCapacity(s.count <= 1 << 20 ? s.count : s.count / 2 + 8)
        var i = 0
        let n = s.count
        var chunkStart = 0 // first token of the current whitespace-delimited chunk
        var chunkIsAddress = false
        func closeChunk() {
            if chunkIsAddress {
                for t in chunkStart..<tokens.count { tokens[t].inAddress = true }
            }
            chunkStart = tokens.count
            chunkIsAddress = false
        }
        while i < n {
            let c = s[i]
            if c == "\n" {
                closeChunk()
                tokens.append(Token(start: i, end: i + 1, kind: .newline, key: 10, rawKey: 10))
                chunkStart = tokens.count
                i += 1
                continue
            }
            if c == " " || c == "\t" || c == "\r" || (c.value >= 128 && c.properties.isWhitespace) {
                closeChunk()
                i += 1
                continue
            }
            if c.value < 128, (c >= "0" && c <= "9") {
                let (token, next) = number(s, i)
                // "15th", "2015R", "3d": a word with digits, not a number.
                if next < n, isLetter(s[next]) {
                    let t = word(s, i, through: next, extending: true)
                    tokens.append(t)
                    i = t.end
                } else {
                    tokens.append(token)
                    i = next
                }
                continue
            }
            if isLetter(c) {
                // Dotted abbreviations: "U.S.", "D.D.C.", "S.D." become one token.
                if i + 1 < n, s[i + 1] == ".", let dottedEnd = dottedAbbreviation(s, i) {
                    var t = word(s, i, through: dottedEnd, extending: false, skipping: ".")
                    t.dotted = true
                    tokens.append(t)
                    i = dottedEnd
                    continue
                }
                var t = word(s, i, through: i, extending: true)
                var j = t.end
                // Possessive "'s": mark the word, skip the suffix.
                if j + 1 < n, s[j] == "'" || s[j] == "\u{2019}", s[j + 1] == "s" || s[j + 1] == "S",
                   j + 2 >= n || !isLetter(s[j + 2]) {
                    t.possessive = true
                    j += 2
                }
                tokens.append(t)
                i = j
                continue
            }
            if c == "@" || (c == "/" && i + 1 < n && s[i + 1] == "/") { chunkIsAddress = true }
            if c == ".", i + 1 < n, isLetter(s[i + 1]), let last = tokens.last, last.end == i, last.kind == .word,
               domainSuffix(s, i + 1) {
                chunkIsAddress = true
            }
            if c == "&" {
                tokens.append(Token(start: i, end: i + 1, kind: .word, key: Keys.and, rawKey: Keys.and))
            } else {
                tokens.append(Token(start: i, end: i + 1, kind: .punct, key: UInt64(c.value), rawKey: UInt64(c.value)))
            }
            i += 1
        }
        closeChunk()
        return tokens
    }

    @inline(__always) static func isLetter(_ c: Unicode.Scalar) -> Bool {
        if c.value < 128 { return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }
        return c.properties.isAlphabetic
    }

    @inline(__always) static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    /// Upper case, answered for ASCII without a Unicode property lookup.
    @inline(__always) static func isUpper(_ c: Unicode.Scalar) -> Bool {
        c.value < 128 ? (c >= "A" && c <= "Z") : c.properties.isUppercase
    }

    /// "gov", "com", "org", "net", "edu", "mil", "htm(l)" after a dot: a web address.
    private static func domainSuffix(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
        var j = i
        var key = Keys.offset
        while j < s.count, isLetter(s[j]) {
            key = Keys.mix(key, lower(s[j]))
            j += 1
        }
        return Keys.domains.contains(key)
    }

    /// End of "X.Y." (two or more single letters each followed by a dot), or nil.
    private static func dottedAbbreviation(_ s: [Unicode.Scalar], _ i: Int) -> Int? {
        var j = i
        var letters = 0
        while j + 1 < s.count, isLetter(s[j]), s[j + 1] == "." {
            letters += 1
            j += 2
        }
        return letters >= 2 ? j : nil
    }

    /// The word token of `s[a..<b]` and, when `extending`, of the letters and digits that follow:
    /// the word is found, hashed and classified in one pass over its scalars.
    // Inlined: called for every word, and the compiler's own choice (inlined or not) turned on its size.
    @inline(__always) private static func word(
        _ s: [Unicode.Scalar], _ a: Int, through b: Int, extending: Bool, skipping: Unicode.Scalar? = nil
    ) -> Token {
        var key = Keys.offset
        var raw = Keys.offset
        var upper = 0
        var lowerCount = 0
        var digit = false
        var k = a
        let limit = extending ? s.count : b
        while k < limit {
            let c = s[k]
            let v = c.value
            if v < 128 {
                // ASCII: the class found here also gives the lower-case value (`lower` for ASCII).
                var lowered = v
                if c >= "A" && c <= "Z" {
                    upper += 1
                    lowered = v + 32
                } else if c >= "a" && c <= "z" {
                    lowerCount += 1
                } else if isDigit(c) {
                    digit = true
                } else if k >= b {
                    break // past `b`, the word ends at the first scalar that is no letter or digit
                } else if c == skipping {
                    k += 1
                    continue
                }
                raw = Keys.mix(raw, v)
                key = Keys.mix(key, lowered)
            } else {
                if k >= b, !c.properties.isAlphabetic { break }
                if c.properties.isUppercase { upper += 1 } else if c.properties.isLowercase { lowerCount += 1 }
                raw = Keys.mix(raw, v)
                key = Keys.mix(key, lower(c))
            }
            k += 1
        }
        var t = Token(start: a, end: k, kind: .word, key: key, rawKey: raw)
        let first = s[a]
        t.capitalized = isUpper(first)
        t.allCaps = upper >= 2 && lowerCount == 0
        t.multipleUpper = upper >= 2
        t.hasDigit = digit
        t.hasLower = lowerCount > 0
        return t
    }

    @inline(__always) static func lower(_ c: Unicode.Scalar) -> UInt32 {
        if c.value < 128 { return (c >= "A" && c <= "Z") ? c.value + 32 : c.value }
        if c.properties.changesWhenLowercased, let l = c.properties.lowercaseMapping.unicodeScalars.first { return l.value }
        return c.value
    }

    /// Digits with thousands separators and a decimal part: "3,600", "1.2", "400.00".
    // Inlined: returned through memory, the token was written field by field and read back
    // whole, a store-forwarding stall on every number.
    @inline(__always) private static func number(_ s: [Unicode.Scalar], _ a: Int) -> (Token, Int) {
        let n = s.count
        var j = a
        var intPart: Double = 0
        var formatted = false
        // The key hashes every scalar of the number as written, mixed in as each is read.
        var key = Keys.offset
        while j < n, isDigit(s[j]) {
            intPart = intPart * 10 + Double(s[j].value - 48)
            key = Keys.mix(key, s[j].value)
            j += 1
        }
        // Thousands groups: ",ddd" not followed by another digit.
        while j + 3 < n, s[j] == ",", isDigit(s[j + 1]), isDigit(s[j + 2]), isDigit(s[j + 3]), j + 4 >= n || !isDigit(s[j + 4]) {
            key = Keys.mix(key, s[j].value)
            for k in (j + 1)...(j + 3) {
                intPart = intPart * 10 + Double(s[k].value - 48)
                key = Keys.mix(key, s[k].value)
            }
            j += 4
            formatted = true
        }
        var value = intPart
        if j + 1 < n, s[j] == ".", isDigit(s[j + 1]) {
            // Accumulate the decimals as an integer and divide once, so "293.93" is 293.93, not 293.92999999999995.
            var fraction: Double = 0
            var scale: Double = 1
            key = Keys.mix(key, s[j].value)
            j += 1
            while j < n, isDigit(s[j]) {
                fraction = fraction * 10 + Double(s[j].value - 48)
                scale *= 10
                key = Keys.mix(key, s[j].value)
                j += 1
            }
            value = (intPart * scale + fraction) / scale
            formatted = true
        }
        var t = Token(start: a, end: j, kind: .number, key: key, rawKey: key)
        t.number = value
        t.formatted = formatted
        t.hasDigit = true
        return (t, j)
    }
}
