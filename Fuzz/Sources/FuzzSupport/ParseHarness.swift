public import SluiceCore
import SluiceParse
import SluiceExtract
@testable import SluiceFormats

/// Parse, extract and record checks shared by the document targets.
public enum ParseHarness {
    /// Default limits but a smaller text cap, so the fuzzer reaches it.
    public static let limits: ParseLimits = {
        var l = ParseLimits()
        l.maxTextCharacters = 1_000_000
        return l
    }()

    public static let textExtractor: TextExtractor = {
        do {
            return try TextExtractor()
        } catch {
            fatalError("the shipped gazetteer does not load: \(error)")
        }
    }()

    /// Parses `data` as a member called `name`; checks each document and its record (without
    /// entities); nil when the parser refused it, with a reason. PDFs are left out: they go to a
    /// pdftotext child, which is not what these targets test.
    @discardableResult
    public static func parse(_ data: [UInt8], name: String) -> [ParsedDocument]? {
        if data.starts(with: Array("%PDF-".utf8)) { return nil }
        let documents: [ParsedDocument]
        do {
            documents = try Parser(limits: limits).parse(Member(release: "fuzz", path: name, data: data))
        } catch let error as SluiceError {
            Check.error(error, what: "parse \(name)")
            return nil
        } catch {
            require(false, "the parser threw something other than a SluiceError: \(error)")
            return nil
        }
        for document in documents {
            let scalars = document.text.unicodeScalars.count
            require(scalars <= limits.maxTextCharacters, "document text of \(scalars) scalars is over the \(limits.maxTextCharacters) limit")
            for field in document.fields {
                require(field.depth >= 0 && field.depth <= limits.maxDepth + 1, "field \(field.name.local) at depth \(field.depth)")
            }
            Check.record(document, Extraction(), member: name, data: data)
        }
        return documents
    }

    /// The text extractors on `document`, with every check on entities and the record.
    public static func extract(_ document: ParsedDocument, member: String, data: [UInt8], adding format: Extraction? = nil) {
        var entities = textExtractor.extract(document)
        var properties: [(String, JSONValue)] = []
        if let format {
            entities.merge(format.entities)
            properties = format.properties
        }
        Check.mentions(entities, in: document.text)
        Check.dates(entities)
        Check.record(document, Extraction(entities: entities, properties: properties), member: member, data: data)
    }

    /// The schema-aware extractors, each run on any parsed document (not only one whose root it accepts).
    public enum Format: Sendable { case foia, federalRegister, cfr, billStatus }

    public static func format(_ data: [UInt8], name: String, _ format: Format) {
        guard let documents = parse(data, name: name) else { return }
        for document in documents {
            var extraction: Extraction
            switch format {
            case .foia: extraction = FOIAReportExtractor().extract(document)
            case .federalRegister: extraction = FederalRegisterExtractor().extract(document)
            case .cfr: extraction = CFRExtractor().extract(document)
            case .billStatus: extraction = BillStatusExtractor().extract(document)
            }
            extraction.entities.setSourceWhereUnknown(.format)
            Check.mentions(extraction.entities, in: document.text)
            extract(document, member: name, data: data, adding: extraction)
        }
    }
}

extension Check {
    /// Date values are ISO dates (or fiscal years) that exist: year 1000 or later, month 1-12,
    /// a day the month has; start and end likewise, start not after end.
    public static func dates(_ entities: Entities) {
        for date in entities.dates {
            require(isoDate(date.value) || isFiscalYear(date.value), "date value '\(date.value)' is not an ISO date or fiscal year")
            for bound in [date.start, date.end].compactMap({ $0 }) {
                require(isoDate(bound) && bound.count == 10, "date '\(date.value)' has bound '\(bound)', not an ISO day")
            }
            if let start = date.start, let end = date.end {
                require(start <= end, "date '\(date.value)' starts \(start) after it ends \(end)")
            }
        }
    }

    static func isFiscalYear(_ s: String) -> Bool {
        s.count == 6 && s.hasPrefix("FY") && (Int(s.dropFirst(2)).map { $0 >= 1000 } ?? false)
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checked by hand (independently of the extractors).
    static func isoDate(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4, let year = Int(parts[0]), year >= 1000 else { return false }
        guard parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return false }
        if parts.count == 1 { return true }
        guard parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return false }
        if parts.count == 2 { return true }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard parts[2].count == 2, let day = Int(parts[2]) else { return false }
        return (1...days).contains(day)
    }
}
