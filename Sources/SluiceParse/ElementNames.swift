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
struct ElementInfo {
    var name: XMLName
    var role: TextRole
    /// Whether this element's text may become the title.
    var titleCandidate: Bool
    /// The namespace URI and prefix as bytes, to confirm a cache hit keyed by an xmlNs address.
    var namespaceBytes: [UInt8] = []
    var prefixBytes: [UInt8] = []
    /// The namespace epoch in which the cached xmlNs address was last confirmed.
    var epoch = 0
}

/// Interns element names by libxml2's dictionary pointers, so an element costs
/// a hash lookup instead of building Strings. The pointers come from the
/// reader's dictionary and stay valid (and unique per string) for its lifetime.
struct ElementNames {
    private struct Key: Equatable {
        var local: UInt
        var namespace: UInt
        var prefix: UInt
    }

    /// Open-addressing table from Key to an index in `infos` (-1 = empty slot):
    /// the keys are pointers, so a multiply-shift hash beats SipHash here.
    private var slots: [(key: Key, value: Int)] = Array(repeating: (Key(local: 0, namespace: 0, prefix: 0), -1), count: 256)
    private(set) var infos: [ElementInfo] = []
    /// Bumped whenever an element declares namespaces (see `lookup`).
    private var epoch = 0

    static let inlineNames: Set<String> = [
        "E", "I", "B", "U", "SU", "FR", "FTREF", "PRTPAGE", "AC", "em", "strong", "i", "b", "u", "a", "span",
        "sub", "sup", "emphasis", "term", "quote", "ref", "xref", "footnote-ref", "code", "abbr", "cite",
    ]
    static let cellNames: Set<String> = ["ENT", "td", "th", "entry", "cell", "TD", "TH"]

    /// The info index for the reader's current element.
    ///
    /// The key is the dictionary-interned local name and the xmlNs struct the
    /// element points at. An xmlNs can be freed and its address reused once
    /// the reader moves past its element, so a hit is confirmed by comparing
    /// the namespace URI and prefix bytes (cheaper than two dictionary lookups).
    mutating func lookup(node: xmlNodePtr) -> Int {
        let local = node.pointee.name
        let ns = node.pointee.ns
        // A new xmlNs can only appear on an element that declares namespaces:
        // from then on, cached xmlNs addresses are re-checked once.
        if node.pointee.nsDef != nil { epoch &+= 1 }
        let key = Key(local: UInt(bitPattern: local), namespace: UInt(bitPattern: ns), prefix: 0)
        let mask = slots.count - 1
        var slot = Self.hash(key) & mask
        while slots[slot].value >= 0 {
            let value = slots[slot].value
            if slots[slot].key == key {
                if ns == nil || infos[value].epoch == epoch { return value }
                if sameNamespace(ns, value) {
                    infos[value].epoch = epoch
                    return value
                }
            }
            slot = (slot + 1) & mask
        }
        let namespace = ns?.pointee.href
        let prefix = ns?.pointee.prefix
        let localName = local.map { String(cString: $0) } ?? ""
        let name = XMLName(
            namespace: namespace.map { String(cString: $0) }, local: localName, prefix: prefix.map { String(cString: $0) })
        let role: TextRole =
            Self.inlineNames.contains(localName) ? .inline : Self.cellNames.contains(localName) ? .cell : .block
        infos.append(
            ElementInfo(
                name: name, role: role, titleCandidate: TitleChooser.candidateNames.contains(localName),
                namespaceBytes: namespace.map { Self.bytes($0) } ?? [], prefixBytes: prefix.map { Self.bytes($0) } ?? [],
                epoch: epoch))
        let value = infos.count - 1
        slots[slot] = (key, value)
        if infos.count * 2 > slots.count { grow() }
        return value
    }

    /// Whether `ns` still names the namespace cached at `index` (a hit with a
    /// stale address falls through to a new entry under the same key).
    private func sameNamespace(_ ns: xmlNsPtr?, _ index: Int) -> Bool {
        guard let ns else { return false }
        return Self.equal(ns.pointee.href, infos[index].namespaceBytes) && Self.equal(ns.pointee.prefix, infos[index].prefixBytes)
    }

    private static func equal(_ p: UnsafePointer<xmlChar>?, _ bytes: [UInt8]) -> Bool {
        guard let p else { return bytes.isEmpty }
        var i = 0
        for byte in bytes {
            if p[i] != byte { return false }
            i += 1
        }
        return p[i] == 0
    }

    private static func bytes(_ p: UnsafePointer<xmlChar>) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while p[i] != 0 {
            out.append(p[i])
            i += 1
        }
        return out
    }

    private static func hash(_ key: Key) -> Int {
        let mixed = (key.local &* 0x9E37_79B9_7F4A_7C15) ^ (key.namespace &* 0xC2B2_AE3D_27D4_EB4F) ^ key.prefix
        return Int(truncatingIfNeeded: mixed >> 17)
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: (Key(local: 0, namespace: 0, prefix: 0), -1), count: old.count * 2)
        let mask = slots.count - 1
        for entry in old where entry.value >= 0 {
            var slot = Self.hash(entry.key) & mask
            while slots[slot].value >= 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }
}
