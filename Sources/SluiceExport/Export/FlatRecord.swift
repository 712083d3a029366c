import SluiceCore

/// The parts of a record the exports and the index use, read leniently from its JSON
/// (a missing field becomes empty; checking shape is `RecordSchema`'s job, not the exporter's).
struct FlatRecord {
    struct Agency { var name: String; var acronym: String?; var parent: String? }
    struct Program { var name: String; var acronym: String? }
    struct DateValue { var value: String; var precision: String; var span: DateSpan? }
    struct Count { var value: Double; var unit: String; var subject: String?; var qualifier: String?; var context: JSONValue? }

    var id: String
    var source: JSONValue
    var release: String
    var member: String
    var part: String?
    var title: String?
    var text: String?
    var properties: JSONValue?
    var agencies: [Agency] = []
    var programs: [Program] = []
    var dates: [DateValue] = []
    var counts: [Count] = []
    var producedBy: JSONValue?

    init(id: String, record: JSONValue) {
        self.id = id
        source = record["source"] ?? .object([])
        release = source["release"]?.stringValue ?? ""
        member = source["member"]?.stringValue ?? ""
        part = source["part"]?.stringValue
        title = record["title"]?.stringValue
        text = record["text"]?.stringValue
        if case .object? = record["properties"] { properties = record["properties"] }
        producedBy = record["produced_by"]
        let entities = record["entities"]
        for a in FlatRecord.items(entities?["agencies"]) {
            guard let name = a["name"]?.stringValue else { continue }
            agencies.append(Agency(name: name, acronym: a["acronym"]?.stringValue, parent: a["parent"]?.stringValue))
        }
        for p in FlatRecord.items(entities?["programs"]) {
            guard let name = p["name"]?.stringValue else { continue }
            programs.append(Program(name: name, acronym: p["acronym"]?.stringValue))
        }
        for d in FlatRecord.items(entities?["dates"]) {
            guard let value = d["value"]?.stringValue else { continue }
            let precision = d["precision"]?.stringValue ?? ""
            let span = DateSpan.of(
                value: value, precision: precision, start: d["start"]?.stringValue, end: d["end"]?.stringValue)
            dates.append(DateValue(value: value, precision: precision, span: span))
        }
        for c in FlatRecord.items(entities?["counts"]) {
            let value: Double
            switch c["value"] {
            case .int(let i)?: value = Double(i)
            case .double(let d)?: value = d
            default: continue
            }
            var context: JSONValue?
            if case .object? = c["context"] { context = c["context"] }
            counts.append(Count(
                value: value, unit: c["unit"]?.stringValue ?? "", subject: c["subject"]?.stringValue,
                qualifier: c["qualifier"]?.stringValue, context: context))
        }
    }

    private static func items(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }

    /// Distinct values in first-seen order, so documents are stable and free of repeats.
    static func distinct(_ values: [String?]) -> [String] {
        var seen = Set<String>()
        return values.compactMap { $0 }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Agencies once per name and acronym, in first-seen order: the search targets' entity rows.
    var distinctAgencies: [Agency] {
        var seen = Set<String>()
        return agencies.filter { seen.insert($0.name + "\u{0}" + ($0.acronym ?? "")).inserted }
    }

    /// Programs once per name and acronym, in first-seen order.
    var distinctPrograms: [Program] {
        var seen = Set<String>()
        return programs.filter { seen.insert($0.name + "\u{0}" + ($0.acronym ?? "")).inserted }
    }

    var agencyNames: [String] { FlatRecord.distinct(agencies.map(\.name)) }
    var agencyAcronyms: [String] { FlatRecord.distinct(agencies.map(\.acronym)) }
    var agencyParents: [String] { FlatRecord.distinct(agencies.map(\.parent)) }
    var programNames: [String] { FlatRecord.distinct(programs.map(\.name)) }
    var programAcronyms: [String] { FlatRecord.distinct(programs.map(\.acronym)) }
    var firstDate: String? { dates.compactMap { $0.span?.start }.min() }
    var lastDate: String? { dates.compactMap { $0.span?.end }.max() }
}
