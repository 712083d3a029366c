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
    /// Case-sensitive acronym (as written) -> entries. A KeyTable, not a Dictionary: the agency scan looks up
    /// every all-capitals word, and a Dictionary hashed each key again (SipHash).
    private(set) var acronyms = KeyTable<[Int]>(capacity: 1024)
    /// Folded name -> entry, for merging and for parents.
    private var byName: [String: [Int]] = [:]
    /// Names and parents of the entries as written -> their folded form, so the extractors
    /// fold the names they take from the gazetteer without rebuilding them every time.
    private var foldedNames: [String: (name: String, folded: String)] = [:]
    /// One bit (a key's low six bits) for the first key of every name in the trie that opens with a number
    /// ("287(g) Program"). A number token whose bit is clear starts no name: a number's key hashes its digits,
    /// a word's its letters, so a number meets only the trie edges of names that open with one.
    private(set) var numberStarts: UInt64 = 0

    init() {}

    /// Parses one gazetteer file's text; `source` names it in errors.
    mutating func load(_ text: String, source: String) throws(SluiceError) {
        var text = text
        // Lines and columns are found and trimmed on the UTF-8 bytes: splitting and trimming through String's
        // views was a third of a parse child's start (each child loads the shipped gazetteers).
        let rows = text.withUTF8 { Self.rows($0) }
        for (lineNumber, columns) in rows {
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
            let variants = column(4).map { variants in
                variants.utf8.split(separator: UInt8(ascii: "|")).map { Self.trimmed(String(decoding: $0, as: UTF8.self)) }
            } ?? []
            add(GazetteerEntry(kind: kind, name: columns[1], acronym: column(2), parent: column(3), variants: variants))
        }
    }

    /// The lines of a gazetteer file that are not blank or comments: each line's number (from 1) and its
    /// tab-separated columns, trimmed.
    ///
    /// Invariant: every range read or passed to `trimmed` lies inside `bytes` (line and column ends are
    /// indices `firstIndex` found in it, or `bytes.count`; starts are at most one past an end).
    static func rows(_ bytes: UnsafeBufferPointer<UInt8>) -> [(line: Int, columns: [String])] {
        var rows: [(line: Int, columns: [String])] = []
        var lineNumber = 0
        var lineStart = 0
        while lineStart <= bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            lineNumber += 1
            defer { lineStart = lineEnd + 1 }
            let line = trimmed(bytes, lineStart..<lineEnd)
            if line.isEmpty || line.hasPrefix("#") { continue }
            var columns: [String] = []
            var columnStart = lineStart
            while columnStart <= lineEnd {
                let columnEnd = bytes[columnStart..<lineEnd].firstIndex(of: UInt8(ascii: "\t")) ?? lineEnd
                columns.append(trimmed(bytes, columnStart..<columnEnd))
                columnStart = columnEnd + 1
            }
            rows.append((lineNumber, columns))
        }
        return rows
    }

    /// The text of `bytes[range]` without white space (Unicode's White_Space) at either end: ASCII white
    /// space is dropped on the bytes, and an end that is still not ASCII is trimmed by scalar.
    ///
    /// Invariant: `range` lies inside `bytes` (the caller's); `lower` and `upper` only move inward from
    /// its ends, so every byte read is inside it.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        var lower = range.lowerBound
        var upper = range.upperBound
        // U+0009...U+000D and U+0020 are the ASCII White_Space characters.
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        while lower < upper, isSpace(bytes[lower]) { lower += 1 }
        while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self)
        guard lower < upper, bytes[lower] >= 0x80 || bytes[upper - 1] >= 0x80 else { return text }
        return trimmed(text)
    }

    /// The text without white space (Unicode's White_Space) at either end.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
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
                addAcronym(tokens[0].rawKey, id)
                continue
            }
            for keys in Gazetteer.keySequences(tokens) {
                trie.insert(keys, value: id)
                if tokens.contains(where: { $0.kind == .number && $0.key == keys[0] }) { numberStarts |= 1 << (keys[0] & 63) }
            }
        }
        if let acronym {
            let scalars = Array(acronym.unicodeScalars)
            let tokens = Tokenizer.tokenize(scalars)
            if tokens.count == 1, tokens[0].kind == .word {
                addAcronym(tokens[0].rawKey, id)
                // "DoD" is also written "DOD": a mixed-case acronym is found in capitals too.
                let upper = acronym.uppercased()
                if upper != acronym, scalars.filter(Tokenizer.isUpper).count >= 2 {
                    let raw = Keys.raw(upper)
                    if !(acronyms[raw]?.contains(id) ?? false) { addAcronym(raw, id) }
                }
            }
        }
    }

    private mutating func addAcronym(_ raw: UInt64, _ id: Int) {
        acronyms[raw] = (acronyms[raw] ?? []) + [id]
    }

    /// The token-key sequences a spelling (its tokens) is found by: without "the" and "and",
    /// with and without a leading "U.S."/"United States", punctuation dropped.
    static func keySequences(_ tokens: [Token]) -> [[UInt64]] {
        var keys = tokens.filter { $0.kind != .punct && $0.kind != .newline }.map(\.key)
        keys.removeAll { $0 == Keys.the || $0 == Keys.and }
        var out = [keys]
        if keys.first == Keys.us, keys.count > 1 {
            out.append(Array(keys.dropFirst()))
        } else if keys.count > 2, keys[0] == Keys.united, keys[1] == Keys.states {
            out.append(Array(keys.dropFirst(2)))
        }
        return out.filter { !$0.isEmpty }
    }

    /// Whether a name in the trie may start at this word or number: a number only when some name opens with one
    /// of its low six bits (most numbers are then answered without a trie lookup).
    @inline(__always) func mayStartName(_ t: Token) -> Bool {
        t.kind != .number || numberStarts & 1 << (t.key & 63) != 0
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

