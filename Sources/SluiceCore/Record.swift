/// One output record: a document (or a part of one), its text and its entities,
/// in the shape DESIGN.md "The output store" fixes and `schema/record.schema.json` checks.
public struct Record: Sendable {
    /// The record format's version, written as `schema`.
    public static let schemaVersion = "sluice.record/1"

    public var id: String
    public var release: String
    public var member: String
    public var part: String?
    public var sha256: String
    public var bytes: Int
    public var mediaType: String
    public var encoding: String
    public var title: String?
    public var text: String?
    public var extraction: Extraction
    /// What produced it: pipeline name, sluice and extractor versions.
    public var producedBy: [(String, JSONValue)]
    /// Paged documents: the text offset where each page starts; nil for others.
    public var pages: [Int]?
    /// Pages (1-based) whose text came from OCR.
    public var ocrPages: [Int] = []

    public init(
        release: String, member: String, part: String?, sha256: String, bytes: Int, mediaType: String,
        encoding: String, title: String?, text: String?, extraction: Extraction, producedBy: [(String, JSONValue)]
    ) {
        self.id = Record.makeID(release: release, member: member, part: part)
        self.release = release
        self.member = member
        self.part = part
        self.sha256 = sha256
        self.bytes = bytes
        self.mediaType = mediaType
        self.encoding = encoding
        self.title = title
        self.text = text
        self.extraction = extraction
        self.producedBy = producedBy
    }

    /// Stable across re-runs: derived from the release name, the member path and the part only.
    public static func makeID(release: String, member: String, part: String?) -> String {
        var key = release + "\u{0}" + member
        if let part { key += "\u{0}" + part }
        return String(SHA256.hex(Array(key.utf8)).prefix(32))
    }

    /// The record as its records-file line writes it (without the newline), for `inspect` and tests.
    /// Read back from `write(into:)`, so there is one definition of the record's shape.
    public func json() -> JSONValue {
        var bytes: [UInt8] = []
        write(into: &bytes)
        // The writer's output is valid JSON by construction: keys and strings escaped, numbers finite or null.
        return (try? JSONReader.parse(bytes)) ?? .null
    }

    /// Appends the record's JSON (one line, no newline): the write stage's form, written straight
    /// into `out` with no `JSONValue` tree between (building and freeing that tree was most of the
    /// write stage's cost). Keys in DESIGN.md's order.
    public func write(into out: inout [UInt8]) {
        var w = JSONObjectWriter(into: out)
        out = [] // the writer holds the only reference: appends need no copy
        w.open()
        w.field("schema", Record.schemaVersion)
        w.field("id", id)
        w.key("source")
        w.open()
        w.field("release", release)
        w.field("member", member)
        if let part { w.field("part", part) }
        w.field("sha256", sha256)
        w.field("bytes", bytes)
        w.field("media_type", mediaType)
        w.field("encoding", encoding)
        w.close()
        w.field("title", title)
        if let text { w.field("text", text) }
        if let pages {
            w.field("pages", pages)
            w.field("ocr_pages", ocrPages)
        }
        if !extraction.properties.isEmpty { w.field("properties", JSONValue.object(extraction.properties)) }
        w.key("entities")
        extraction.entities.write(into: &w)
        w.field("produced_by", JSONValue.object(producedBy))
        w.close()
        out = w.finish()
    }
}

extension Entities {
    /// The `entities` object of a record.
    public func json() -> JSONValue {
        var w = JSONObjectWriter(into: [])
        write(into: &w)
        // Valid JSON by construction, as for `Record.json()`.
        return (try? JSONReader.parse(w.finish())) ?? .null
    }

    /// Writes the `entities` object as the next value of `w`.
    func write(into w: inout JSONObjectWriter) {
        w.open()
        w.key("agencies")
        w.array(agencies) { w, a in
            w.field("name", a.name)
            w.field("acronym", a.acronym)
            w.field("parent", a.parent)
            w.sourceAndMentions(a.source, a.mentions)
        }
        w.key("dates")
        w.array(dates) { w, d in
            w.field("value", d.value)
            w.field("precision", d.precision.rawValue)
            if let start = d.start { w.field("start", start) }
            if let end = d.end { w.field("end", end) }
            w.sourceAndMentions(d.source, d.mentions)
        }
        w.key("programs")
        w.array(programs) { w, p in
            w.field("name", p.name)
            w.field("acronym", p.acronym)
            w.sourceAndMentions(p.source, p.mentions)
        }
        w.key("counts")
        w.array(counts) { w, c in
            w.key("value")
            JSONWriter.writeDouble(c.value, into: &w.out)
            w.field("unit", c.unit)
            w.field("subject", c.subject)
            w.field("qualifier", c.qualifier)
            if let context = c.context { w.field("context", JSONValue.object(context)) }
            w.sourceAndMentions(c.source, c.mentions)
        }
        w.close()
    }
}

/// Writes JSON objects straight into bytes: a comma before every member but an object's first.
/// The caller writes keys and values in order; nothing is checked but nesting.
struct JSONObjectWriter {
    var out: [UInt8]
    /// Per open object, innermost in bit 0: whether it has a member yet. A stack of bits, not an
    /// array of Bools: it changes at every member, and the record nests a few levels deep.
    private var started: UInt64 = 0
    /// Open objects (at most 64, far more than a record's).
    private var depth = 0

    init(into out: [UInt8]) {
        self.out = out
    }

    func finish() -> [UInt8] { out }

    private mutating func separate() {
        if depth > 0 {
            if started & 1 != 0 { out.append(UInt8(ascii: ",")) }
            started |= 1
        }
    }

    /// A member's key. Keys are the record format's own names, literals in ASCII that need no escaping,
    /// so their bytes are copied as they are (scanning them for escapes was a share of the write stage).
    mutating func key(_ key: StaticString) {
        separate()
        out.append(UInt8(ascii: "\""))
        // Byte by byte: keys are a few bytes, where a bulk append costs more than it saves.
        key.withUTF8Buffer { for byte in $0 { out.append(byte) } }
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    mutating func open() {
        precondition(depth < 64, "JSONObjectWriter nests at most 64 objects")
        out.append(UInt8(ascii: "{"))
        started <<= 1
        depth += 1
    }

    mutating func close() {
        out.append(UInt8(ascii: "}"))
        started >>= 1
        depth -= 1
    }

    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        JSONWriter.writeString(value, into: &out)
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { JSONWriter.writeString(value, into: &out) } else { out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        JSONWriter.writeInt(value, into: &out)
    }

    mutating func field(_ name: StaticString, _ values: [Int]) {
        key(name)
        out.append(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.writeInt(v, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    mutating func field(_ name: StaticString, _ value: JSONValue) {
        key(name)
        JSONWriter.write(value, into: &out)
    }

    /// An array of objects, each written by `body` between its braces.
    mutating func array<T>(_ items: [T], _ body: (inout JSONObjectWriter, T) -> Void) {
        out.append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            open()
            body(&self, item)
            close()
        }
        out.append(UInt8(ascii: "]"))
    }

    /// What closes every entity: its `source` (when known), `text` (its first mention's) and `mentions`.
    mutating func sourceAndMentions(_ source: EntitySource?, _ mentions: [Mention]) {
        if let source { field("source", source.rawValue) }
        field("text", mentions.first?.text)
        key("mentions")
        array(mentions) { w, m in
            w.field("start", m.start)
            w.field("end", m.end)
            w.field("text", m.text)
        }
    }
}
