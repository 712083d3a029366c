import Foundation
import SluiceCore

/// Code of Federal Regulations XML: annual-edition part granules (root `CFRGRANULE`), eCFR parts
/// (root `DIV5 TYPE="PART"`, as the parser splits eCFR titles) and whole eCFR titles (root
/// `DLPSTEXTCLASS`, before that split). One record per part: its agency (from the chapter
/// heading), authority, part number and heading, and the dates of its source citations.
struct CFRExtractor {
    static func accepts(_ root: XMLName, first: XMLField) -> Bool {
        guard root.namespace == nil else { return false }
        switch root.local {
        case "CFRGRANULE", "DLPSTEXTCLASS": return true
        case "DIV5": return first.attribute("TYPE") == "PART"
        default: return false
        }
    }

    func extract(_ document: ParsedDocument) -> Extraction {
        let tree = FieldTree(document.fields)
        let lines = TextLines(document.text)
        switch document.root?.local {
        case "CFRGRANULE": return annual(tree, lines: lines)
        case "DIV5": return ecfrPart(tree, range: 0..<tree.fields.count, chapter: document.meta["chapter"], lines: lines)
        default: return ecfrTitle(tree, lines: lines)
        }
    }

    /// An annual-edition granule: FDSYS metadata, then the PART.
    private func annual(_ tree: FieldTree, lines: TextLines) -> Extraction {
        let fields = tree.fields
        var meta: [String: String] = [:]
        var chapter: String?, partHeading: String?, authority: String?, source: String?
        for (i, field) in fields.enumerated() {
            let parentName = tree.parentName(i)
            switch (field.name.local, parentName) {
            case (let name, "FDSYS"): if meta[name] == nil { meta[name] = field.text }
            case ("PARENT", "ANCESTORS") where (field.attribute("HEADING") ?? "").uppercased().hasPrefix("CHAPTER"):
                chapter = field.text
            case ("HD", "PART") where partHeading == nil: partHeading = field.text
            case ("AUTH", "PART") where authority == nil: authority = paragraphs(tree, i)
            case ("SOURCE", "PART") where source == nil: source = paragraphs(tree, i)
            default: break
            }
        }
        var entities = Entities()
        let agency = chapter.flatMap(Self.agency)
        if let agency { entities.add(agency) }
        if let edition = meta["DATE"].flatMap(BillStatusExtractor.day) { entities.add(DateEntity(value: edition, precision: .day)) }
        let sourceDates = source.map { dates(in: $0, lines: lines) } ?? []
        for date in sourceDates { entities.add(date) }
        let part = meta["GRANULENUM"]
        let properties: [(String, JSONValue)] = [
            ("format", .string("cfr")),
            ("edition", .string("annual")),
            ("cfr_title", .optional(meta["CFRTITLE"])),
            ("cfr_title_text", .optional(meta["CFRTITLETEXT"])),
            ("volume", .optional(meta["VOL"])),
            ("edition_date", .optional(meta["DATE"])),
            ("part", .optional(part)),
            ("part_heading", .optional(meta["TITLE"].map(AgencyName.canonical) ?? partHeading.map(Self.heading))),
            ("cfr_citation", .optional(part.flatMap { p in meta["CFRTITLE"].map { "\($0) CFR \(p)" } })),
            ("chapter", .optional(chapter)),
            ("agency", .optional(agency?.name)),
            ("authority", .optional(authority)),
            ("source", .optional(source)),
        ]
        return Extraction(entities: entities, properties: properties)
    }

    /// One eCFR part (DIV5) inside `range`; `chapter` is its chapter heading when known.
    private func ecfrPart(_ tree: FieldTree, range: Range<Int>, chapter: String?, lines: TextLines) -> Extraction {
        let extraction = ecfrPartProperties(tree, range: range, chapter: chapter, lines: lines)
        return Extraction(entities: extraction.entities, properties: [("format", .string("cfr")), ("edition", .string("ecfr"))]
            + extraction.properties)
    }

    private func ecfrPartProperties(_ tree: FieldTree, range: Range<Int>, chapter: String?, lines: TextLines) -> Extraction {
        let fields = tree.fields
        let start = range.lowerBound
        var heading: String?, authority: String?, source: String?
        for i in range where tree.parents[i] == start {
            switch fields[i].name.local {
            case "HEAD" where heading == nil: heading = fields[i].text
            case "AUTH" where authority == nil: authority = paragraphs(tree, i, named: "PSPACE")
            case "SOURCE" where source == nil: source = paragraphs(tree, i, named: "PSPACE")
            default: break
            }
        }
        var entities = Entities()
        let agency = chapter.flatMap(Self.agency)
        if let agency { entities.add(agency) }
        for date in source.map({ dates(in: $0, lines: lines) }) ?? [] { entities.add(date) }
        return Extraction(entities: entities, properties: [
            ("part", .optional(fields[start].attribute("N"))),
            ("part_heading", .optional(heading.map(Self.heading))),
            ("agency", .optional(agency?.name)),
            ("authority", .optional(authority)),
            ("source", .optional(source)),
        ])
    }

    /// A whole eCFR title: its chapters' agencies, and every part listed with its properties.
    private func ecfrTitle(_ tree: FieldTree, lines: TextLines) -> Extraction {
        let fields = tree.fields
        var entities = Entities()
        var parts: [JSONValue] = []
        var chapter: String?
        var title: String?
        var i = 0
        while i < fields.count {
            let field = fields[i]
            if field.name.local == "IDNO", field.attribute("TYPE") == "title", title == nil { title = field.text }
            guard field.name.local.hasPrefix("DIV") else { i += 1; continue }
            if field.attribute("TYPE") == "CHAPTER" {
                chapter = tree.children(i, named: "HEAD").first.map { fields[$0].text }
            } else if field.attribute("TYPE") == "PART" {
                var end = i + 1
                while end < fields.count, fields[end].depth > field.depth { end += 1 }
                let part = ecfrPartProperties(tree, range: i..<end, chapter: chapter, lines: lines)
                entities.merge(part.entities)
                parts.append(.object(part.properties))
                i = end
                continue
            }
            i += 1
        }
        return Extraction(entities: entities, properties: [
            ("format", .string("cfr")), ("edition", .string("ecfr")), ("cfr_title", .optional(title)),
            ("parts", .array(parts)),
        ])
    }

    /// The text of an AUTH or SOURCE block's paragraphs.
    private func paragraphs(_ tree: FieldTree, _ i: Int, named name: String = "P") -> String {
        tree.children(i, named: name).map { tree.fields[$0].text }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Dates written in a source note ("39 FR 3251, Jan. 25, 1974"), with a mention where the
    /// note is found in the text.
    private func dates(in text: String, lines: TextLines) -> [DateEntity] {
        let scalars = Array(text.unicodeScalars)
        return DateScanner.scan(text).map { found in
            let surface = String(String.UnicodeScalarView(scalars[found.start..<found.end]))
            let mention = lines.firstMention(of: surface)
            return DateEntity(value: found.value, precision: found.precision, mentions: mention.map { [$0] } ?? [])
        }
    }

    /// "PART 447—IMPORTATION OF ARMS" -> "IMPORTATION OF ARMS" in title case.
    static func heading(_ text: String) -> String {
        let afterDash = text.split(separator: "\u{2014}", maxSplits: 1).dropFirst().first.map(String.init) ?? text
        return AgencyName.canonical(afterDash)
    }

    /// A chapter heading as an agency: "CHAPTER II—BUREAU OF ALCOHOL, TOBACCO, FIREARMS, AND
    /// EXPLOSIVES, DEPARTMENT OF JUSTICE" -> the bureau, with the department as parent.
    static func agency(_ chapter: String) -> AgencyEntity? {
        var text = chapter.split(separator: "\u{2014}", maxSplits: 1).dropFirst().first.map(String.init) ?? chapter
        text = text.replacingOccurrences(of: "(CONTINUED)", with: "", options: .caseInsensitive)
        text = FRDocument.collapse(text)
        for marker in [", DEPARTMENT OF ", ", Department of "] {
            if let range = text.range(of: marker, options: .backwards) {
                let child = AgencyName.canonical(String(text[..<range.lowerBound]))
                let parent = AgencyName.canonical(String(text[text.index(after: range.lowerBound)...]))
                return AgencyEntity(name: child, parent: parent)
            }
        }
        let name = AgencyName.canonical(text)
        // "CHAPTER IV—MISCELLANEOUS AGENCIES" and reserved chapters name no agency.
        guard !name.isEmpty, !name.hasPrefix("Miscellaneous"), !name.contains("[Reserved]") else { return nil }
        return AgencyEntity(name: name)
    }
}
