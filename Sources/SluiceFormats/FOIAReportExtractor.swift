import SluiceCore
import Foundation

/// FOIA annual report XML (DOJ/FOIA.gov NIEM exchange 1.02 and 1.03): the measures of
/// EXTRACTION.md "FOIA annual report measures" as count facts, with the agency, its
/// components and the fiscal year.
///
/// Data blocks are joined to organizations only through `s:id`/`s:ref`: a section's
/// `*OrganizationAssociation` pairs `ComponentDataReference` (the block) with
/// `OrganizationReference` (the organization). Document order and id numbers mean nothing.
struct FOIAReportExtractor {
    /// The exchange namespace prefix; the version (1.02, 1.03) follows it.
    static let namespacePrefix = "http://leisp.usdoj.gov/niem/FoiaAnnualReport/exchange/"

    /// Whether a root element is a FOIA annual report.
    static func accepts(_ root: XMLName) -> Bool {
        root.local == "FoiaAnnualReport" && (root.namespace ?? "").hasPrefix(namespacePrefix)
    }

    /// Section -> (value element -> (measure key, unit)). Only these sections count: the
    /// `*ComparisonSection` copies and `ProcessedConsultationSection` carry the same element
    /// names and must not be read as measures.
    static let measures: [String: [String: (key: String, unit: String)]] = [
        "ProcessedRequestSection": [
            "ProcessingStatisticsPendingAtStartQuantity": ("requests_pending_start", "count"),
            "ProcessingStatisticsReceivedQuantity": ("requests_received", "count"),
            "ProcessingStatisticsProcessedQuantity": ("requests_processed", "count"),
            "ProcessingStatisticsPendingAtEndQuantity": ("requests_pending_end", "count"),
        ],
        "RequestDispositionSection": [
            "RequestDispositionFullGrantQuantity": ("requests_full_grants", "count"),
            "RequestDispositionPartialGrantQuantity": ("requests_partial_grants", "count"),
            "RequestDispositionFullExemptionDenialQuantity": ("requests_full_denials_exemptions", "count"),
        ],
        "ProcessedAppealSection": [
            "ProcessingStatisticsReceivedQuantity": ("appeals_received", "count"),
            "ProcessingStatisticsProcessedQuantity": ("appeals_processed", "count"),
        ],
        "BacklogSection": [
            "BackloggedRequestQuantity": ("requests_backlogged", "count"),
            "BackloggedAppealQuantity": ("appeals_backlogged", "count"),
        ],
        "PersonnelAndCostSection": [
            "TotalFullTimeStaffQuantity": ("foia_staff_total", "count"),
            "TotalCostAmount": ("foia_costs_total", "USD"),
        ],
        "FeesCollectedSection": [
            "FeesCollectedAmount": ("fees_collected", "USD"),
        ],
    ]

    /// What the main loop needs to know about an element name.
    private struct NameFacts {
        var element: Element
        /// A section whose measures count (`measures` has it).
        var measuredSection: Bool
        /// Ends in "Quantity" or "Amount" as every measure's name does (last byte "y" or "t").
        var mayBeMeasure: Bool
        /// A section's `*OrganizationAssociation`.
        var association: Bool

        init(_ local: String) {
            let last = local.utf8.last ?? 0
            element = FOIAReportExtractor.element(local, length: local.utf8.count)
            // Every measured section's name ends in "Section": most names need no lookup.
            measuredSection = last == UInt8(ascii: "n") && Self.ends(local, with: "Section") && FOIAReportExtractor.measures[local] != nil
            mayBeMeasure = last == UInt8(ascii: "y") || last == UInt8(ascii: "t")
            association = last == UInt8(ascii: "n") && Self.ends(local, with: "OrganizationAssociation")
        }

        /// Whether a name ends in these bytes (`hasSuffix` compares characters, which costs more). On the
        /// string's own contiguous UTF-8 where it has it (native and small strings do): `suffix(_:)` and
        /// `elementsEqual` on the UTF8View walk String indices, about 570 Ir a call.
        private static func ends(_ name: String, with suffix: StaticString) -> Bool {
            let bytes = name.utf8
            guard bytes.count >= suffix.utf8CodeUnitCount else { return false }
            return suffix.withUTF8Buffer { wanted in
                bytes.withContiguousStorageIfAvailable {
                    UnsafeBufferPointer(rebasing: $0[($0.count - wanted.count)...]).elementsEqual(wanted)
                } ?? bytes.suffix(wanted.count).elementsEqual(wanted)
            }
        }
    }

    /// NameFacts by the name's parts object, direct-mapped: a document has a few hundred names and a hundred
    /// thousand elements, so each name is worked out about once instead of once per element (reading and
    /// testing the name's string per element was most of this extractor's cost).
    private struct NameCache {
        /// Slot -> (the name's parts object as an integer, 0 for none; its facts: an empty name's, all false).
        private var slots = [(id: UInt, facts: NameFacts)](repeating: (0, NameFacts("")), count: 512)

        /// The facts of field i's name (read only on a miss).
        @inline(__always) mutating func facts(_ fields: [XMLField], _ i: Int) -> NameFacts {
            let id = UInt(bitPattern: fields[i].name.identity)
            let slot = Int(truncatingIfNeeded: id >> 4) & 511
            if slots[slot].id == id { return slots[slot].facts }
            let computed = NameFacts(fields[i].name.local)
            slots[slot] = (id, computed)
            return computed
        }
    }

    /// The elements the main loop acts on, by name.
    private enum Element {
        case organization, subUnit, abbreviation, name, fiscalYear, dataReference, organizationReference, other
    }

    /// Which of them `local` names. The names are ASCII, so only a name of the same length in
    /// bytes can equal one: each name is compared with at most two, not with all in turn.
    private static func element(_ local: String, length: Int) -> Element {
        switch length {
        case 12: return local == "Organization" ? .organization : .other
        case 16: return local == "OrganizationName" ? .name : .other
        case 18: return local == "DocumentFiscalYear" ? .fiscalYear : .other
        case 19: return local == "OrganizationSubUnit" ? .subUnit : .other
        case 21: return local == "OrganizationReference" ? .organizationReference : .other
        case 22:
            if local == "ComponentDataReference" { return .dataReference }
            return local == "DocumentFiscalYearDate" ? .fiscalYear : .other
        case 28: return local == "OrganizationAbbreviationText" ? .abbreviation : .other
        default: return .other
        }
    }

    private struct Organization {
        var abbreviation = ""
        var name = ""
        var isTop = false
    }

    private struct Block {
        var section: String
        var values: [(key: String, unit: String, text: String)] = []
    }

    private struct Association {
        var section: String
        var dataRef: String?
        var orgRef: String?
    }

    func extract(_ document: ParsedDocument) -> Extraction {
        let tree = FieldTree(document.fields)
        let fields = document.fields
        var orgs: [String: Organization] = [:]
        // Organizations without an s:id cannot be referenced, but the top one still names the agency.
        var orgByIndex: [Int: Organization] = [:]
        var topIndex: Int?
        var fiscalYear: String?
        var blocks: [String: Block] = [:]
        var blockIDByIndex: [Int: String] = [:]
        var associations: [Int: Association] = [:]
        var associationOrder: [Int] = []
        // For each field, the section it is in (index of the section element), when it is a measured one.
        var sectionOf = [Int](repeating: -1, count: fields.count)
        // The measures of the section the last value was in: looked up once a section, not once a value.
        var sectionMeasures: (section: Int, measures: [String: (key: String, unit: String)]?) = (-1, nil)

        var names = NameCache()
        // Fields are read in place (`fields[i]`): binding each to a local copies its strings and attributes.
        for i in fields.indices {
            let facts = names.facts(fields, i)
            let parent = tree.parents[i]
            if parent >= 0 { sectionOf[i] = sectionOf[parent] }
            if facts.measuredSection { sectionOf[i] = i }

            switch facts.element {
            case .organization where topIndex == nil && (parent < 0 || tree.parents[parent] < 0):
                topIndex = i
                orgByIndex[i] = Organization(isTop: true)
            case .subUnit:
                orgByIndex[i] = Organization()
            case .abbreviation where parent >= 0 && orgByIndex[parent] != nil:
                if orgByIndex[parent]?.abbreviation.isEmpty == true { orgByIndex[parent]?.abbreviation = fields[i].text }
            case .name where parent >= 0 && orgByIndex[parent] != nil:
                if orgByIndex[parent]?.name.isEmpty == true { orgByIndex[parent]?.name = fields[i].text }
            case .fiscalYear:
                if fiscalYear == nil { fiscalYear = Self.fiscalYear(fields[i].text) }
            case .dataReference where parent >= 0 && associations[parent] != nil:
                associations[parent]?.dataRef = fields[i].attribute("s:ref") ?? fields[i].attribute("ref")
            case .organizationReference where parent >= 0 && associations[parent] != nil:
                associations[parent]?.orgRef = fields[i].attribute("s:ref") ?? fields[i].attribute("ref")
            default:
                break
            }

            let section = sectionOf[i]
            guard section >= 0 else { continue }
            if parent == section {
                let sectionName = fields[section].name.local
                if facts.association {
                    associations[i] = Association(section: sectionName)
                    associationOrder.append(i)
                } else if let id = fields[i].attribute("s:id") ?? fields[i].attribute("id"), !id.isEmpty {
                    blocks[id] = Block(section: sectionName)
                    blockIDByIndex[i] = id
                }
            } else if facts.mayBeMeasure, let blockID = blockIDByIndex[parent] {
                // Every measure's element name ends in "Quantity" or "Amount": others need no lookup.
                if sectionMeasures.section != section { sectionMeasures = (section, Self.measures[fields[section].name.local]) }
                if let measure = sectionMeasures.measures?[fields[i].name.local] {
                    blocks[blockID]?.values.append((measure.key, measure.unit, fields[i].text))
                }
            }
        }

        // Organizations by id, once their children are known.
        for (index, org) in orgByIndex {
            if let id = fields[index].attribute("s:id") ?? fields[index].attribute("id"), !id.isEmpty {
                orgs[id] = org
            }
        }
        let top = topIndex.flatMap { orgByIndex[$0] } ?? Organization(isTop: true)
        let agency = Self.collapse(top.abbreviation)
        let agencyName = Self.canonicalName(top.name, abbreviation: agency)
        let fy = fiscalYear

        var entities = Entities()
        if !agencyName.isEmpty || !agency.isEmpty {
            entities.add(AgencyEntity(name: agencyName.isEmpty ? agency : agencyName, acronym: agency.isEmpty ? nil : agency))
        }
        let subUnits = orgByIndex.filter { !$0.value.isTop }.sorted { $0.key < $1.key }
        for (_, org) in subUnits {
            let abbr = Self.collapse(org.abbreviation)
            let name = Self.canonicalName(org.name, abbreviation: abbr)
            guard !name.isEmpty || !abbr.isEmpty else { continue }
            entities.agencies.append(AgencyEntity(
                name: name.isEmpty ? abbr : name, acronym: abbr.isEmpty ? nil : abbr,
                parent: agencyName.isEmpty ? nil : agencyName))
        }
        if let fy, let year = Int(fy.dropFirst(2)), let span = CalendarDate.fiscalYear(year) {
            entities.dates.append(DateEntity(value: span.value, precision: .fiscalYear, start: span.start, end: span.end))
        }

        for index in associationOrder {
            guard let association = associations[index],
                  let dataRef = association.dataRef, !dataRef.isEmpty,
                  let orgRef = association.orgRef, !orgRef.isEmpty,
                  let org = orgs[orgRef],
                  let block = blocks[dataRef], block.section == association.section
            else { continue } // empty, missing or dangling references give no fact
            let component: JSONValue = org.isTop ? .null : .string(Self.collapse(org.abbreviation))
            let context: [(String, JSONValue)] = [
                ("agency", .string(agency)), ("component", component), ("fiscal_year", .optional(fy)),
            ]
            for value in block.values {
                guard let number = Self.number(value.text) else { continue }
                entities.counts.append(CountEntity(value: number, unit: value.unit, subject: value.key, context: context))
            }
        }

        var properties: [(String, JSONValue)] = [
            ("format", .string("foia-annual-report")),
            ("schema_version", .string(Self.version(of: document.root))),
            ("agency", .string(agency)),
            ("agency_name", .string(top.name)),
            ("fiscal_year", .optional(fy)),
        ]
        properties.append(("components", .array(subUnits.map { .string(Self.collapse($0.value.abbreviation)) })))
        return Extraction(entities: entities, properties: properties)
    }

    /// "2013", "2013-09-30", " FY 2013 " -> "FY2013".
    static func fiscalYear(_ text: String) -> String? {
        var digits = ""
        for scalar in text.unicodeScalars {
            if ("0"..."9").contains(scalar) {
                digits.unicodeScalars.append(scalar)
            } else if !digits.isEmpty {
                break
            }
        }
        // "FY0000" is no fiscal year: its first day would be in year -1.
        guard digits.count == 4, let year = Int(digits) else { return nil }
        return CalendarDate.fiscalYear(year)?.value
    }

    /// A measure's value exactly as written: plain decimal numbers only, so codes such as
    /// `LT1` or `401+` never become numbers.
    static func number(_ text: String) -> Double? {
        // Most values are whole numbers of digits and commas: read them as they are scanned (exact below
        // 2^53; fifteen digits stay far below it), without building a string for Double to parse again.
        var whole = 0
        var digits = 0
        var plain = true
        for byte in text.utf8 {
            if byte == UInt8(ascii: ",") { continue }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 15 else { plain = false; break }
            whole = whole * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        if plain { return digits > 0 ? Double(whole) : nil }
        // On the bytes: any byte other than digits, ".", "-" and "," (so any non-ASCII scalar)
        // makes it no number, and the commas are dropped.
        var cleaned: [UInt8] = []
        cleaned.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"): cleaned.append(byte)
            default: return nil
            }
        }
        guard !cleaned.isEmpty else { return nil }
        return Double(String(decoding: cleaned, as: UTF8.self))
    }

    static func collapse(_ text: String) -> String {
        // Already collapsed (ASCII, single spaces between words, none at the ends): as it is.
        var previousSpace = true
        var plain = true
        for byte in text.utf8 {
            if byte >= 0x80 || (byte >= 0x09 && byte <= 0x0D) || (byte == 0x20 && previousSpace) {
                plain = false
                break
            }
            previousSpace = byte == 0x20
        }
        if plain, !previousSpace || text.isEmpty { return text }
        return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Names as the gazetteer writes them: "&" as "and", "United States" as "U.S.", and without
    /// what some agencies append after "(ABBR)" (NASA FY10 adds officers' names and addresses).
    static func canonicalName(_ name: String, abbreviation: String) -> String {
        var out = collapse(name)
        if !abbreviation.isEmpty, let start = firstIndex(of: "(" + abbreviation + ")", in: out), start > out.startIndex {
            out = collapse(String(out[..<start]))
        }
        if out.utf8.contains(UInt8(ascii: "&")) { out = out.replacingOccurrences(of: "&", with: "and") }
        if out.hasPrefix("United States ") { out = "U.S. " + out.dropFirst("United States ".count) }
        return out
    }

    /// Where `needle` first starts in `text`, as `text.range(of: needle)?.lowerBound` finds it. When both are ASCII
    /// (nearly every agency name) the bytes are compared, where no other reading of the text can match otherwise;
    /// Foundation's range(of:) cost ~9,000 Ir a name. Other text is left to it.
    static func firstIndex(of needle: String, in text: String) -> String.Index? {
        let hay = Array(text.utf8), pattern = Array(needle.utf8)
        guard hay.allSatisfy({ $0 < 0x80 }), pattern.allSatisfy({ $0 < 0x80 }) else { return text.range(of: needle)?.lowerBound }
        // ASCII: a byte offset is a character boundary.
        return ByteSearch.range(of: pattern, in: hay).map { text.utf8.index(text.utf8.startIndex, offsetBy: $0.lowerBound) }
    }

    static func version(of root: XMLName?) -> String {
        guard let namespace = root?.namespace, namespace.hasPrefix(namespacePrefix) else { return "" }
        return String(namespace.dropFirst(namespacePrefix.count))
    }
}
