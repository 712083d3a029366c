/// Where an entity occurs: Unicode-scalar offsets into the record's `text`
/// (start inclusive, end exclusive) and the text found there.
public struct Mention: Sendable, Hashable {
    public var start: Int
    public var end: Int
    public var text: String

    public init(start: Int, end: Int, text: String) {
        self.start = start
        self.end = end
        self.text = text
    }
}

/// How an entity was found, so downstream users can filter by how much to trust it.
/// From most to least certain: a schema-aware `format` extractor read it from a
/// structured field; the shipped or user `gazetteer` lists it; the document itself
/// defines it (`definedAcronym`: "Minerals Management Service (MMS)"); a `pattern`
/// (the shape of a name, a date or a number) matched it.
public enum EntitySource: String, Sendable, Comparable {
    case format
    case gazetteer
    case definedAcronym = "defined-acronym"
    case pattern

    private var rank: Int {
        switch self {
        case .format: return 3
        case .gazetteer: return 2
        case .definedAcronym: return 1
        case .pattern: return 0
        }
    }

    /// `a < b` when b is the more certain source.
    public static func < (a: EntitySource, b: EntitySource) -> Bool { a.rank < b.rank }

    /// The more certain of two sources (either may be unknown).
    public static func best(_ a: EntitySource?, _ b: EntitySource?) -> EntitySource? {
        guard let a else { return b }
        guard let b else { return a }
        return max(a, b)
    }
}

/// A government body (EXTRACTION.md, "agencies").
public struct AgencyEntity: Sendable, Equatable {
    public var name: String
    public var acronym: String?
    public var parent: String?
    public var mentions: [Mention]
    /// How it was found; nil when the producer does not say.
    public var source: EntitySource?

    public init(name: String, acronym: String? = nil, parent: String? = nil, mentions: [Mention] = [], source: EntitySource? = nil) {
        self.name = name
        self.acronym = acronym
        self.parent = parent
        self.mentions = mentions
        self.source = source
    }
}

/// A point or period in time (EXTRACTION.md, "dates").
public struct DateEntity: Sendable, Equatable {
    public enum Precision: String, Sendable { case day, month, year, fiscalYear = "fiscal-year" }
    /// `2013-08-06`, `2013-08`, `2013` or `FY2013`.
    public var value: String
    public var precision: Precision
    /// First and last day, for fiscal years.
    public var start: String?
    public var end: String?
    public var mentions: [Mention]
    /// How it was found; nil when the producer does not say.
    public var source: EntitySource?

    public init(
        value: String, precision: Precision, start: String? = nil, end: String? = nil, mentions: [Mention] = [],
        source: EntitySource? = nil
    ) {
        self.value = value
        self.precision = precision
        self.start = start
        self.end = end
        self.mentions = mentions
        self.source = source
    }
}

/// A named program, initiative, operation or policy (EXTRACTION.md, "programs").
public struct ProgramEntity: Sendable, Equatable {
    public var name: String
    public var acronym: String?
    public var mentions: [Mention]
    /// How it was found; nil when the producer does not say.
    public var source: EntitySource?

    public init(name: String, acronym: String? = nil, mentions: [Mention] = [], source: EntitySource? = nil) {
        self.name = name
        self.acronym = acronym
        self.mentions = mentions
        self.source = source
    }
}

/// A number that counts or measures something (EXTRACTION.md, "counts").
public struct CountEntity: Sendable, Equatable {
    public var value: Double
    /// `count`, `percent`, `USD`, `days`, `weeks`, `months`, `years`.
    public var unit: String
    public var subject: String?
    public var qualifier: String?
    /// For structured facts: agency, component, fiscal_year.
    public var context: [(String, JSONValue)]?
    public var mentions: [Mention]
    /// How it was found; nil when the producer does not say.
    public var source: EntitySource?

    public init(
        value: Double, unit: String, subject: String? = nil, qualifier: String? = nil,
        context: [(String, JSONValue)]? = nil, mentions: [Mention] = [], source: EntitySource? = nil
    ) {
        self.value = value
        self.unit = unit
        self.subject = subject
        self.qualifier = qualifier
        self.context = context
        self.mentions = mentions
        self.source = source
    }

    public static func == (lhs: CountEntity, rhs: CountEntity) -> Bool {
        lhs.value == rhs.value && lhs.unit == rhs.unit && lhs.subject == rhs.subject
            && lhs.qualifier == rhs.qualifier && lhs.mentions == rhs.mentions && lhs.source == rhs.source
            && (lhs.context.map { JSONValue.object($0) } == rhs.context.map { JSONValue.object($0) })
    }
}

/// The four kinds of entity a record carries.
public struct Entities: Sendable, Equatable {
    public var agencies: [AgencyEntity] = []
    public var dates: [DateEntity] = []
    public var programs: [ProgramEntity] = []
    public var counts: [CountEntity] = []

    public init(
        agencies: [AgencyEntity] = [], dates: [DateEntity] = [], programs: [ProgramEntity] = [],
        counts: [CountEntity] = []
    ) {
        self.agencies = agencies
        self.dates = dates
        self.programs = programs
        self.counts = counts
    }
}

/// What the extract stage makes of one parsed document.
public struct Extraction: Sendable {
    public var entities: Entities
    /// Document-level properties found by schema-aware extractors
    /// (`fr_document_number`, `rin`, `bill_number`, ...), in a fixed order.
    public var properties: [(String, JSONValue)]

    public init(entities: Entities = Entities(), properties: [(String, JSONValue)] = []) {
        self.entities = entities
        self.properties = properties
    }
}
