/// Word hashes (FNV-1a over lower-cased scalars) and the fixed word lists the
/// extractors test tokens against. Computed once; tokens carry the same hash.
enum Keys {
    static let offset: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always) static func mix(_ h: UInt64, _ v: UInt32) -> UInt64 {
        (h ^ UInt64(v)) &* 0x0000_0100_0000_01b3
    }

    /// The key a token for this word would carry (lower-cased, dots dropped).
    static func of(_ word: String) -> UInt64 {
        var h = offset
        for c in word.unicodeScalars where c != "." { h = mix(h, Tokenizer.lower(c)) }
        return h
    }

    /// The case-sensitive key of a word as written.
    static func raw(_ word: String) -> UInt64 {
        var h = offset
        for c in word.unicodeScalars where c != "." { h = mix(h, c.value) }
        return h
    }

    static func set(_ words: [String]) -> KeySet { KeySet(words.map(of)) }

    static let and = of("and")
    static let the = of("the")
    static let of = of("of")
    static let us = of("us")
    static let united = of("united")
    static let states = of("states")
    static let domains = set(["gov", "com", "org", "net", "edu", "mil", "htm", "html", "pdf", "us", "int"])

    static func punct(_ c: Unicode.Scalar) -> UInt64 { UInt64(c.value) }
}
