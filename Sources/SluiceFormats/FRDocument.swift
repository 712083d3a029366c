import Foundation
import SluiceCore

/// One Federal Register document inside a field range.
struct FRDocument {
    var extraction: Extraction
    /// The last text line this document was found to use, so the next document searches after it.
    var lastLine: Int

    static func read(tree: FieldTree, range: Range<Int>, lines: TextLines, fromLine: Int, part: String?) -> FRDocument {
        let fields = tree.fields
        // An empty range (a document without elements) has no document element to name its type.
        let kind = range.isEmpty ? "unknown" : FederalRegisterExtractor.documentTypes[fields[range.lowerBound].name.local] ?? "unknown"
        var agencies: [String] = [], subAgencies: [String] = [], rins: [String] = [], dockets: [String] = []
        var cfr: String?, subject: String?, action: String?, frdoc: String?, heading: String?
        // Presidential documents: "Proclamation 10701 of February 6, 2024", "Executive Order 14117 of ...".
        var instrument: String?
        var filedText: String?
        var datesElement: Int?
        for i in range {
            let field = fields[i]
            let inPreamble = tree.parentName(i) == "PREAMB"
            switch field.name.local {
            case "AGENCY" where inPreamble && !field.text.isEmpty: agencies.append(field.text)
            case "SUBAGY" where inPreamble && !field.text.isEmpty: subAgencies.append(field.text)
            case "RIN" where inPreamble: rins.append(contentsOf: rinValues(field.text))
            case "DEPDOC" where inPreamble: dockets.append(stripBrackets(field.text))
            case "CFR" where inPreamble && cfr == nil: cfr = field.text
            case "SUBJECT" where inPreamble && subject == nil: subject = field.text
            case "ACT" where inPreamble && action == nil:
                let text = tree.children(i, named: "P").map { fields[$0].text }.joined(separator: " ")
                action = trimPeriod(text)
            case "DATES" where inPreamble && datesElement == nil, "EFFDATE" where inPreamble && datesElement == nil:
                datesElement = i
            case "FRDOC" where frdoc == nil: frdoc = field.text
            // Presidential documents print "Filed ..." in an element of its own after FRDOC.
            case "FILED" where filedText == nil: filedText = field.text
            case "HD":
                if heading == nil, kind == "presidential-document", !field.text.isEmpty { heading = field.text }
            case "PROC", "EXECORDR", "DETERM", "MEMO":
                if instrument == nil, field.text.contains(" of ") { instrument = field.text }
            default: break
            }
        }

        var entities = Entities()
        var lastLine = fromLine
        var properties: [(String, JSONValue)] = [("format", .string("federal-register")), ("document_type", .string(kind))]
        let (number, filedInFRDoc) = frdoc.map(parseFRDoc) ?? (nil, nil)
        let filed = filedInFRDoc ?? filedText.flatMap { parseFRDoc($0).1 }
        properties.append(("fr_document_number", .optional(number ?? part)))

        let agencyNames = agencies.map(AgencyName.canonical)
        for (raw, name) in zip(agencies, agencyNames) {
            let line = lines.firstLine(equalTo: collapse(raw), from: fromLine)
            if let line { lastLine = max(lastLine, line) }
            let mention = line.flatMap { lines.mention(of: collapse(raw), inLine: $0) }
            entities.add(AgencyEntity(name: name, mentions: mention.map { [$0] } ?? []))
        }
        let subNames = subAgencies.map(AgencyName.canonical)
        for (raw, name) in zip(subAgencies, subNames) {
            let line = lines.firstLine(equalTo: collapse(raw), from: fromLine)
            let mention = line.flatMap { lines.mention(of: collapse(raw), inLine: $0) }
            entities.add(AgencyEntity(name: name, parent: agencyNames.first, mentions: mention.map { [$0] } ?? []))
        }
        properties.append(("agency", .optional(agencyNames.first)))
        if agencyNames.count > 1 { properties.append(("agencies", .array(agencyNames.map(JSONValue.string)))) }
        properties.append(("sub_agency", .optional(subNames.first)))
        properties.append(("action", .optional(action)))
        properties.append(("subject", .optional(subject ?? heading)))
        if let instrument {
            properties.append(("presidential_document", .string(instrument)))
            // Its date of signature: "... of February 6, 2024".
            if let signed = DateScanner.scan(instrument).first(where: { $0.precision == .day }) {
                let surface = String(String.UnicodeScalarView(Array(instrument.unicodeScalars)[signed.start..<signed.end]))
                let mention = lines.firstMention(of: surface, from: fromLine)
                entities.add(DateEntity(value: signed.value, precision: .day, mentions: mention.map { [$0] } ?? []))
                properties.append(("signed_date", .string(signed.value)))
            }
        }
        properties.append(("cfr_parts", .array((cfr.map(cfrParts) ?? []).map(JSONValue.string))))
        properties.append(("rin", rins.count > 1 ? .array(rins.map(JSONValue.string)) : .optional(rins.first)))
        if !dockets.isEmpty { properties.append(("docket", .string(dockets.joined(separator: "; ")))) }

        var effective: String?, commentsDue: String?
        if let datesElement {
            let isEffDate = fields[datesElement].name.local == "EFFDATE"
            let heading = tree.children(datesElement, named: "HD").first.map { fields[$0].text } ?? "DATES:"
            let paragraphs = (datesElement + 1..<range.upperBound)
                .prefix { fields[$0].depth > fields[datesElement].depth }
                .filter { tree.parents[$0] == datesElement && fields[$0].name.local != "HD" }.count
            if let headingLine = lines.firstLine(equalTo: heading, from: fromLine) {
                let last = min(lines.count, headingLine + 1 + paragraphs)
                lastLine = max(lastLine, last)
                for index in (headingLine + 1)..<last {
                    let line = lines[index]
                    let scalars = Array(line.text.unicodeScalars)
                    var previousEnd = 0
                    for found in DateScanner.scan(line.text) {
                        let before = String(String.UnicodeScalarView(scalars[previousEnd..<found.start])).lowercased()
                        if effective == nil, found.precision == .day, before.contains("effective") { effective = found.value }
                        if commentsDue == nil, found.precision == .day, before.contains("comment") { commentsDue = found.value }
                        let text = String(String.UnicodeScalarView(scalars[found.start..<found.end]))
                        entities.add(DateEntity(value: found.value, precision: found.precision, mentions: [
                            Mention(start: line.start + found.start, end: line.start + found.end, text: text),
                        ]))
                        previousEnd = found.end
                    }
                }
            }
            // "Effective Date:" headed sections put the label in an inline element, so an
            // EFFDATE section's first day is its effective date.
            if effective == nil, isEffDate { effective = entities.dates.first(where: { $0.precision == .day })?.value }
        }
        if let filed {
            entities.add(DateEntity(value: filed, precision: .day))
        }
        properties.append(("effective_date", .optional(effective)))
        if let commentsDue { properties.append(("comments_due", .string(commentsDue))) }
        properties.append(("filed_date", .optional(filed)))
        return FRDocument(extraction: Extraction(entities: entities, properties: properties), lastLine: lastLine)
    }

    /// "[FR Doc. 2024–02930 Filed 2–8–24; 2:00 pm]" -> ("2024-02930", "2024-02-08").
    static func parseFRDoc(_ text: String) -> (String?, String?) {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0 == "[" || $0 == "]" || $0 == ";" }).map(String.init)
        var number: String?, filed: String?
        if let doc = words.firstIndex(where: { $0.hasPrefix("Doc") }), doc + 1 < words.count {
            number = foldDashes(words[doc + 1])
        }
        if let at = words.firstIndex(of: "Filed"), at + 1 < words.count {
            filed = DateScanner.numericDate(words[at + 1])
        }
        return (number, filed)
    }

    /// "37 CFR Parts 1 and 2" -> ["37 CFR 1", "37 CFR 2"]; "27 CFR Parts 447, 478, and 479";
    /// several titles separated by ";". Anything else (a chapter, a title alone) is kept as written.
    static func cfrParts(_ text: String) -> [String] {
        var out: [String] = []
        for segment in text.split(separator: ";") {
            let words = segment.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init)
            guard let cfr = words.firstIndex(of: "CFR"), cfr > 0, let title = Int(words[cfr - 1]),
                  cfr + 1 < words.count, words[cfr + 1].hasPrefix("Part")
            else {
                let kept = collapse(String(segment))
                if !kept.isEmpty { out.append(kept) }
                continue
            }
            for word in words[(cfr + 2)...] where word.first?.isNumber == true {
                out.append("\(title) CFR \(word)")
            }
        }
        return out
    }

    /// "RIN 2120–AA64" (en dash in daily issues) -> ["2120-AA64"].
    static func rinValues(_ text: String) -> [String] {
        foldDashes(text).split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == ";" })
            .map(String.init).filter { $0 != "RIN" && $0 != "RINs" && $0 != "and" && $0.contains("-") }
    }

    static func foldDashes(_ text: String) -> String {
        String(text.map { $0 == "\u{2013}" || $0 == "\u{2014}" || $0 == "\u{2010}" || $0 == "\u{2011}" ? "-" : $0 })
    }

    static func stripBrackets(_ text: String) -> String {
        collapse(text.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")))
    }

    static func trimPeriod(_ text: String) -> String {
        var out = collapse(text)
        if out.hasSuffix(".") { out.removeLast() }
        return out
    }

    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
