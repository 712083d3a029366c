import SluiceCore

/// One known agency or program.
struct GazetteerEntry: Sendable, Equatable {
    enum Kind: String, Sendable { case agency, program }
    var kind: Kind
    /// Canonical name.
    var name: String
    var acronym: String?
    /// Canonical name of the immediate parent body.
    var parent: String?
    /// Other spellings of the name.
    var variants: [String]
}

/// The agencies and programs the extractor knows by name, with a token trie
/// over every spelling and an index of acronyms.
///
/// Files (the shipped `Resources/agencies.tsv` and `programs.tsv`, and user
/// gazetteers named in `ExtractConfiguration.userGazetteers`) are UTF-8 text,
/// one entry a line, five tab-separated columns:
///
///     kind <TAB> name <TAB> acronym <TAB> parent <TAB> variants
///
/// `kind` is `agency` or `program`; `acronym` and `parent` may be empty;
/// `variants` lists other spellings separated by `|` (a variant written as one
/// all-capitals word, such as `DVA`, is another acronym). Lines starting with `#`
/// and blank lines are ignored. A user entry with a known name adds to it.
struct Gazetteer: Sendable {
    private(set) var entries: [GazetteerEntry] = []
    private(set) var trie = TokenTrie()
    /// Case-sensitive acronym (as written) -> entries.
    private(set) var acronyms: [UInt64: [Int]] = [:]
    /// Folded name -> entry, for merging and for parents.
    private var byName: [String: [Int]] = [:]
    /// Names and parents of the entries as written -> their folded form, so the extractors
    /// fold the names they take from the gazetteer without rebuilding them every time.
    private var foldedNames: [String: (name: String, folded: String)] = [:]

    init() {}

    /// Parses one gazetteer file's text; `source` names it in errors.
    mutating func load(_ text: String, source: String) throws(SluiceError) {
        var lineNumber = 0
        // Lines and columns split on their bytes, and trimmed by scalar: Foundation's trimming with
        // character sets was half of loading the shipped gazetteers, which every parse child does.
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = Self.trimmed(line)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let columns = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map(Self.trimmed)
            guard columns.count >= 2, let kind = GazetteerEntry.Kind(rawValue: columns[0].lowercased()),
                  !columns[1].isEmpty
            else {
                throw SluiceError(
                    .config,
                    "gazetteer line \(lineNumber) is not 'kind<TAB>name<TAB>acronym<TAB>parent<TAB>variants' "
                        + "with kind agency or program; fix or remove the line",
                    item: source)
            }
            func column(_ i: Int) -> String? { i < columns.count && !columns[i].isEmpty ? columns[i] : nil }
            let variants = column(4)?.utf8.split(separator: UInt8(ascii: "|")).map(Self.trimmed) ?? []
            add(GazetteerEntry(kind: kind, name: columns[1], acronym: column(2), parent: column(3), variants: variants))
        }
    }

    /// The text of these UTF-8 bytes without white space (Unicode's White_Space) at either end.
    static func trimmed(_ bytes: Substring.UTF8View) -> String {
        let text = Substring(bytes).unicodeScalars
        guard let first = text.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = text.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(text[first...last])
    }

    mutating func add(_ entry: GazetteerEntry) {
        let folded = Gazetteer.fold(entry.name)
        foldedNames[entry.name] = (entry.name, folded)
        if let parent = entry.parent { foldedNames[parent] = (parent, Gazetteer.fold(parent)) }
        if let existing = byName[folded]?.first(where: {
            entries[$0].kind == entry.kind && (entry.parent == nil || entries[$0].parent == entry.parent)
        }) {
            if entries[existing].acronym == nil { entries[existing].acronym = entry.acronym }
            entries[existing].variants += entry.variants
            index(existing, spellings: entry.variants, acronym: entry.acronym)
            return
        }
        let id = entries.count
        entries.append(entry)
        byName[folded, default: []].append(id)
        index(id, spellings: [entry.name] + entry.variants, acronym: entry.acronym)
    }

    private mutating func index(_ id: Int, spellings: [String], acronym: String?) {
        for spelling in spellings {
            // A variant written as one capitalized word ("DVA") is another acronym.
            let tokens = Tokenizer.tokenize(Array(spelling.unicodeScalars))
            if spelling != entries[id].name, tokens.count == 1, tokens[0].allCaps {
                acronyms[tokens[0].rawKey, default: []].append(id)
                continue
            }
            for keys in Gazetteer.keySequences(spelling) { trie.insert(keys, value: id) }
        }
        if let acronym {
            let scalars = Array(acronym.unicodeScalars)
            let tokens = Tokenizer.tokenize(scalars)
            if tokens.count == 1, tokens[0].kind == .word {
                acronyms[tokens[0].rawKey, default: []].append(id)
                // "DoD" is also written "DOD": a mixed-case acronym is found in capitals too.
                let upper = acronym.uppercased()
                if upper != acronym, scalars.filter(Tokenizer.isUpper).count >= 2 {
                    let raw = Keys.raw(upper)
                    if !(acronyms[raw]?.contains(id) ?? false) { acronyms[raw, default: []].append(id) }
                }
            }
        }
    }

    /// The token-key sequences a spelling is found by: without "the" and "and",
    /// with and without a leading "U.S."/"United States", punctuation dropped.
    static func keySequences(_ spelling: String) -> [[UInt64]] {
        var keys = Tokenizer.tokenize(Array(spelling.unicodeScalars)).filter { $0.kind != .punct && $0.kind != .newline }.map(\.key)
        keys.removeAll { $0 == Keys.the || $0 == Keys.and }
        var out = [keys]
        if keys.first == Keys.us, keys.count > 1 {
            out.append(Array(keys.dropFirst()))
        } else if keys.count > 2, keys[0] == Keys.united, keys[1] == Keys.states {
            out.append(Array(keys.dropFirst(2)))
        }
        return out.filter { !$0.isEmpty }
    }

    /// Entries whose canonical name folds to this.
    func entries(named name: String) -> [Int] { byName[Gazetteer.fold(name)] ?? [] }

    /// The entries whose folded name is `folded` (a value of `fold`).
    func entries(folded: String) -> [Int] { byName[folded] ?? [] }

    /// `Gazetteer.fold(name)`, looked up for the gazetteer's own names and parents. The hit
    /// must be the same bytes: fold works on scalars, so a canonically equal spelling (which
    /// the dictionary would match) may fold differently.
    func folded(_ name: String) -> String {
        if let hit = foldedNames[name], hit.name.utf8.elementsEqual(name.utf8) { return hit.folded }
        return Gazetteer.fold(name)
    }

    /// How the extractors fold a name they compare: `Entities.foldName` (one implementation,
    /// which works on bytes).
    static func fold(_ name: String) -> String { Entities.foldName(name) }
}

