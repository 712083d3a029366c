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

    public func json() -> JSONValue {
        var source: [(String, JSONValue)] = [
            ("release", .string(release)),
            ("member", .string(member)),
        ]
        if let part { source.append(("part", .string(part))) }
        source += [
            ("sha256", .string(sha256)),
            ("bytes", .int(bytes)),
            ("media_type", .string(mediaType)),
            ("encoding", .string(encoding)),
        ]
        var pairs: [(String, JSONValue)] = [
            ("schema", .string(Record.schemaVersion)),
            ("id", .string(id)),
            ("source", .object(source)),
            ("title", .optional(title)),
        ]
        if let text { pairs.append(("text", .string(text))) }
        if let pages {
            pairs.append(("pages", .array(pages.map { .int($0) })))
            pairs.append(("ocr_pages", .array(ocrPages.map { .int($0) })))
        }
        if !extraction.properties.isEmpty { pairs.append(("properties", .object(extraction.properties))) }
        pairs.append(("entities", extraction.entities.json()))
        pairs.append(("produced_by", .object(producedBy)))
        return .object(pairs)
    }
}

extension Entities {
    /// The `entities` object of a record.
    public func json() -> JSONValue {
        .object([
            ("agencies", .array(agencies.map { a in
                var pairs: [(String, JSONValue)] = [
                    ("name", .string(a.name)), ("acronym", .optional(a.acronym)), ("parent", .optional(a.parent)),
                ]
                if let source = a.source { pairs.append(("source", .string(source.rawValue))) }
                pairs.append(("text", .optional(a.mentions.first?.text)))
                pairs.append(("mentions", mentionsJSON(a.mentions)))
                return .object(pairs)
            })),
            ("dates", .array(dates.map { d in
                var pairs: [(String, JSONValue)] = [("value", .string(d.value)), ("precision", .string(d.precision.rawValue))]
                if let start = d.start { pairs.append(("start", .string(start))) }
                if let end = d.end { pairs.append(("end", .string(end))) }
                if let source = d.source { pairs.append(("source", .string(source.rawValue))) }
                pairs.append(("text", .optional(d.mentions.first?.text)))
                pairs.append(("mentions", mentionsJSON(d.mentions)))
                return .object(pairs)
            })),
            ("programs", .array(programs.map { p in
                var pairs: [(String, JSONValue)] = [("name", .string(p.name)), ("acronym", .optional(p.acronym))]
                if let source = p.source { pairs.append(("source", .string(source.rawValue))) }
                pairs.append(("text", .optional(p.mentions.first?.text)))
                pairs.append(("mentions", mentionsJSON(p.mentions)))
                return .object(pairs)
            })),
            ("counts", .array(counts.map { c in
                var pairs: [(String, JSONValue)] = [
                    ("value", .double(c.value)), ("unit", .string(c.unit)),
                    ("subject", .optional(c.subject)), ("qualifier", .optional(c.qualifier)),
                ]
                if let context = c.context { pairs.append(("context", .object(context))) }
                if let source = c.source { pairs.append(("source", .string(source.rawValue))) }
                pairs.append(("text", .optional(c.mentions.first?.text)))
                pairs.append(("mentions", mentionsJSON(c.mentions)))
                return .object(pairs)
            })),
        ])
    }

    private func mentionsJSON(_ mentions: [Mention]) -> JSONValue {
        .array(mentions.map { .object([("start", .int($0.start)), ("end", .int($0.end)), ("text", .string($0.text))]) })
    }
}
