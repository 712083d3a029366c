/// Courts named only by their citation abbreviation ("D.D.C.", "S.D. Miss.",
/// "3rd Cir.", "Fed. Cir."): the Bluebook's district and circuit forms,
/// expanded to the court's full name.
enum CourtCitations {
    struct Hit {
        var name: String
        /// The abbreviation as written.
        var acronym: String
        var first: Int
        var last: Int
    }

    /// Bluebook state abbreviations, dots and spaces removed.
    private static let states: [(String, String)] = [
        ("Ala", "Alabama"), ("Alaska", "Alaska"), ("Ariz", "Arizona"), ("Ark", "Arkansas"), ("Cal", "California"),
        ("Colo", "Colorado"), ("Conn", "Connecticut"), ("Del", "Delaware"), ("DC", "Columbia"), ("Fla", "Florida"),
        ("Ga", "Georgia"), ("Haw", "Hawaii"), ("Idaho", "Idaho"), ("Ill", "Illinois"), ("Ind", "Indiana"),
        ("Iowa", "Iowa"), ("Kan", "Kansas"), ("Ky", "Kentucky"), ("La", "Louisiana"), ("Me", "Maine"),
        ("Md", "Maryland"), ("Mass", "Massachusetts"), ("Mich", "Michigan"), ("Minn", "Minnesota"),
        ("Miss", "Mississippi"), ("Mo", "Missouri"), ("Mont", "Montana"), ("Neb", "Nebraska"), ("Nev", "Nevada"),
        ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
        ("NC", "North Carolina"), ("ND", "North Dakota"), ("Ohio", "Ohio"), ("Okla", "Oklahoma"), ("Or", "Oregon"),
        ("Pa", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"), ("SD", "South Dakota"),
        ("Tenn", "Tennessee"), ("Tex", "Texas"), ("Utah", "Utah"), ("Vt", "Vermont"), ("Va", "Virginia"),
        ("Wash", "Washington"), ("WVa", "West Virginia"), ("Wis", "Wisconsin"), ("Wyo", "Wyoming"),
        ("PR", "Puerto Rico"), ("Guam", "Guam"), ("VI", "the Virgin Islands"),
    ]
    private static let districts: [(String, String)] = [
        ("D", ""), ("ND", "Northern "), ("SD", "Southern "), ("ED", "Eastern "), ("WD", "Western "),
        ("MD", "Middle "), ("CD", "Central "),
    ]
    private static let circuits: [(String, String)] = [
        ("1st", "First"), ("2d", "Second"), ("2nd", "Second"), ("3d", "Third"), ("3rd", "Third"),
        ("4th", "Fourth"), ("5th", "Fifth"), ("6th", "Sixth"), ("7th", "Seventh"), ("8th", "Eighth"),
        ("9th", "Ninth"), ("10th", "Tenth"), ("11th", "Eleventh"), ("DC", "District of Columbia"), ("Fed", "Federal"),
    ]

    private static let fed: UInt64 = 0xdcc6_8a18_feea_a230 // Keys.of("fed")
    private static let dc: UInt64 = 0x0891_4d07_b53b_a030 // Keys.of("dc")

    /// Compressed abbreviation ("SDMiss", "3rdCir") -> full court name.
    static let names: [String: String] = {
        var t: [String: String] = [:]
        for (abbr, state) in states {
            for (prefix, direction) in districts {
                let of = state == "Columbia" ? "District of Columbia" : "District of \(state)"
                t[prefix + abbr] = "United States District Court for the \(direction)\(of)"
            }
        }
        for (abbr, name) in circuits { t[abbr + "Cir"] = "United States Court of Appeals for the \(name) Circuit" }
        return t
    }()

    /// The same, keyed by the case-sensitive hash of the compressed abbreviation, so
    /// candidates are tested without building strings.
    static let table: KeyTable<String> = KeyTable(names.map { (Keys.raw($0.key), $0.value) })

    /// A court citation starting at token `i`, followed by a date, a number or
    /// the end of the parenthetical (so that "S.D." alone, a state, is not a court).
    /// (Inlined, with only the cheap test: it is asked of nearly every token, and the rest of the
    /// match runs for the few that pass.)
    @inline(__always) static func match(_ doc: DocumentText, at i: Int) -> Hit? {
        let t = doc.tokens[i]
        // Cheap test first: a citation starts with a dotted abbreviation ("D.D.C.", "S.D."), a single
        // letter with a dot ("D. Minn."), an ordinal ("3rd") or "DC"/"Fed".
        guard t.kind == .word, t.capitalized || t.hasDigit, t.end - t.start <= 10,
              t.dotted || t.hasDigit || t.key == fed || t.key == dc
                || (t.end - t.start == 1 && doc.isPunct(i + 1, "."))
        else { return nil }
        return longestCitation(doc, at: i)
    }

    /// The longest court citation starting at token i, which passed `match`'s cheap test.
    private static func longestCitation(_ doc: DocumentText, at i: Int) -> Hit? {
        let tokens = doc.tokens
        var compressed = Keys.offset
        var k = i
        var best: Hit?
        var pieces = 0
        while k < tokens.count, pieces < 4 {
            let t = tokens[k]
            guard t.kind == .word, t.end - t.start <= 10 else { break }
            if k > i, t.start - tokens[k - 1].end > 1 { break }
            for c in doc.scalars[t.start..<t.end] where c != "." { compressed = Keys.mix(compressed, c.value) }
            var last = k
            if doc.isPunct(k + 1, "."), doc.adjacent(k) { last = k + 1 }
            pieces += 1
            if let name = table[compressed], followedByCitationPart(doc, last + 1) {
                best = Hit(name: name, acronym: doc.string(tokens[i].start, tokens[last].end), first: i, last: last)
            }
            k = last + 1
        }
        return best
    }

    private static func followedByCitationPart(_ doc: DocumentText, _ j: Int) -> Bool {
        guard j < doc.tokens.count else { return false }
        let t = doc.tokens[j]
        if t.kind == .number { return true }
        if t.kind == .punct { return doc.isPunct(j, ")") || doc.isPunct(j, ",") }
        return t.kind == .word && DateExtractor.month(t.key) != nil
    }
}
