internal import CSluiceLibXML2
import SluiceCore

/// How an element shapes the text around it.
enum TextRole: UInt8 {
    /// Starts and ends a line (paragraph, heading, list item, table row, any data element).
    case block
    /// Flows inside the line (emphasis, page markers, footnote references).
    case inline
    /// A table cell: separated from its neighbours by a space, on the row's line.
    case cell
}

/// What the reader knows about one element name, computed once per name.
struct ElementInfo: Sendable {
    var name: XMLName
    var role: TextRole
    /// The element's TitleChooser slot, or -1 when its text is never a title.
    var titleSlot: Int
    /// An FRDOC line, whose text keys a Federal Register part.
    var isFRDoc: Bool
}

/// Interns element and attribute names by libxml2's dictionary pointers, so an
/// element costs a pointer hash instead of building Strings. libxml2 hands SAX2
/// callbacks names from the parser's dictionary: the pointers stay valid, and
/// are unique per string, for the whole parse.
struct ElementNames {
    private struct Key: Equatable {
        var local: UInt
        var namespace: UInt
        var prefix: UInt
    }

    /// Open-addressing table from Key to an index in `infos` or `attributeNames`
    /// (-1 = empty slot): the keys are pointers, so a multiply-shift hash beats SipHash.
    private struct Table {
        var slots: [(key: Key, value: Int)] = Array(repeating: (Key(local: 0, namespace: 0, prefix: 0), -1), count: 256)
        var used = 0

        /// The slot holding `key`, or the empty slot where it belongs.
        func find(_ key: Key) -> Int {
            let mask = slots.count - 1
            let mixed = (key.local &* 0x9E37_79B9_7F4A_7C15) ^ (key.namespace &* 0xC2B2_AE3D_27D4_EB4F) ^ key.prefix
            var slot = Int(truncatingIfNeeded: mixed >> 17) & mask
            while slots[slot].value >= 0, slots[slot].key != key { slot = (slot + 1) & mask }
            return slot
        }

        mutating func insert(_ key: Key, _ value: Int, at slot: Int) {
            slots[slot] = (key, value)
            used += 1
            if used * 2 > slots.count {
                let old = slots
                slots = Array(repeating: (Key(local: 0, namespace: 0, prefix: 0), -1), count: old.count * 2)
                for entry in old where entry.value >= 0 { slots[find(entry.key)] = entry }
            }
        }
    }

    private var elements = Table()
    private var attributes = Table()
    private(set) var infos: [ElementInfo] = []
    private var attributeNames: [String] = []
    /// Namespace URIs and prefixes by dictionary pointer: a document has a few, shared by most of its
    /// names, and building a URI's String for every new name was a third of reading names.
    private var strings: [(pointer: UInt, string: String)] = []

    /// The String at a dictionary pointer that names a namespace or prefix (few per document: a linear search).
    private mutating func shared(_ pointer: UnsafePointer<xmlChar>) -> String {
        let key = UInt(bitPattern: pointer)
        if let hit = strings.first(where: { $0.pointer == key }) { return hit.string }
        let string = String(cString: pointer)
        if strings.count < 32 { strings.append((key, string)) }
        return string
    }

    static let inlineNames: Set<String> = [
        "E", "I", "B", "U", "SU", "FR", "FTREF", "PRTPAGE", "AC", "em", "strong", "i", "b", "u", "a", "span",
        "sub", "sup", "emphasis", "term", "quote", "ref", "xref", "footnote-ref", "code", "abbr", "cite",
    ]
    static let cellNames: Set<String> = ["ENT", "td", "th", "entry", "cell", "TD", "TH"]

    /// What sets a name apart from a plain block that is never a title, for the names that have
    /// anything: one lookup for each name new to a document (two set lookups and a search of the
    /// title names were most of the cost of reading a name the first time).
    private static let special: [String: (role: TextRole, titleSlot: Int, isFRDoc: Bool)] = {
        var table: [String: (role: TextRole, titleSlot: Int, isFRDoc: Bool)] = [:]
        let plain: (role: TextRole, titleSlot: Int, isFRDoc: Bool) = (.block, -1, false)
        for (slot, name) in TitleChooser.candidateNames.enumerated() { table[name, default: plain].titleSlot = slot }
        for name in cellNames { table[name, default: plain].role = .cell }
        for name in inlineNames { table[name, default: plain].role = .inline }
        table["FRDOC", default: plain].isFRDoc = true
        return table
    }()

    /// Bit n set when a name in `special` is n bytes long (63 for 63 or more): most names of a data export
    /// are longer than any of them, or of another length, and skip hashing their String for `special`.
    private static let specialLengths: UInt64 = special.keys.reduce(0) { $0 | (1 << UInt64(min($1.utf8.count, 63))) }

    /// The info index for an element name from a SAX2 start-element event.
    mutating func element(
        local: UnsafePointer<xmlChar>?, prefix: UnsafePointer<xmlChar>?, namespace: UnsafePointer<xmlChar>?
    ) -> Int {
        let key = Key(local: UInt(bitPattern: local), namespace: UInt(bitPattern: namespace), prefix: UInt(bitPattern: prefix))
        let slot = elements.find(key)
        if elements.slots[slot].value >= 0 { return elements.slots[slot].value }
        // New to this document: most likely read before, in another document this process parsed.
        let probe = ElementNameCache.Probe(namespace: namespace, local: local, prefix: prefix)
        if let known = ElementNameCache.shared.info(probe) {
            infos.append(known)
        } else {
            let localName = local.map { String(cString: $0) } ?? ""
            let name = XMLName(namespace: namespace.map { shared($0) }, local: localName, prefix: prefix.map { shared($0) })
            let special = Self.specialLengths & (1 << UInt64(min(localName.utf8.count, 63))) != 0 ? Self.special[localName] : nil
            let info = ElementInfo(
                name: name, role: special?.role ?? .block, titleSlot: special?.titleSlot ?? -1, isFRDoc: special?.isFRDoc ?? false)
            ElementNameCache.shared.insert(info, for: probe)
            infos.append(info)
        }
        elements.insert(key, infos.count - 1, at: slot)
        return infos.count - 1
    }

    /// An attribute's qualified name as written (`s:id`, `TYPE`).
    mutating func attribute(local: UnsafePointer<xmlChar>?, prefix: UnsafePointer<xmlChar>?) -> String {
        let key = Key(local: UInt(bitPattern: local), namespace: 0, prefix: UInt(bitPattern: prefix))
        let slot = attributes.find(key)
        if attributes.slots[slot].value >= 0 { return attributeNames[attributes.slots[slot].value] }
        let localName = local.map { String(cString: $0) } ?? ""
        let qualified = prefix.map { String(cString: $0) + ":" + localName } ?? localName
        attributeNames.append(qualified)
        attributes.insert(key, attributeNames.count - 1, at: slot)
        return qualified
    }
}
