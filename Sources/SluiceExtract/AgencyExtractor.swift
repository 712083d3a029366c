import SluiceCore

/// Finds government bodies: gazetteer names and acronyms (trie), acronyms the
/// text defines in parentheses, court citations, and patterns for bodies no
/// list has ("Office of ...", "... Police Department", courts by name).
struct AgencyExtractor: Sendable {
    let gazetteer: Gazetteer

    private struct Found {
        var name: String
        var acronym: String?
        var parent: String?
        var mention: Mention
        var source: EntitySource
    }

    func extract(_ doc: DocumentText) -> [AgencyEntity] {
        let tokens = doc.tokens
        var found: [Found] = []
        var foundEntries = Set<Int>()
        var ambiguous: [(candidates: [Int32], mention: Mention)] = []
        var defined: [UInt64: Int] = [:] // acronym defined in the text (raw key) -> index in found
        var acronymTokens: [Int] = []
        let chambers = ChamberCues(tokens)
        let localCues = chambers.police
        let patterns = AgencyPatterns.shared // read once: its lists are asked at every capitalized word
        var committee = -1 // the first capitalized "Committee" after the last token that looked for one
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            guard t.kind == .word, !t.inAddress else { i += 1; continue }
            // Citations need a capital or a digit, gazetteer names a capital or dots, patterns a
            // capital: most words (lower case) can only be acronyms, so skip the three calls.
            if !t.capitalized, !t.hasDigit, !t.dotted {
                if t.allCaps { acronymTokens.append(i) } // the acronym test below, for an uncapitalized word
                i += 1
                continue
            }
            // "the Departments of State and Transportation": one department per item.
            if t.key == Self.departments, doc.isWord(i + 1, Keys.of) {
                for item in coordinatedDepartments(doc, from: i + 2) {
                    found.append(make(item.entry, doc.mention(item.first, item.last)))
                    foundEntries.insert(item.entry)
                }
                i += 1
                continue
            }
            // "Rules Committee", "Foreign Relations Committee": the chamber's "Committee on Rules".
            // (Only with a capitalized "Committee" in the six tokens after, the farthest its name ends: most
            // capitalized words have none, and looking for the name was a share of the agency scan.)
            if chambers.house + chambers.senate > 0 {
                if committee <= i { committee = Self.capitalizedCommittee(tokens, after: i) }
                if committee - i <= 6, let hit = invertedCommittee(doc, at: i, chambers) {
                    found.append(make(hit.entry, doc.mention(i, hit.last)))
                    foundEntries.insert(hit.entry)
                    i = hit.last + 1
                    continue
                }
            }
            // "the House" in a congressional text is the House of Representatives.
            if t.key == Self.house, !t.allCaps, chambers.senate + chambers.congress > 0, let entry = chamber(doc, at: i) {
                found.append(make(entry, doc.mention(i, i)))
                foundEntries.insert(entry)
                i += 1
                continue
            }
            if let hit = CourtCitations.match(doc, at: i) {
                found.append(Found(name: hit.name, acronym: hit.acronym, parent: nil, mention: doc.mention(hit.first, hit.last), source: .pattern))
                i = hit.last + 1
                continue
            }
            var end: Int?
            if t.capitalized || t.dotted, let match = gazetteer.trie.longestMatch(tokens, from: i),
               let entry = firstAgency(match.values), !(match.end - i == 1 && t.allCaps) {
                let mention = doc.mention(i, match.end - 1)
                var agencyCount = 0
                for v in match.values where gazetteer.entries[Int(v)].kind == .agency { agencyCount += 1 }
                if agencyCount == 1 {
                    found.append(make(entry, mention))
                    foundEntries.insert(entry)
                } else {
                    ambiguous.append((match.values.filter { gazetteer.entries[Int($0)].kind == .agency }, mention))
                }
                end = match.end
            } else if let pattern = patterns.match(doc, at: i, localCues: localCues) {
                // "Culturally and Linguistically Appropriate Services (CLAS) Standards": a program's head after the
                // acronym makes the name a program's (ProgramExtractor's), though its words end like a body's.
                if let def = doc.parenthesizedAcronym(at: pattern.last + 1), doc.isWord(def.close + 1, in: ProgramExtractor.heads),
                   tokens[def.close + 1].capitalized {
                    i = def.close + 1
                    continue
                }
                if let entry = chamberCommittee(pattern.name, chambers) {
                    found.append(make(entry, doc.mention(pattern.first, pattern.last)))
                    foundEntries.insert(entry)
                } else {
                    found.append(Found(name: pattern.name, acronym: nil, parent: nil, mention: doc.mention(pattern.first, pattern.last), source: .pattern))
                }
                end = pattern.last + 1
            }
            if let e = end {
                // "Immigration and Customs Enforcement (ICE)" defines ICE for this document.
                if let def = doc.parenthesizedAcronym(at: e) {
                    let index = found.isEmpty ? nil : found.count - 1
                    if let index, !ambiguous.contains(where: { $0.mention.start == tokens[i].start }) {
                        if found[index].acronym == nil || found[index].acronym != def.text { found[index].acronym = def.text }
                        // A name no list has, defined with its acronym by the document itself.
                        if found[index].source == .pattern { found[index].source = .definedAcronym }
                        defined[Keys.raw(def.text)] = index
                        found.append(Found(name: found[index].name, acronym: def.text, parent: found[index].parent,
                                           mention: doc.mention(def.first, def.close - 1), source: found[index].source))
                    }
                    i = def.close + 1
                } else {
                    i = e
                }
                continue
            }
            // Acronyms are written without dots: "D.C." is a place, not the Denali Commission (DC).
            // (Two capitals read from the token's flag: counting them per capitalized word was a scan of its scalars.)
            if !t.dotted, t.allCaps || (t.capitalized && t.end - t.start <= 8 && t.multipleUpper) { acronymTokens.append(i) }
            i += 1
        }
        // Acronyms alone: defined in the text, or the gazetteer's where unambiguous in context.
        var foundFolded: Set<String>?
        for k in acronymTokens {
            let t = tokens[k]
            if !defined.isEmpty, let index = defined[t.rawKey] { // most documents define none: no hashing then
                found.append(Found(name: found[index].name, acronym: doc.word(k), parent: found[index].parent, mention: doc.mention(k, k),
                                   source: found[index].source))
                continue
            }
            guard let candidates = gazetteer.acronyms[t.rawKey] else { continue }
            let mention = doc.mention(k, k)
            let agencies = candidates.filter { gazetteer.entries[$0].kind == .agency }
            if let named = agencies.first(where: { foundEntries.contains($0) }) {
                found.append(make(named, mention))
                continue
            }
            // "Related bill identified by CRS" on a Library of Congress page: of the bodies sharing an acronym,
            // the one whose parent the document names.
            if agencies.count > 1, !doc.capsLine[k] {
                if foundFolded == nil { foundFolded = Set(found.map { gazetteer.folded($0.name) }) }
                let withParent = agencies.filter { e in
                    gazetteer.entries[e].parent.map { foundFolded?.contains(gazetteer.folded($0)) ?? false } ?? false
                }
                if withParent.count == 1 {
                    found.append(make(withParent[0], mention))
                    continue
                }
            }
            // In a list of codes ("AP, APB, ARC, ARL"), a capitalized word beside others is a code, not an agency.
            if isCode(doc, k - 1, step: -1) || isCode(doc, k + 1, step: 1) { continue }
            // An acronym that is also a word ("SEC", "DOT") counts when written in capitals in a text that
            // already names two listed agencies: there it is one of them, not the word.
            let wordLikeOK = t.allCaps && foundEntries.count >= 2
            guard !doc.capsLine[k], agencies.count == 1,
                  t.end - t.start >= 3, wordLikeOK || !AgencyExtractor.wordLike.contains(t.key)
            else { continue }
            found.append(make(agencies[0], mention))
        }
        // Ambiguous names ("Office of the Inspector General"): the one whose parent the document names.
        let foundNames = ambiguous.isEmpty ? [] : Set(Set(found.map(\.name)).map(gazetteer.folded))
        for (candidates, mention) in ambiguous {
            if let pick = candidates.first(where: { c in
                gazetteer.entries[Int(c)].parent.map { foundNames.contains(gazetteer.folded($0)) } ?? false
            }) {
                found.append(make(Int(pick), mention))
                foundEntries.insert(Int(pick))
            } else {
                // Whose office it is the document does not say: the name alone.
                found.append(Found(name: gazetteer.entries[Int(candidates[0])].name, acronym: nil, parent: nil, mention: mention,
                                   source: .gazetteer))
            }
        }
        // Group by name first, so Entities.add (which folds every name it compares) runs once per body.
        var groups: [String: Int] = [:]
        groups.reserveCapacity(found.count) // growing rehashed every name found so far
        var list: [AgencyEntity] = []
        for f in found.sorted(by: { $0.mention.start < $1.mention.start }) {
            if let g = groups[f.name] {
                list[g].mentions.append(f.mention)
                if list[g].acronym == nil { list[g].acronym = f.acronym }
                list[g].source = EntitySource.best(list[g].source, f.source)
            } else {
                groups[f.name] = list.count
                list.append(AgencyEntity(name: f.name, acronym: f.acronym, parent: f.parent, mentions: [f.mention], source: f.source))
            }
        }
        return merge(list)
    }

    /// One entity per body: names that fold alike, or the same acronym under
    /// the same parent (as `Entities.add` does, folding each name once).
    func merge(_ list: [AgencyEntity]) -> [AgencyEntity] {
        var out: [AgencyEntity] = []
        var byName: [String: Int] = [:]
        byName.reserveCapacity(list.count)
        var byAcronym: [String: [Int]] = [:]
        var keys: [String] = [] // folded name of each entity in `out`
        for a in list {
            let key = gazetteer.folded(a.name)
            let sameAcronym = a.acronym.flatMap { byAcronym[$0] }?.first {
                !(out[$0].parent != nil && a.parent != nil && out[$0].parent != a.parent)
            }
            if let i = byName[key] ?? sameAcronym {
                out[i].mentions = Self.union(out[i].mentions, a.mentions)
                if out[i].acronym == nil, let acronym = a.acronym {
                    out[i].acronym = acronym
                    byAcronym[acronym, default: []].append(i)
                }
                if out[i].parent == nil { out[i].parent = a.parent }
                out[i].source = EntitySource.best(out[i].source, a.source)
            } else {
                byName[key] = out.count
                if let acronym = a.acronym { byAcronym[acronym, default: []].append(out.count) }
                out.append(a)
                keys.append(key)
            }
        }
        return Self.absorbCutNames(out, folded: keys)
    }

    /// A pattern name that is the start of a longer name found in the same document ("Committee on
    /// Standards of Official" where the text also has "... Official Conduct", cut by a lower-case word)
    /// is that body, not another.
    static func absorbCutNames(_ list: [AgencyEntity], folded: [String]) -> [AgencyEntity] {
        guard list.count > 1, list.count <= 512 else { return list }
        var into: [Int: Int] = [:]
        for a in list.indices where list[a].source == .pattern && list[a].acronym == nil {
            // Byte comparison: the folded names are lower-case words, and String.hasPrefix compares by grapheme.
            let prefix = Array((folded[a] + " ").utf8)
            if let b = list.indices.first(where: { $0 != a && into[$0] == nil && folded[$0].utf8.starts(with: prefix) }) { into[a] = b }
        }
        guard !into.isEmpty else { return list }
        var out = list
        for (a, b) in into { out[b].mentions = union(out[b].mentions, list[a].mentions) }
        return out.indices.filter { into[$0] == nil }.map { out[$0] }
    }

    /// Both lists' mentions in text order, each once.
    static func union(_ a: [Mention], _ b: [Mention]) -> [Mention] {
        let all = (a + b).sorted { ($0.start, $0.end) < ($1.start, $1.end) }
        var out: [Mention] = []
        out.reserveCapacity(all.count)
        for m in all where out.last.map({ $0.start != m.start || $0.end != m.end }) ?? true { out.append(m) }
        return out
    }

    /// Whether the nearest word on one side (across a comma) is an unknown all-capitals code.
    private func isCode(_ doc: DocumentText, _ start: Int, step: Int) -> Bool {
        var j = start
        if doc.isPunct(j, ",") { j += step }
        guard j >= 0, j < doc.tokens.count, doc.tokens[j].kind == .word, doc.tokens[j].allCaps else { return false }
        return gazetteer.acronyms[doc.tokens[j].rawKey] == nil
    }

    static let departments: UInt64 = 0xc573_29d0_ff6b_27dc // Keys.of("departments")
    static let house: UInt64 = 0x4d3e_3b7b_4e55_c31b // Keys.of("house")
    static let senate: UInt64 = 0x5d37_4318_c1ab_9e6b // Keys.of("senate")
    static let congress: UInt64 = 0x6bbf_3b93_3719_af23 // Keys.of("congress")
    static let committee: UInt64 = 0x162e_8f7c_a5f2_15c6 // Keys.of("committee")
    private static let chamberCues = Keys.set(["the", "in", "to", "by", "from", "with"])

    /// The items of "Departments of A, B, and C" that name a listed department ("Department of A",
    /// "Department of the A"), as gazetteer entries with their token spans. An item may have
    /// several words ("Health and Human Services"): the longest listed one is taken.
    func coordinatedDepartments(_ doc: DocumentText, from start: Int) -> [(entry: Int, first: Int, last: Int)] {
        let tokens = doc.tokens
        var out: [(entry: Int, first: Int, last: Int)] = []
        var k = start
        // A list is short: at most 16 items, each of at most five words.
        while k < tokens.count, out.count < 16 {
            if doc.isWord(k, Keys.the) { k += 1 }
            guard k < tokens.count, tokens[k].kind == .word, tokens[k].capitalized else { break }
            // "Departments of Agriculture, Commerce, DOD, DOE, ...": an acronym item is left to the acronym pass.
            if tokens[k].allCaps, !(k + 1 < tokens.count && tokens[k + 1].kind == .word && tokens[k + 1].capitalized) {
                k += 1
                if doc.isPunct(k, ",") { k += 1 }
                if doc.isWord(k, Keys.and) { k += 1 }
                if doc.isPunct(k - 1, ",") || doc.isWord(k - 1, Keys.and) { continue }
                break
            }
            var best: (entry: Int, last: Int)?
            var words: [String] = []
            var j = k
            while j < tokens.count, j < k + 5, tokens[j].kind == .word {
                words.append(doc.word(j))
                if tokens[j].capitalized, let e = department(words.joined(separator: " ")) { best = (e, j) }
                j += 1
            }
            guard let hit = best else { break }
            out.append((hit.entry, k, hit.last))
            k = hit.last + 1
            if doc.isPunct(k, ",") { k += 1 }
            if doc.isWord(k, Keys.and) { k += 1 }
            if doc.isPunct(k - 1, ",") || doc.isWord(k - 1, Keys.and) { continue }
            break
        }
        return out
    }

    private func department(_ item: String) -> Int? {
        for name in ["department of " + item, "department of the " + item] {
            if let e = gazetteer.entries(folded: Gazetteer.fold(name)).first(where: { gazetteer.entries[$0].kind == .agency }) {
                return e
            }
        }
        return nil
    }

    /// "the House" (not "House Committee", "House Calendar"), in a text that also names the Senate or Congress.
    private func chamber(_ doc: DocumentText, at i: Int) -> Int? {
        guard doc.isWord(i - 1, in: Self.chamberCues), !(i + 1 < doc.tokens.count && doc.tokens[i + 1].kind == .word
                  && (doc.tokens[i + 1].capitalized || doc.tokens[i + 1].key == Keys.of)),
              !doc.capsLine[i]
        else { return nil }
        return gazetteer.entries(folded: Gazetteer.fold("House of Representatives")).first { gazetteer.entries[$0].kind == .agency }
    }

    /// "Committee on Ways and Means" in a congressional text: the listed House or Senate committee of
    /// that name, the chamber the text names more often deciding when both have one.
    private func chamberCommittee(_ name: String, _ cues: ChamberCues) -> Int? {
        guard cues.house + cues.senate > 0, name.hasPrefix("Committee on ") || name.hasPrefix("Committee of ") else { return nil }
        let house = gazetteer.entries(folded: Gazetteer.fold("House " + name)).first { gazetteer.entries[$0].kind == .agency }
        let senate = gazetteer.entries(folded: Gazetteer.fold("Senate " + name)).first { gazetteer.entries[$0].kind == .agency }
        if let house, cues.house > cues.senate || (senate == nil && cues.house > 0) { return house }
        if let senate, cues.senate > cues.house || (house == nil && cues.senate > 0) { return senate }
        return nil
    }

    /// "[House|Senate] <Capitalized words> Committee" as the listed "House Committee on <words>" (or the
    /// Senate's), with the last token of the name.
    private func invertedCommittee(_ doc: DocumentText, at i: Int, _ cues: ChamberCues) -> (entry: Int, last: Int)? {
        let tokens = doc.tokens
        var first = i
        var chamber: String?
        if tokens[i].key == Self.house || tokens[i].key == Self.senate {
            chamber = tokens[i].key == Self.house ? "House" : "Senate"
            first = i + 1
        }
        var k = first
        while k < tokens.count, k < first + 5, tokens[k].kind == .word, tokens[k].key != Self.committee,
              tokens[k].capitalized || (tokens[k].key == Keys.and && k > first) {
            if tokens[k].possessive { return nil }
            k += 1
        }
        guard k > first, doc.isWord(k, Self.committee), tokens[k].capitalized, !doc.isWord(k - 1, Keys.and) else { return nil }
        let words = doc.string(tokens[first].start, tokens[k - 1].end)
        if let chamber {
            let e = gazetteer.entries(folded: Gazetteer.fold(chamber + " Committee on " + words)).first { gazetteer.entries[$0].kind == .agency }
            return e.map { ($0, k) }
        }
        return chamberCommittee("Committee on " + words, cues).map { ($0, k) }
    }

    /// The index of the first capitalized "Committee" word after token i, else tokens.count.
    private static func capitalizedCommittee(_ tokens: [Token], after i: Int) -> Int {
        var k = i + 1
        while k < tokens.count, !(tokens[k].kind == .word && tokens[k].key == committee && tokens[k].capitalized) { k += 1 }
        return k
    }

    /// How often a text names each chamber and Congress (capitalized), counted once per document; and whether it
    /// has "police" or "sheriff" at all (most do not), found in the same pass.
    struct ChamberCues {
        var house = 0, senate = 0, congress = 0
        var police = false

        init(_ tokens: [Token]) {
            for t in tokens {
                if t.key == AgencyPatterns.police || t.key == AgencyPatterns.sheriff { police = true }
                guard t.kind == .word && t.capitalized else { continue }
                if t.key == AgencyExtractor.house { house += 1 }
                else if t.key == AgencyExtractor.senate { senate += 1 }
                else if t.key == AgencyExtractor.congress { congress += 1 }
            }
        }
    }

    private func firstAgency(_ values: [Int32]) -> Int? {
        values.first { gazetteer.entries[Int($0)].kind == .agency }.map(Int.init)
    }

    private func make(_ entry: Int, _ mention: Mention) -> Found {
        let e = gazetteer.entries[entry]
        return Found(name: e.name, acronym: e.acronym, parent: e.parent, mention: mention, source: .gazetteer)
    }

    /// Acronyms that are also English words: only with the full name or a definition in the document.
    static let wordLike = Keys.set([
        "ice", "it", "us", "do", "go", "am", "pm", "or", "is", "as", "at", "be", "me", "no", "on", "so", "up", "we",
        "act", "aid", "art", "can", "cap", "car", "cat", "fair", "fed", "gap", "mint", "nice", "sea", "sec", "ore",
        "doe", "dot", "ed", "eta", "ops", "pc", "co", "ha", "ad", "osc", "tax", "civil", "census", "criminal",
    ])
}
