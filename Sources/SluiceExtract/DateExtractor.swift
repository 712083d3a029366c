import SluiceCore

/// Finds dates in every written form of EXTRACTION.md: "August 6, 2013",
/// "6 August 2013", "Aug. 6", "2013-08-06", "08/06/2013", "7-21-04",
/// "August 2013", years, fiscal years ("FY13", "fiscal year 2013") and
/// ranges. Numbers that are identifiers (docket, reporter and Westlaw
/// numbers, section numbers) are not dates.
struct DateExtractor: Sendable {
    struct Result {
        var dates: [DateEntity]
        /// Tokens that belong to a date (the count scanner skips them).
        var consumed: [Bool]
    }

    /// A date as read, over tokens `first...last` (internal: the program scan asks `fiscalYear` where a name's
    /// fiscal year ends).
    struct Found {
        var year: Int?
        var month: Int?
        var day: Int?
        var fiscal = false
        var first: Int
        var last: Int
    }

    static let months: KeyTable<Int> = {
        var m = KeyTable<Int>(capacity: 32)
        let names = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december"]
        for (i, name) in names.enumerated() {
            m[Keys.of(name)] = i + 1
            m[Keys.of(String(name.prefix(3)))] = i + 1
        }
        m[Keys.of("sept")] = 9
        return m
    }()

    static func month(_ key: UInt64) -> Int? { months[key] }

    private static let fiscal: UInt64 = 0xa45d_b4d8_8e7b_9563 // Keys.of("fiscal")
    private static let yearWords = Keys.set(["year", "years"])
    private static let fyRaw: UInt64 = 0x0905_6307_b59e_b620 // Keys.raw("FY")
    private static let may: UInt64 = 0x080f_5019_176d_1e46 // Keys.of("may")
    private static let rangeWords = Keys.set(["through", "to", "and", "until", "thru"])
    private static let recurring = Keys.set(["each", "every"])
    private static let monthOnlyCues = Keys.set(["in", "since", "during", "until", "by", "early", "late", "mid", "from", "through", "of"])
    /// Words before a number that make it an identifier, not a year.
    static let identifierCues = Keys.set([
        "no", "nos", "number", "docket", "suite", "room", "box", "order", "orders", "case", "file", "form", "page",
        "pages", "p", "pp", "section", "sections", "part", "parts", "chapter", "title", "exemption", "exemptions",
        "local", "rin", "doc", "vol", "volume", "stat", "usc", "cfr", "fr", "route", "highway", "id", "forms", "code",
        "suites", "ext", "extension", "fax", "phone", "telephone", "tel", "paragraph", "paragraphs", "item", "step", "footnote", "note", "n",
    ])
    /// Units after a number that make it a measure, not a year.
    private static let measureWords = Keys.set([
        "day", "days", "week", "weeks", "month", "months", "hour", "hours", "minute", "minutes", "percent", "dollars",
    ])
    private static let ordinalSuffixes = Keys.set(["st", "nd", "rd", "th", "d"])
    private static let listWords = Keys.set(["and", "or", "to"])
    private static let citationIdentifiers = KeySet([Keys.raw("WL"), Keys.raw("LEXIS")])

    func extract(_ doc: DocumentText, documentYear: Int?) -> Result {
        let tokens = doc.tokens
        var consumed = [Bool](repeating: false, count: tokens.count)
        var found: [Found] = []
        var i = 0
        while i < tokens.count {
            if tokens[i].inAddress { i += 1; continue }
            let before = found.count
            match(doc, at: i, into: &found)
            if found.count == before { i += 1; continue }
            var last = i
            for hit in found[before...] { last = max(last, hit.last) }
            for k in i...last { consumed[k] = true }
            i = last + 1
        }
        // A date without a year takes the document's: its dateline or, failing
        // that, the year its full dates mostly name.
        let year = documentYear ?? Self.dominantYear(found)
        var groups: [String: Int] = [:]
        // At most one group a date found: no rehashing as the groups grow.
        groups.reserveCapacity(found.count)
        var dates: [DateEntity] = []
        func add(_ d: DateEntity) {
            if let g = groups[d.value] {
                dates[g].mentions.append(contentsOf: d.mentions)
            } else {
                groups[d.value] = dates.count
                dates.append(d)
            }
        }
        for f in found {
            let mention = doc.mention(f.first, f.last)
            guard let y = f.year ?? year else { continue }
            // CalendarDate writes only dates that exist (a four-digit year above all: "999-01-01"
            // fails the schema), whatever rule found them.
            if f.fiscal {
                guard let fy = CalendarDate.fiscalYear(y) else { continue }
                add(DateEntity(value: fy.value, precision: .fiscalYear, start: fy.start, end: fy.end, mentions: [mention]))
            } else if let m = f.month, let d = f.day {
                guard let value = CalendarDate.day(y, m, d) else { continue }
                add(DateEntity(value: value, precision: .day, mentions: [mention]))
            } else if let m = f.month {
                guard let value = CalendarDate.month(y, m) else { continue }
                add(DateEntity(value: value, precision: .month, mentions: [mention]))
            } else {
                guard let value = CalendarDate.year(y) else { continue }
                add(DateEntity(value: value, precision: .year, mentions: [mention]))
            }
        }
        return Result(dates: dates, consumed: consumed)
    }

    /// Appends the dates that start at token i to `found`, if any. (Appending, not returning an array:
    /// this runs for every token, and nearly all of them start no date; inlined for the same reason.)
    @inline(__always) private func match(_ doc: DocumentText, at i: Int, into found: inout [Found]) {
        let t = doc.tokens[i]
        if t.kind == .word {
            if let hits = fiscalYear(doc, at: i) {
                found += hits
            } else if t.capitalized, let m = Self.months[t.key] {
                found += monthFirst(doc, at: i, month: m)
            }
            return
        }
        guard t.kind == .number, !t.formatted else { return }
        if let hit = numeric(doc, at: i) {
            found.append(hit)
            return
        }
        // "6 August 2013"
        // (The month's capital tested before its lookup: a number is mostly followed by no capitalized word.)
        if let n = t.integer, (1...31).contains(n), doc.tokens.indices.contains(i + 1), doc.tokens[i + 1].capitalized,
           let m = Self.months[doc.tokens[i + 1].key] {
            var k = i + 1
            if doc.isPunct(k + 1, ".") { k += 1 }
            if let y = year(doc, k + 1) {
                found.append(Found(year: y, month: m, day: n, first: i, last: k + 1))
                return
            }
        }
        yearAlone(doc, at: i, into: &found)
    }

    /// "fiscal year 2013", "Fiscal Years 2009 and 2010", "FY 2013", "FY13", "FY2013".
    /// (Inlined: it is asked of every word, and answers nil for nearly all.)
    @inline(__always) func fiscalYear(_ doc: DocumentText, at i: Int) -> [Found]? {
        let tokens = doc.tokens
        var k = i
        if tokens[i].key == Self.fiscal, doc.isWord(i + 1, in: Self.yearWords) {
            k = i + 2
        } else if tokens[i].rawKey == Self.fyRaw {
            k = i + 1
        } else if tokens[i].hasDigit, doc.scalars[tokens[i].start] == "F", doc.scalars[tokens[i].start + 1] == "Y" {
            var v = 0
            var digits = 0
            for s in doc.scalars[(tokens[i].start + 2)..<tokens[i].end] {
                // At most four digits: a longer run is no year (and would overflow `v`).
                guard Tokenizer.isDigit(s), digits < 4 else { return nil }
                v = v * 10 + Int(s.value - 48)
                digits += 1
            }
            guard digits == 2 || (digits == 4 && (1900...2099).contains(v)) else { return nil }
            return [Found(year: digits == 2 ? Self.century(v) : v, fiscal: true, first: i, last: i)]
        } else {
            return nil
        }
        guard let y = fiscalNumber(doc, k) else { return nil }
        var hits = [Found(year: y, fiscal: true, first: i, last: k)]
        // "Fiscal Years 2009 and 2010", "FY 2008-2012".
        if doc.isWord(k + 1, in: Self.rangeWords) || doc.isPunct(k + 1, "-") || doc.isPunct(k + 1, "\u{2013}"),
           let y2 = fiscalNumber(doc, k + 2), y2 > y {
            hits.append(Found(year: y2, fiscal: true, first: k + 2, last: k + 2))
        }
        return hits
    }

    private func fiscalNumber(_ doc: DocumentText, _ k: Int) -> Int? {
        guard k < doc.tokens.count, doc.tokens[k].kind == .number, !doc.tokens[k].formatted else { return nil }
        let digits = doc.tokens[k].end - doc.tokens[k].start
        guard let v = doc.tokens[k].integer else { return nil }
        if digits == 4, (1900...2099).contains(v) { return v }
        if digits == 2 { return Self.century(v) }
        return nil
    }

    /// "August 6, 2013", "Aug. 6", "June 15th", "May 3-4, 2011",
    /// "November 30 - December 1, 2010", "August 2013", "in May".
    private func monthFirst(_ doc: DocumentText, at i: Int, month: Int) -> [Found] {
        let tokens = doc.tokens
        var k = i + 1
        if doc.isPunct(k, "."), doc.adjacent(i) { k += 1 }
        if let d = day(doc, k) {
            var hits = [Found(month: month, day: d, first: i, last: k)]
            var end = k
            // A range: "3-4", "30 - December 1", "3 through 5".
            if doc.isPunct(k + 1, "-") || doc.isPunct(k + 1, "\u{2013}") || doc.isWord(k + 1, in: Self.rangeWords) {
                var j = k + 2
                var m2 = month
                if j < tokens.count, let m = Self.months[tokens[j].key], tokens[j].capitalized {
                    m2 = m
                    j += 1
                    if doc.isPunct(j, "."), doc.adjacent(j - 1) { j += 1 }
                }
                if let d2 = day(doc, j), (m2 != month || d2 > d) {
                    hits.append(Found(month: m2, day: d2, first: j, last: j))
                    end = j
                }
            }
            var y = end + 1
            if doc.isPunct(y, ",") { y += 1 }
            if let year = year(doc, y) {
                for h in hits.indices { hits[h].year = year }
                hits[hits.count - 1].last = y
            } else if doc.isWord(end + 1, Keys.of), doc.isWord(end + 2, in: Self.recurring), doc.isWord(end + 3, in: Self.yearWords) {
                // "no later than February 1 of each year": a yearly deadline, not a day in time.
                return []
            }
            return hits
        }
        var y = k
        if doc.isPunct(y, ",") { y += 1 }
        if let year = year(doc, y) { return [Found(year: year, month: month, first: i, last: y)] }
        // A month alone only after "in", "since", ...: "May" is also a verb.
        if doc.isWord(i - 1, in: Self.monthOnlyCues), tokens[i].key != Self.may || tokens[i].capitalized {
            if tokens[i].end - tokens[i].start >= 3, !doc.isPunct(k, ".") || tokens[i].end - tokens[i].start > 3 {
                return [Found(month: month, first: i, last: i)]
            }
        }
        return []
    }

    /// A day of the month at token k: "6", "15th".
    private func day(_ doc: DocumentText, _ k: Int) -> Int? {
        guard k < doc.tokens.count else { return nil }
        let t = doc.tokens[k]
        var v = 0
        if t.kind == .number, !t.formatted, t.end - t.start <= 2, let n = t.integer {
            v = n
            // "May 3,600" or "June 10:30" are not days.
            if doc.adjacent(k), doc.isPunct(k + 1, ":") { return nil }
        } else if t.kind == .word, t.hasDigit {
            var digits = 0
            var k2 = t.start
            while k2 < t.end, Tokenizer.isDigit(doc.scalars[k2]) {
                // A day has at most two digits: stop before a long run overflows `v`.
                guard digits < 2 else { return nil }
                v = v * 10 + Int(doc.scalars[k2].value - 48)
                digits += 1
                k2 += 1
            }
            var suffix = Keys.offset
            for c in doc.scalars[k2..<t.end] { suffix = Keys.mix(suffix, Tokenizer.lower(c)) }
            guard digits > 0, digits <= 2, Self.ordinalSuffixes.contains(suffix) else { return nil }
        } else {
            return nil
        }
        return (1...31).contains(v) ? v : nil
    }

    /// A four-digit year at token k. (Inlined: `yearAlone` asks it of every number.)
    @inline(__always) private func year(_ doc: DocumentText, _ k: Int) -> Int? {
        guard k < doc.tokens.count, doc.tokens[k].kind == .number, !doc.tokens[k].formatted,
              doc.tokens[k].end - doc.tokens[k].start == 4
        else { return nil }
        guard let v = doc.tokens[k].integer else { return nil }
        return CalendarDate.years.contains(v) ? v : nil
    }

    /// "2013-08-06", "08/06/2013", "8/6/13", "7-21-04".
    /// (Inlined, with only the cheap test: it is asked of every number, and most are followed by a line
    /// break or a space, not by the "/" or "-" of a date.)
    @inline(__always) private func numeric(_ doc: DocumentText, at i: Int) -> Found? {
        guard i + 4 < doc.tokens.count, doc.tokens[i + 1].kind == .punct else { return nil }
        return numericDate(doc, at: i)
    }

    /// The date of `numeric` at token i, which passed its cheap test (punctuation after the number, four more tokens).
    private func numericDate(_ doc: DocumentText, at i: Int) -> Found? {
        let tokens = doc.tokens
        guard doc.adjacent(i), doc.adjacent(i + 1), doc.adjacent(i + 2), doc.adjacent(i + 3),
              tokens[i + 2].kind == .number, tokens[i + 4].kind == .number
        else { return nil }
        let sep = tokens[i + 1]
        guard sep.key == tokens[i + 3].key,
              sep.key == Keys.punct("/") || sep.key == Keys.punct("-")
        else { return nil }
        // Part of a longer identifier ("No. 09-1-2010-3")? A line break before it is no glue: "12/16/2009" opening
        // a line of an action log is a date.
        if i > 0, doc.adjacent(i - 1), tokens[i - 1].kind != .newline,
           tokens[i - 1].kind != .punct || tokens[i - 1].key == sep.key { return nil }
        // "09-1-2010-3" goes on with digits; "9/7/2011--Passed Senate" is a date and a dash.
        if doc.adjacent(i + 4), doc.isPunct(i + 5, "/") || (doc.isPunct(i + 5, "-") && !doc.isPunct(i + 6, "-")) { return nil }
        if doc.isWord(i - 1, in: Self.identifierCues) || (doc.isPunct(i - 1, ".") && doc.isWord(i - 2, in: Self.identifierCues)) { return nil }
        let a = tokens[i], b = tokens[i + 2], c = tokens[i + 4]
        let la = a.end - a.start, lb = b.end - b.start, lc = c.end - c.start
        if la == 4, lb <= 2, lc <= 2, sep.key == Keys.punct("-") {
            // ISO dates have four-digit years: "0999-01-01" is no date Sluice can write.
            guard let y = a.integer, let m = b.integer, let d = c.integer, CalendarDate.years.contains(y),
                  (1...12).contains(m), (1...31).contains(d) else { return nil }
            return Found(year: y, month: m, day: d, first: i, last: i + 4)
        }
        guard la <= 2, lb <= 2, lc == 4 || lc == 2 else { return nil }
        guard let m = a.integer, let d = b.integer, let c = c.integer else { return nil }
        let y = lc == 4 ? c : Self.century(c)
        guard (1...12).contains(m), (1...31).contains(d), (1900...2099).contains(y) else { return nil }
        return Found(year: y, month: m, day: d, first: i, last: i + 4)
    }

    /// A year written alone ("in 2013", "Act of 1995", "(2010)") or a year range, appended to `found`
    /// (most numbers are no year: no array is made for them, and, inlined, no call for them).
    @inline(__always) private func yearAlone(_ doc: DocumentText, at i: Int, into found: inout [Found]) {
        guard let y = year(doc, i), (1900...2099).contains(y) else { return }
        yearAlone(doc, at: i, year: y, into: &found)
    }

    /// `yearAlone` for the number at token i, which is the year `y`.
    private func yearAlone(_ doc: DocumentText, at i: Int, year y: Int, into found: inout [Found]) {
        guard !isIdentifier(doc, at: i) else { return }
        let tokens = doc.tokens
        // "2008-2012": both years.
        if doc.adjacent(i), doc.isPunct(i + 1, "-") || doc.isPunct(i + 1, "\u{2013}") {
            guard doc.adjacent(i + 1), let y2 = year(doc, i + 2), y2 > y, y2 <= 2099,
                  !(doc.adjacent(i + 2) && i + 3 < tokens.count && tokens[i + 3].kind == .punct && !doc.isPunct(i + 3, ")") && !doc.isPunct(i + 3, ",") && !doc.isPunct(i + 3, ".") && !doc.isPunct(i + 3, ";"))
            else { return }
            found.append(Found(year: y, first: i, last: i))
            found.append(Found(year: y2, first: i + 2, last: i + 2))
            return
        }
        if doc.adjacent(i), doc.isPunct(i + 1, "/") { return }
        found.append(Found(year: y, first: i, last: i))
    }

    /// Whether the number at token i is part of an identifier or citation, or a
    /// measure ("pending for 1944 days", "reduced by 1891 and 1977 requests").
    private func isIdentifier(_ doc: DocumentText, at i: Int) -> Bool {
        let tokens = doc.tokens
        if doc.isWord(i + 1, in: Self.measureWords) || (doc.adjacent(i) && doc.isPunct(i + 1, "%")) { return true }
        if i >= 2, doc.isWord(i - 1, in: Self.listWords), tokens[i - 2].kind == .number,
           year(doc, i - 2).map({ !(1900...2099).contains($0) }) ?? true,
           i + 1 < tokens.count, tokens[i + 1].kind == .word, !tokens[i + 1].capitalized {
            return true
        }
        if i > 0, doc.adjacent(i - 1) {
            let p = tokens[i - 1]
            if p.kind != .punct { return true }
            if !(doc.isPunct(i - 1, "(") || doc.isPunct(i - 1, "\u{201C}") || doc.isPunct(i - 1, "\"")) { return true }
        }
        if doc.isWord(i - 1, in: Self.identifierCues) { return true }
        if doc.isPunct(i - 1, "."), doc.isWord(i - 2, in: Self.identifierCues) { return true }
        if Self.followsCitationPrefix(doc, i) { return true }
        if doc.isPunct(i - 1, "\u{00A7}") { return true }
        // "2010 WL 1759562", "2010 U.S. Dist. LEXIS 42864".
        var k = i + 1
        while k < tokens.count, k <= i + 6, tokens[k].kind != .newline {
            if Self.citationIdentifiers.contains(tokens[k].rawKey) { return true }
            if tokens[k].kind == .number { break }
            k += 1
        }
        // A reporter page: "130 S. Ct. 2010", "76 FR 1995".
        k = i - 1
        var abbreviations = 0
        while k >= 0, k >= i - 5 {
            let t = tokens[k]
            if t.kind == .number { return abbreviations > 0 }
            if t.kind == .word, t.dotted || t.hasDigit || t.allCaps || (doc.adjacent(k) && doc.isPunct(k + 1, ".")) {
                abbreviations += 1
            } else if !(t.kind == .punct && t.key == Keys.punct(".")) {
                break
            }
            k -= 1
        }
        return false
    }

    /// Bill and document citations: "H.R. 1954", "S. 968", "H. Res. 26", "H. Rept. 112-1", "H. Doc. 111-84".
    /// A number after a dotted capital abbreviation or one of these words is a citation, not a year or a count.
    static func followsCitationPrefix(_ doc: DocumentText, _ i: Int) -> Bool {
        var k = i - 1
        if doc.isPunct(k, ".") { k -= 1 }
        guard k >= 0, k < i - 1 || doc.tokens[k].dotted, doc.tokens[k].kind == .word else { return false }
        let t = doc.tokens[k]
        if citationWords.contains(t.key) { return true }
        // "H.R.", "H.J.", "S.": capitals and dots only ("U.S." too: "554 U.S. 570" is a reporter page).
        return t.capitalized && (t.dotted ? t.allCaps : t.end - t.start == 1)
    }
    private static let citationWords = Keys.set(["res", "rept", "amdt", "con", "hres", "sres", "hr"])

    static func century(_ yy: Int) -> Int { yy < 50 ? 2000 + yy : 1900 + yy }


    private static func dominantYear(_ found: [Found]) -> Int? {
        var counts: [Int: Int] = [:]
        var order: [Int] = []
        for f in found where f.day != nil && !f.fiscal {
            guard let y = f.year else { continue }
            if counts[y] == nil { order.append(y) }
            counts[y, default: 0] += 1
        }
        return order.max { (counts[$0] ?? 0) < (counts[$1] ?? 0) }
    }
}
