extension Entities {
    /// Folds a name the way the scorers and users compare names: lower case,
    /// no leading "the", no "U.S."/"United States", "&" as "and", no punctuation.
    public static func foldName(_ name: String) -> String {
        var words: [Substring] = []
        var cleaned = ""
        cleaned.reserveCapacity(name.utf8.count)
        for scalar in name.lowercased().unicodeScalars {
            if scalar == "&" {
                cleaned += " and "
            } else if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                cleaned.unicodeScalars.append(scalar)
            } else if scalar == "." {
                continue
            } else {
                cleaned += " "
            }
        }
        words = cleaned.split(separator: " ")
        if words.first == "the" { words.removeFirst() }
        var out: [Substring] = []
        var i = 0
        while i < words.count {
            if words[i] == "us" { i += 1; continue }
            if words[i] == "united", i + 1 < words.count, words[i + 1] == "states" { i += 2; continue }
            out.append(words[i])
            i += 1
        }
        return out.joined(separator: " ")
    }

    /// Adds `other`'s entities to these: one entity per agency, date or program
    /// however many extractors found it, with their mentions united.
    public mutating func merge(_ other: Entities) {
        for agency in other.agencies { add(agency) }
        for date in other.dates { add(date) }
        for program in other.programs { add(program) }
        // Structured exports bring thousands of counts: index them instead of searching.
        var index: [String: Int] = [:]
        for (i, count) in counts.enumerated() { index[Self.key(count)] = index[Self.key(count)] ?? i }
        for count in other.counts {
            let key = Self.key(count)
            if let i = index[key] {
                counts[i].mentions = Self.union(counts[i].mentions, count.mentions)
            } else {
                index[key] = counts.count
                counts.append(count)
            }
        }
    }

    /// What makes two counts the same fact.
    static func key(_ count: CountEntity) -> String {
        let context = count.context.map { JSONValue.object($0).serialized() } ?? ""
        return "\(count.value)|\(count.unit)|\(count.subject ?? "")|\(context)"
    }

    public mutating func add(_ agency: AgencyEntity) {
        let key = Entities.foldName(agency.name)
        if let i = agencies.firstIndex(where: {
            Entities.foldName($0.name) == key
                || ($0.acronym != nil && $0.acronym == agency.acronym && !($0.parent != nil && agency.parent != nil && $0.parent != agency.parent))
        }) {
            agencies[i].mentions = Self.union(agencies[i].mentions, agency.mentions)
            if agencies[i].acronym == nil { agencies[i].acronym = agency.acronym }
            if agencies[i].parent == nil { agencies[i].parent = agency.parent }
        } else {
            agencies.append(agency)
        }
    }

    public mutating func add(_ date: DateEntity) {
        if let i = dates.firstIndex(where: { $0.value == date.value }) {
            dates[i].mentions = Self.union(dates[i].mentions, date.mentions)
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
        } else {
            programs.append(program)
        }
    }

    public mutating func add(_ count: CountEntity) {
        let key = Self.key(count)
        if let i = counts.firstIndex(where: { Self.key($0) == key }) {
            counts[i].mentions = Self.union(counts[i].mentions, count.mentions)
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
