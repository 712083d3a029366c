/// Program names that the word "program" follows ("the Public Scholars grant
/// program", "Assistance to Firefighters Grant (AFG) program") and names whose
/// acronym stands between them and their head ("Resilient Food Systems
/// Infrastructure (RFSI) Program").
extension ProgramExtractor {
    static let program: UInt64 = 0x5752_dfa9_a5b8_154b // Keys.of("program")
    static let programs: UInt64 = 0x19e7_4544_97cc_0e28 // Keys.of("programs")
    static let grant: UInt64 = 0x32bc_9029_77d5_212d // Keys.of("grant")
    private static let act: UInt64 = 0xe723_b519_0545_606b // Keys.of("act")
    private static let acts: UInt64 = 0x070c_d183_f4e2_48c8 // Keys.of("acts")
    private static let or: UInt64 = 0x08b0_5407_b556_5ca4 // Keys.of("or")
    /// Divisions of a statute ("Subtitle C", "Title IV-D"), which a program is not named by.
    private static let divisions = Keys.set(["title", "subtitle", "section", "part", "chapter", "article", "division"])
    /// Lower-case heads that close a capitalized name ("the Secure Communities program", "its National Wildlife
    /// Strike database").
    private static let lowerHeads = Keys.set(["program", "programs", "database"])
    private static let database: UInt64 = 0x06b3_ad31_49ad_2458 // Keys.of("database")
    /// Lower-case words inside a name its acronym spells ("Assistance to Firefighters Grant (AFG)").
    private static let acronymJoins = Keys.set(["of", "and", "for", "to", "the", "on", "in"])

    /// A name found by its cue: tokens `first...last` name it.
    struct Cue {
        var first: Int
        var last: Int
        var name: String
        var acronym: String?
        /// An acronym standing alone as the name ("the TRICARE program"): kept only where the text defines no such
        /// acronym, which is known once the whole text is read.
        var undefinedAcronym = false
    }

    /// The program that the head at `h` closes, if any: any head after "(ACR)", and a lower-case
    /// "program"/"programs"/"database" after a name.
    func cue(_ doc: DocumentText, at h: Int, agencyNames: Set<String>) -> Cue? {
        let tokens = doc.tokens
        let head = tokens[h]
        guard head.kind == .word, !head.inAddress,
              Self.heads.contains(head.key) || head.key == Self.programs else { return nil }
        var end = h - 1
        // "the Public Scholars grant program": "grant" says what kind of program, it is not the name.
        if doc.isWord(end, Self.grant), !tokens[end].capitalized { end -= 1 }
        guard end > 0 else { return nil }
        if doc.isPunct(end, ")") {
            // A capitalized head is part of the name ("Resilient Food Systems Infrastructure (RFSI) Program"), and
            // the name is judged with it: "Appropriate Services (CLAS) Standards" are standards, not a body.
            let capitalHead = head.capitalized && end == h - 1 ? h : nil
            return acronymItem(doc, close: end, head: capitalHead, agencyNames: agencyNames)
        }
        // A capitalized head without an acronym is phrase()'s ("Comprehensive Decommissioning Program").
        guard !head.capitalized, Self.lowerHeads.contains(head.key) else { return nil }
        var first = end + 1
        var words = 0
        var hasWord = false
        var k = end
        while k >= 0, k >= end - 12 {
            let w = tokens[k]
            if w.kind == .word, !w.inAddress, w.capitalized, !Self.stops.contains(w.key) {
                // "RCRA Subtitle C program", "Title IV-D program": a statute's division, not a program's name.
                if Self.divisions.contains(w.key) { return nil }
                // "EPA's Indoor AirPlus program": the possessive names the owner; "the Medicare Savings Program
                // and LIS programs": a head ends another name.
                if w.possessive || Self.heads.contains(w.key) { break }
                if !w.allCaps { hasWord = true }
                first = k
                words += 1
                k -= 1
                continue
            }
            if first == k + 1, k > 0, tokens[k - 1].kind == .word, tokens[k - 1].capitalized, !Self.stops.contains(tokens[k - 1].key) {
                // "Scholarly Editions and Translations", "Public Humanities Projects: Humanities Discussions Grants";
                // before "programs", "and" joins two programs ("the Medicare and Medicaid programs").
                if w.kind == .word, w.key == Keys.of || (w.key == Keys.and && head.key != Self.programs) { k -= 1; continue }
                if doc.isPunct(k, ":"), doc.adjacent(k - 1) { k -= 1; continue }
                if doc.isPunct(k, "-"), doc.adjacent(k - 1), doc.adjacent(k) { k -= 1; continue }
            }
            break
        }
        if words == 1, !hasWord, first == end {
            return undefinedAcronymProgram(doc, at: first, head: head, agencyNames: agencyNames)
        }
        // One word is an adjective ("the Federal program").
        guard words >= 2, hasWord else { return nil }
        // "program" says what the name is ("the Secure Communities program"); "database" is the name's own word.
        if head.key == Self.database { end = h }
        let name = doc.string(tokens[first].start, tokens[end].end)
        guard isProgramName(name, lastWord: tokens[end], agencyNames: agencyNames) else { return nil }
        return Cue(first: first, last: end, name: name, acronym: nil)
    }

    /// "the TRICARE program", "the RAC program": an acronym named by "the" and a singular "program" is that
    /// program's name. Not a body's acronym in the gazetteer ("the CIA program") and not plural ("AML programs",
    /// "FOIA programs" are kinds of program). The caller keeps it only if the text defines no such acronym
    /// (`parenthesizedAcronyms`): a defined one is judged by its definition ("Freedom of Information Act (FOIA)" is a
    /// statute, "Family and Youth Services Bureau (FYSB)" a body).
    private func undefinedAcronymProgram(_ doc: DocumentText, at k: Int, head: Token, agencyNames: Set<String>) -> Cue? {
        let word = doc.tokens[k]
        guard head.key == Self.program, k > 0, doc.isWord(k - 1, Keys.the), word.end - word.start >= 3,
              !word.possessive, !word.hasDigit else { return nil }
        if let ids = gazetteer.acronyms[word.rawKey], ids.contains(where: { gazetteer.entries[$0].kind == .agency }) { return nil }
        let name = doc.string(word.start, word.end)
        guard isProgramName(name, lastWord: word, agencyNames: agencyNames) else { return nil }
        return Cue(first: k, last: k, name: name, acronym: nil, undefinedAcronym: true)
    }

    /// An acronym in parentheses: the "(" token, the acronym, its first token and the ")" token.
    typealias Parenthesized = (open: Int, text: String, first: Int, close: Int)

    /// Every acronym the text gives in parentheses, with where its "(" stands, in one pass: the defined-acronym
    /// pass reads their definitions, and an acronym named as a program alone is kept only if it is none of them.
    func parenthesizedAcronyms(_ doc: DocumentText) -> [Parenthesized] {
        var out: [Parenthesized] = []
        // From "(" to "(" by nextParen, not token by token.
        var open = doc.nextParen[0]
        while open < doc.tokens.count {
            if let def = doc.parenthesizedAcronym(at: open) { out.append((open, def.text, def.first, def.close)) }
            open = doc.nextParen[open + 1]
        }
        return out
    }

    /// Heads that end as many common phrases as names ("Privacy Policy", "Congressional Record", "Review Panel"):
    /// a name only where the text defines an acronym for it ("Master Beneficiary Record (MBR)", "Criteria
    /// Development Panel (CDP)").
    static let weakHeads = Keys.set(["record", "records", "panel", "policy", "model", "tool", "study"])

    /// The name a weak head at `h` ends, when a parenthesized acronym of its initials follows it.
    func definedWeakHead(_ doc: DocumentText, at h: Int, agencyNames: Set<String>) -> Cue? {
        guard let def = doc.parenthesizedAcronym(at: h + 1) else { return nil }
        return acronymItem(doc, close: def.close, agencyNames: agencyNames)
    }

    /// "X (ACR)" ending at the ")" at `close`: the acronym's letters bound the name, so connectors and
    /// commas may sit inside it ("Old Age, Survivors, Disability Insurance (OASDI)").
    /// With a `head` token after the ")", the name ends with that word.
    private func acronymItem(_ doc: DocumentText, close: Int, head: Int? = nil, agencyNames: Set<String>) -> Cue? {
        var open = close - 1
        while open > 0, open > close - 6, !doc.isPunct(open, "(") { open -= 1 }
        guard let def = doc.parenthesizedAcronym(at: open), def.close == close,
              let first = initialsStart(doc, endingAt: open - 1, acronym: def.text) else { return nil }
        let tokens = doc.tokens
        var name = doc.string(tokens[first].start, tokens[open - 1].end)
        var lastWord = tokens[open - 1]
        if let head {
            // "Indian Health Service (IHS) Memorandum": a listed body's instrument, not a named program.
            if listsAgency(Gazetteer.fold(name)) { return nil }
            name += " " + doc.word(head)
            lastWord = tokens[head]
        }
        guard isProgramName(name, lastWord: lastWord, agencyNames: agencyNames) else { return nil }
        return Cue(first: first, last: open - 1, name: name, acronym: def.text)
    }

    /// The other defined names in a list that "programs" closes: "the Old Age, Survivors, Disability
    /// Insurance (OASDI), SSI, and Special Veterans' Benefits (SVB) programs" (at most four more items;
    /// a bare acronym item is left to the list and the acronym passes).
    func listed(_ doc: DocumentText, before first: Int, agencyNames: Set<String>) -> [Cue] {
        let tokens = doc.tokens
        var out: [Cue] = []
        var k = first - 1
        var items = 0
        while k > 0, items < 4 {
            // A separator: ",", "and", "or", ", and".
            var j = k
            while j > 0, doc.isPunct(j, ",") || doc.isWord(j, Keys.and) || doc.isWord(j, Self.or) { j -= 1 }
            guard j < k else { break }
            if tokens[j].kind == .word, tokens[j].allCaps, !tokens[j].inAddress {
                k = j - 1
            } else if doc.isPunct(j, ")"), let item = acronymItem(doc, close: j, agencyNames: agencyNames) {
                out.append(item)
                k = item.first - 1
            } else {
                break
            }
            items += 1
        }
        return out
    }

    /// Words before a use of an acronym that say it is something one takes part in ("veterans participating in
    /// VR&E", "eligible for DACA").
    private static let takingPart = Keys.set(["participating", "participate", "participation", "participants", "enrolled",
                                              "enrollment", "eligible", "eligibility"])
    private static let takingPartJoins = Keys.set(["in", "for"])
    private static let phraseEnds = Keys.set(["and", "or", "for", "in", "at", "to", "since", "until", "during", "while", "before",
                                              "after", "through", "by", "with", "because"])
    /// Lower-case words after a use of an acronym that make it a program ("the DACA program", "AFG grants").
    private static let programUses = Keys.set(["program", "programs", "initiative", "project", "grant", "grants",
                                               "participants", "recipients", "beneficiaries"])

    /// Names defined with an acronym ("Veteran Readiness and Employment (VR&E)") that carry no program head, but whose
    /// acronym the text uses as a program's elsewhere: after "participating in" or "eligible for", or before a
    /// lower-case "program" or "grants". The acronym's letters bound the name; bodies and statutes are not programs.
    func definedByUse(_ doc: DocumentText, parenthesized: [Parenthesized], agencyNames: Set<String>) -> [Cue] {
        let tokens = doc.tokens
        struct Definition {
            let text: String
            let letters: [Unicode.Scalar]
            /// The acronym's first token, and its tokens less one ("VR&E" is three: width 2).
            let first: Int
            let width: Int
            let item: Cue
        }
        var definitions: [Definition] = []
        for def in parenthesized {
            guard def.open > 0, let item = acronymItem(doc, close: def.close, agencyNames: agencyNames) else { continue }
            // "Department of Veterans Affairs (VA)": the letters end a longer name, a body's.
            // A "the" right before the name joins nothing ("Using the Wide-field Infrared Survey Explorer (WISE)"); a
            // connector before it does ("Department of the Interior (DOI)").
            var join = item.first - 1
            if doc.isWord(join, Keys.the) { join -= 1 }
            if doc.isWord(join, in: Self.acronymJoins), !doc.isWord(join, Keys.the), join >= 1, tokens[join - 1].capitalized { continue }
            definitions.append(Definition(text: def.text, letters: Array(def.text.unicodeScalars), first: def.first,
                                          width: def.close - 1 - def.first, item: item))
        }
        guard !definitions.isEmpty else { return [] }

        // One pass over the tokens finds every definition's uses: the definitions are looked up by width and length
        // in scalars (at most 14), not scanned once per definition.
        var byShape: [[[Int]]] = []
        // A use starts with its acronym's first letter: a token whose first scalar is no definition's (by its low
        // six bits) is skipped without a lookup.
        var firstLetters: UInt64 = 0
        for (d, definition) in definitions.enumerated() {
            while byShape.count <= definition.width { byShape.append(Array(repeating: [], count: 15)) }
            if definition.letters.count < 15 { byShape[definition.width][definition.letters.count].append(d) }
            if let first = definition.letters.first { firstLetters |= 1 << UInt64(first.value & 63) }
        }
        var used = [Bool](repeating: false, count: definitions.count)
        for k in tokens.indices where tokens[k].kind == .word && !tokens[k].inAddress
            && firstLetters & (1 << UInt64(doc.scalars[tokens[k].start].value & 63)) != 0 {
            for width in byShape.indices where k + width < tokens.count {
                let length = tokens[k + width].end - tokens[k].start
                guard length < 15 else { continue }
                for d in byShape[width][length] where !used[d] && k != definitions[d].first {
                    if doc.scalars[tokens[k].start..<tokens[k + width].end].elementsEqual(definitions[d].letters),
                       isUsedAsProgram(doc, at: k, width: width) {
                        used[d] = true
                    }
                }
            }
        }
        var out: [Cue] = []
        var seen = Set<String>()
        for (d, definition) in definitions.enumerated() where used[d] && !seen.contains(definition.text) {
            seen.insert(definition.text)
            out.append(definition.item)
        }
        return out
    }

    /// Whether the acronym written at tokens `k...k + width` is used as a program's there: the whole acronym
    /// (not the start of a longer word run), before a lower-case program word, or ending a phrase after
    /// "participating in", "eligible for".
    private func isUsedAsProgram(_ doc: DocumentText, at k: Int, width: Int) -> Bool {
        let tokens = doc.tokens
        // The whole acronym, not the start of a longer word run ("VR" of "VR&E-2").
        if k > 0, doc.adjacent(k - 1), tokens[k - 1].kind == .word { return false }
        if doc.adjacent(k + width), k + width + 1 < tokens.count, tokens[k + width + 1].kind == .word { return false }
        let after = k + width + 1
        if doc.isWord(after, in: Self.programUses), !tokens[after].capitalized { return true }
        var before = k - 1
        while doc.isWord(before, Keys.the) { before -= 1 }
        // "enrolled in VR&E." but not "enrolled in the VA health care system": the acronym ends the phrase.
        let ends = after >= tokens.count || tokens[after].kind != .word || doc.isWord(after, in: Self.phraseEnds)
        return ends && doc.isWord(before, in: Self.takingPartJoins) && doc.isWord(before - 1, in: Self.takingPart)
    }

    /// "FLEX (Medicare rural hospital flexibility program)": an acronym that a parenthesis right after it spells out
    /// as a program, in words of any case (two to ten of them, the last "program"), not opening with a determiner
    /// ("FBI (the bureau's records program)"). The acronym is not a body's.
    func acronymThenDescription(_ doc: DocumentText, agencyNames: Set<String>, agencyAcronyms: Set<String>) -> [Cue] {
        let tokens = doc.tokens
        var out: [Cue] = []
        var i = 0
        while i + 3 < tokens.count {
            defer { i += 1 }
            let a = tokens[i]
            guard a.kind == .word, a.allCaps, !a.inAddress, a.end - a.start >= 3, doc.isPunct(i + 1, "("),
                  !(i > 0 && doc.adjacent(i - 1) && tokens[i - 1].kind == .word) else { continue }
            var j = i + 2
            var words = 0
            while j < tokens.count, j <= i + 14, tokens[j].kind == .word || (doc.isPunct(j, "-") && doc.adjacent(j - 1) && doc.adjacent(j)) {
                if tokens[j].kind == .word { words += 1 }
                j += 1
            }
            guard doc.isPunct(j, ")"), words >= 2, words <= 10, doc.isWord(j - 1, Self.program),
                  !Self.stops.contains(tokens[i + 2].key) else { continue }
            let acronym = doc.word(i)
            guard !agencyAcronyms.contains(acronym), !namesAgency(Gazetteer.fold(acronym), agencyNames: agencyNames) else { continue }
            let name = doc.string(tokens[i + 2].start, tokens[j - 1].end)
            guard isProgramName(name, lastWord: tokens[j - 1], agencyNames: agencyNames) else { continue }
            out.append(Cue(first: i + 2, last: j - 1, name: name, acronym: acronym))
            i = j
        }
        return out
    }

    /// Kinds of program a quoted title can name: the department's "Race to the Top" program, a training course
    /// entitled "Introduction to the FOIA".
    private static let quotedHeads = Keys.set([
        "program", "initiative", "project", "campaign", "training", "course", "seminar", "conference", "workshop",
        "event", "session", "webinar", "series", "plan", "policy", "strategy", "system", "grant", "award", "competition",
        "challenge", "forum", "summit",
    ])
    private static let titling = Keys.set(["entitled", "titled", "called", "named"])

    /// Quoted titles that a program word follows ("the \u{201C}Race to the Top\u{201D} program") or that are
    /// introduced as one's title ("a training session entitled \u{201C}FOIA Fundamentals\u{201D}"). The quotation
    /// marks bound the name, so lower-case words inside it are its own. A title must start with a capital, hold at most
    /// twelve words and no sentence break; statutes and bodies are not programs.
    func quotedTitles(_ doc: DocumentText, agencyNames: Set<String>) -> [Cue] {
        let tokens = doc.tokens
        var out: [Cue] = []
        var i = 0
        while i + 2 < tokens.count {
            defer { i += 1 }
            // (The kind first: a quotation mark is punctuation, which most tokens are not.)
            guard tokens[i].kind == .punct, isOpeningQuote(doc, i), tokens[i + 1].kind == .word, tokens[i + 1].capitalized, !tokens[i + 1].inAddress else { continue }
            var j = i + 1
            var close = -1
            var words = 0
            while j < tokens.count, j <= i + 24, words <= 12 {
                let t = tokens[j]
                if t.kind == .newline { break }
                if t.kind == .word { words += 1 }
                if isClosingQuote(doc, j) { close = j; break }
                if doc.isPunct(j, ".") || doc.isPunct(j, "?") || doc.isPunct(j, "!") || doc.isPunct(j, ";") || doc.isPunct(j, "(") { break }
                j += 1
            }
            guard close > i + 1, words <= 12, tokens[close - 1].kind == .word else { continue }
            var cued = doc.isWord(close + 1, in: Self.quotedHeads)
            if !cued, doc.isWord(i - 1, in: Self.titling) {
                var k = i - 2
                while k >= 0, k >= i - 6, !cued {
                    if doc.isWord(k, in: Self.quotedHeads) { cued = true }
                    k -= 1
                }
            }
            guard cued else { continue }
            let name = doc.string(tokens[i + 1].start, tokens[close - 1].end)
            guard isProgramName(name, lastWord: tokens[close - 1], agencyNames: agencyNames) else { continue }
            out.append(Cue(first: i + 1, last: close - 1, name: name, acronym: nil))
            i = close
        }
        return out
    }

    private func isOpeningQuote(_ doc: DocumentText, _ i: Int) -> Bool {
        if doc.isPunct(i, "\u{201C}") { return true }
        // A straight quotation mark opens where it touches the next word and not the one before it.
        return doc.isPunct(i, "\"") && doc.adjacent(i) && !(i > 0 && doc.adjacent(i - 1) && doc.tokens[i - 1].kind == .word)
    }

    private func isClosingQuote(_ doc: DocumentText, _ i: Int) -> Bool {
        doc.isPunct(i, "\u{201D}") || (doc.isPunct(i, "\"") && i > 0 && doc.adjacent(i - 1))
    }

    /// Not a statute ("Violence Against Women Act (VAWA) programs") and not a body
    /// ("Indian Health Service (IHS) programs").
    private func isProgramName(_ name: String, lastWord: Token, agencyNames: Set<String>) -> Bool {
        if lastWord.key == Self.act || lastWord.key == Self.acts || AgencyPatterns.shared.tails.contains(lastWord.key) { return false }
        return !namesAgency(Gazetteer.fold(name), agencyNames: agencyNames)
    }

    /// Whether a folded name is an agency's: one the document's agencies carry, or one in the gazetteer.
    func namesAgency(_ folded: String, agencyNames: Set<String>) -> Bool {
        agencyNames.contains(folded) || listsAgency(folded)
    }

    /// Whether the gazetteer lists a folded name as an agency's.
    private func listsAgency(_ folded: String) -> Bool {
        gazetteer.entries(folded: folded).contains { gazetteer.entries[$0].kind == .agency }
    }

    /// The first token of the words ending at `end` whose initials spell the
    /// acronym ("Assistance to Firefighters Grant" for AFG), or nil.
    private func initialsStart(_ doc: DocumentText, endingAt end: Int, acronym: String) -> Int? {
        let letters = Array(acronym.unicodeScalars.filter(Tokenizer.isUpper))
        guard letters.count >= 2, end >= 0 else { return nil }
        let tokens = doc.tokens
        var need = letters.count - 1
        var k = end
        while k >= 0, k >= end - 16 {
            let w = tokens[k]
            if w.kind == .word, w.capitalized, !w.inAddress {
                guard doc.scalars[w.start] == letters[need] else { return nil }
                if need == 0 { return k }
                need -= 1
                k -= 1
                continue
            }
            // "Wide-field Infrared Survey Explorer (WISE)": a lower-case word hyphened to a capitalized one is
            // part of that word, which gives the letter.
            if w.kind == .word, !w.capitalized, k >= 2, doc.isPunct(k - 1, "-"), doc.adjacent(k - 2), doc.adjacent(k - 1),
               tokens[k - 2].kind == .word, tokens[k - 2].capitalized { k -= 2; continue }
            // Connectors inside the name; "Veterans'" (a plural possessive) is one word.
            if w.kind == .word, k < end, Self.acronymJoins.contains(w.key) { k -= 1; continue }
            if doc.isPunct(k, ","), k < end, need < letters.count - 1 { k -= 1; continue }
            if w.kind == .punct, doc.isPunct(k, "'") || doc.isPunct(k, "\u{2019}"), k > 0, doc.adjacent(k - 1) { k -= 1; continue }
            return nil
        }
        return nil
    }
}
