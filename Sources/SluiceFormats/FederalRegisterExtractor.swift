import Foundation
import SluiceCore

/// Federal Register documents (RULE, PRORULE, NOTICE, PRESDOCU): agency and sub-agency, FR
/// document number, action, subject, CFR parts, RIN, docket and the dates of the DATES section.
/// Works on a single document, on a part of a daily issue re-based to depth 0, and on a whole
/// daily issue (FEDREG) that has not been split, where it lists every document it holds.
struct FederalRegisterExtractor {
    static let documentTypes: [String: String] = [
        "RULE": "rule", "PRORULE": "proposed-rule", "NOTICE": "notice", "PRESDOCU": "presidential-document",
    ]

    static func accepts(_ root: XMLName) -> Bool {
        root.namespace == nil && (documentTypes[root.local] != nil || root.local == "FEDREG")
    }

    func extract(_ document: ParsedDocument) -> Extraction {
        let tree = FieldTree(document.fields)
        let lines = TextLines(document.text)
        guard document.root?.local == "FEDREG" else {
            return FRDocument.read(tree: tree, range: 0..<tree.fields.count, lines: lines, fromLine: 0, part: document.part)
                .extraction
        }
        // An unsplit daily issue: every document element not nested in another one.
        var entities = Entities()
        var listed: [JSONValue] = []
        var cursor = 0
        var i = 0
        while i < tree.fields.count {
            guard Self.documentTypes[tree.fields[i].name.local] != nil else { i += 1; continue }
            var end = i + 1
            while end < tree.fields.count, tree.fields[end].depth > tree.fields[i].depth { end += 1 }
            let found = FRDocument.read(tree: tree, range: i..<end, lines: lines, fromLine: cursor, part: nil)
            entities.merge(found.extraction.entities)
            listed.append(.object(found.extraction.properties.filter { $0.0 != "format" }))
            cursor = max(cursor, found.lastLine)
            i = end
        }
        return Extraction(entities: entities, properties: [
            ("format", .string("federal-register")), ("document_type", .string("daily-issue")),
            ("documents", .array(listed)),
        ])
    }
}
