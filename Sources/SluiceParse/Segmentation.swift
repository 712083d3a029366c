import Foundation
/// How one XML document splits into records, decided by its root element.
///
/// A Federal Register daily issue (`FEDREG`) is one record per RULE, PRORULE,
/// NOTICE and PRESDOCU; an eCFR title is one record per `DIV5 TYPE="PART"`.
/// Everything outside the parts (tables of contents, front matter) is not a record.
enum Segmentation {
    case whole
    case federalRegister
    case ecfr

    static let federalRegisterParts: Set<String> = ["RULE", "PRORULE", "NOTICE", "PRESDOCU"]

    init(root local: String) {
        switch local {
        case "FEDREG": self = .federalRegister
        case "ECFR", "DLPSTEXTCLASS": self = .ecfr
        default: self = .whole
        }
    }

    /// Whether an element starts a part. `attribute` looks up the element's attributes.
    func startsPart(_ local: String, attribute: (String) -> String?) -> Bool {
        switch self {
        case .whole: return false
        case .federalRegister: return Self.federalRegisterParts.contains(local)
        case .ecfr: return local == "DIV5" && attribute("TYPE") == "PART"
        }
    }

    /// The FR document number in an FRDOC line: "[FR Doc. 2024–02801 Filed 2–9–24; 8:45 am]" gives
    /// "2024-02801" (typographic dashes folded to "-"); nil when the line has none.
    static func frDocumentNumber(_ line: String) -> String? {
        guard let range = line.range(of: "FR Doc.") ?? line.range(of: "FR Doc") else { return nil }
        let rest = line[range.upperBound...].drop { $0 == " " || $0 == "\u{A0}" }
        let token = rest.prefix { !$0.isWhitespace && $0 != "]" && $0 != ";" }
        let folded = foldDashes(String(token))
        let trimmed = folded.trimmingTrailing { $0 == "," || $0 == "." }
        return trimmed.isEmpty ? nil : trimmed
    }
}

extension Segmentation {
    /// Typographic dashes (en, em, non-breaking hyphen) as "-", for stable part keys.
    static func foldDashes(_ s: String) -> String {
        var folded = ""
        for character in s {
            let isDash = character == "\u{2013}" || character == "\u{2014}" || character == "\u{2011}"
            folded.append(isDash ? "-" : character)
        }
        return folded
    }

    /// The key of an eCFR part from its N attribute ("23–49" gives "part-23-49").
    static func ecfrPartKey(_ n: String) -> String {
        "part-" + foldDashes(n.trimmingCharacters(in: .whitespaces))
    }
}

extension String {
    fileprivate func trimmingTrailing(_ drop: (Character) -> Bool) -> String {
        var s = self
        while let last = s.last, drop(last) { s.removeLast() }
        return s
    }
}
