/// The parse stage's output for one document (or one part of a document that
/// holds several, such as a Federal Register daily issue).
public struct ParsedDocument: Sendable {
    /// Media types Sluice parses.
    public enum MediaType: String, Sendable, Codable {
        case xml = "application/xml"
        case html = "text/html"
        case pdf = "application/pdf"
        case email = "message/rfc822"
    }

    /// For a document split into parts, the part's stable key (e.g. an FR
    /// document number); nil for a whole document.
    public var part: String?
    public var mediaType: MediaType
    /// The encoding the bytes were decoded from ("UTF-8", "windows-1252", ...).
    public var encoding: String
    public var title: String?
    /// Normalized text: one block (heading, paragraph, list item, table row) per line.
    public var text: String
    /// The root element (XML only).
    public var root: XMLName?
    /// Every element in document order, with its attributes and direct text (XML only).
    public var fields: [XMLField]
    /// Named values found by the parser: HTML meta description and dates, PDF metadata, etc.
    public var meta: [String: String]
    /// Paged documents (PDF): the text offset (Unicode scalars) where each page starts; nil otherwise.
    public var pages: [Int]?
    /// Pages (1-based) whose text came from OCR.
    public var ocrPages: [Int] = []

    public init(
        part: String? = nil, mediaType: MediaType, encoding: String, title: String?, text: String,
        root: XMLName? = nil, fields: [XMLField] = [], meta: [String: String] = [:]
    ) {
        self.part = part
        self.mediaType = mediaType
        self.encoding = encoding
        self.title = title
        self.text = text
        self.root = root
        self.fields = fields
        self.meta = meta
    }
}

/// An element name: its namespace URI, local name and the prefix the document used.
///
/// A value like any struct, but its three strings live in one shared, immutable object: a
/// document's every field carries its element's name, and copying and freeing one reference per
/// field cost less than three strings (a visible share of parsing and of freeing documents).
/// Setting a part makes a new object, so no copy ever sees another's change.
public struct XMLName: Sendable, Hashable {
    // Internal and @usableFromInline (not private) only so `identity` can be inlined into the extractors'
    // per-field loops: a call across modules retained and released the name around each read.
    @usableFromInline final class Parts: Sendable {
        let namespace: String?
        let local: String
        let prefix: String?

        init(namespace: String?, local: String, prefix: String?) {
            self.namespace = namespace
            self.local = local
            self.prefix = prefix
        }
    }

    @usableFromInline private(set) var parts: Parts

    public var namespace: String? {
        get { parts.namespace }
        set { parts = Parts(namespace: newValue, local: parts.local, prefix: parts.prefix) }
    }

    public var local: String {
        get { parts.local }
        set { parts = Parts(namespace: parts.namespace, local: newValue, prefix: parts.prefix) }
    }

    public var prefix: String? {
        get { parts.prefix }
        set { parts = Parts(namespace: parts.namespace, local: parts.local, prefix: newValue) }
    }

    public init(namespace: String?, local: String, prefix: String? = nil) {
        parts = Parts(namespace: namespace, local: local, prefix: prefix)
    }

    /// Equal parts, as for the three stored strings it replaces (the same object is a shortcut).
    public static func == (a: XMLName, b: XMLName) -> Bool {
        a.parts === b.parts || (a.namespace == b.namespace && a.local == b.local && a.prefix == b.prefix)
    }

    /// Hashes the parts in the order the synthesized conformance of three stored strings did.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(namespace)
        hasher.combine(local)
        hasher.combine(prefix)
    }

    /// `prefix:local`, or `local` with no prefix.
    public var qualified: String { prefix.map { "\($0):\(local)" } ?? local }

    /// The object this name's parts live in: the parser gives every element of one name in a document the same
    /// one, so what is worked out from a name can be cached by it (valid while the name lives; equal names may
    /// still have different ones).
    @inlinable public var identity: ObjectIdentifier { ObjectIdentifier(parts) }
}

/// One element of an XML document, flattened: the tree is recovered from `depth`
/// (an element's parent is the nearest earlier field with `depth - 1`).
public struct XMLField: Sendable {
    /// An element's attributes, kept without an array when it has none or one (a data export's
    /// `s:id` or `s:ref`): an array per element with attributes was an allocation to make while
    /// parsing and one to free with the document. Internal and @usableFromInline (not private) only so
    /// the initializers inline into the parser: a call across modules per element cost more than the array.
    @usableFromInline enum Attributes: Sendable {
        case none
        case one(name: String, value: String)
        case many([(name: String, value: String)])

        @inlinable init(_ list: [(name: String, value: String)]) {
            switch list.count {
            case 0: self = .none
            case 1: self = .one(name: list[0].name, value: list[0].value)
            default: self = .many(list)
            }
        }
    }

    public var name: XMLName
    /// 0 for the root element.
    public var depth: Int
    @usableFromInline var storedAttributes: Attributes
    /// The element's own text (its text children, not its descendants'), whitespace-collapsed.
    public var text: String

    /// Attributes by qualified name as written (`s:id`, `TYPE`), in document order.
    public var attributes: [(name: String, value: String)] {
        get {
            switch storedAttributes {
            case .none: []
            case .one(let name, let value): [(name, value)]
            case .many(let list): list
            }
        }
        set { storedAttributes = Attributes(newValue) }
    }

    @inlinable public init(name: XMLName, depth: Int, attributes: [(name: String, value: String)] = [], text: String = "") {
        self.name = name
        self.depth = depth
        self.storedAttributes = Attributes(attributes)
        self.text = text
    }

    /// An element with exactly one attribute (the parser's common case: no array is made for it).
    @inlinable public init(name: XMLName, depth: Int, attribute: (name: String, value: String), text: String = "") {
        self.name = name
        self.depth = depth
        self.storedAttributes = .one(name: attribute.name, value: attribute.value)
        self.text = text
    }

    /// The value of the attribute with this qualified name, or with this local name when unprefixed lookups are wanted.
    public func attribute(_ name: String) -> String? {
        if let hit = firstValue(where: { $0 == name }) { return hit }
        return firstValue(where: { $0.split(separator: ":").last.map(String.init) == name })
    }

    /// The value of the first attribute whose qualified name passes `matches`.
    private func firstValue(where matches: (String) -> Bool) -> String? {
        switch storedAttributes {
        case .none: nil
        case .one(let name, let value): matches(name) ? value : nil
        case .many(let list): list.first { matches($0.name) }?.value
        }
    }
}
