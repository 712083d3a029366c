import SluiceCore
import Testing

@Suite struct DateTests {
    /// The written forms of EXTRACTION.md's dates table.
    @Test(arguments: [
        ("The letter of August 6, 2013 says", "2013-08-06", DateEntity.Precision.day),
        ("signed 6 August 2013 in Washington", "2013-08-06", .day),
        ("updated 2013-08-06 by the office", "2013-08-06", .day),
        ("(posted 08/06/2013)", "2013-08-06", .day),
        ("(D.D.C. Aug. 6, 2013)", "2013-08-06", .day),
        ("[FR Doc. 2016-13878 Filed 6-10-16; 8:45 am]", "2016-06-10", .day),
        ("opened in August 2013 and", "2013-08", .month),
        ("PCT Applicant's Guide (Oct. 2011)", "2011-10", .month),
        ("requests received in 2013 were", "2013", .year),
        ("the Paperwork Reduction Act of 1995", "1995", .year),
    ])
    func writtenForms(sentence: String, value: String, precision: DateEntity.Precision) throws {
        let dates = try extract(sentence).dates
        let date = try #require(dates.first { $0.value == value })
        #expect(date.precision == precision)
        #expect(dates.count == 1)
    }

    @Test(arguments: ["fiscal year 2013", "Fiscal Year 2013", "FY 2013", "FY13", "FY2013"])
    func fiscalYearsHaveStartAndEnd(written: String) throws {
        let dates = try extract("Requests processed in \(written) rose.").dates
        #expect(dates.count == 1)
        let fy = try #require(dates.first)
        #expect(fy.value == "FY2013")
        #expect(fy.precision == .fiscalYear)
        #expect(fy.start == "2012-10-01")
        #expect(fy.end == "2013-09-30")
        #expect(fy.mentions.first?.text == written)
    }

    @Test func rangesGiveBothEnds() throws {
        let dates = Set(try extract(try fixture("oip-100809.html")).dates.map(\.value))
        for value in ["2011-05-03", "2011-05-04", "2010-11-30", "2010-12-01", "FY2011"] {
            #expect(dates.contains(value), "missing \(value)")
        }
        let years = Set(try extract("Data for 2008-2012 and from 2014 to 2016.").dates.map(\.value))
        #expect(years == ["2008", "2012", "2014", "2016"])
    }

    @Test func datesWithoutAYearTakeTheDocumentsYear() throws {
        let dates = Set(try extract(try fixture("oip-100621.html")).dates.map(\.value))
        #expect(dates.contains("2010-05-03")) // "WEEK OF MAY 3"
        #expect(dates.contains("2010-05-24"))
        // From the document's metadata when it has a date there.
        let meta = Set(try extract("The group will meet on June 10.", meta: ["last-modified-date": "2012-05-01"]).dates.map(\.value))
        #expect(meta == ["2012-06-10"])
        // Without any year in the document it is not a date.
        #expect(try extract("The group will meet on June 10.").dates.isEmpty)
    }

    @Test func identifiersAreNotDates() throws {
        // corpus/cfr-xml (ECFR title 1) and EXTRACTION.md's examples.
        let text = """
            (b) The Director will interpret and apply the language of section 552(a) together with other requirements.
            The 287(g) program lets officers act. AG Order No. 3681-2016. FR Doc 2011-29462, Docket No. 2004-C-032.
            See 2010 WL 1759562 and 2010 U.S. Dist. LEXIS 42864; also 536 F.3d 1330, 1336-37. Call 202-514-1010 at 10:00.
            """
        #expect(try extract(text).dates.isEmpty)
        // Measures that look like years (corpus/agency-html/doj-oip/oip-100604.html and oip-100729.html).
        let measures = """
            The next oldest pending appeal reported by an agency was the Department of Agriculture's oldest pending appeal, which was pending for 1944 days, since April 22, 2002.
            HHS and VA also reported significant reductions in their backlogs, reducing them by 1891 and 1977 requests, respectively.
            """
        #expect(try extract(measures).dates.map(\.value) == ["2002-04-22"])
        #expect(try extract(measures).counts.contains { $0.value == 1944 && $0.unit == "days" })
        // In the court digest every 2010 outside a full date is a Westlaw or docket number.
        let dates = try extract(try fixture("oip-100621.html")).dates
        #expect(!dates.contains { $0.value == "2010" })
    }
}

/// Numbers of any length in date-like text (issue 12's fuzz findings trapped on
/// `Int(Double)` of an infinite value and on overflowing digit loops).
@Suite struct HostileNumberTests {
    static let huge = String(repeating: "9", count: 400)

    @Test(arguments: [
        "signed \(huge) August 2013 in Washington",   // day position: a 400-digit number is infinite as a Double
        "in fiscal year \(huge) the office",            // fiscal year number
        "FY99999999999999999999 requests",              // FY with a digit run past Int
        "on May 99999999999999999999th the office",     // ordinal day with a digit run past Int
        "updated \(huge)-08-06 by the office",          // numeric date, huge year
        "posted 99999999999999999999/06/2013",          // numeric date, huge month
        "in \(huge) and 99999999999999999999 more",     // years alone and counts
        "\(huge) requests were received",               // a count past 10^15
    ])
    func noTrapAndNoDate(sentence: String) throws {
        let entities = try extract(sentence)
        for date in entities.dates { #expect(!date.value.contains("9999"), "\(date.value)") }
        for count in entities.counts { #expect(count.value.isFinite && count.value < 1e15) }
    }

    @Test func ordinaryNumbersStillWork() throws {
        let entities = try extract("On May 3rd, 2011 the office received 1,250 requests in FY2013.")
        #expect(Set(entities.dates.map(\.value)) == ["2011-05-03", "FY2013"])
        #expect(entities.counts.contains { $0.value == 1250 })
    }
}

/// Fuzz findings (issue #12): years before 1000 gave values such as `999-01-01`, which are no
/// ISO dates and fail the record schema. A date value always has a four-digit year now.
@Suite struct EarlyYearTests {
    @Test(arguments: ["updated 0999-01-01 by the office", "in FY0999 and", "in FY1000 and", "signed 0001-02-03"])
    func noDateBeforeYear1000(sentence: String) throws {
        let dates = try extract(sentence).dates
        #expect(dates.isEmpty, "\(dates.map(\.value))")
    }

    @Test func everyValueHasAFourDigitYear() throws {
        // Fiscal years are read only for 1900-2099 as written; the day from year 1000 is kept.
        let dates = try extract("From 1000-01-01 to FY1001, and 9/30/0099 or 0999-12-31.").dates
        #expect(dates.map(\.value) == ["1000-01-01"])
    }
}
