/// Government bodies no list has, by the shape of their names: "Office of
/// Patent Legal Administration", "Court of Appeals for the Ninth Circuit",
/// "U.S. District Court for the District of Columbia", "Committee on the
/// Judiciary", "Maricopa County Sheriff's Office", "Chicago Police Department".
///
/// The word lists are the instance's, built once (`shared`): a scan reads `shared` once per document
/// and asks its methods, since every read of a static list in a per-token path is a swift_once call.
struct AgencyPatterns: Sendable {
    static let shared = AgencyPatterns()

    struct Hit {
        var name: String
        var first: Int
        var last: Int
    }

    /// Head nouns that open a name with "of"/"for"/"on".
    let heads = Keys.set([
        "office", "department", "bureau", "division", "commission", "committee", "subcommittee", "board",
        "council", "court", "administration", "agency", "service", "ministry", "directorate", "secretariat",
    ])
    let openers = Keys.set(["of", "for", "on"])
    let connectors = Keys.set(["of", "for", "on", "and", "the", "in"])
    /// Words before "Court" that belong to a court's name.
    let courtModifiers = Keys.set(["district", "bankruptcy", "circuit", "tax", "superior", "county", "supreme", "federal", "appellate", "us"])
    /// A name ending in one of these is a statute, program or place, not a body.
    let notBodies = Keys.set([
        "act", "acts", "program", "programs", "initiative", "guidelines", "guideline", "memorandum", "directive",
        "plan", "report", "reports", "rule", "rules", "order", "system", "network", "project", "seminar", "forum",
        "conference", "building", "auditorium", "website", "web", "site", "regulations", "code", "manual",
        "handbook", "form", "fund", "week", "award", "awards",
    ])
    /// Head nouns that end a body's name when the text gives its acronym:
    /// "Patent Electronic Business Center (EBC)".
    let tails = Keys.set([
        "office", "department", "bureau", "division", "commission", "committee", "board", "council", "court",
        "administration", "agency", "service", "services", "center", "centre", "directorate", "authority",
        "institute", "corps", "command", "ministry", "secretariat", "unit", "branch", "staff",
    ])
    static let act: UInt64 = 0xe723_b519_0545_606b // Keys.of("act")
    static let police: UInt64 = 0xbfe9_f8a0_d3aa_693b // Keys.of("police")
    static let sheriff: UInt64 = 0x54b3_4ff6_419c_457c // Keys.of("sheriff")
    static let department: UInt64 = 0x9fe2_b90f_c817_32c7 // Keys.of("department")
    static let office: UInt64 = 0x465e_1bf7_a8c9_6791 // Keys.of("office")
    static let court: UInt64 = 0xb1a1_e28e_443f_d5a8 // Keys.of("court")

    /// `localCues`: whether the document has "police" or "sheriff" at all (most do not).
    /// (Inlined, with only the cheap test: it is asked of nearly every token, and the rest runs for
    /// capitalized words only.)
    @inline(__always) func match(_ doc: DocumentText, at i: Int, localCues: Bool) -> Hit? {
        let t = doc.tokens[i]
        guard t.kind == .word, t.capitalized, !t.allCaps, t.key != Keys.the else { return nil }
        return pattern(doc, at: i, localCues: localCues)
    }

    /// A pattern's name starting at token i, a capitalized word that passed `match`'s cheap test.
    private func pattern(_ doc: DocumentText, at i: Int, localCues: Bool) -> Hit? {
        let tokens = doc.tokens
        if localCues, let hit = local(doc, at: i) { return hit }
        if doc.nextParen[i] - i <= 11, let hit = definedByAcronym(doc, at: i) { return hit }
        // Courts: "[U.S.] District Court for ...", "Court of Appeals for ...".
        var head = i
        if doc.isWord(i, in: courtModifiers) || doc.isWord(i, Keys.united) {
            var k = i
            while k < tokens.count, k < i + 4, doc.isWord(k, in: courtModifiers) || doc.isWord(k, Keys.united) || doc.isWord(k, Keys.states) {
                k += 1
            }
            guard doc.isWord(k, Self.court), tokens[k].capitalized else { return nil }
            head = k
        }
        guard doc.isWord(head, in: heads), tokens[head].capitalized, !tokens[head].possessive,
              doc.isWord(head + 1, in: openers) || (tokens[head].key == Self.court && head > i)
        else { return nil }
        var last = head
        var k = head + 1
        // Extend over capitalized words, through connectors that lead to another capitalized word
        // (at most 16 tokens: names are short, and the scan stays linear).
        while k < tokens.count, k < head + 16 {
            let w = tokens[k]
            if w.kind == .word, w.capitalized, !w.inAddress {
                last = k
                k += 1
                if w.possessive { break }
                continue
            }
            if w.kind == .word, connectors.contains(w.key) {
                var j = k + 1
                while doc.isWord(j, Keys.the) { j += 1 }
                // "... Administration and the Committee on Appropriations", "... Counsel and the DOJ": a second body.
                let nextBody = w.key == Keys.and && j < tokens.count && (heads.contains(tokens[j].key) || tokens[j].allCaps)
                if !nextBody, j < tokens.count, tokens[j].kind == .word, tokens[j].capitalized {
                    k = j
                    continue
                }
            }
            break
        }
        guard last > head + 1 || (last > head && !doc.isWord(head + 1, in: openers)) else { return nil }
        // "Office of the Att'y Gen.": an abbreviated name is not read as a shorter one.
        if doc.adjacent(last), doc.isPunct(last + 1, "'") || doc.isPunct(last + 1, "\u{2019}") { return nil }
        // "Office of the Armed Forces Med.": a name cut at an abbreviation is not the body's name.
        if doc.adjacent(last), doc.isPunct(last + 1, "."), tokens[last].end - tokens[last].start <= 3, !tokens[last].allCaps { return nil }
        if doc.isWord(last, in: notBodies) { return nil }
        for k in i...last where doc.isWord(k, Self.act) { return nil }
        return Hit(name: doc.string(tokens[i].start, tokens[last].end), first: i, last: last)
    }

    /// "<Capitalized words> <body noun> (ACR)".
    private func definedByAcronym(_ doc: DocumentText, at i: Int) -> Hit? {
        let tokens = doc.tokens
        var k = i
        var last = -1
        while k < tokens.count, k < i + 10 {
            let w = tokens[k]
            if w.kind == .word, w.capitalized, !w.allCaps {
                if tails.contains(w.key), doc.parenthesizedAcronym(at: k + 1) != nil { last = k; break }
                if w.possessive { break }
                k += 1
                continue
            }
            if w.kind == .word, connectors.contains(w.key), k > i { k += 1; continue }
            break
        }
        guard last > i else { return nil }
        return Hit(name: doc.string(tokens[i].start, tokens[last].end), first: i, last: last)
    }

    /// "<Place> Police [Department]", "<Place> Sheriff's Office|Department".
    private func local(_ doc: DocumentText, at i: Int) -> Hit? {
        let tokens = doc.tokens
        var k = i
        while k < tokens.count, k < i + 5, tokens[k].kind == .word, tokens[k].capitalized,
              tokens[k].key != Self.police, tokens[k].key != Self.sheriff {
            if tokens[k].possessive { return nil }
            k += 1
        }
        guard k > i, k < tokens.count, tokens[k].capitalized else { return nil }
        if tokens[k].key == Self.police {
            let last = doc.isWord(k + 1, Self.department) && tokens[k + 1].capitalized ? k + 1 : k
            return Hit(name: doc.string(tokens[i].start, tokens[last].end), first: i, last: last)
        }
        if tokens[k].key == Self.sheriff, tokens[k].possessive, doc.isWord(k + 1, Self.office) || doc.isWord(k + 1, Self.department) {
            return Hit(name: doc.string(tokens[i].start, tokens[k + 1].end), first: i, last: k + 1)
        }
        return nil
    }
}
