import SluiceCore
@testable import SluiceFormats
import Testing

/// The small normalizers the extractors share, on values taken from the corpus.
@Suite struct NormalizerTests {
    @Test(arguments: [
        ("80.00", 80.0), ("0.596", 0.596), ("231534", 231534), ("1,071.5", 1071.5),
        // Whole numbers are read as they are scanned up to fifteen digits, then as text.
        ("1,234", 1234), ("007", 7), ("123456789012345", 123_456_789_012_345), ("9007199254740993", 9_007_199_254_740_992),
    ])
    func measureValuesAreReadExactly(text: String, value: Double) {
        #expect(FOIAReportExtractor.number(text) == value)
    }

    @Test(arguments: ["LT1", "401+", "NoRecords", "Ex. 7(C)", "", "N/A", ",", "12a"])
    func codesAreNotNumbers(text: String) {
        #expect(FOIAReportExtractor.number(text) == nil)
    }

    @Test(arguments: [("2013", "FY2013"), (" 2008 ", "FY2008"), ("2012-09-30", "FY2012")])
    func fiscalYears(text: String, fiscalYear: String) {
        #expect(FOIAReportExtractor.fiscalYear(text) == fiscalYear)
    }

    @Test(arguments: [
        ("37 CFR Parts 1 and 2", ["37 CFR 1", "37 CFR 2"]),
        ("27 CFR Parts 447, 478, 479, 555, and 646", ["27 CFR 447", "27 CFR 478", "27 CFR 479", "27 CFR 555", "27 CFR 646"]),
        ("14 CFR Part 39", ["14 CFR 39"]),
        ("45 CFR Chapter III", ["45 CFR Chapter III"]),
    ])
    func cfrParts(text: String, parts: [String]) {
        #expect(FRDocument.cfrParts(text) == parts)
    }

    @Test(arguments: [
        ("[FR Doc. 2024\u{2013}02930 Filed 2\u{2013}8\u{2013}24; 2:00 pm]", "2024-02930", "2024-02-08"),
        ("[FR Doc. E8-23178 Filed 10-1-08; 8:45 am]", "E8-23178", "2008-10-01"),
    ])
    func frDocumentNumbers(text: String, number: String, filed: String) {
        let (parsed, date) = FRDocument.parseFRDoc(text)
        #expect(parsed == number)
        #expect(date == filed)
    }

    @Test func writtenDates() {
        let found = DateScanner.scan("This rule is effective August 23, 2004. 39 FR 3251, Jan. 25, 1974; Sept. 1, 1992 and May 2013.")
        #expect(found.map(\.value) == ["2004-08-23", "1974-01-25", "1992-09-01", "2013-05"])
        #expect(DateScanner.scan("the agency may 2 times").isEmpty)
    }
}

/// Dates the schema-aware extractors read from fields exist (issue #12): a four-digit year from
/// 1000, a month 1-12 and a day the month has; anything else is no date.
@Suite struct FieldDateTests {
    @Test(arguments: [
        ("2013-02-28", "2013-02-28"), ("2012-02-29T00:00:00", "2012-02-29"), ("2013-02-30", nil), ("0999-01-01", nil),
        ("+123-04-05", nil), ("2013-1-05", nil), ("2013-13-01", nil),
    ] as [(String, String?)])
    func billStatusDays(text: String, day: String?) {
        #expect(BillStatusExtractor.day(text) == day)
    }

    @Test func scannedAndNumericDates() {
        #expect(DateScanner.scan("February 30, 2004 and March 1, 0999 or June 0999").isEmpty)
        #expect(DateScanner.scan("August 23, 2004").map(\.value) == ["2004-08-23"])
        #expect(DateScanner.numericDate("2-30-24") == nil)
        #expect(DateScanner.numericDate("11-14-11") == "2011-11-14")
        #expect(DateScanner.numericDate("1-1-123456") == nil)
    }

    @Test func foiaFiscalYears() {
        #expect(FOIAReportExtractor.fiscalYear("FY 2013") == "FY2013")
        #expect(FOIAReportExtractor.fiscalYear("0000") == nil)
        #expect(FOIAReportExtractor.fiscalYear("1000") == nil)
    }
}

/// Fuzz finding (issue #12, Fuzz/regressions/fedreg/): the Federal Register extractor read the
/// first field of its range unchecked, so a document without elements trapped on an empty array.
@Suite struct FederalRegisterWithoutElementsTests {
    @Test func documentWithoutElementsGivesNoFacts() {
        let document = ParsedDocument(mediaType: .html, encoding: "UTF-8", title: nil, text: "iso1064RU xml:lang=lE")
        let extraction = FederalRegisterExtractor().extract(document)
        #expect(extraction.entities.agencies.isEmpty)
        #expect(extraction.entities.dates.isEmpty)
    }
}
