/// Picks a document's title from heading-like elements, by document type.
///
/// Each candidate name keeps its shallowest first occurrence (so a bill's own
/// `bill/title` beats the `titles/item/title` list, and a rule's
/// `PREAMB/SUBJECT` beats a signer's `SIG/TITLE`). Candidates are addressed by
/// slot number (fixed per element name), so the streaming loop never hashes a name.
struct TitleChooser {
    /// Element local names whose text may be a title; an element's slot is its index here.
    static let candidateNames: [String] = [
        "SUBJECT", "title", "TITLE", "HEAD", "HD", "HEADING", "heading", "headline", "meeting-title",
        "DocumentTitleText", "OrganizationName", "DocumentFiscalYear", "DocumentFiscalYearDate", "DocumentDescriptionText",
    ]

    /// The slot of a candidate name, or -1.
    static func slot(_ local: String) -> Int { candidateNames.firstIndex(of: local) ?? -1 }

    /// Preference by root element (the part element for a segmented document).
    static func preference(root: String) -> [String] {
        switch root {
        case "RULE", "PRORULE", "NOTICE", "CORRECT": return ["SUBJECT", "HD", "TITLE"]
        case "PRESDOCU", "CFRGRANULE", "PART", "SUBPART": return ["HD", "HEADING", "SUBJECT", "TITLE"]
        case "DIV5", "DIV1", "DIV3", "DIV6", "DIV8", "ECFR", "DLPSTEXTCLASS": return ["HEAD", "HD"]
        default:
            return ["title", "TITLE", "meeting-title", "SUBJECT", "DocumentTitleText", "HEAD", "HD", "HEADING", "heading", "headline"]
        }
    }

    private var depths = [Int](repeating: Int.max, count: candidateNames.count)
    private var texts = [String](repeating: "", count: candidateNames.count)

    /// Whether an occurrence at `depth` could still improve the candidate in `slot`.
    func wants(_ slot: Int, depth: Int) -> Bool {
        depth < depths[slot]
    }

    mutating func offer(_ slot: Int, depth: Int, text: String) {
        guard !text.isEmpty, wants(slot, depth: depth) else { return }
        depths[slot] = depth
        texts[slot] = text
    }

    private func best(_ name: String) -> String? {
        let slot = Self.slot(name)
        return slot >= 0 && depths[slot] != Int.max ? texts[slot] : nil
    }

    /// The title for a document whose root (or part element) is `root`;
    /// failing every candidate, the first line of the text.
    func choose(root: String, text: String) -> String? {
        if root == "FoiaAnnualReport", let organization = best("OrganizationName") {
            let year = best("DocumentFiscalYear") ?? best("DocumentFiscalYearDate")
            let kind = best("DocumentDescriptionText") ?? "FOIA Annual Report"
            return year.map { "\(kind): \(organization), FY \($0)" } ?? "\(kind): \(organization)"
        }
        for name in Self.preference(root: root) {
            if let hit = best(name) { return hit }
        }
        let firstLine = text.prefix { $0 != "\n" }
        return firstLine.isEmpty ? nil : String(firstLine.prefix(200))
    }
}
