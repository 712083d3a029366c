/// Picks a document's title from heading-like elements, by document type.
///
/// Each candidate name keeps its shallowest first occurrence (so a bill's own
/// `bill/title` beats the `titles/item/title` list, and a rule's
/// `PREAMB/SUBJECT` beats a signer's `SIG/TITLE`).
struct TitleChooser {
    /// Element local names whose text may be a title.
    static let candidateNames: Set<String> = [
        "SUBJECT", "title", "TITLE", "HEAD", "HD", "HEADING", "heading", "headline", "meeting-title",
        "DocumentTitleText", "OrganizationName", "DocumentFiscalYear", "DocumentFiscalYearDate", "DocumentDescriptionText",
    ]

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

    private var best: [String: (depth: Int, text: String)] = [:]

    /// Whether an occurrence at `depth` could still improve the candidate `local`.
    func wants(_ local: String, depth: Int) -> Bool {
        guard let current = best[local] else { return true }
        return depth < current.depth
    }

    mutating func offer(_ local: String, depth: Int, text: String) {
        guard !text.isEmpty, wants(local, depth: depth) else { return }
        best[local] = (depth, text)
    }

    /// The title for a document whose root (or part element) is `root`;
    /// failing every candidate, the first line of the text.
    func choose(root: String, text: String) -> String? {
        if root == "FoiaAnnualReport", let organization = best["OrganizationName"]?.text {
            let year = (best["DocumentFiscalYear"] ?? best["DocumentFiscalYearDate"])?.text
            let kind = best["DocumentDescriptionText"]?.text ?? "FOIA Annual Report"
            return year.map { "\(kind): \(organization), FY \($0)" } ?? "\(kind): \(organization)"
        }
        for name in Self.preference(root: root) {
            if let hit = best[name] { return hit.text }
        }
        let firstLine = text.prefix { $0 != "\n" }
        return firstLine.isEmpty ? nil : String(firstLine.prefix(200))
    }
}
