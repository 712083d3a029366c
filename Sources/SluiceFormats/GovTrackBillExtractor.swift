import SluiceCore

/// GovTrack's legacy bill XML (root `<bill session= type= number=>`): bill number, type and
/// congress, official title, committees (as agencies) and actions with their dates, shaped like
/// the BILLSTATUS properties so both read the same downstream.
struct GovTrackBillExtractor {
    static func accepts(_ root: XMLName, first: XMLField) -> Bool {
        root.namespace == nil && root.local == "bill" && first.attribute("session") != nil && first.attribute("type") != nil
    }

    static let types: [String: String] = [
        "h": "HR", "s": "S", "hr": "HRES", "sr": "SRES", "hj": "HJRES", "sj": "SJRES", "hc": "HCONRES", "sc": "SCONRES",
    ]

    func extract(_ document: ParsedDocument) -> Extraction {
        let tree = FieldTree(document.fields)
        let fields = document.fields
        guard let root = fields.first else { return Extraction() }
        let type = Self.types[root.attribute("type") ?? ""] ?? (root.attribute("type") ?? "").uppercased()
        let number = root.attribute("number") ?? ""
        let congress = root.attribute("session") ?? ""
        var entities = Entities()
        var title: String?, introduced: String?
        var titleIsOfficial = false
        var committees: [JSONValue] = [], actions: [JSONValue] = [], sponsors: [JSONValue] = []
        // Text of each action element, taken from its <text> child.
        var actionText: [Int: String] = [:]
        var actionOrder: [(index: Int, date: String)] = []

        for (i, field) in fields.enumerated() {
            let parent = tree.parents[i]
            guard parent >= 0 else { continue }
            let parentName = fields[parent].name.local
            switch field.name.local {
            case "introduced" where parent == 0:
                introduced = field.attribute("datetime").flatMap(BillStatusExtractor.day)
            case "title" where parentName == "titles":
                // The first official title, else the first title of any kind.
                let official = field.attribute("type") == "official"
                if title == nil || (official && !titleIsOfficial) {
                    title = field.text
                    titleIsOfficial = official
                }
            case "sponsor" where parent == 0:
                sponsors.append(.object([("govtrack_id", .optional(field.attribute("id")))]))
            case "committee" where parentName == "committees":
                guard let raw = field.attribute("name"), !raw.isEmpty else { continue }
                let chamber = raw.hasPrefix("House") ? "House" : raw.hasPrefix("Senate") ? "Senate" : ""
                // "House Ways and Means" is the House Committee on Ways and Means, the name the congressional
                // committee list (and the bill's own action text) gives it.
                let name = raw.contains("Committee") ? raw
                    : chamber.isEmpty ? raw + " Committee"
                    : chamber + " Committee on " + String(raw.dropFirst(chamber.count).drop(while: { $0 == " " }))
                entities.add(AgencyEntity(name: name, parent: BillStatusExtractor.chambers[chamber]))
                committees.append(.string(name))
                if let sub = field.attribute("subcommittee"), !sub.isEmpty {
                    entities.add(AgencyEntity(name: sub, parent: name))
                }
            case "text" where actionText[parent] == nil && tree.parents[parent] >= 0
                && fields[tree.parents[parent]].name.local == "actions":
                actionText[parent] = field.text
            default:
                if parentName == "actions", let date = field.attribute("datetime").flatMap(BillStatusExtractor.day) {
                    actionOrder.append((i, date))
                }
            }
        }
        // The introduced and action dates are attributes, not text: they are properties (introduced_date,
        // actions), and a date entity only where the text writes it (the text extractor finds those).
        for action in actionOrder {
            actions.append(.object([("date", .string(action.date)), ("text", .optional(actionText[action.index]))]))
        }
        let properties: [(String, JSONValue)] = [
            ("format", .string("govtrack-bill")),
            ("bill_type", .string(type)),
            ("bill_number", .string(number)),
            ("congress", .string(congress)),
            ("bill", .string("\(BillStatusExtractor.citations[type] ?? type) \(number)")),
            ("title", .optional(title)),
            ("introduced_date", .optional(introduced)),
            ("sponsors", .array(sponsors)),
            ("committees", .array(committees)),
            ("actions", .array(actions)),
        ]
        return Extraction(entities: entities, properties: properties)
    }
}
