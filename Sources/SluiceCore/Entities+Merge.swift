extension Entities {
    /// Folds a name the way the scorers and users compare names: lower case,
    /// no leading "the", no "U.S."/"United States", "&" as "and", no punctuation.
    public static func foldName(_ name: String) -> String {
        var cleaned: [UInt8]
        if let ascii = asciiCleaned(name) {
            cleaned = ascii
        } else {
            var text = ""
            text.reserveCapacity(name.utf8.count)
            for scalar in name.lowercased().unicodeScalars {
                if scalar == "&" {
                    text += " and "
                } else if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                    text.unicodeScalars.append(scalar)
                } else if scalar == "." {
                    continue
                } else {
                    text += " "
                }
            }
            cleaned = Array(text.utf8)
        }
        return joinedWords(&cleaned)
    }

    /// The words of a cleaned name (runs of bytes other than space), without a leading "the" or
    /// any "us" or "united states", joined by one space. Compacted in place: each word moves left
    /// or stays, never over a byte not yet read (splitting into Substrings and joining them was
    /// most of folding's cost, which merging a FOIA report's entities pays per agency).
    static func joinedWords(_ bytes: inout [UInt8]) -> String {
        let space = UInt8(ascii: " ")
        func word(from start: Int) -> Range<Int>? {
            var i = start
            while i < bytes.count, bytes[i] == space { i += 1 }
            guard i < bytes.count else { return nil }
            var end = i
            while end < bytes.count, bytes[end] != space { end += 1 }
            return i..<end
        }
        func isWord(_ range: Range<Int>, _ text: String) -> Bool {
            range.count == text.utf8.count && bytes[range].elementsEqual(text.utf8)
        }
        var written = 0
        var next = word(from: 0)
        if let first = next, isWord(first, "the") { next = word(from: first.upperBound) }
        while let current = next {
            next = word(from: current.upperBound)
            if isWord(current, "us") { continue }
            if isWord(current, "united"), let following = next, isWord(following, "states") {
                next = word(from: following.upperBound)
                continue
            }
            if written > 0 {
                bytes[written] = space
                written += 1
            }
            for i in current {
                bytes[written] = bytes[i]
                written += 1
            }
        }
        return String(decoding: bytes[..<written], as: UTF8.self)
    }

    /// The same cleaning as `foldName`'s scalar loop, on bytes, for ASCII names (nearly all of
    /// them): lowercased() and Unicode property lookups per scalar made folding 2.4% of a run.
    /// nil for a name with any non-ASCII byte.
    static func asciiCleaned(_ name: String) -> [UInt8]? {
        var name = name
        return name.withUTF8 { utf8 -> [UInt8]? in
            var ascii = true
            // Written straight into the new array's storage (appending byte by byte was most of the cost).
            // Invariant: a byte becomes at most five ("&" is " and "), so `written` never passes the
            // capacity, and exactly `written` bytes are initialized.
            let out = [UInt8](unsafeUninitializedCapacity: 5 * utf8.count) { buffer, initialized in
                var written = 0
                func put(_ byte: UInt8) {
                    buffer[written] = byte
                    written += 1
                }
                for byte in utf8 {
                    switch byte {
                    case 0x80...:
                        ascii = false
                        initialized = 0
                        return
                    case UInt8(ascii: "A")...UInt8(ascii: "Z"): put(byte + 0x20)
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): put(byte)
                    case UInt8(ascii: "&"): for b in " and ".utf8 { put(b) }
                    case UInt8(ascii: "."): continue
                    default: put(UInt8(ascii: " "))
                    }
                }
                initialized = written
            }
            return ascii ? out : nil
        }
    }

    /// Adds `other`'s entities to these: one entity per agency, date or program
    /// however many extractors found it, with their mentions united.
    public mutating func merge(_ other: Entities) {
        // Names are folded once per entity here, not once per comparison as `add` does:
        // a merge into a long agency list folded every name again for every addition.
        var agencyKeys: [String]? // each agency's folded name, when `other` brings agencies
        if !other.agencies.isEmpty {
            var folded = agencies.map { Entities.foldName($0.name) }
            for agency in other.agencies {
                let key = Entities.foldName(agency.name)
                if let i = agencies.indices.first(where: { folded[$0] == key || agencies[$0].sharesAcronym(with: agency) }) {
                    agencies[i].absorb(agency)
                } else {
                    agencies.append(agency)
                    folded.append(key)
                }
            }
            agencyKeys = folded
        }
        for date in other.dates { add(date) }
        if !other.programs.isEmpty {
            var folded = programs.map { Entities.foldName($0.name) }
            for program in other.programs {
                let key = Entities.foldName(program.name)
                if let i = programs.indices.first(where: {
                    folded[$0] == key || (programs[$0].acronym != nil && programs[$0].acronym == program.acronym)
                }) {
                    programs[i].mentions = Self.union(programs[i].mentions, program.mentions)
                    if programs[i].acronym == nil { programs[i].acronym = program.acronym }
                    programs[i].source = EntitySource.best(programs[i].source, program.source)
                } else {
                    programs.append(program)
                    folded.append(key)
                }
            }
        }
        if let agencyKeys { moveProgramsNamingAgencies(agencyKeys) }
        // Structured exports bring thousands of counts: index them instead of searching.
        var index: [CountKey: Int] = [:]
        index.reserveCapacity(counts.count + other.counts.count)
        for (i, count) in counts.enumerated() { _ = Self.claim(&index[Self.key(count)], for: i) }
        for count in other.counts {
            if let i = Self.claim(&index[Self.key(count)], for: counts.count) {
                counts[i].mentions = Self.union(counts[i].mentions, count.mentions)
                counts[i].source = EntitySource.best(counts[i].source, count.source)
            } else {
                counts.append(count)
            }
        }
    }

    /// The index already in a count's slot of the merge's index; else nil, and the slot takes `new`.
    /// (Through the slot, each count's key is hashed once, not once to look it up and again to add it.)
    private static func claim(_ slot: inout Int?, for new: Int) -> Int? {
        if let existing = slot { return existing }
        slot = new
        return nil
    }

    /// A name the document gives as an agency (a Federal Register notice's own AGENCY heading,
    /// "Unified Carrier Registration Plan") is that agency, not also a program; so is its short form
    /// led by the initials of the words before its last ones ("UCR Plan"). Their mentions go to the agency.
    /// `agencyKeys`: each agency's folded name, as `merge` folded them.
    mutating func moveProgramsNamingAgencies(_ agencyKeys: [String]) {
        guard !programs.isEmpty else { return }
        var byName: [String: Int] = [:]
        for (i, key) in agencyKeys.enumerated() where byName[key] == nil { byName[key] = i }
        var kept: [ProgramEntity] = []
        for program in programs {
            let key = Entities.foldName(program.name)
            if let i = byName[key] ?? Self.initialsOwner(program.name, folded: key, agencyKeys) {
                agencies[i].mentions = Self.union(agencies[i].mentions, program.mentions)
            } else {
                kept.append(program)
            }
        }
        programs = kept
    }

    /// The agency whose name a program's name shortens to its initials: "UCR Plan" for "Unified Carrier
    /// Registration Plan" (the first word all capitals, two letters or more; the rest the agency's last words;
    /// the capitals the initials of the words before them, connectives left out).
    private static func initialsOwner(_ name: String, folded: String, _ agencyKeys: [String]) -> Int? {
        let words = folded.split(separator: " ")
        guard words.count >= 2, let first = name.split(separator: " ").first, first.count >= 2,
              first.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else { return nil }
        let rest = words.dropFirst()
        return agencyKeys.firstIndex { key in
            let agency = key.split(separator: " ")
            guard agency.count > rest.count, agency.suffix(rest.count).elementsEqual(rest) else { return false }
            let initials = agency.dropLast(rest.count).filter { !connectives.contains($0) }.compactMap(\.first)
            return String(initials) == words[0]
        }
    }

    private static let connectives: Set<Substring> = ["and", "of", "the", "for"]

    /// What makes two counts the same fact: value, unit, subject and context (compared as they
    /// are, not serialized into a string first: structured exports bring thousands per document).
    /// Only value, subject and the context's component are hashed: hashing each fact's whole context
    /// (three keys and their values) was most of a merge's cost, and without the component a FOIA
    /// report's facts for every component of an agency shared a bucket, each compared with the others.
    struct CountKey: Hashable {
        let value: Double
        let unit: String
        let subject: String?
        let context: JSONValue?

        init(_ count: CountEntity) {
            value = count.value
            unit = count.unit
            subject = count.subject
            context = count.context.map(JSONValue.object)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(value)
            hasher.combine(subject)
            // Equal contexts are equal pair by pair, so their first "component" pairs are equal too.
            if case let .object(pairs)? = context, let component = pairs.first(where: { $0.0 == "component" }),
               case let .string(name) = component.1 {
                hasher.combine(name)
            }
        }

        static func == (a: CountKey, b: CountKey) -> Bool {
            a.value == b.value && a.subject == b.subject && a.unit == b.unit && a.context == b.context
        }
    }

    static func key(_ count: CountEntity) -> CountKey { CountKey(count) }

    public mutating func add(_ agency: AgencyEntity) {
        let key = Entities.foldName(agency.name)
        if let i = agencies.firstIndex(where: { Entities.foldName($0.name) == key || $0.sharesAcronym(with: agency) }) {
            agencies[i].absorb(agency)
        } else {
            agencies.append(agency)
        }
    }

    public mutating func add(_ date: DateEntity) {
        if let i = dates.firstIndex(where: { $0.value == date.value }) {
            dates[i].mentions = Self.union(dates[i].mentions, date.mentions)
            dates[i].source = EntitySource.best(dates[i].source, date.source)
        } else {
            dates.append(date)
        }
    }

    public mutating func add(_ program: ProgramEntity) {
        let key = Entities.foldName(program.name)
        if let i = programs.firstIndex(where: {
            Entities.foldName($0.name) == key || ($0.acronym != nil && $0.acronym == program.acronym)
        }) {
            programs[i].mentions = Self.union(programs[i].mentions, program.mentions)
            if programs[i].acronym == nil { programs[i].acronym = program.acronym }
            programs[i].source = EntitySource.best(programs[i].source, program.source)
        } else {
            programs.append(program)
        }
    }

    public mutating func add(_ count: CountEntity) {
        let key = Self.key(count)
        if let i = counts.firstIndex(where: { Self.key($0) == key }) {
            counts[i].mentions = Self.union(counts[i].mentions, count.mentions)
            counts[i].source = EntitySource.best(counts[i].source, count.source)
        } else {
            counts.append(count)
        }
    }

    static func union(_ a: [Mention], _ b: [Mention]) -> [Mention] {
        if b.isEmpty { return a }
        var seen = Set(a)
        var out = a
        for m in b where seen.insert(m).inserted { out.append(m) }
        out.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        return out
    }
}

extension AgencyEntity {
    /// The same acronym, and not two different parents: the same agency under another name.
    func sharesAcronym(with other: AgencyEntity) -> Bool {
        acronym != nil && acronym == other.acronym && !(parent != nil && other.parent != nil && parent != other.parent)
    }

    /// Takes in another finding of this agency: its mentions, and an acronym or parent this one lacks.
    mutating func absorb(_ other: AgencyEntity) {
        mentions = Entities.union(mentions, other.mentions)
        if acronym == nil { acronym = other.acronym }
        if parent == nil { parent = other.parent }
        source = EntitySource.best(source, other.source)
    }
}

extension Entities {
    /// Gives every entity that has no source this one (a producer's default).
    public mutating func setSourceWhereUnknown(_ source: EntitySource) {
        for i in agencies.indices where agencies[i].source == nil { agencies[i].source = source }
        for i in dates.indices where dates[i].source == nil { dates[i].source = source }
        for i in programs.indices where programs[i].source == nil { programs[i].source = source }
        for i in counts.indices where counts[i].source == nil { counts[i].source = source }
    }
}
