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

    // The keys of the commonest words as literals (`of("and")` and so on, worked out once), so a
    // read is a constant, not a lazily initialized global behind a swift_once check on every use.
    static let and: UInt64 = 0xe6f7_9719_051f_f286
    static let the: UInt64 = 0x56f5_c919_4461_d57c
    static let of: UInt64 = 0x08b0_6007_b556_7108
    static let us: UInt64 = 0x08c4_3d07_b566_de99
    static let united: UInt64 = 0x0fb1_f091_1398_ffa6
    static let states: UInt64 = 0xc50c_696d_6cf0_6e9f
    static let domains = set(["gov", "com", "org", "net", "edu", "mil", "htm", "html", "pdf", "us", "int"])

    static func punct(_ c: Unicode.Scalar) -> UInt64 { UInt64(c.value) }
}
