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
}

/// Interns element names by libxml2's dictionary pointers, so an element costs
/// a hash lookup instead of building Strings. The pointers come from the
/// reader's dictionary and stay valid (and unique per string) for its lifetime.
struct ElementNames {
    private struct Key: Hashable {
        var local: UInt
        var namespace: UInt
        var prefix: UInt
    }

    private var index: [Key: Int] = [:]
    private(set) var infos: [ElementInfo] = []

    static let inlineNames: Set<String> = [
        "E", "I", "B", "U", "SU", "FR", "FTREF", "PRTPAGE", "AC", "em", "strong", "i", "b", "u", "a", "span",
        "sub", "sup", "emphasis", "term", "quote", "ref", "xref", "footnote-ref", "code", "abbr", "cite",
    ]
    static let cellNames: Set<String> = ["ENT", "td", "th", "entry", "cell", "TD", "TH"]

    /// The info index for the reader's current element.
    mutating func lookup(_ reader: xmlTextReaderPtr, node: xmlNodePtr) -> Int {
        let local = node.pointee.name
        var namespace: UnsafePointer<xmlChar>?
        var prefix: UnsafePointer<xmlChar>?
        if node.pointee.ns != nil {
            // Dictionary-interned copies: the xmlNs structs themselves are freed as the reader moves on.
            namespace = xmlTextReaderConstNamespaceUri(reader)
            prefix = xmlTextReaderConstPrefix(reader)
        }
        let key = Key(
            local: UInt(bitPattern: local), namespace: UInt(bitPattern: namespace), prefix: UInt(bitPattern: prefix))
        if let hit = index[key] { return hit }
        let localName = local.map { String(cString: $0) } ?? ""
        let name = XMLName(
            namespace: namespace.map { String(cString: $0) }, local: localName, prefix: prefix.map { String(cString: $0) })
        let role: TextRole =
            Self.inlineNames.contains(localName) ? .inline : Self.cellNames.contains(localName) ? .cell : .block
        infos.append(ElementInfo(name: name, role: role, titleCandidate: TitleChooser.candidateNames.contains(localName)))
        index[key] = infos.count - 1
        return infos.count - 1
    }
}
