import SluiceCore

/// Finds named programs, initiatives, operations, systems and policy
/// instruments: the curated list, capitalized names ending in a program head
/// ("Interior Repatriation Program", "Technology Working Group",
/// "Attorney General's FOIA Guidelines"), "Operation ...", and names whose
/// acronym the text defines. Statutes and agencies are not programs.
struct ProgramExtractor: Sendable {
    let gazetteer: Gazetteer

    static let heads = Keys.set([
        "program", "programme", "initiative", "project", "plan", "system", "network", "guidelines", "memorandum",
        "directive", "seminar", "forum", "strategy", "campaign", "partnership", "database", "portal", "day", "week",
        "grant", "month", "fund", "award", "fellowship", "scholarship", "course", "conference", "workshop", "summit",
        "symposium", "survey", "dashboard", "inventory", "registry", "framework", "classification", "standards",
    ])
    /// Heads of funds, awards, courses and events ("Highway Trust Fund", "FOIA Fundamentals Course", "Annual
    /// Training Conference"); not "Training", which headlines end with ("Highlights Importance of FOIA Training").
    /// Followed by "of"/"for"/"on" and a capitalized word, the head is inside a longer name: a body
    /// ("Administrative Conference of the United States") or a heading ("Conference for Chief FOIA Officers").
    private static let eventHeads = Keys.set([
        "fund", "award", "fellowship", "scholarship", "course", "conference", "workshop", "summit", "symposium",
    ])
    /// Observances ("National Hunger Awareness Day", "Sunshine Week") are programs; a short "X Day" is
    /// more often a holiday or a date ("Election Day"), so these heads need a longer name.
    /// Words inside a head's complement; not "and" or "the", which join a second name
    /// ("Memorandum on the FOIA and the Attorney General's FOIA Guidelines").
    private static let complementJoins = Keys.set(["of", "for", "on", "in"])
    /// "National Hispanic Heritage Month" like them; "Grant" too: "Native Hawaiian Housing Block Grant" and "VA Staff
    /// Sergeant Fox Grant" are programs, "Full Grant" (a FOIA disposition) is not.
    private static let observances: KeyTable<Int> = KeyTable([
        (Keys.of("day"), 4), (Keys.of("week"), 2), (Keys.of("month"), 3), (Keys.of("grant"), 3),
    ])
    /// Words that make a time of a "Week", "Day" or "Month" head ("Video Conferencing Next Week"), not an observance.
    private static let relativeTimes = Keys.set(["next", "last", "this", "each", "every", "per", "same"])
    /// Words that say what kind of event or plan, not which: a name of only these and a head is none.
    private static let generic = Keys.set([
        "public", "annual", "national", "virtual", "joint", "open", "special", "regional", "technical", "quarterly",
        "monthly", "weekly", "general", "final", "interim", "draft", "second", "third", "first", "next",
    ])
    private static let working: UInt64 = 0x0887_9e02_4cb9_1288 // Keys.of("working")
    private static let group: UInt64 = 0xdc57_e429_46f6_e08c // Keys.of("group")
    private static let task: UInt64 = 0xd960_3bef_07a9_524c // Keys.of("task")
    private static let force: UInt64 = 0xe75a_d8af_b3ee_ebe4 // Keys.of("force")
    private static let operation: UInt64 = 0x1387_bb5b_e85c_3c86 // Keys.of("operation")
    private static let guidelines: UInt64 = 0xe851_a62b_23d6_e996 // Keys.of("guidelines")
    /// Heads that take a complement: "Memorandum on the FOIA".
    private static let complemented = Keys.set(["memorandum", "directive", "guidelines"])
    /// Capitalized words that never start a name (sentence openers, determiners).
    static let stops = Keys.set([
        "the", "a", "an", "this", "these", "that", "those", "our", "its", "their", "his", "her", "for", "in", "at",
        "on", "to", "by", "with", "from", "as", "please", "register", "attend", "join", "each", "every", "all",
        "under", "through", "during", "about", "see", "both", "new", "and", "or", "if", "when", "while",
        // Headline words before an event's name ("Upcoming Interagency FOIA Symposium").
        "upcoming", "rescheduled",
    ])
    /// Prepositions that only a headline capitalizes ("Limitation on Claims Against Proposed Public
    /// Transportation Project"); a name keeps them lower case ("Assistance to Firefighters").
    private static let headlineWords = Keys.set([
        "against", "through", "toward", "towards", "within", "without", "between", "among", "regarding", "concerning",
        "versus", "upon", "into", "across",
    ])
    /// Verbs of a news headline ("CFPB Continues to Update Consumer Complaint Database", "FBI Releases Files"): the
    /// subject and the verb come before the name, which starts after the verb.
    private static let headlineVerbs = Keys.set([
        "releases", "updates", "launches", "posts", "unveils", "announces", "publishes", "declassifies", "continues",
        "creates", "adds", "expands", "hosts", "highlights", "marks", "celebrates",
    ])
    /// Their plain forms are headline verbs after "to" ("Continues to Update"); elsewhere they may be a name's own
    /// words ("Toxic Release Inventory").
    private static let headlineInfinitives = Keys.set(["release", "update", "launch", "post", "create", "expand"])
    private static let to = Keys.of("to")
    /// Evaluative adjectives start descriptions ("an Effective System in Place"), not names, when a word comes
    /// before them; at the start of a title or a quotation they are the name's first word ("Information
    /// Collection: Comprehensive Decommissioning Program").
    private static let evaluative = Keys.set([
        "effective", "efficient", "current", "existing", "overall", "comprehensive", "successful", "adequate",
        "appropriate", "proper", "formal", "informal", "similar", "such", "specific", "improved", "better",
    ])

    func extract(_ doc: DocumentText, agencies: [AgencyEntity]) -> [ProgramEntity] {
        let tokens = doc.tokens
        let agencyNames = Set(agencies.map { gazetteer.folded($0.name) })
        var found: [ProgramEntity] = []
        var defined: [UInt64: (String, String)] = [:] // acronym raw key -> (name, acronym)
        /// A program its cue names; a defined acronym is noted for its later uses.
        func add(_ cue: Cue) {
            if let acronym = cue.acronym { defined[Keys.raw(acronym)] = (cue.name, acronym) }
            found.append(ProgramEntity(name: cue.name, acronym: cue.acronym, mentions: [doc.mention(cue.first, cue.last)],
                                       source: cue.acronym == nil ? .pattern : .definedAcronym))
        }
        var undefinedAcronyms: [Cue] = []
        var headlineNames = Set<String>()
        var bodyNames = Set<String>()
        // Read once, not through the globals' lazy-initialization checks per token (and passed to `phrase`, asked
        // at every capitalized word).
        let heads = Self.heads
        let weakHeads = Self.weakHeads
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            guard t.kind == .word || t.kind == .number, !t.inAddress else { i += 1; continue }
            if t.capitalized || t.hasDigit, gazetteer.mayStartName(t), let m = gazetteer.trie.longestMatch(tokens, from: i),
               let e = m.values.first(where: { gazetteer.entries[Int($0)].kind == .program }) {
                // "Centers for Medicare and Medicaid Services": a program's name inside a body's.
                if insideBodyName(doc, after: m.end) { i = m.end; continue }
                let entry = gazetteer.entries[Int(e)]
                found.append(ProgramEntity(name: entry.name, acronym: entry.acronym, mentions: [doc.mention(i, m.end - 1)], source: .gazetteer))
                i = m.end
                continue
            }
            guard t.capitalized, let (first, last) = phrase(doc, endingAt: i, heads: heads) else {
                // Most words are no head: tested here, not in a call to cue per token (1% of a run). A number is
                // none (cue takes words only).
                if t.kind == .word, heads.contains(t.key) || t.key == Self.programs, let hit = cue(doc, at: i, agencyNames: agencyNames) {
                    if hit.undefinedAcronym {
                        undefinedAcronyms.append(hit)
                        i += 1
                        continue
                    }
                    add(hit)
                    if hit.acronym != nil, t.key == Self.programs {
                        for item in listed(doc, before: hit.first, agencyNames: agencyNames) { add(item) }
                    }
                } else if t.capitalized, weakHeads.contains(t.key), let hit = definedWeakHead(doc, at: i, agencyNames: agencyNames) {
                    add(hit)
                    i = hit.last + 1
                    continue
                }
                i += 1
                continue
            }
            var name = doc.string(tokens[first].start, tokens[last].end)
            if tokens[last].possessive { name += "'s" }
            let folded = Gazetteer.fold(name) // folded once for both tests
            if namesAgency(folded, agencyNames: agencyNames) {
                i = last + 1
                continue
            }
            var acronym: String?
            var next = last + 1
            if let def = doc.parenthesizedAcronym(at: last + 1) {
                acronym = def.text
                defined[Keys.raw(def.text)] = (name, def.text)
                next = def.close + 1
            }
            if acronym == nil, afterHeadlineVerb(doc, first) { headlineNames.insert(name) } else { bodyNames.insert(name) }
            found.append(ProgramEntity(name: name, acronym: acronym, mentions: [doc.mention(first, last)],
                                       source: acronym == nil ? .pattern : .definedAcronym))
            i = next
        }
        // Acronyms named as programs are kept where the text defines none of them.
        let parenthesized = parenthesizedAcronyms(doc)
        if !undefinedAcronyms.isEmpty {
            let defined = Set(parenthesized.map(\.text))
            for hit in undefinedAcronyms where !defined.contains(hit.name) { add(hit) }
        }
        // "FEC Updates Campaign Finance Database" over a story about "campaign finance reports": a headline
        // capitalizes its object, so a name only a headline gives is kept where the text names it again.
        let headlineOnly = headlineNames.subtracting(bodyNames)
        if !headlineOnly.isEmpty { found.removeAll { $0.source == .pattern && headlineOnly.contains($0.name) } }
        // "Veteran Readiness and Employment (VR&E)" where the text has "veterans participating in VR&E", and
        // "FLEX (Medicare rural hospital flexibility program) grants".
        let acronymDefined = definedByUse(doc, parenthesized: parenthesized, agencyNames: agencyNames)
            + acronymThenDescription(doc, agencyNames: agencyNames, agencyAcronyms: Set(agencies.compactMap(\.acronym)))
        for item in acronymDefined { add(item) }
        // "the \u{201C}Race to the Top\u{201D} program", a course entitled "Introduction to the FOIA".
        for item in quotedTitles(doc, agencyNames: agencyNames) { add(item) }
        var dropped = Set<String>()
        // "FEMA AFG Program", "RFSI Program": a defined program acronym (with an owner's) before the head is
        // that program, which the acronym pass below mentions.
        if !defined.isEmpty {
            for p in found where p.source == .pattern && p.acronym == nil && Self.namesDefinedAcronym(p.name, defined) {
                dropped.insert(p.name)
            }
        }
        if !dropped.isEmpty { found.removeAll { $0.source == .pattern && $0.acronym == nil && dropped.contains($0.name) } }
        // Later uses of an acronym the text defined for a program. A token whose key falls outside the defined keys'
        // 64-bit mask (one bit per key, by its low six bits) is none of them: no dictionary lookup for most words.
        if !defined.isEmpty {
            let mask = defined.keys.reduce(UInt64(0)) { $0 | 1 << ($1 & 63) }
            for (k, t) in tokens.enumerated() where t.kind == .word && !t.inAddress && mask & (1 << (t.rawKey & 63)) != 0 {
                if let (name, acronym) = defined[t.rawKey] {
                    found.append(ProgramEntity(name: name, acronym: acronym, mentions: [doc.mention(k, k)], source: .definedAcronym))
                }
            }
        }
        // Group by name first, so Entities.add (which folds every name it compares) runs once per program.
        var groups: [String: Int] = [:]
        var list: [ProgramEntity] = []
        for p in found {
            if let g = groups[p.name] {
                list[g].mentions.append(contentsOf: p.mentions)
                if list[g].acronym == nil { list[g].acronym = p.acronym }
                list[g].source = EntitySource.best(list[g].source, p.source)
            } else {
                groups[p.name] = list.count
                list.append(p)
            }
        }
        return Self.mergeShortForms(merge(list))
    }

    /// The program name whose head is token h (or ends at h for "Working
    /// Group"), as (first, last) token indices. `heads` is `Self.heads`, read once by the caller.
    private func phrase(_ doc: DocumentText, endingAt h: Int, heads: KeySet) -> (Int, Int)? {
        let tokens = doc.tokens
        // "Operation Streamline"
        if tokens[h].key == Self.operation, !tokens[h].possessive {
            var k = h + 1
            // "Operation Fast and Furious": "and" between capitalized words belongs to the name.
            while k < tokens.count, k < h + 8, tokens[k].kind == .word {
                if tokens[k].capitalized, !Self.stops.contains(tokens[k].key) { k += 1; continue }
                // "Operation Iraqi Freedom and Operation Enduring Freedom": "and" before another "Operation" joins
                // two operations, which the scan finds one by one.
                if tokens[k].key == Keys.and, k > h + 1, k + 1 < tokens.count, tokens[k + 1].kind == .word, tokens[k + 1].capitalized,
                   tokens[k + 1].key != Self.operation { k += 1; continue }
                break
            }
            return k > h + 1 ? (h, k - 1) : nil
        }
        var head = h
        var headEnd = h
        if tokens[h].key == Self.working, doc.isWord(h + 1, Self.group), tokens[h + 1].capitalized {
            headEnd = h + 1
        } else if tokens[h].key == Self.task, doc.isWord(h + 1, Self.force), tokens[h + 1].capitalized {
            headEnd = h + 1
        } else if !heads.contains(tokens[h].key) {
            return nil
        }
        head = h
        // "Stand Alone Program_Form.docx": a file name, not a name.
        if doc.adjacent(headEnd), doc.isPunct(headEnd + 1, "_") { return nil }
        // "Leader Award\u{2014}Builder Application.pdf": a dash joined to the head goes on with a longer title.
        // ("Permanent Regulatory Program\u{2014}Small Operator Assistance Program" is two programs.)
        if Self.eventHeads.contains(tokens[headEnd].key), doc.adjacent(headEnd), doc.isPunct(headEnd + 1, "\u{2014}"),
           doc.adjacent(headEnd + 1), headEnd + 2 < tokens.count,
           tokens[headEnd + 2].capitalized { return nil }
        // Left: capitalized words, "of"/"and" between capitalized words.
        var first = head
        var k = head - 1
        // Names are short: bounding the walk keeps the scan linear on capitalized tables.
        while k >= 0, k >= head - 12 {
            let w = tokens[k]
            // "2008 Guidelines for Agency Preparation of Annual FOIA Reports": a year right before the head is
            // the name's first word; before other words ("2010 White House Memorandum") it only dates the instrument.
            if w.kind == .number, !w.formatted, w.end - w.start == 4, first == head, k == head - 1 {
                first = k
                break
            }
            if w.kind == .word, w.capitalized, Self.headlineWords.contains(w.key) { return nil }
            if w.kind == .word, w.capitalized, Self.headlineVerbs.contains(w.key) ||
                (Self.headlineInfinitives.contains(w.key) && doc.isWord(k - 1, Self.to)) { break }
            if w.kind == .word, w.capitalized || w.hasDigit, !Self.stops.contains(w.key), !w.inAddress,
               !isEvaluativeOpener(doc, k) {
                // "OIP's FOIA Technology Working Group": an agency's possessive names the owner, not the program.
                if w.possessive, w.allCaps || AgencyPatterns.shared.tails.contains(w.key) { break }
                first = k
                k -= 1
                continue
            }
            // "Community-Based Care Transitions Program": a hyphenated word is one word.
            if w.kind == .punct, w.key == Keys.punct("-"), k > 0, doc.adjacent(k - 1), doc.adjacent(k),
               tokens[k - 1].kind == .word, tokens[k - 1].capitalized {
                k -= 1
                continue
            }
            if w.kind == .word, w.key == Keys.of || w.key == Keys.and, k > 0, tokens[k - 1].kind == .word,
               tokens[k - 1].capitalized, !Self.stops.contains(tokens[k - 1].key) {
                // "National Hunger Awareness Day and Public Service Recognition Week": a head before "and" ends
                // a first name; the two are found one by one.
                if w.key == Keys.and, heads.contains(tokens[k - 1].key) { break }
                k -= 1
                continue
            }
            break
        }
        // "Office of the Secretary of Defense Vietnam Task Force": a body's name that runs through "of the" into the
        // words found opens the program's name (the walk stops at "the", which names otherwise never hold).
        if first >= 3, doc.isWord(first - 1, Keys.the), doc.isWord(first - 2, Keys.of),
           let start = bodyOpening(doc, before: first, head: head) {
            first = start
        }
        // "July FOIA Requester Roundtable", "October Best Practices Workshop": a month before an event's name dates
        // that meeting of it; the name starts after it.
        while first < head, tokens[first].kind == .word, !tokens[first].dotted, DateExtractor.months[tokens[first].key] != nil {
            first += 1
        }
        guard first < head else { return nil }
        if Self.observances[tokens[headEnd].key] != nil, Self.relativeTimes.contains(tokens[headEnd - 1].key) { return nil }
        // "Public Workshop", "Annual Conference": words that say only what kind of event, no name.
        if (first..<head).allSatisfy({ tokens[$0].kind == .word && Self.generic.contains(tokens[$0].key) }) { return nil }
        // "Department of Homeland Security Directive 023-01": a head with a number is a numbered document, not a
        // name; a year after it ("Sunshine Week 2010") dates the name and a decimal ("Open Government Plan 2.0")
        // gives its version.
        if headEnd + 1 < tokens.count, tokens[headEnd + 1].kind == .number, !tokens[headEnd + 1].formatted,
           tokens[headEnd + 1].end - tokens[headEnd + 1].start != 4 { return nil }
        // "Fiscal Year 2024 Generic Drug Science and Research Initiatives Workshop", "FY 2024 ...": the fiscal year
        // of an event or plan is part of its name.
        // (Read by the date scan's own fiscal-year reader, from a capital, ending right before the name.)
        if first >= 2, tokens[first - 1].kind == .number {
            for start in [first - 2, first - 3] where start >= 0 && tokens[start].capitalized {
                if DateExtractor().fiscalYear(doc, at: start)?.first?.last == first - 1 {
                    first = start
                    break
                }
            }
        }
        // "BOP Program Statements", "an Effective System In Place": the head is not the last word of a name.
        if headEnd + 1 < tokens.count, tokens[headEnd + 1].kind == .word, tokens[headEnd + 1].capitalized,
           !doc.capsLine[headEnd] {
            return nil
        }
        var last = headEnd
        // Right: "Memorandum on the FOIA", "Directive on Open Government", "Guidelines for Agency
        // Preparation of Annual FOIA Reports" (connectors between capitalized words belong to the name).
        if Self.complemented.contains(tokens[h].key), doc.isWord(headEnd + 1, in: AgencyPatterns.shared.openers) {
            var j = headEnd + 2
            while doc.isWord(j, Keys.the) { j += 1 }
            var end = j
            var lastCapital = -1
            while end < tokens.count, end < j + 10, tokens[end].kind == .word,
                  tokens[end].capitalized || (end > j && Self.complementJoins.contains(tokens[end].key)) {
                if tokens[end].capitalized { lastCapital = end }
                end += 1
            }
            if lastCapital >= j { last = lastCapital }
        }
        // "Electronic System for Travel Authorization (ESTA)": a complement the acronym closes.
        if last == headEnd, doc.isWord(headEnd + 1, in: AgencyPatterns.shared.openers) {
            var j = headEnd + 2
            while doc.isWord(j, Keys.the) { j += 1 }
            var end = j
            while end < tokens.count, end < j + 10, tokens[end].kind == .word, tokens[end].capitalized || (end > j && AgencyPatterns.shared.connectors.contains(tokens[end].key)) {
                end += 1
            }
            if end > j, tokens[end - 1].capitalized, doc.parenthesizedAcronym(at: end) != nil { last = end - 1 }
        }
        if let words = Self.observances[tokens[headEnd].key], headEnd - first + 1 < words { return nil }
        if last == headEnd, Self.eventHeads.contains(tokens[headEnd].key), doc.isWord(headEnd + 1, in: Self.complementJoins) {
            var j = headEnd + 2
            while doc.isWord(j, Keys.the) { j += 1 }
            if j < tokens.count, tokens[j].kind == .word, tokens[j].capitalized { return nil }
        }
        // A plural head is a description ("two FOIA Working Groups"), not a name.
        if tokens[headEnd].key != Self.guidelines, doc.scalars[tokens[headEnd].end - 1] == "s" {
            return nil
        }
        return (first, last)
    }

    /// The first token of a body's name in the gazetteer that runs through the "of the" before token `first` into
    /// the words from `first` and ends before the head ("Office of the Secretary of Defense" before "Vietnam Task
    /// Force"), or nil.
    private func bodyOpening(_ doc: DocumentText, before first: Int, head: Int) -> Int? {
        let tokens = doc.tokens
        var s = first - 3
        while s >= 0, s >= first - 6, tokens[s].kind == .word, tokens[s].capitalized, !Self.stops.contains(tokens[s].key) {
            if let m = gazetteer.trie.longestMatch(tokens, from: s), m.end > first, m.end <= head,
               m.values.contains(where: { gazetteer.entries[Int($0)].kind == .agency }) {
                return s
            }
            s -= 1
        }
        return nil
    }

    /// Whether the capitalized words after token `end - 1` ("Services", "and Medicaid Services", "Payment Advisory
    /// Commission") close a body's name, so that the words before them are part of it.
    private func insideBodyName(_ doc: DocumentText, after end: Int) -> Bool {
        let tokens = doc.tokens
        var k = end
        if doc.isWord(k, Keys.and) || doc.isPunct(k, "&") { k += 1 }
        var lastCapital = -1
        while k < tokens.count, k < end + 5, tokens[k].kind == .word, tokens[k].capitalized, !Self.stops.contains(tokens[k].key) {
            lastCapital = k
            k += 1
        }
        return lastCapital >= 0 && AgencyPatterns.shared.tails.contains(tokens[lastCapital].key)
    }

    /// Whether a headline's subject and verb come before token `first` on its line ("NASA Launches New Open Source
    /// Data Portal", "CFPB Continues to Update ..."); not a summary's sentence ("(Sec. 188) Creates the ... Fund").
    private func afterHeadlineVerb(_ doc: DocumentText, _ first: Int) -> Bool {
        let tokens = doc.tokens
        var k = first - 1
        while k >= 1, k >= first - 6, tokens[k].kind != .newline {
            let w = tokens[k]
            let subject = tokens[k - 1].kind == .word && tokens[k - 1].capitalized
            if w.kind == .word, w.capitalized, Self.headlineVerbs.contains(w.key), subject { return true }
            k -= 1
        }
        return false
    }

    /// An evaluative adjective after a word ("an Effective System"): it opens a description, not a name.
    private func isEvaluativeOpener(_ doc: DocumentText, _ k: Int) -> Bool {
        Self.evaluative.contains(doc.tokens[k].key) && k > 0 && doc.tokens[k - 1].kind == .word
    }

    /// Whether a name is only capitals and a head ("FEMA AFG Program") with a
    /// program acronym the text defines among them.
    static func namesDefinedAcronym(_ name: String, _ defined: [UInt64: (String, String)]) -> Bool {
        let words = name.split(separator: " ")
        guard words.count >= 2 else { return false }
        var hit = false
        for w in words.dropLast() {
            guard w.unicodeScalars.allSatisfy({ !$0.properties.isLowercase }) else { return false }
            if defined[Keys.raw(String(w))] != nil { hit = true }
        }
        return hit
    }

    /// One entity per program: names that fold alike or share an acronym
    /// (as `Entities.add` does, folding each name once).
    func merge(_ list: [ProgramEntity]) -> [ProgramEntity] {
        var out: [ProgramEntity] = []
        var byName: [String: Int] = [:]
        var byAcronym: [String: Int] = [:]
        for p in list {
            let key = gazetteer.folded(p.name)
            if let i = byName[key] ?? p.acronym.flatMap({ byAcronym[$0] }) {
                out[i].mentions = AgencyExtractor.union(out[i].mentions, p.mentions)
                if out[i].acronym == nil, let acronym = p.acronym {
                    out[i].acronym = acronym
                    byAcronym[acronym] = i
                }
                out[i].source = EntitySource.best(out[i].source, p.source)
            } else {
                byName[key] = out.count
                if let acronym = p.acronym, byAcronym[acronym] == nil { byAcronym[acronym] = out.count }
                out.append(p)
            }
        }
        return out
    }

    /// "Best Practices Working Group" and "FOIA Best Practices Working Group" in
    /// one document are one program, named by its fullest form; so are
    /// "President's Memorandum on the FOIA", "President's FOIA Memorandum" and
    /// "President Obama's FOIA Memorandum" (same owner, same instrument).
    static func mergeShortForms(_ programs: [ProgramEntity]) -> [ProgramEntity] {
        // Each name folded and split once, for both its shape and its fullness.
        let words = programs.map { Gazetteer.fold($0.name).split(separator: " ").map(String.init) }
        let keys = words.map(shape)
        let full = programs.indices.map { fullness(words[$0], programs[$0]) }
        // Every word-suffix of every rest -> the programs it ends, so each lookup is direct.
        var bySuffix: [String: [Int]] = [:]
        for (b, (_, rest)) in keys.enumerated() {
            var suffix = Substring(rest)
            while !suffix.isEmpty {
                bySuffix[String(suffix), default: []].append(b)
                guard let space = suffix.dropFirst().firstIndex(of: " ") else { break }
                suffix = suffix[space...]
            }
        }
        var into: [Int: Int] = [:]
        for a in programs.indices {
            let (ownerA, restA) = keys[a]
            let target = (bySuffix[restA] ?? []).filter { b in
                guard b != a else { return false }
                let (ownerB, restB) = keys[b]
                // An owner-less short form ("his FOIA Guidelines") belongs to the owned one.
                guard ownerA == ownerB || ownerA.isEmpty else { return false }
                guard restB == restA else { return restB.count > restA.count }
                // Alike but for "program" ("Medicare" and "Medicare Program"): the listed name is the canonical one.
                let listedA = programs[a].source == .gazetteer
                let listedB = programs[b].source == .gazetteer
                if listedA != listedB { return listedB }
                return full[b] > full[a] || (full[b] == full[a] && b < a)
            }.max { full[$0] < full[$1] }
            if let target { into[a] = target }
        }
        var merged = programs
        for a in into.keys.sorted() {
            var target = into[a] ?? a
            var steps = 0
            while let next = into[target], steps < programs.count { target = next; steps += 1 }
            merged[target].mentions += programs[a].mentions
            if merged[target].acronym == nil { merged[target].acronym = programs[a].acronym }
            merged[target].source = EntitySource.best(merged[target].source, programs[a].source)
        }
        for k in merged.indices where into[k] == nil { merged[k].mentions.sort { $0.start < $1.start } }
        return merged.indices.filter { into[$0] == nil }.map { merged[$0] }
    }

    /// How full a name is: words naming its owner ("President Obama's" over
    /// "President's"), then length.
    private static func fullness(_ words: [String], _ p: ProgramEntity) -> (Int, Int) {
        let owner = words.firstIndex(of: "s") ?? 0
        return (owner, p.name.unicodeScalars.count)
    }

    /// A program name's owner (first word before a possessive, "" if none) and
    /// the rest, from its folded words, with "X on [the] Y" read as "Y X".
    private static func shape(_ folded: [String]) -> (String, String) {
        var words = folded
        var owner = ""
        if let s = words.firstIndex(of: "s"), s > 0 {
            owner = words[0]
            words.removeSubrange(0...s)
        }
        // "FY 2024 Generic Drug ... Workshop" is the short form of "Fiscal Year 2024 Generic Drug ... Workshop".
        if let fy = words.firstIndex(of: "fy") { words.replaceSubrange(fy...fy, with: ["fiscal", "year"]) }
        if let on = words.firstIndex(of: "on"), on > 0, on + 1 < words.count {
            words = Array(words[(on + 1)...]) + Array(words[..<on])
        }
        // "Indoor AirPlus" and "Indoor AirPlus Program", "Firefighters Grant Program" and "Assistance to Firefighters
        // Grant (AFG) program": the head "program" does not tell two names apart.
        if words.count > 1, let last = words.last, last == "program" || last == "programs" { words.removeLast() }
        return (owner, " " + words.joined(separator: " "))
    }
}
