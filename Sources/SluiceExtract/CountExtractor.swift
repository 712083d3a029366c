import SluiceCore

/// Finds numbers that count or measure something: "approximately 3,600 U.S.
/// citizens", "39 percent", "$1.2 million", "twelve requests", "20 working
/// days", "a 30-day delay". Identifiers (sections, dockets, "287(g)", phone
/// numbers, ZIP codes, list and page numbers) and date parts are not counts.
struct CountExtractor: Sendable {
    static let wordNumbers: KeyTable<Double> = {
        let words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                     "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
        var m = KeyTable<Double>(capacity: 32)
        for (i, w) in words.enumerated() { m[Keys.of(w)] = Double(i + 1) }
        for (i, w) in ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"].enumerated() {
            m[Keys.of(w)] = Double((i + 2) * 10)
        }
        m[Keys.of("dozen")] = 12
        return m
    }()
    private static let multipliers = KeyTable<Double>([
        (Keys.of("hundred"), 1e2), (Keys.of("thousand"), 1e3), (Keys.of("million"), 1e6), (Keys.of("billion"), 1e9), (Keys.of("trillion"), 1e12),
    ])
    private static let durations: KeyTable<String> = {
        var m = KeyTable<String>(capacity: 16)
        for u in ["minute", "hour", "day", "week", "month", "year"] {
            m[Keys.of(u)] = u + "s"
            m[Keys.of(u + "s")] = u + "s"
        }
        return m
    }()
    /// Adjectives between a number and its duration unit: "20 working days".
    private static let durationAdjectives = Keys.set(["working", "business", "calendar", "fiscal", "consecutive", "additional", "full", "more"])
    private static let percentWords = Keys.set(["percent", "percentage", "pct"])
    private static let dollars = Keys.set(["dollars", "dollar", "usd"])
    private static let one: UInt64 = 0x1a08_aa19_21ca_5caf // Keys.of("one")
    private static let at: UInt64 = 0x089c_4e07_b545_a968 // Keys.of("at")
    private static let wordOr: UInt64 = 0x08b0_5407_b556_5ca4 // Keys.of("or")
    private static let wordMore: UInt64 = 0x0d1b_e7a2_c400_c080 // Keys.of("more")
    private static let wordGreater: UInt64 = 0x6cd9_6eb7_c3ac_3f19 // Keys.of("greater")
    private static let wordLess: UInt64 = 0x24dc_7fad_a229_7118 // Keys.of("less")
    private static let wordFewer: UInt64 = 0x7056_aadf_e71a_9272 // Keys.of("fewer")

    private static let half: UInt64 = 0x2e33_a6cc_7412_3124 // Keys.of("half")
    private static let other: UInt64 = 0x0a24_ad61_c256_2a55 // Keys.of("other")
    private static let nays: UInt64 = 0xc478_c7ba_8e29_7ae8 // Keys.of("nays")
    private static let nay: UInt64 = 0x212b_c719_2567_150b // Keys.of("nay")
    private static let present: UInt64 = 0x6f3f_2303_c025_8eac // Keys.of("present")
    /// Verbs whose object is a count when no noun follows the number: "DOD reported 575, and ...".
    private static let countingVerbs = Keys.set([
        "reported", "reporting", "received", "receiving", "processed", "processing", "granted", "granting", "denied",
        "denying", "totaled", "totaling", "totalled", "numbered",
    ])

    /// "DOD reported 575,", "reporting approximately twenty-nine": a counting verb, maybe through a qualifier.
    private func afterCountingVerb(_ doc: DocumentText, _ first: Int) -> Bool {
        if doc.isWord(first - 1, in: Self.countingVerbs) { return true }
        // Qualifiers are one to three words: look for the verb first, the qualifier (22 patterns) only then.
        guard doc.isWord(first - 2, in: Self.countingVerbs) || doc.isWord(first - 3, in: Self.countingVerbs)
                || doc.isWord(first - 4, in: Self.countingVerbs)
        else { return false }
        return qualifierBefore(doc, first) != nil
    }

    /// "the highest number of backlogged requests at 6856", "the next highest number at 1673", "reported the fewest
    /// backlogged requests with 159": the number a clause about "the number of X", or with a counting verb, gives after
    /// "at", "with" or "was", in the same sentence.
    private func afterTheNumberOf(_ doc: DocumentText, _ first: Int) -> Bool {
        guard doc.isWord(first - 1, in: Self.valueJoins) else { return false }
        var k = first - 2
        while k >= 0, k >= first - 12 {
            let t = doc.tokens[k]
            if t.kind == .newline || (t.kind == .punct && (doc.isPunct(k, ".") || doc.isPunct(k, ";"))) { return false }
            if t.kind == .word, t.key == Self.number || Self.countingVerbs.contains(t.key) { return true }
            k -= 1
        }
        return false
    }
    private static let valueJoins = Keys.set(["at", "with", "was"])
    private static let number: UInt64 = 0x8031_a80d_73f6_ebe0 // Keys.of("number")

    /// A roll-call tally: "Yeas and Nays: 97 - 318, 7 Present" (the House), "Yea-Nay Vote. 58 - 40." (the Senate).
    /// The subject of the number at i, and its last token.
    private func tally(_ doc: DocumentText, at i: Int) -> (String, Int)? {
        let tokens = doc.tokens
        // "Nays" or "Nay" shortly before, on the same line.
        var k = i - 1
        var seen = false
        while k >= 0, k >= i - 16, tokens[k].kind != .newline {
            if tokens[k].key == Self.nays || tokens[k].key == Self.nay { seen = true; break }
            k -= 1
        }
        guard seen else { return nil }
        if !doc.adjacent(i), doc.isPunct(i + 1, "-"), !doc.adjacent(i + 1), i + 2 < tokens.count, tokens[i + 2].kind == .number { return ("yeas", i) }
        if i >= 2, doc.isPunct(i - 1, "-"), !doc.adjacent(i - 1), tokens[i - 2].kind == .number { return ("nays", i) }
        if doc.isWord(i + 1, Self.present) { return ("present", i + 1) }
        return nil
    }

    /// What a labelled field counts: the plural nouns that end a label ("Total Estimated Number of Annual Respondents:").
    private static let fieldNouns = Keys.set([
        "respondents", "responses", "hours", "participants", "applicants", "requests", "appeals", "complaints", "submissions",
    ])

    /// A field whose value is the number alone, as the information-collection notices of the Federal Register write their
    /// estimates: "Total Estimated Number of Annual Burden Hours: 93." (93 hours), "... Annual Respondents: 4." The label
    /// ends in a counted noun and a colon; the value ends its sentence or line. The unit, and the subject (the noun
    /// and the word before it, "burden hours", unless that word is the label's "of"), of the number at i.
    private func labelled(_ doc: DocumentText, at i: Int) -> (String, String)? {
        let tokens = doc.tokens
        guard i >= 2, doc.isPunct(i - 1, ":"), doc.adjacent(i - 2), tokens[i - 2].kind == .word,
              Self.fieldNouns.contains(tokens[i - 2].key),
              i + 1 >= tokens.count || tokens[i + 1].kind == .newline || (doc.isPunct(i + 1, ".") && doc.adjacent(i)
                  && (i + 2 >= tokens.count || tokens[i + 2].kind == .newline || !doc.adjacent(i + 1)))
        else { return nil }
        let from = i >= 3 && tokens[i - 3].kind == .word && tokens[i - 3].key != Keys.of ? i - 3 : i - 2
        let subject = doc.string(tokens[from].start, tokens[i - 2].end).lowercased()
        return (Self.durations[tokens[i - 2].key] ?? "count", subject)
    }

    /// "Cosponsors (17)": a number in parentheses right after a plural noun counts that noun.
    private func parenthesized(_ doc: DocumentText, at i: Int) -> (String, Int)? {
        let tokens = doc.tokens
        guard i >= 2, doc.isPunct(i - 1, "("), doc.adjacent(i - 1), doc.adjacent(i), doc.isPunct(i + 1, ")"),
              !tokens[i].formatted, tokens[i - 2].kind == .word, !tokens[i - 2].hasDigit, tokens[i - 2].end - tokens[i - 2].start > 3,
              !DateExtractor.identifierCues.contains(tokens[i - 2].key)
        else { return nil }
        let last = doc.scalars[tokens[i - 2].end - 1]
        guard last == "s" || last == "S" else { return nil }
        return (doc.word(i - 2).lowercased(), i)
    }

    /// "557,825": digits in thousands groups, no decimals.
    static func isGrouped(_ doc: DocumentText, _ t: Token) -> Bool {
        guard t.kind == .number, t.formatted, t.number >= 1000 else { return false }
        var comma = false
        for k in t.start..<t.end {
            if doc.scalars[k] == "." { return false }
            if doc.scalars[k] == "," { comma = true }
        }
        return comma
    }
    /// Words that cannot start a counted subject ("one of", "two or more").
    private static let notSubjects = Keys.set([
        "of", "or", "to", "in", "for", "that", "which", "and", "the", "a", "an", "is", "are", "was", "were", "be",
        "with", "on", "at", "by", "from", "as", "will", "have", "has", "per", "than", "more", "less", "another",
        "such", "other", "times", "p", "am", "pm", "noon", "if", "when", "who", "it", "its", "their", "his", "her",
        "this", "these", "those", "we", "you", "they", "he", "she", "i", "through", "cents",
    ])
    /// Words before "one" that make it a pronoun or an idiom ("any one year", "no one").
    private static let oneIdioms = Keys.set(["any", "no", "the", "this", "that", "each", "every", "only", "which", "at", "someone", "last", "another"])
    private static let subjectStops = Keys.set([
        "of", "to", "in", "for", "that", "which", "and", "or", "the", "a", "is", "are", "was", "were", "be", "with",
        "on", "at", "by", "from", "as", "will", "have", "has", "had", "per", "than", "who", "were", "been", "being",
        "each", "into", "under", "over", "would", "could", "should", "may", "must", "can", "did", "do", "does",
    ])

    func extract(_ doc: DocumentText, skipping consumed: [Bool]) -> [CountEntity] {
        let tokens = doc.tokens
        var groups: [Group: Int] = [:]
        var counts: [CountEntity] = []
        // Roll-call tallies need "Nays" or "Nay": one look at the document spares every number the look back.
        let tallies = tokens.contains { $0.key == Self.nays || $0.key == Self.nay }
        // Read once, not through the global's lazy-initialization check (swift_once) at every word.
        let wordNumbers = Self.wordNumbers
        var i = 0
        while i < tokens.count {
            if consumed[i] || tokens[i].inAddress { i += 1; continue }
            // A number against the word, number or line break before it ("0\n0\n43" of a table) is an identifier:
            // without a tally to read, `count` finds none of its earlier forms there, which need "(" or ":" before
            // the number. Answered here, without the call.
            if !tallies, tokens[i].kind == .number, Self.touchesNonPunct(doc, i) { i += 1; continue }
            if let start = leadingValue(doc, at: i, wordNumbers: wordNumbers),
               let (entity, last) = count(doc, at: i, start: start, consumed: consumed, tallies: tallies) {
                let key = Group(value: entity.value, unit: entity.unit, subject: entity.subject ?? "")
                if let g = groups[key] {
                    counts[g].mentions.append(contentsOf: entity.mentions)
                } else {
                    groups[key] = counts.count
                    counts.append(entity)
                }
                i = last + 1
            } else {
                i += 1
            }
        }
        return counts
    }

    /// The counts of a document that are one fact: the same value, unit and subject (no subject is the
    /// empty one). Compared as they are, not written into a string first ("\(value)|unit|subject" printed
    /// the value for every count found); a count's value is finite and not negative, so values are equal
    /// exactly where their printed forms were.
    private struct Group: Hashable {
        let value: Double
        let unit: String
        let subject: String
    }

    /// The number a count at token i opens with, and the token after it: a number, a number word
    /// ("twelve", "twenty-five") or "half-". Nil for any other token, which opens no count: most
    /// tokens are answered here, without a call to `count`. (Inlined: it runs for every token.)
    @inline(__always) private func leadingValue(
        _ doc: DocumentText, at i: Int, wordNumbers: KeyTable<Double>
    ) -> (value: Double, after: Int, isWord: Bool)? {
        let tokens = doc.tokens
        let t = tokens[i]
        if t.kind == .number {
            // A digit run past 10^15 is no count anyone wrote (and may be infinite, which JSON cannot hold).
            guard t.number.isFinite, t.number.magnitude < 1e15 else { return nil }
            return (t.number, i + 1, false)
        }
        guard t.kind == .word else { return nil }
        if let v = wordNumbers[t.key] {
            var value = v
            var after = i + 1
            // "twenty-five"
            if v >= 20, doc.adjacent(i), doc.isPunct(i + 1, "-"), doc.adjacent(i + 1), after + 1 < tokens.count,
               let ones = wordNumbers[tokens[i + 2].key], ones < 10 {
                value += ones
                after = i + 3
            }
            if t.key == Self.one, doc.isWord(i - 1, in: Self.oneIdioms) { return nil }
            return (value, after, true)
        }
        if t.key == Self.half, doc.adjacent(i), doc.isPunct(i + 1, "-") { return (0.5, i + 1, true) }
        return nil
    }

    private func count(
        _ doc: DocumentText, at i: Int, start: (value: Double, after: Int, isWord: Bool), consumed: [Bool], tallies: Bool
    ) -> (CountEntity, Int)? {
        let tokens = doc.tokens
        let t = tokens[i]
        var value = start.value
        var after = start.after
        let isWord = start.isWord
        if t.kind == .number {
            if let (subject, last) = (tallies ? tally(doc, at: i) : nil) ?? parenthesized(doc, at: i) {
                return (CountEntity(value: value, unit: "count", subject: subject, mentions: [doc.mention(i, last)]), last)
            }
            if let (unit, subject) = labelled(doc, at: i) {
                return (CountEntity(value: value, unit: unit, subject: subject, mentions: [doc.mention(i, i)]), i)
            }
            if isIdentifier(doc, at: i) { return nil }
        }
        var first = i
        var last = after - 1
        var unit = "count"
        var subject: String?
        if doc.isPunct(i - 1, "$"), doc.adjacent(i - 1) {
            unit = "USD"
            first = i - 1
        }
        if after < tokens.count, let m = Self.multipliers[tokens[after].key] {
            value *= m
            last = after
            after += 1
        }
        if unit == "USD" {
            if doc.isWord(after, in: Self.dollars) { last = after; after += 1 }
        } else if doc.isPunct(after, "%"), doc.adjacent(after - 1) {
            unit = "percent"
            last = after
            after += 1
        } else if doc.isWord(after, in: Self.percentWords) {
            unit = "percent"
            last = after
            after += 1
        } else if doc.isWord(after, in: Self.dollars) {
            unit = "USD"
            last = after
            after += 1
        } else if doc.adjacent(after - 1), doc.isPunct(after, "-") || doc.isPunct(after, "\u{2013}"), doc.adjacent(after),
                  after + 1 < tokens.count, tokens[after + 1].kind == .word {
            // "30-day", "two-day", "three-part test"
            if let u = Self.durations[tokens[after + 1].key] {
                unit = u
                last = after + 1
                after += 2
            } else if isWord, !Self.notSubjects.contains(tokens[after + 1].key), !Self.fractions.contains(tokens[after + 1].key),
                      !tokens[after + 1].hasDigit,
                      !tokens[after + 1].allCaps {
                // "three-part test"; "2-chloro" or "4-H" with digits are names, not counts.
                guard let s = subjectPhrase(doc, from: after + 1) else { return nil }
                subject = s.text
                last = after + 1
                after = s.end
            } else {
                return nil
            }
        } else if let u = duration(doc, at: after) {
            unit = u.unit
            if u.last > after { subject = doc.string(doc.tokens[after].start, doc.tokens[u.last].end) }
            last = u.last
            after = u.last + 1
        } else {
            if t.key == Self.half { return nil }
            // "2 other summaries": "other" opens a subject here, not a comparison.
            let otherSubject = doc.isWord(after, Self.other) && after + 1 < tokens.count && tokens[after + 1].kind == .word
                && !tokens[after + 1].capitalized && !Self.notSubjects.contains(tokens[after + 1].key)
            // A bare number counts only with what it counts ...
            guard after < tokens.count, tokens[after].kind == .word, !tokens[after].hasDigit,
                  otherSubject || !Self.notSubjects.contains(tokens[after].key), !consumed[after]
            else {
                // ... or when it is grouped in thousands ("was 557,825.", "received 18,581 requests"
                // already has one): what it counts was named before it, and no identifier is written so;
                // or when it is the object of a verb that takes a count ("DOD reported 575,").
                guard (!isWord && Self.isGrouped(doc, t)) || ((!isWord || value >= 2) && !(1900...2099).contains(value)
                          && (afterCountingVerb(doc, first) || afterTheNumberOf(doc, first)))
                else { return nil }
                let mention = doc.mention(first, last)
                return (CountEntity(value: value, unit: unit, subject: nil, qualifier: qualifierBefore(doc, first), mentions: [mention]), last)
            }
            // A number before a capitalized word is an address or a citation ("1425 New York Avenue",
            // "5 U.S.C."), except "3,600 U.S. citizens"; a spelled-out number may start a name.
            let next = tokens[after]
            if !isWord, next.capitalized {
                // "554 U.S. 570" and "554 U.S. at 570" are reporter citations.
                let usCitizens = next.dotted && next.key == Keys.us && after + 1 < tokens.count
                    && tokens[after + 1].kind == .word && !tokens[after + 1].capitalized && tokens[after + 1].key != Self.at
                if !usCitizens { return nil }
            }
            // "one plaintiff's claim": one of several, not a count.
            if t.key == Self.one, next.possessive { return nil }
            guard let s = subjectPhrase(doc, from: after) else { return nil }
            subject = s.text
            last = after
        }
        if unit == "count", !isWord, !t.formatted, value >= 1900, value <= 2099 { return nil }
        var qualifier = qualifierBefore(doc, first)
        if doc.isWord(after, Self.wordOr), after + 1 < tokens.count {
            if doc.isWord(after + 1, Self.wordMore) || doc.isWord(after + 1, Self.wordGreater) {
                qualifier = "at least"
            } else if doc.isWord(after + 1, Self.wordLess) || doc.isWord(after + 1, Self.wordFewer) {
                qualifier = "up to"
            }
        }
        let mention = doc.mention(first, last)
        return (CountEntity(value: value, unit: unit, subject: subject, qualifier: qualifier, mentions: [mention]), last)
    }

    /// "days", "working days", "fiscal years" at token k.
    private func duration(_ doc: DocumentText, at k: Int) -> (unit: String, last: Int)? {
        guard k < doc.tokens.count else { return nil }
        if let u = Self.durations[doc.tokens[k].key], doc.tokens[k].kind == .word { return (u, k) }
        if doc.isWord(k, in: Self.durationAdjectives), k + 1 < doc.tokens.count, doc.tokens[k + 1].kind == .word,
           let u = Self.durations[doc.tokens[k + 1].key] {
            return (u, k + 1)
        }
        return nil
    }

    /// Up to four words after the number, to the first function word or punctuation.
    private func subjectPhrase(_ doc: DocumentText, from k: Int) -> (text: String, end: Int)? {
        var j = k
        while j < doc.tokens.count, j < k + 4 {
            let t = doc.tokens[j]
            guard t.kind == .word, !Self.subjectStops.contains(t.key) else { break }
            // "commenters expressed concern": a past-tense verb ends the subject.
            if j > k, t.end - t.start > 3, doc.scalars[t.end - 1] == "d", doc.scalars[t.end - 2] == "e" { break }
            j += 1
            if t.possessive { break }
        }
        guard j > k else { return nil }
        return (doc.string(doc.tokens[k].start, doc.tokens[j - 1].end), j)
    }

    /// Whether the number at token i is part of an identifier, a citation, a
    /// phone number, a time or a list.
    private func isIdentifier(_ doc: DocumentText, at i: Int, depth: Int = 0) -> Bool {
        let tokens = doc.tokens
        let t = tokens[i]
        if Self.touchesNonPunct(doc, i) { return true }
        if i > 0, doc.adjacent(i - 1) {
            if !(doc.isPunct(i - 1, "$") || doc.isPunct(i - 1, "(") || doc.isPunct(i - 1, "\u{201C}") || doc.isPunct(i - 1, "\"")) { return true }
            // "(1)", "(202)": list numbers and area codes.
            if doc.isPunct(i - 1, "("), doc.adjacent(i), doc.isPunct(i + 1, ")") { return true }
        }
        if doc.adjacent(i), i + 1 < tokens.count, tokens[i + 1].kind == .punct {
            if Self.attachedAfter.contains(tokens[i + 1].key) { return true }
            if doc.isPunct(i + 1, "-") || doc.isPunct(i + 1, "\u{2013}") || doc.isPunct(i + 1, "."),
               doc.adjacent(i + 1), i + 2 < tokens.count, tokens[i + 2].kind == .number {
                return true
            }
        }
        // Numbering at the start of a line: "1.", "2)", "IV."
        if i == 0 || tokens[i - 1].kind == .newline {
            if doc.isPunct(i + 1, ".") || doc.isPunct(i + 1, ")") { return true }
        }
        if doc.isPunct(i - 1, ")"), i >= 3, doc.isPunct(i - 3, "(") { return true } // "(202) 514-1010"
        if doc.isWord(i - 1, in: DateExtractor.identifierCues) { return true }
        if doc.isPunct(i - 1, "."), doc.isWord(i - 2, in: DateExtractor.identifierCues) { return true }
        if DateExtractor.followsCitationPrefix(doc, i) { return true }
        if doc.isPunct(i - 1, "\u{00A7}") || doc.isPunct(i - 1, "#") { return true }
        // "sections 553 or 554", "Exemptions 2 and 7": the next item of a list of identifiers.
        // (Looking back at most four items keeps long number lists linear.)
        if depth < 4, i >= 2, doc.isWord(i - 1, in: Self.listJoins) || doc.isPunct(i - 1, ","), tokens[i - 2].kind == .number,
           isIdentifier(doc, at: i - 2, depth: depth + 1) {
            return true
        }
        // ZIP codes, docket and document numbers: long numbers without separators.
        if !t.formatted, t.end - t.start >= 5 { return true }
        return false
    }

    /// Whether the token before i is a word, a number or a line break touching it (a number opening its line):
    /// a number so written is part of an identifier.
    @inline(__always) private static func touchesNonPunct(_ doc: DocumentText, _ i: Int) -> Bool {
        i > 0 && doc.adjacent(i - 1) && doc.tokens[i - 1].kind != .punct
    }

    /// "two-thirds", "one-quarter": shares, not counts.
    private static let fractions = Keys.set(["third", "thirds", "quarter", "quarters", "fourth", "fourths", "fifth", "fifths", "tenth", "tenths", "half", "halves"])
    /// Punctuation that makes a number part of an identifier when it follows without a space: "552(a)", "1/2", "10:00".
    private static let attachedAfter = KeySet(["(", "/", ":", "[", "\u{00A7}"].map { Keys.punct($0) })
    private static let listJoins = Keys.set(["or", "and", "through", "to"])

    private static let qualifiers: [(words: [UInt64], qualifier: String)] = [
        (["approximately"], "approximately"), (["about"], "approximately"), (["around"], "approximately"),
        (["roughly"], "approximately"), (["an", "estimated"], "approximately"),
        (["more", "than"], "more than"), (["over"], "more than"), (["greater", "than"], "more than"),
        (["in", "excess", "of"], "more than"), (["less", "than"], "less than"), (["fewer", "than"], "less than"),
        (["under"], "less than"), (["at", "least"], "at least"), (["no", "fewer", "than"], "at least"),
        (["no", "less", "than"], "at least"), (["up", "to"], "up to"), (["as", "many", "as"], "up to"),
        (["no", "more", "than"], "up to"), (["at", "most"], "up to"), (["nearly"], "nearly"),
        (["almost"], "nearly"), (["close", "to"], "nearly"),
    ].map { pair in (pair.0.map { Keys.of($0) }, pair.1) }

    private func qualifierBefore(_ doc: DocumentText, _ first: Int) -> String? {
        var best: (Int, String)?
        for (words, q) in Self.qualifiers {
            let start = first - words.count
            guard start >= 0 else { continue }
            var ok = true
            for (n, w) in words.enumerated() where !doc.isWord(start + n, w) { ok = false; break }
            if ok, best == nil || words.count > best?.0 ?? 0 { best = (words.count, q) }
        }
        return best?.1
    }
}
