import SluiceCore

/// Congress.gov BILLSTATUS XML (the legacy 2015-2022 layout and the current one): bill number,
/// type, congress, title, sponsors, committees and subcommittees (as agencies), actions with
/// their dates, and CBO cost estimates.
struct BillStatusExtractor {
    static func accepts(_ root: XMLName) -> Bool {
        root.namespace == nil && root.local == "billStatus"
    }

    /// Citation prefixes by bill type.
    static let citations: [String: String] = [
        "HR": "H.R.", "S": "S.", "HRES": "H.Res.", "SRES": "S.Res.", "HJRES": "H.J.Res.", "SJRES": "S.J.Res.",
        "HCONRES": "H.Con.Res.", "SCONRES": "S.Con.Res.",
    ]

    static let chambers: [String: String] = ["House": "U.S. House of Representatives", "Senate": "U.S. Senate"]

    private struct Item {
        var values: [String: String] = [:]
        var subcommittees: [String] = []
    }

    func extract(_ document: ParsedDocument) -> Extraction {
        let tree = FieldTree(document.fields)
        let fields = document.fields
        var bill: [String: String] = [:]
        var billIndex = -1
        // Items under the lists we read, by the index of their `item` element.
        var sponsors: [Int: Item] = [:], committees: [Int: Item] = [:], actions: [Int: Item] = [:], estimates: [Int: Item] = [:]
        var order: [Int] = []
        var cosponsors = 0

        for (i, field) in fields.enumerated() {
            let parent = tree.parents[i]
            let local = field.name.local
            if local == "bill", parent == 0, billIndex < 0 { billIndex = i; continue }
            guard billIndex >= 0, parent >= 0 else { continue }
            if parent == billIndex {
                if bill[local] == nil, !field.text.isEmpty { bill[local] = field.text }
                continue
            }
            let parentName = fields[parent].name.local
            let grand = tree.parents[parent]
            let grandName = grand >= 0 ? fields[grand].name.local : ""
            let listOwner = grand >= 0 ? tree.parents[grand] : -1
            if local == "item" {
                // Lists directly under <bill>, and <committees><billCommittees> under it.
                if grand == billIndex {
                    switch parentName {
                    case "sponsors": sponsors[i] = Item(); order.append(i)
                    case "cosponsors": cosponsors += 1
                    case "actions": actions[i] = Item(); order.append(i)
                    case "cboCostEstimates": estimates[i] = Item(); order.append(i)
                    default: break
                    }
                } else if parentName == "billCommittees", listOwner == billIndex {
                    committees[i] = Item()
                    order.append(i)
                }
                continue
            }
            // A value inside one of the items.
            if sponsors[parent] != nil { sponsors[parent]?.values[local] = field.text }
            if actions[parent] != nil, actions[parent]?.values[local] == nil { actions[parent]?.values[local] = field.text }
            if estimates[parent] != nil { estimates[parent]?.values[local] = field.text }
            if committees[parent] != nil { committees[parent]?.values[local] = field.text }
            // committees/billCommittees/item/subcommittees/item/name
            if local == "name", parentName == "item", grandName == "subcommittees", listOwner >= 0,
               committees[listOwner] != nil, !field.text.isEmpty {
                committees[listOwner]?.subcommittees.append(field.text)
            }
        }

        var entities = Entities()
        let type = (bill["billType"] ?? bill["type"] ?? "").uppercased()
        let number = bill["billNumber"] ?? bill["number"] ?? ""
        let congress = bill["congress"] ?? ""
        var properties: [(String, JSONValue)] = [
            ("format", .string("billstatus")),
            ("bill_type", .string(type)),
            ("bill_number", .string(number)),
            ("congress", .string(congress)),
            ("bill", .string("\(Self.citations[type] ?? type) \(number)")),
            ("title", .optional(bill["title"])),
            ("origin_chamber", .optional(bill["originChamber"])),
            ("introduced_date", .optional(bill["introducedDate"])),
        ]
        if let introduced = bill["introducedDate"].flatMap(Self.day) { entities.add(DateEntity(value: introduced, precision: .day)) }

        var sponsorList: [JSONValue] = [], committeeNames: [JSONValue] = [], actionList: [JSONValue] = [], estimateList: [JSONValue] = []
        for index in order {
            if let sponsor = sponsors[index] {
                sponsorList.append(.object([
                    ("name", .optional(sponsor.values["fullName"])), ("bioguide_id", .optional(sponsor.values["bioguideId"])),
                    ("party", .optional(sponsor.values["party"])), ("state", .optional(sponsor.values["state"])),
                ]))
            } else if let committee = committees[index], let raw = committee.values["name"], !raw.isEmpty {
                let chamber = committee.values["chamber"] ?? ""
                let name = Self.committeeName(raw, chamber: chamber)
                entities.add(AgencyEntity(name: name, parent: Self.chambers[chamber]))
                committeeNames.append(.string(name))
                for sub in committee.subcommittees {
                    entities.add(AgencyEntity(name: Self.committeeName(sub, chamber: chamber), parent: name))
                }
            } else if let action = actions[index], let date = action.values["actionDate"].flatMap(Self.day) {
                entities.add(DateEntity(value: date, precision: .day))
                actionList.append(.object([("date", .string(date)), ("text", .optional(action.values["text"]))]))
            } else if let estimate = estimates[index] {
                let date = (estimate.values["pubDate"] ?? estimate.values["rptPubDate"]).flatMap(Self.day)
                if let date { entities.add(DateEntity(value: date, precision: .day)) }
                estimateList.append(.object([
                    ("title", .optional(estimate.values["title"] ?? estimate.values["rptTitle"])),
                    ("date", .optional(date)), ("url", .optional(estimate.values["url"] ?? estimate.values["rptUrl"])),
                ]))
            }
        }
        properties += [
            ("sponsors", .array(sponsorList)), ("cosponsor_count", .int(cosponsors)),
            ("committees", .array(committeeNames)), ("actions", .array(actionList)),
            ("cbo_cost_estimates", .array(estimateList)),
        ]
        return Extraction(entities: entities, properties: properties)
    }

    /// "Ways and Means Committee" in the House -> "House Ways and Means Committee", so the
    /// House and Senate committees of the same name stay apart.
    static func committeeName(_ raw: String, chamber: String) -> String {
        let name = raw.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard !chamber.isEmpty, !name.hasPrefix(chamber), chamber != "Joint" || !name.hasPrefix("Joint") else { return name }
        return chamber + " " + name
    }

    /// "2015-01-06", "2021-03-04T04:05:36Z" -> "2015-01-06"; anything else nil.
    static func day(_ text: String) -> String? {
        let prefix = String(text.prefix(10))
        let parts = prefix.split(separator: "-", omittingEmptySubsequences: false)
        // Digits only ("+1" reads as an Int too), and a day that exists.
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return nil }
        return CalendarDate.day(year, month, day)
    }
}
